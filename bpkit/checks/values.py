"""Checks of values: an array against the expected one, with a message that names the mistake.

A check prints one success line (with the error and its tolerance) or raises CheckFailed. The
grader runs the very same checks in its own process, on the plain values a submission's function
returned from its sandbox.
"""
import numpy as np

from bpkit.checks.core import fail, fail_on_error, first_changed, invoke, type_name

__all__ = ["portable", "rel_error", "compare_arrays", "check_array", "check_no_warnings"]


class portable:
    """A function written as source text (e.g. "lambda x: np.sum(x ** 2)") for a test to pass to
    the learner's code. Here it is an ordinary function; the grader sends its text, not the
    function, into the sandbox, where it is evaluated again with only `np` and `math` in scope.
    """

    def __init__(self, source):
        import math
        self.__bpkit_source__ = source
        self._fn = eval(source, {"np": np, "math": math})  # the test's own text, trusted
        self.__name__ = "f"

    def __call__(self, *args, **kwargs):
        return self._fn(*args, **kwargs)

    def __repr__(self):
        return self.__bpkit_source__


def rel_error(actual, expected, floor=1e-12):
    """Largest elementwise |actual - expected| / max(|expected|, floor)."""
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    if actual.size == 0:
        return 0.0
    return float(np.max(np.abs(actual - expected) / np.maximum(np.abs(expected), floor)))


def _fmt_index(index):
    return "(" + ", ".join(str(int(i)) for i in index) + ")" if len(index) != 1 else f"[{index[0]}]"


def _shape_hint(shape, expected_shape):
    if len(shape) == 2 and shape == expected_shape[::-1]:
        return ("it looks transposed: check the order of the matrix product "
                "(x @ W, not W @ x) and any .T")
    if shape == () and expected_shape != ():
        return "a single number instead of an array: did you sum or average over every axis?"
    if shape == expected_shape[1:]:
        return "the batch axis is missing: did you sum or average over the samples?"
    if len(shape) == len(expected_shape) + 1 and 1 in shape:
        return "it has an extra axis of length 1: did you reshape b or use keepdims?"
    if int(np.prod(shape)) == int(np.prod(expected_shape)):
        return "the right number of entries in the wrong shape"
    if len(shape) == 2 and len(expected_shape) == 2 and shape[0] == shape[1] != expected_shape[0]:
        return "a square result often comes from broadcasting a column against a row"
    return ""


def _as_numeric_array(value, call):
    if value is None:
        fail(f"{call} returned None: the function needs a `return` statement.")
    if isinstance(value, tuple):
        fail(f"{call} returned a tuple of {len(value)} items; expected one array.",
             f"{call} returned a tuple; expected one array.")
    try:
        array = np.asarray(value)
    except Exception:
        array = None
    if array is None or array.dtype.kind not in "biufc":
        fail(f"{call} returned a {type_name(value)}, not an array of numbers.",
             f"{call} returned something other than an array of numbers.")
    return array


def compare_arrays(actual, expected, *, call, rtol=1e-7, atol=1e-12, hints=None, inputs=None):
    """Raise CheckFailed naming how `actual` differs from `expected`; return the relative error.

    hints: {description of a likely mistake: the value that mistake would give}.
    inputs: {name: array} of elementwise inputs, to say where a bad entry came from.
    """
    array = _as_numeric_array(actual, call)
    expected = np.asarray(expected, dtype=np.float64)
    hints = hints or {}
    for label, wrong in hints.items():
        wrong = np.asarray(wrong)
        if (array.shape == wrong.shape and array.dtype.kind in "fiu"
                and np.allclose(array, wrong, rtol=1e-6, atol=1e-9, equal_nan=True)
                and not np.allclose(wrong, expected, rtol=rtol, atol=atol, equal_nan=True)):
            fail(f"{call} gives the values of a common mistake: {label}.")
    if array.dtype.kind == "b":
        fail(f"{call} returned booleans (True/False): did you return a comparison such as "
             "(z > 0) instead of using it to select values?")
    if array.dtype.kind in "iu":
        fail(f"{call} returned integers ({array.dtype}); expected float64. An integer array or "
             "integer division rounded the result: work in floating point.",
             f"{call} returned integers; expected float64. An integer array or integer division "
             "rounded the result: work in floating point.")
    if array.dtype.kind == "c":
        fail(f"{call} returned complex numbers; expected real float64 values.")
    if array.dtype != np.float64:
        fail(f"{call} returned {array.dtype}; expected float64, numpy's default. Avoid "
             "dtype=np.float32 and .astype() to lower precision.",
             f"{call} returned floats of another precision; expected float64, numpy's default. "
             "Avoid dtype=np.float32 and .astype() to lower precision.")
    if array.shape != expected.shape:
        hint = _shape_hint(array.shape, expected.shape)
        hint = f": {hint}." if hint else "."
        fail(f"{call} returned shape {array.shape}; expected {expected.shape}{hint}",
             f"{call} returned an array of the wrong shape; expected {expected.shape}{hint}")
    bad = ~np.isfinite(array) & np.isfinite(expected)
    if bad.any():
        index = tuple(np.argwhere(bad)[0])
        where = f"at index {_fmt_index(index)}"
        for name, value in (inputs or {}).items():
            value = np.asarray(value)
            if value.shape == array.shape:
                where += f", where {name} = {value[index]:g}"
        why = "That is usually an overflow, e.g. np.exp of a large number, or inf - inf."
        fail(f"{call} returned {int(bad.sum())} non-finite value(s) (nan or inf), first {where}. "
             + why, f"{call} returned nan or inf where the right values are finite. " + why)
    close = np.isclose(array, expected, rtol=rtol, atol=atol, equal_nan=True)
    if not close.all():
        index = tuple(np.argwhere(~close)[0])
        message = (f"{call} is wrong in {int((~close).sum())} of {close.size} entries; "
                   f"the first is at index {_fmt_index(index)}, where it returned "
                   f"{array[index]:.6g}.")
        public = f"{call} returns wrong values."
        if np.allclose(array, -expected, rtol=rtol, atol=atol):
            why = " Every value has the wrong sign."
        elif array.ndim == 2 and array.shape == array.shape[::-1] and np.allclose(
                array, expected.T, rtol=rtol, atol=atol):
            why = (" It is the transpose of the right answer: check the order of the matrix "
                   "product (x @ W, not W @ x) and any .T.")
        else:
            why = ""
        detail = f"Expected {expected[index]:.6g} there (tolerance {rtol:g} relative)."
        fail(message + why, public + why, detail)
    return rel_error(array, expected, floor=atol / rtol)


def check_array(fn, args, expected, *, call=None, rtol=1e-7, atol=1e-12, hints=None,
                arg_names=None, quiet=False):
    """Check that fn(*args) returns `expected` (float64, same shape, within tolerance).

    Also checks that fn leaves its inputs unchanged. Prints one success line unless quiet;
    returns what fn returned.
    """
    name = getattr(fn, "__name__", "the function")
    arg_names = arg_names or [f"arg{i}" for i in range(len(args))]
    call = call or f"{name}({', '.join(arg_names)})"
    result = invoke(fn, *args)
    fail_on_error(result, name, call)
    inputs = {n: a for n, a in zip(arg_names, args) if isinstance(a, np.ndarray)}
    error = compare_arrays(result.value, expected, call=call, rtol=rtol, atol=atol, hints=hints,
                           inputs=inputs)
    position = None if result.args_after is None else first_changed(args, result.args_after)
    if position is not None:
        fail(f"{call} changed its input {arg_names[position]} in place (e.g. with `+=`, `*=` or "
             "`a[mask] = 0`): compute a new array instead.")
    if not quiet:
        shape = np.shape(expected)
        print(f"✓ {call}: shape {shape}, float64, max relative error {error:.1e} "
              f"(tolerance {rtol:g})")
    return result.value


def check_no_warnings(fn, args, *, call=None, hint="", category="RuntimeWarning", quiet=False):
    """Check that fn(*args) runs without a numerical warning (overflow, division by zero, ...).

    Only warnings of `category` count (numpy's floating-point warnings are RuntimeWarnings): a
    learner's own UserWarning or print is never held against them. It teaches in the notebook and
    grades nothing: the grader cannot see warnings from outside the learner's process.
    """
    name = getattr(fn, "__name__", "the function")
    call = call or f"{name}(...)"
    result = invoke(fn, *args)
    fail_on_error(result, name, call)
    if result.warnings is None:
        return result.value
    numerical = [w for w in result.warnings if w.startswith(category + ":")]
    if numerical:
        fail(f"{call} emitted a warning: {numerical[0]}." + (f" {hint}" if hint else ""))
    if not quiet:
        print(f"✓ {call} runs without warnings")
    return result.value
