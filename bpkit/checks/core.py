"""What every check shares: the failure a learner reads, the record of one call of their code,
and the messages that several checks give.

A check calls the learner's function through `invoke`, which records what the call did; the
grader's proxy for a function that lives in a sandbox returns the same record (see Invocation).
"""
import contextlib
import contextvars
import copy
import traceback
import warnings
from dataclasses import dataclass, field

import numpy as np

__all__ = ["CheckFailed", "fail", "fail_on_error", "not_written", "fail_not_written", "Invocation",
           "invoke", "time_limit", "call_seconds", "describe_exception", "type_name", "changed",
           "first_changed"]


class CheckFailed(AssertionError):
    """A check failed. `message` is for the learner; `detail` adds the expected values.

    `public` says the same without anything the learner's code produced (no value, shape, type or
    error text of theirs): the grader shows it for a hidden test, whose inputs must not reach the
    student through what their code returns. None: the grader shows a general message instead.
    """

    def __init__(self, message, detail="", public=None):
        super().__init__(message + (f"\n{detail}" if detail else ""))
        self.message = message
        self.detail = detail
        self.public = public

    def _render_traceback_(self):
        # IPython shows this instead of a traceback: the message is the whole story.
        lines = str(self).splitlines()
        return [f"\x1b[1;31m✗ {lines[0]}\x1b[0m", *lines[1:]]


def fail(message, public=True, detail=""):
    """Raise CheckFailed; public=True: the message holds nothing the learner's code produced."""
    raise CheckFailed(message, detail, public=message if public is True else public)


def not_written(name, then="run that cell, then this one"):
    """The message for an exercise still holding its stub (the one wording, used everywhere)."""
    return (f"{name} is not written yet: replace `raise NotImplementedError()` in its cell with "
            f"your code, {then}.")


def fail_not_written(error, name):
    """Raise CheckFailed naming the stub that raised the NotImplementedError in `error`: a check
    of two_layer_loss names the layer still to write ("... (in dense_forward, line 7: ...)")."""
    stub = error.split("(in ", 1)[1].split(",", 1)[0] if "(in " in error else name
    # the stub's name comes from the learner's process: only `name`, the test's, is public
    fail(not_written(stub), not_written(name) if stub == name else
         f"{name}, or a function it calls, is not written yet: replace `raise "
         "NotImplementedError()` with your code.")


def fail_on_error(result, name, call):
    """Raise CheckFailed if the call raised: "not written yet" for the stub, else its error."""
    if not result.error:
        return
    if result.error.startswith("NotImplementedError"):
        fail_not_written(result.error, name)
    fail(f"{call} raised {result.error}", f"{call} raised an exception.")


def type_name(value):
    """The name of a value's type; an object the grader keeps in a sandbox says its own."""
    return getattr(value, "__bpkit_type__", None) or type(value).__name__


@dataclass
class Invocation:
    """What one call of a learner's function did: its value, warnings, error and inputs after.

    warnings and args_after are None when they cannot be known from outside the learner's process
    (the grader's sandbox): the checks that use them then teach in the notebook and grade nothing.
    """
    value: object = None
    warnings: list = field(default_factory=list)
    error: str = ""
    args_after: tuple = ()


def invoke(fn, *args, **kwargs):
    """Call fn(*args, **kwargs) and record what it did, without letting an exception escape.

    A grader proxy for a function that lives in a sandbox implements `__bpkit_invoke__` and returns
    the same record, so every check below works on local and sandboxed functions alike.
    """
    if hasattr(type(fn), "__bpkit_invoke__"):
        return fn.__bpkit_invoke__(args, kwargs)
    if not callable(fn):
        return Invocation(error=f"it is a {type(fn).__name__}, not a function")
    call_args = copy.deepcopy(args)
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn", under="ignore"):
        warnings.simplefilter("always")
        try:
            value = fn(*call_args, **kwargs)
        except Exception as exc:  # the learner's bug, reported as a message
            return Invocation(error=describe_exception(exc), args_after=call_args)
    return Invocation(value=value, args_after=call_args,
                      warnings=[f"{w.category.__name__}: {w.message}" for w in caught])


_CALL_SECONDS = contextvars.ContextVar("bpkit_call_seconds", default=None)


@contextlib.contextmanager
def time_limit(seconds):
    """Inside this block, each call of a function that lives in the grader's sandbox must answer
    within `seconds` (or the grader's own limit for a call, if that is shorter); a late call
    fails with an error that starts with "Timeout". A local call is not timed: in a learner's
    own kernel a check waits for as long as the call takes."""
    if not float(seconds) > 0:
        raise ValueError(f"time_limit needs a positive number of seconds, not {seconds!r}")
    token = _CALL_SECONDS.set(float(seconds))
    try:
        yield
    finally:
        _CALL_SECONDS.reset(token)


def call_seconds():
    """The limit of the innermost `time_limit` block around this call, or None."""
    return _CALL_SECONDS.get()


def describe_exception(exc):
    """'ValueError: ... (line 4 of sigmoid: `return ...`)' for an exception the learner raised."""
    text = f"{type(exc).__name__}: {exc}".rstrip(": ")
    frames = traceback.extract_tb(exc.__traceback__)
    if frames:
        last = frames[-1]
        code = f": `{last.line.strip()}`" if last.line else ""
        text += f" (in {last.name}, line {last.lineno}{code})"
    return text


def changed(before, after):
    """Whether a call changed its argument in place: `before` it, `after` what it was after.

    Arrays compare by shape and values (nan equal to nan), dicts key by key; an object that is not
    an array (one the grader keeps in a sandbox) counts as changed; other values are not checked.
    """
    if isinstance(before, np.ndarray):
        try:
            after = np.asarray(after)
        except TypeError:
            return True
        return after.shape != before.shape or not np.array_equal(after, before, equal_nan=True)
    if isinstance(before, dict):
        return not isinstance(after, dict) or any(changed(value, after.get(key))
                                                  for key, value in before.items())
    return False


def first_changed(args, args_after):
    """The position of the first argument a call changed in place, or None."""
    return next((i for i, (before, after) in enumerate(zip(args, args_after))
                 if changed(before, after)), None)
