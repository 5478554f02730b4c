"""bpkit: the helpers the backpropagation course's notebooks import, cut by concern.

    bpkit.checks     checking answers: values, gradients, expressions (checks/__init__ lists them)
    bpkit.datasets   small offline datasets
    bpkit.plots      static pictures, one module per topic
    bpkit.live       the live-figure engine behind the widgets, and the widget builder
    bpkit.views      the interactive experiments, one module per experiment

Nothing here answers an exercise: every layer, loss and update is the learner's own, passed in
(tests/test_bpkit_holds_no_answer.py probes every function of every module).
"""
from bpkit import friendly
from bpkit.checks import CheckFailed, check_array, check_no_warnings, compare_arrays, rel_error

__all__ = ["CheckFailed", "check_array", "check_no_warnings", "compare_arrays", "rel_error"]

friendly.install()
