"""Checking a learner's answers: every check names the mistake it finds, or prints one ✓ line.

    core         CheckFailed, invoke (a call recorded), time_limit, the messages checks share
    values       check_array, compare_arrays, check_no_warnings, rel_error, portable
    gradients    grad_check, grad_check_params, call_learner, check_parts, check_grads
    expressions  expression_checker: expressions run on the learner's Value objects

The grader runs the same checks in its own process, against plain values that the learner's code
returned from its sandbox. Nothing here answers an exercise.
"""
from bpkit.checks.core import (CheckFailed, Invocation, changed, describe_exception, fail,
                               fail_on_error, first_changed, invoke, not_written, time_limit,
                               type_name)
from bpkit.checks.gradients import (call_learner, check_grads, check_parts, grad_check,
                                    grad_check_params)
from bpkit.checks.values import (check_array, check_no_warnings, compare_arrays, portable,
                                 rel_error)

__all__ = ["CheckFailed", "Invocation", "invoke", "time_limit", "fail", "fail_on_error",
           "not_written", "describe_exception", "type_name", "changed", "first_changed",
           "check_array", "check_no_warnings", "compare_arrays", "rel_error", "portable",
           "grad_check", "grad_check_params", "call_learner", "check_parts", "check_grads"]
