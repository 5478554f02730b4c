"""bpkit: the helpers the backpropagation course's notebooks import.

Checks (bpkit.checks), offline datasets (bpkit.datasets), plots (bpkit.plotting) and the plain
functions behind the widgets (bpkit.widgets). Nothing here answers an exercise.
"""
from bpkit import friendly
from bpkit.checks import CheckFailed, check_array, check_no_warnings, compare_arrays, rel_error

__all__ = ["CheckFailed", "check_array", "check_no_warnings", "compare_arrays", "rel_error"]

friendly.install()
