"""Checks for a scalar autograd engine: run an expression on the learner's `Value` objects and
compare y.data, y.grad and each input's .grad with the expected numbers.

    check = expression_checker(Value)
    check("y = a * b + 1", {"a": 2.0, "b": -3.0}, [-5.0, 1.0, -3.0, 2.0])

Every input, and y, must be an object of the learner's class, not a plain number or array: the
arithmetic must run in the learner's methods (a plain number would be computed by Python itself).
"""
import numpy as np

from bpkit.checks.core import CheckFailed, fail, type_name
from bpkit.checks.values import compare_arrays

__all__ = ["expression_checker", "evaluate", "run_expression"]

EXPRESSION_FILE = "<expression>"  # the frame of `code` itself: no line of the learner's to show
PLAIN = (bool, int, float, complex, str, bytes, list, tuple, dict, np.ndarray, np.generic)


def _number(value):
    # .item(): one number, whether it came back as a float or as a numpy scalar
    return np.asarray(value, dtype=float).item()


def run_expression(Value, code, point, backward=True):
    """Where the learner's Value lives (their notebook, or the grader's sandbox): run `code` (which
    sets y) with a Value for each input in `point`, then y.backward().

    Returns {"values": [y.data, y.grad, then each input's .grad]} ([y.data] if backward is False),
    or {"plain": "y" or the input's name, "type": its type's name} for an input or a y that is not
    a Value object. The learner's exceptions propagate."""
    inputs = {name: Value(number) for name, number in point.items()}
    for name, value in inputs.items():
        if value is None or isinstance(value, PLAIN):
            return {"plain": name, "type": type_name(value)}
    scope = dict(inputs)
    exec(compile(code, EXPRESSION_FILE, "exec"), {}, scope)
    y = scope["y"]
    if y is None or isinstance(y, PLAIN):
        return {"plain": "y", "type": type_name(y)}
    if backward:
        y.backward()
    return {"values": [y.data] + ([y.grad] + [v.grad for v in inputs.values()] if backward
                                  else [])}


def evaluate(Value, code, point, backward=True):
    """run_expression's values as float64 numbers, or CheckFailed saying what went wrong.

    Where Value stands for a class in the grader's sandbox (it has __bpkit_expression__), the
    expression runs there in one request, not one per operation; what comes back is plain data,
    read here as from any learner's function."""
    try:
        remote = getattr(type(Value), "__bpkit_expression__", None)
        outcome = (remote(Value, code, point, backward) if remote is not None
                   else run_expression(Value, code, point, backward))
        if not isinstance(outcome, dict) or not (
                isinstance(outcome.get("values"), list) or isinstance(outcome.get("plain"), str)):
            fail(f"`{code}` gave a result in a form the check cannot read: is Value the "
                 "course's class, and y a Value?")
        if "plain" in outcome:
            plain = outcome["plain"]
            what = (f"y in `{code}`" if plain == "y" else
                    f"Value({point[plain]!r})" if plain in point else "a value")
            rule = ("Value must be a class whose operators return new Value objects, so that the "
                    "arithmetic runs in your methods.")
            fail(f"{what} is a {str(outcome.get('type'))[:100]}, not a Value object. {rule}",
                 f"{what} is not a Value object. {rule}")
        return np.array([_number(v) for v in outcome["values"]])
    except CheckFailed:
        raise
    except Exception as exc:
        why = f"{type(exc).__name__}: {exc}".replace("RemoteError: ", "")
        if "NotImplementedError" in why:
            fail(f"Value is not finished: `{code}` uses a method that is not written yet ({why}).",
                 f"Value is not finished: `{code}` uses a method that is not written yet.")
        fail(f"`{code}` raised {why}.", f"`{code}` raised an exception.")


def expression_checker(Value):
    """check(code, point, expected, hints=None, note="", backward=True, rtol=1e-9, atol=1e-12):
    compare evaluate(Value, code, point, backward) with `expected`; `note` is added to a failure's
    message to say what it means (e.g. how Python calls reflected methods)."""
    def check(code, point, expected, hints=None, note="", backward=True, rtol=1e-9, atol=1e-12):
        at = ", ".join(f"{name} = {number}" for name, number in point.items())
        grads = ", ".join(f"{name}.grad" for name in point)
        what = f"[y.data, y.grad, {grads}]" if backward else "y.data"
        try:
            return compare_arrays(evaluate(Value, code, point, backward), expected,
                                  call=f"{what} for `{code}` at {at}", rtol=rtol, atol=atol,
                                  hints=hints)
        except CheckFailed as failure:
            public = f"{failure.public} {note}".rstrip() if failure.public else None
            raise CheckFailed(f"{failure.message} {note}".rstrip(), failure.detail,
                              public) from None
    return check
