"""A submission's resources are bounded as a whole: all its processes' CPU time, its memory with
the files it writes (its home and /tmp are in memory), its processes; what a cell starts ends
with it. Where the machine gives no cgroups (not root), the per-process limits stay: those tests
are skipped and the README says what that leaves."""
import nbformat
import pytest

from conftest import course_notebook
from grader import confine, runner, sandbox, spec

MiB = 1024 * 1024
needs_cgroups = pytest.mark.skipif(not confine.available(),
                                   reason="needs cgroups (root; .ci/run runs as root)")
needs_bwrap = pytest.mark.skipif(not sandbox.bwrap_available(), reason="needs bubblewrap")

BUSY = '''import os
for _ in range(3):
    if os.fork() == 0:
        while True:
            pass
while True:
    pass
'''

FILL = '''written = 0
try:
    with open("fill", "wb") as handle:
        for _ in range(64):
            handle.write(b"x" * (16 << 20))
            handle.flush()
            written += 16
except OSError as exc:
    raise RuntimeError(f"wrote {written} MiB, then {exc.strerror}")
raise RuntimeError(f"wrote {written} MiB")
'''

FORK = '''import os, time
count = 0
try:
    for _ in range(500):
        if os.fork() == 0:
            time.sleep(30)
            os._exit(0)
        count += 1
except OSError:
    pass
raise RuntimeError(f"forked {count}")
'''


def grade(tmp_path, cell, limits, after=True):
    """Grade a notebook with this cell; return the cell's error. after: the test that follows
    still gets its point."""
    path = course_notebook(tmp_path / "demo" / "demo.ipynb", [
        ("x = 1", "answer", "solution"), ('"""nothing (1 point)."""', "test_x", "test")])
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(1, nbformat.v4.new_code_cell(cell))
    result = runner.grade_notebook(spec.load_notebook_spec(path), nb, limits=limits)
    assert result.score == int(after), result.tests
    return result.cell_errors[0]["error"]


@needs_cgroups
@needs_bwrap
def test_cpu_time_counts_every_process(tmp_path):
    # four busy processes, one CPU: 4 s of CPU in all ends them, long before the cell timeout;
    # the notebook's CPU time is spent, so nothing after that cell runs
    error = grade(tmp_path, BUSY, sandbox.Limits(cpu_seconds=4, cell_timeout=60), after=False)
    assert "CPU time in all" in error, error


@needs_cgroups
@needs_bwrap
def test_memory_counts_the_files_it_writes(tmp_path):
    # the home may hold 1 GiB, but the submission as a whole has 400 MiB of memory
    error = grade(tmp_path, FILL, sandbox.Limits(memory=400 * MiB, disk=1024 * MiB))
    if "wrote" in error:
        assert int(error.split("wrote ")[1].split()[0]) < 400, error
    else:
        assert "killed" in error, error


@needs_bwrap
def test_processes_are_bounded_per_submission(tmp_path):
    error = grade(tmp_path, FORK, sandbox.Limits(processes=20))
    assert int(error.split("forked ")[1].split()[0].rstrip("')\"")) < 20, error


SLEEPY = "import time\n\ndef slow(seconds):\n    time.sleep(seconds)\n    return seconds"
WITHIN = '''"""{name} (1 point)."""
from bpkit.checks import invoke, time_limit
with time_limit(1):
    inside = invoke(slow, {inside})
after = invoke(slow, 1.5)  # the block is over: the call limit is the grader's own again
assert not inside.error and inside.value == {inside}, inside.error
assert not after.error and after.value == 1.5, after.error
'''


def test_a_tests_time_limit_ends_a_slow_call_and_passes_a_quick_one(tmp_path):
    # numerical gradients on 04's network of 203,530 parameters would run to the grader's own
    # limit of 60 s a call; the test gives them 10
    path = course_notebook(tmp_path / "demo" / "demo.ipynb", [
        (SLEEPY, "answer", "solution"),
        (WITHIN.format(name="quick", inside=0.05), "test_quick", "test"),
        (WITHIN.format(name="late", inside=4), "test_late", "test")])
    result = runner.grade_notebook(spec.load_notebook_spec(path), nbformat.read(path, 4),
                                   limits=sandbox.Limits(cell_timeout=20))
    verdicts = {t.grade_id: (t.points, t.message) for t in result.tests}
    assert verdicts["test_quick"][0] == 1, verdicts
    assert verdicts["test_late"][0] == 0 and "Timeout" in verdicts["test_late"][1], verdicts
