"""Written answers graded by hand (nbgrader's manually graded answer cells): they count in the
maximum, show as "needs manual grading" in grades.csv and the feedback, wait in the gradebook for
the formgrader, and the total after a person grades them is what `nbgrader export` gives. An
unchanged stub scores 0 without waiting, as in nbgrader, and regrading never resets a hand grade.
"""
import csv

import nbformat
import pytest

from conftest import nbgrader_course, run_module
from grader import batch, gradebook, sandbox
from grader.spec import load_notebook_spec

def meta(grade_id, solution=False, grade=False, points=0):
    return {"nbgrader": {"grade_id": grade_id, "solution": solution, "grade": grade,
                         "locked": not solution, "points": points, "schema_version": 3}}


def tiny_course(root):
    """solutions/hw/hw.ipynb: one function, its test (2 points), one written answer (3)."""
    cells = [nbformat.v4.new_code_cell("import numpy as np", metadata=meta("setup")),
             nbformat.v4.new_code_cell("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n"
                                       "    ### END SOLUTION", metadata=meta("double", True)),
             nbformat.v4.new_code_cell('"""double: 2x (2 points)."""\nassert double(2) == 4',
                                       metadata=meta("test_double", grade=True, points=2)),
             nbformat.v4.new_markdown_cell("**Question.** Why does `dW` have the shape of `W`?",
                                           metadata=meta("q_intro")),
             nbformat.v4.new_markdown_cell("Because the loss is a number: one slope per weight.",
                                           metadata=meta("q_shape", True, True, 3))]
    (root / "solutions" / "hw").mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(cells=cells), root / "solutions" / "hw" / "hw.ipynb")
    nbgrader_course(root, course_id="tiny")
    run(root, "generate_assignment", "hw", "--no-db")


def run(root, *args):
    return run_module(root, "nbgrader", *args, "--log-level=ERROR")


def submit(root, student, written):
    nb = nbformat.read(root / "notebooks" / "hw" / "hw.ipynb", 4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id == "double":
            cell.source = "def double(x):\n    return x + x"
        elif grade_id == "q_shape" and written:
            cell.source = written
    folder = root / "submitted" / student / "hw"
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / "hw.ipynb")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny")
    tiny_course(root)
    submit(root, "alice", "The loss is a scalar, so it has one partial derivative per weight.")
    submit(root, "bob", None)  # the stub left as it is
    results, _ = batch.autograde(root / "submitted", root / "results", root / "solutions",
                                 workers=1, limits=sandbox.Limits(cell_timeout=20))
    return root, {r["student_id"]: r for r in results}


def test_the_written_answer_counts_in_the_maximum_and_waits_for_a_person(graded):
    root, results = graded
    spec = load_notebook_spec(root / "solutions" / "hw" / "hw.ipynb")
    assert spec.auto_score == 2 and spec.max_score == 5
    alice, bob = results["alice"], results["bob"]
    assert (alice["score"], alice["max_score"]) == (2.0, 5.0) == (bob["score"], bob["max_score"])
    assert alice["notebooks"][0]["manual"][0]["answered"] is True
    assert bob["notebooks"][0]["manual"][0]["answered"] is False
    with open(root / "results" / "grades.csv", newline="") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert "needs manual grading: 3 points" in rows["alice"]["notes"]
    assert "q_shape=needs manual grading/3" in rows["alice"]["exercises"]
    assert "needs manual grading" not in rows["bob"]["notes"] and "q_shape=0/3" in \
        rows["bob"]["exercises"]
    page = (root / "results" / "submissions" / "alice" / "hw" / "feedback.html").read_text()
    assert "graded by your instructor" in page and "Why does" in page


def test_the_gradebook_total_after_hand_grading_is_what_nbgrader_export_gives(graded):
    root, results = graded
    gradebook.record(root, list(results.values()), root / "submitted", root / "solutions")
    with gradebook.opened(root) as gb:
        alice = gb.find_grade("q_shape", "hw", "hw", "alice")
        bob = gb.find_grade("q_shape", "hw", "hw", "bob")
        assert alice.needs_manual_grade and alice.auto_score is None
        assert not bob.needs_manual_grade and bob.auto_score == 0
        alice.manual_score = 2.5  # what the formgrader does when the instructor grades it
        alice.needs_manual_grade = False
        gb.db.commit()
    gradebook.record(root, list(results.values()), root / "submitted", root / "solutions")
    run(root, "export", "--to", "export.csv")
    with open(root / "export.csv", newline="") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert float(rows["alice"]["score"]) == 4.5  # 2 autograded + 2.5 by hand, kept on regrade
    assert float(rows["bob"]["score"]) == 2.0 and float(rows["bob"]["max_score"]) == 5.0
    graded_nb = nbformat.read(root / "autograded" / "alice" / "hw" / "hw.ipynb", 4)
    assert any("partial derivative per weight" in c.source for c in graded_nb.cells)


def test_the_feedback_page_shows_the_hand_grade_and_comment_once_given(graded, tmp_path):
    root, results = graded
    # alice's answer as a student could write it: markup that must stay text on her page
    results = {k: dict(v) for k, v in results.items()}
    folder = root / "submitted" / "alice" / "hw"
    nb = nbformat.read(folder / "hw.ipynb", 4)
    answer = next(c for c in nb.cells
                  if c.metadata.get("nbgrader", {}).get("grade_id") == "q_shape")
    kept, answer.source = answer.source, "<script>alert(1)</script> one slope per weight"
    nbformat.write(nb, folder / "hw.ipynb")
    try:
        gradebook.record(root, list(results.values()), root / "submitted", root / "solutions")
        with gradebook.opened(root) as gb:  # not graded by hand yet (whatever ran before)
            grade = gb.find_grade("q_shape", "hw", "hw", "alice")
            grade.manual_score, grade.needs_manual_grade = None, True
            gb.db.commit()
        gradebook.record(root, list(results.values()), root / "submitted", root / "solutions")
        page = (root / "feedback" / "alice" / "hw" / "hw.html").read_text()
        assert "needs manual grading" in page and "? / 3.0" in page
        assert "<script>alert" not in page and "&lt;script&gt;alert(1)" in page
        assert "<strong>Question.</strong>" in page  # the course's own markdown, rendered
        assert "double: 2x" in page and "2.0 / 2.0" in page  # each exercise by its name
        with gradebook.opened(root) as gb:
            grade = gb.find_grade("q_shape", "hw", "hw", "alice")
            grade.manual_score, grade.needs_manual_grade = 1.5, False
            gb.find_comment("q_shape", "hw", "hw", "alice").manual_comment = "Say why: a scalar."
            gb.db.commit()
        assert gradebook.generate_feedback(root, source_dir=root / "solutions") == {"hw": 2}
        page = (root / "feedback" / "alice" / "hw" / "hw.html").read_text()
        assert "1.5 / 3.0" in page and "Say why: a scalar." in page
        assert "needs manual grading" not in page
        assert (root / "feedback" / "alice" / "hw" / "timestamp.txt").is_file() or not (
            root / "autograded" / "alice" / "hw" / "timestamp.txt").is_file()
    finally:
        answer.source = kept
        nbformat.write(nb, folder / "hw.ipynb")


def test_a_submission_that_cannot_be_written_is_named_and_the_others_are_written(graded):
    """The gradebook fills as the class is graded: a failure to write one submission's files
    (here its autograded/ folder is taken by a file) is a note, not the end of the batch."""
    import shutil
    root, results = graded
    blocked = root / "autograded" / "bob" / "hw"
    shutil.rmtree(blocked, ignore_errors=True)
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_text("not a folder")
    page = root / "feedback" / "alice" / "hw" / "hw.html"
    page.unlink(missing_ok=True)
    try:
        notes = gradebook.record(root, list(results.values()), root / "submitted",
                                 root / "solutions")
        assert len(notes) == 1 and notes[0].startswith("bob/hw: not written to the gradebook")
        assert "run the same command again" in notes[0] and page.is_file()
    finally:
        blocked.unlink()
    assert gradebook.record(root, list(results.values()), root / "submitted",
                            root / "solutions") == []
    assert (root / "feedback" / "bob" / "hw" / "hw.html").is_file()
