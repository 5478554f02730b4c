"""The course still works with stock nbgrader, for instructors who run it on JupyterHub:
generate_assignment, autograde, generate_feedback and export on a copy of the course."""
import csv
import shutil

import nbformat
import pytest

from conftest import NB01, SOLUTIONS, nbgrader_course, replace_answers, run_module

def nbgrader(course, *args):
    return run_module(course, "nbgrader", *args)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("stock-course")
    nbgrader_course(root)
    shutil.copytree(SOLUTIONS, root / "solutions")
    nbgrader(root, "generate_assignment", NB01[0])
    return root


def submit(course, student, answers_from_solution):
    released = nbformat.read(course / "notebooks" / NB01[0] / f"{NB01[1]}.ipynb", as_version=4)
    if answers_from_solution:
        source = nbformat.read(SOLUTIONS / NB01[0] / f"{NB01[1]}.ipynb", as_version=4)
        replace_answers(released, {c.metadata["nbgrader"]["grade_id"]: c.source
                                   for c in source.cells
                                   if c.metadata.get("nbgrader", {}).get("solution")})
    folder = course / "submitted" / student / NB01[0]
    folder.mkdir(parents=True)
    nbformat.write(released, folder / f"{NB01[1]}.ipynb")
    (folder / "timestamp.txt").write_text("2026-11-23 10:00:00.000000 UTC")


def test_stock_nbgrader_grades_the_course(course):
    submit(course, "alice", answers_from_solution=True)
    submit(course, "bob", answers_from_solution=False)
    nbgrader(course, "autograde", NB01[0], "--create")
    nbgrader(course, "generate_feedback", NB01[0])
    nbgrader(course, "export", "--to", "grades.csv")
    with open(course / "grades.csv", newline="") as handle:
        scores = {r["student_id"]: (float(r["raw_score"]), float(r["max_score"]))
                  for r in csv.DictReader(handle)}
    assert scores == {"alice": (10.0, 12.0), "bob": (0.0, 12.0)}  # 2 points graded by hand
    assert (course / "feedback" / "alice" / NB01[0] / f"{NB01[1]}.html").is_file()
