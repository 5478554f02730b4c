"""What the grader runs of a notebook: every cell up to the last grade cell, and nothing after it
(each test runs on the snapshot taken at its own cell, so a later cell cannot change a grade)."""
import nbformat

from conftest import course_notebook
from grader import runner, sandbox, spec


def graded(tmp_path, between, after):
    """Grade a two-test notebook with a student cell between the tests and cells after both."""
    path = course_notebook(tmp_path / "demo" / "demo.ipynb", [
        ("x = 1", "answer", "solution"), ('"""first (1 point)."""', "test_a", "test"),
        ('"""second (1 point)."""', "test_b", "test")])
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell(between))
    nb.cells += [nbformat.v4.new_code_cell(source) for source in after]
    notebook_spec = spec.load_notebook_spec(path)
    steps, _ = runner.plan_cells(notebook_spec, nb)
    result = runner.grade_notebook(notebook_spec, nb,
                                   limits=sandbox.Limits(cell_timeout=2, notebook_timeout=20))
    return steps, result


def test_a_cell_between_grade_cells_runs_and_one_after_the_last_does_not(tmp_path):
    steps, result = graded(tmp_path, "raise RuntimeError('between the tests')",
                           ["raise RuntimeError('after the last test')", "while True:\n    pass",
                            "import os\nos._exit(3)"])
    assert isinstance(steps[-1], runner.TestStep) and steps[-1].grade_id == "test_b"
    errors = " ".join(e["error"] for e in result.cell_errors)
    assert "between the tests" in errors  # the cell before the last test ran
    assert "after the last test" not in errors and "Timeout" not in errors, errors
    assert "exited" not in errors and result.score == 2.0, (errors, result.tests)


def test_a_plan_without_a_grade_cell_is_kept_whole():
    steps = [runner.CodeStep("a = 1", "one"), runner.CodeStep("b = 2", "two")]
    assert runner.without_tail(steps) == steps
    tail = [runner.CodeStep("c = 3", "three")]
    assert runner.without_tail(steps + [runner.TestStep("t")] + tail) == \
        steps + [runner.TestStep("t")]
