"""Checks of a backward pass: the learner's analytic gradients against slopes measured along
random directions (never entry by entry: that is notebook 03's exercise), and calls of the
learner's layers that name what they returned wrong.

Every layer, loss and gradient checked here is the learner's own, passed in: nothing in bpkit
computes a backward pass.
"""
import numpy as np

from bpkit.checks.core import changed, fail, fail_not_written, invoke, type_name
from bpkit.checks.values import compare_arrays

__all__ = ["grad_check", "grad_check_params", "call_learner", "check_parts", "check_grads",
           "as_scalar"]


def as_scalar(value, what):
    array = np.asarray(value, dtype=np.float64)
    if array.size != 1:
        raise ValueError(f"{what} must return one number (a loss); it returned shape "
                         f"{array.shape}.")
    return float(array.reshape(()))


def _directions(shape, count, seed):
    """count unit directions in the space of arrays shaped `shape`, the same ones every call."""
    rng = np.random.default_rng(seed)
    size = int(np.prod(shape, dtype=np.int64))
    if size == 1:  # one entry: both ways along its axis
        return [np.ones(shape), -np.ones(shape)][:count]
    directions = []
    for _ in range(count):
        v = rng.normal(size=shape)
        directions.append(v / np.linalg.norm(v))
    return directions


def _slope(f, x, v, h):
    """(f(x + h v) - f(x - h v)) / 2h: how fast f changes when x moves along v."""
    up = as_scalar(f(x + h * v), "f")  # fresh arrays: an f that changes its input skews nothing
    down = as_scalar(f(x - h * v), "f")
    return (up - down) / (2 * h)


def _factor_note(predicted, measured):
    """' Every slope is 0.333 times ...' when one factor explains the gap."""
    big = np.abs(measured) > 1e-3 * np.abs(measured).max(initial=0.0)
    if not big.any():
        return ""
    ratios = predicted[big] / measured[big]
    factor = float(np.median(ratios))
    if abs(factor - 1.0) < 1e-3 or not np.allclose(ratios, factor, rtol=1e-4):
        return ""
    if abs(factor + 1.0) < 1e-4:
        return " Every slope has the wrong sign: the gradient points downhill instead of uphill."
    return (f" Every slope is {factor:.4g} times the measured one: a factor is missing or "
            "extra (a 1/N, a 2, a sum where a mean belongs?).")


def grad_check(f, x, analytic, *, name="gradient", tol=1e-6, h=1e-5, directions=6, seed=0,
               quiet=False):
    """Check an analytic gradient of a scalar f at x along random directions; return the error.

    f: scalar function of an array shaped like x, e.g. `lambda x: np.sum(layer(x)[0] * dout)`.
    analytic: the gradient to check, shape of x. For each of `directions` random unit vectors v
    (fixed by `seed`), the slope the gradient predicts, analytic . v, is compared with the slope
    measured by central differences along v, (f(x + h v) - f(x - h v)) / 2h. A right gradient
    agrees along every direction; a wrong one, along almost none. The error is the largest
    |predicted - measured| / (|predicted| + |measured|), where a slope a hundred times smaller
    than |analytic| is measured against a hundredth of it so that near-zero slopes carry no
    rounding noise. Prints one ✓ line, or raises CheckFailed when the error exceeds tol.
    x itself is never modified. This never computes the gradient entry by entry: that is
    `numerical_gradient`, which you wrote in notebook 03.
    """
    x = np.array(x, dtype=np.float64)  # our own copy
    analytic = np.asarray(analytic, dtype=np.float64)
    if analytic.shape != x.shape:
        fail(f"{name} has shape {analytic.shape} but the input has shape {x.shape}: a gradient "
             "always has the shape of what it differentiates.",
             f"{name} does not have the shape of the input, {x.shape}: a gradient always has the "
             "shape of what it differentiates.")
    if not np.isfinite(analytic).all():
        fail(f"{name} contains nan or inf: an overflow in the backward pass?")
    vs = _directions(x.shape, directions, seed)
    predicted = np.array([float(np.sum(analytic * v)) for v in vs])
    measured = np.array([_slope(f, x, v, h) for v in vs])
    floor = max(1e-2 * float(np.linalg.norm(analytic)), 1e-12)
    errors = np.abs(predicted - measured) / np.maximum(np.abs(predicted) + np.abs(measured), floor)
    errors = np.where(np.isnan(errors), np.inf, errors)
    error = float(errors.max(initial=0.0))
    if not error <= tol:
        worst = int(np.argmax(errors))
        where = " To see which entries are wrong, compare with numerical_gradient from notebook 03."
        fail(f"{name} disagrees with the slopes measured by central differences: relative error "
             f"{error:.1e} > {tol:g}. Along random direction {worst + 1} of {len(vs)}, {name} "
             f"predicts a slope of {predicted[worst]:.6g} but f changes at {measured[worst]:.6g}."
             + _factor_note(predicted, measured) + where,
             f"{name} disagrees with the slopes measured by central differences." + where)
    if not quiet:
        print(f"✓ {name} matches central differences along {len(vs)} random directions: "
              f"relative error {error:.1e} (tolerance {tol:g})")
    return error


def grad_check_params(loss_fn, params, grads, *, tol=1e-6, h=1e-5, directions=6, quiet=False):
    """grad_check every parameter of a model: loss_fn(params) -> loss, grads keyed like params.

    Returns {name: relative error}. Raises CheckFailed for a missing key or a wrong gradient.
    """
    if not isinstance(grads, dict):
        fail(f"grads is a {type_name(grads)}; expected a dict keyed like params "
             f"({', '.join(params)}).", f"grads is not a dict keyed like params ({', '.join(params)}).")
    missing = [key for key in params if key not in grads]
    if missing:
        fail(f"grads is missing {', '.join(map(repr, missing))}: return one gradient per "
             f"parameter, keyed like params ({', '.join(params)}).")
    errors = {}
    for key in params:
        def f(value, key=key):
            return loss_fn({**{k: np.array(v) for k, v in params.items()}, key: value})
        errors[key] = grad_check(f, params[key], grads[key], name=f"grads[{key!r}]", tol=tol,
                                 h=h, directions=directions, quiet=quiet)
    return errors


def call_learner(fn, args, *, arg_names, returns=("out", "cache"), call=None,
                 inputs_unchanged=True, error_hints=None):
    """Call the learner's fn(*args) for a check and return what it returned.

    returns: the names of the values fn must return as a tuple (the tuple is returned), or one
    name (the value is returned as is). Raises CheckFailed when fn is not written yet, raises
    (adding the advice of error_hints {text in the error: advice}), returns the wrong number of
    values, or (inputs_unchanged) changes an array or dict argument in place.
    """
    name = getattr(fn, "__name__", "the function")
    call = call or f"{name}({', '.join(arg_names)})"
    result = invoke(fn, *args)
    if result.error:
        if result.error.startswith("NotImplementedError"):
            fail_not_written(result.error, name)
        advice = next((text for key, text in (error_hints or {}).items() if key in result.error),
                      "")
        fail(f"{call} raised {result.error}" + (f". {advice}" if advice else ""),
             f"{call} raised an exception." + (f" {advice}" if advice else ""))
    if inputs_unchanged and result.args_after is not None:
        for before, after, arg_name in zip(args, result.args_after, arg_names):
            if changed(before, after):
                fail(f"{call} changed its input {arg_name} in place (e.g. with `+=`, `*=` or "
                     "`x[mask] = 0`): compute a new array instead.")
    value = result.value
    if isinstance(returns, str):
        return value
    if not isinstance(value, (tuple, list)) or len(value) != len(returns):
        got = (f"a tuple of {len(value)} values" if isinstance(value, (tuple, list))
               else f"a {type_name(value)}")
        fail(f"{call} returned {got}; expected a tuple ({', '.join(returns)}).",
             f"{call} did not return a tuple ({', '.join(returns)}).")
    return tuple(value)


def check_parts(values, expected, *, call, rtol=1e-7, atol=1e-12, hints=None, quiet=False):
    """compare_arrays each of `values` with expected {name: value}, in order; one ✓ line.

    hints: {name: {description of a likely mistake: the value it gives}}. A value of shape (1,)
    counts as a number where a number is expected. Returns the largest relative error.
    """
    hints = hints or {}
    worst = 0.0
    for value, (part, want) in zip(values, expected.items()):
        if np.ndim(want) == 0 and isinstance(value, np.ndarray) and value.shape == (1,):
            # a numpy scalar (a loss) reaches the grader as shape (1,): read it as a number
            value = value.reshape(())
        if (isinstance(value, np.ndarray) and value.size == 1 and np.ndim(want) == 1
                and np.size(want) > 1):
            fail(f"{part} from {call} is a single number; expected shape {np.shape(want)}: did "
                 "np.sum or np.mean run over every axis? axis=0 sums over the batch and keeps "
                 "one value per column.")
        worst = max(worst, compare_arrays(value, want, call=f"{part} from {call}", rtol=rtol,
                                          atol=atol, hints=hints.get(part)))
    if not quiet:
        print(f"✓ {call}: {', '.join(expected)} correct, max relative error {worst:.1e} "
              f"(tolerance {rtol:g})")
    return worst


def check_grads(grads, expected, *, call, rtol=1e-7, atol=1e-12, hints=None, quiet=False):
    """Check a dict of gradients against expected {name: value}: keys, shapes, then values."""
    keys = ", ".join(expected)
    if not isinstance(grads, dict):
        fail(f"{call} returned grads as a {type_name(grads)}; expected a dict keyed like params "
             f"({keys}).", f"{call} did not return grads as a dict keyed like params ({keys}).")
    missing = [k for k in expected if k not in grads]
    if missing:
        extra = [k for k in grads if k not in expected]
        fail(f"grads from {call} is missing {', '.join(map(repr, missing))}"
             + (f" and has {', '.join(map(repr, extra))}: it is keyed wrong" if extra else "")
             + f"; key each gradient like its parameter in params ({keys}).",
             f"grads from {call} is missing {', '.join(map(repr, missing))}"
             + (": it is keyed wrong" if extra else "")
             + f"; key each gradient like its parameter in params ({keys}).")
    for key, want in expected.items():
        try:
            shape = np.shape(grads[key])
        except TypeError:
            continue  # not an array: compare_arrays below names what it is
        twin = next((k for k, v in expected.items() if k != key and np.shape(v) == shape), None)
        if shape != np.shape(want) and twin:
            fail(f"grads[{key!r}] from {call} has shape {shape}, the shape of params[{twin!r}]: "
                 f"the gradients are keyed wrong. grads[{key!r}] must have the shape of "
                 f"params[{key!r}], {np.shape(want)}.")
    return check_parts([grads[k] for k in expected],
                       {f"grads[{k!r}]": v for k, v in expected.items()}, call=call, rtol=rtol,
                       atol=atol, quiet=quiet,
                       hints={f"grads[{k!r}]": v for k, v in (hints or {}).items()})
