"""The trusted grades reach nbgrader's gradebook, where instructors work: `python -m grader
autograde --gradebook` on an nbgrader course, then nbgrader's own export, late penalties and
feedback show the course grader's scores (a submission that forges stock nbgrader's checks scores
0 there too), and the autograded notebooks hold the public messages, never a hidden test."""
import csv
import json

import nbformat
import pytest

from catalogue_nb01 import WRONG
from conftest import (NB01, ROOT, SubmissionFolder, nbgrader_course, run_module,
                      solution_path)
from grader.autograded import autograded_notebook
from grader.spec import load_notebook_spec

DUE = "2026-11-23 12:00:00 UTC"
# stock nbgrader runs the grade cells in the student's kernel: redefine what they call and every
# check passes (10/10 from stock nbgrader, as the issue found)
FORGED = "def check_array(*args, **kwargs):\n    return None\n\ndef check_no_warnings(*a, **k):\n    return None\n"


def run(course, *args, module="nbgrader"):
    return run_module(course if module == "nbgrader" else ROOT, module, *args)


def stamp(when):
    return lambda path: (path.parent / "timestamp.txt").write_text(when)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    nbgrader_course(root, **{"c.LateSubmissionPlugin.penalty_method": "zero"})
    run(root, "db", "assignment", "add", NB01[0], f"--duedate={DUE}")
    folder = SubmissionFolder(root / "submitted")
    on_time, late = stamp("2026-11-23 10:00:00.000000 UTC"), stamp("2026-11-24 10:00:00 UTC")
    folder.add("alice", setup=on_time)
    folder.add("bob", base="release", setup=on_time)
    folder.add("mallory", {"sigmoid": FORGED}, base="release", setup=on_time)
    folder.add("carol", WRONG["relu_abs"][0], setup=late)
    folder.add("dave", raw=b"not json", setup=on_time)
    run(root, "autograde", str(root / "submitted"), "--out", str(root / "results"),
        "--gradebook", module="grader")
    run(root, "export", "--to", "export.csv")
    return root


def rows(path, key="student_id"):
    with open(path, newline="") as handle:
        return {row[key]: row for row in csv.DictReader(handle)}


def test_nbgrader_export_shows_the_trusted_scores(course):
    ours, theirs = rows(course / "results" / "grades.csv"), rows(course / "export.csv")
    assert set(theirs) == set(ours) == {"alice", "bob", "mallory", "carol", "dave"}
    for student, row in ours.items():
        assert float(theirs[student]["raw_score"]) == float(row["score"]), student
        assert float(theirs[student]["max_score"]) == float(row["max_score"]) == 12.0
    assert float(ours["alice"]["score"]) == 10.0
    assert float(theirs["mallory"]["score"]) == 0.0  # the forged checks earn nothing here
    assert 0.0 < float(ours["carol"]["score"]) < 10.0


def test_lateness_is_nbgraders_own(course):
    theirs = rows(course / "export.csv")
    assert float(theirs["carol"]["late_submission_penalty"]) == float(theirs["carol"]["raw_score"])
    assert float(theirs["carol"]["score"]) == 0.0  # penalty_method "zero", one day late
    assert float(theirs["alice"]["late_submission_penalty"]) == 0.0
    assert theirs["alice"]["timestamp"].startswith("2026-11-23 10:00:00")


def test_each_grade_cell_holds_the_trusted_points(course):
    from nbgrader.api import Gradebook
    result = json.loads((course / "results" / "submissions" / "carol" / NB01[0]
                         / "result.json").read_text())
    wanted = {t["grade_id"]: t["points"] for t in result["notebooks"][0]["tests"]}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grades = {g.name: g for g in gb.find_submission_notebook(NB01[1], NB01[0], "carol").grades}
        written = grades.pop("written_answer")  # carol wrote it: it waits for a person
        assert written.auto_score is None and written.needs_manual_grade
        assert {name: g.auto_score for name, g in grades.items()} == wanted
        assert not any(g.needs_manual_grade for g in grades.values())


def test_autograded_notebooks_and_feedback_show_messages_never_hidden_tests(course):
    spec = load_notebook_spec(solution_path(*NB01))
    hidden = [line.strip() for t in spec.tests.values() for line in t.hidden.splitlines()
              if len(line.strip()) > 30 and line.strip() not in t.visible_source]
    assert hidden
    # nbgrader's generate_feedback, one process per assignment (python -m grader generate-feedback)
    done = run(course, "generate-feedback", "--course", str(course), module="grader")
    assert "wrote 5 feedback page(s)" in done.stdout, done.stdout
    for student in ("alice", "bob", "mallory", "carol", "dave"):
        graded = (course / "autograded" / student / NB01[0] / f"{NB01[1]}.ipynb").read_text()
        page = (course / "feedback" / student / NB01[0] / f"{NB01[1]}.html").read_text()
        for line in hidden:
            assert line not in graded and line not in page, (student, line)
    page = (course / "feedback" / "bob" / NB01[0] / f"{NB01[1]}.html").read_text()
    assert "sigmoid is not written yet" in page
    carol = nbformat.read(course / "autograded" / "carol" / NB01[0] / f"{NB01[1]}.ipynb", 4)
    relu = [c for c in carol.cells if c.metadata.get("nbgrader", {}).get("grade_id")
            == "test_relu"][0]
    assert relu.outputs[0].output_type == "error" and "0 / 1 points" in relu.outputs[0].evalue
    assert (course / "autograded" / "carol" / NB01[0] / "timestamp.txt").is_file()


def test_autograded_notebook_keeps_the_students_cells_and_restores_the_graded_ones():
    released = nbformat.read(ROOT / "notebooks" / NB01[0] / f"{NB01[1]}.ipynb", 4)
    student = json.loads(json.dumps(released))
    ids = [c["metadata"].get("nbgrader", {}).get("grade_id") for c in student["cells"]]
    grade_cell = ids.index("test_relu")
    student["cells"][grade_cell]["source"] = "print('all good')"  # a rewritten grade cell
    student["cells"].insert(3, nbformat.v4.new_code_cell("my_note = 1"))
    del student["cells"][ids.index("test_dense") + 1]  # a deleted grade cell
    tests = [{"grade_id": g, "points": 0.0, "max_points": 1.0, "passed": False,
              "message": f"{g} failed"} for g in ("test_relu", "test_dense")]
    merged = autograded_notebook(released, student, {"tests": tests})
    sources = [c.source for c in merged.cells]
    assert "my_note = 1" in sources and "print('all good')" not in sources
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in merged.cells}
    assert by_id["test_relu"].source == released.cells[grade_cell].source
    assert by_id["test_dense"].outputs[0].evalue == "test_dense failed (0 / 1 points)"
    assert len(merged.cells) == len(released.cells) + 1
    nbformat.validate(merged)


def test_generate_feedback_names_what_is_missing_in_one_line(course, tmp_path, capsys):
    from grader.__main__ import main
    assert main(["generate-feedback", "--course", str(course), "--assignment", "09_nope"]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "09_nope" in line and NB01[0] in line and "Traceback" not in line
    assert main(["generate-feedback", "--course", str(tmp_path)]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "no gradebook.db" in line
