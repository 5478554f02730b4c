"""Every notebook's catalogue of answers, graded: the reference gets full marks and the blank
student copy zero ("not written yet" on every exercise); each realistic mistake loses points on
its own exercise, many with a message naming it; answers written differently keep full marks;
mistakes only the learner's process can see are named by the notebook and cost nothing in the
grader; no feedback page holds a hidden test. The run prints each catalogue's rates.

Notebooks are found in solutions/; each has its tests/catalogue_nbNN.py (see catalogue_harness
for what it holds). One parallel batch per notebook grades all its submissions, the first time a
test asks for that notebook (`batches`), then each case is asserted.
"""
import csv
import importlib
import json

import pytest

from catalogue_harness import (all_messages, assert_feedback_hides, assert_full_marks,
                               assert_loses_points_on_its_exercise, assert_rates,
                               assert_taught_not_graded, grade_catalogue, hidden_test_lines,
                               max_points, messages, visible_check_message)
from conftest import SOLUTIONS, solution_path
from grader.spec import load_notebook_spec

NOTEBOOKS = sorted(p.parent.name for p in SOLUTIONS.glob("*/*.ipynb"))
CATALOGUES = {nb: importlib.import_module(f"catalogue_nb{nb[:2]}") for nb in NOTEBOOKS}
CELL_TIMEOUT = 30  # per call: generous, as a batch runs on a machine loaded by other tests


def cases(attribute):
    return [(nb, name) for nb, catalogue in CATALOGUES.items()
            for name in sorted(getattr(catalogue, attribute, {}))]


def pytest_generate_tests(metafunc):
    if "name" in metafunc.fixturenames:
        kind = metafunc.function.__name__.split("_")[1]  # test_wrong_..., test_named_..., ...
        attribute = {"wrong": "WRONG", "named": "NAMED", "correct": "CORRECT",
                     "taught": "TAUGHT", "caught": "NAMED_IN_NOTEBOOK"}[kind]
        metafunc.parametrize("notebook,name", cases(attribute),
                             ids=[f"{nb[:2]}-{name}" for nb, name in cases(attribute)])
    elif "notebook" in metafunc.fixturenames:
        metafunc.parametrize("notebook", NOTEBOOKS, ids=[n[:2] for n in NOTEBOOKS])


class Batches(dict):
    """{notebook: (results by student, results folder)}, each graded when first asked for."""

    def __init__(self, tmp_path_factory):
        super().__init__()
        self.tmp_path_factory = tmp_path_factory

    def __missing__(self, notebook):
        catalogue = CATALOGUES[notebook]

        def unreadable(folder):
            folder.add("broken-json", raw=b'{"cells": [ this is not json',
                       assignment=catalogue.ASSIGNMENT[0], name=catalogue.ASSIGNMENT[1])
        self[notebook] = grade_catalogue(self.tmp_path_factory, catalogue.ASSIGNMENT,
                                         catalogue.WRONG, catalogue.CORRECT,
                                         cell_timeout=CELL_TIMEOUT, extra=unreadable,
                                         taught=catalogue.TAUGHT)
        return self[notebook]


@pytest.fixture(scope="session")
def batches(tmp_path_factory):
    return Batches(tmp_path_factory)


@pytest.fixture
def graded(batches, notebook):
    return batches[notebook]


def spec_of(notebook):
    return load_notebook_spec(solution_path(*CATALOGUES[notebook].ASSIGNMENT))


def test_catalogue_has_the_notebooks_grade_ids_and_enough_cases(notebook):
    catalogue = CATALOGUES[notebook]
    ids = set(max_points(catalogue.ASSIGNMENT))
    for name, (_, must_fail, must_pass) in catalogue.WRONG.items():
        assert set(must_fail) | set(must_pass) <= ids and must_fail, name
    assert set(catalogue.NAMED) <= set(catalogue.WRONG)
    assert len(catalogue.WRONG) >= 25 and len(catalogue.CORRECT) >= 10


def test_reference_gets_full_marks(graded, notebook):
    points = max_points(CATALOGUES[notebook].ASSIGNMENT)
    assert_full_marks(graded, points, "reference", total=sum(points.values()))


def test_blank_student_copy_gets_zero_and_says_not_written(graded, notebook):
    result = graded[0]["blank"]
    assert result["score"] == 0
    assert result["max_score"] == spec_of(notebook).max_score  # hand-graded points included
    for grade_id, message in messages(result).items():
        assert "not written yet" in message, (grade_id, message)


def test_wrong_answer_loses_points_on_its_exercise(graded, notebook, name):
    catalogue = CATALOGUES[notebook]
    assert_loses_points_on_its_exercise(graded, catalogue.WRONG,
                                        max_points(catalogue.ASSIGNMENT), name)


def test_named_mistake_is_named_in_the_message(graded, notebook, name):
    phrase = CATALOGUES[notebook].NAMED[name]
    if isinstance(phrase, tuple):
        grade_id, phrase = phrase
        text = messages(graded[0][f"wrong-{name}"])[grade_id]
    else:
        text = all_messages(graded, f"wrong-{name}")
    assert phrase in text, text


def test_caught_mistake_is_named_by_the_notebooks_own_check(notebook, name):
    catalogue = CATALOGUES[notebook]
    grade_id, phrase = catalogue.NAMED_IN_NOTEBOOK[name]
    assert phrase in visible_check_message(catalogue.ASSIGNMENT, catalogue.WRONG[name][0],
                                           grade_id)


def test_correct_answer_written_differently_gets_full_marks(graded, notebook, name):
    assert_full_marks(graded, max_points(CATALOGUES[notebook].ASSIGNMENT), f"correct-{name}")


def test_taught_mistake_is_named_in_the_notebook_and_costs_nothing(graded, notebook, name):
    catalogue = CATALOGUES[notebook]
    assert_taught_not_graded(graded, catalogue.TAUGHT, max_points(catalogue.ASSIGNMENT),
                             catalogue.ASSIGNMENT, name)


def test_unreadable_notebook_scores_zero_with_a_reason(graded, notebook):
    result = graded[0]["broken-json"]
    assert result["status"] == "graded" and result["score"] == 0
    assert "not valid notebook JSON" in result["notebooks"][0]["notes"][0]


def test_grades_csv_has_one_row_per_submission(graded, notebook):
    by_student, out = graded
    with open(out / "grades.csv", newline="") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert set(rows) == set(by_student)
    total = sum(max_points(CATALOGUES[notebook].ASSIGNMENT).values())
    assert (rows["reference"]["assignment"], float(rows["reference"]["score"]),
            float(rows["reference"]["max_score"])) == (notebook, total, spec_of(notebook).max_score)


def test_feedback_holds_no_hidden_test_and_the_detail_stays_with_the_instructor(graded, notebook):
    by_student, out = graded
    assignment = CATALOGUES[notebook].ASSIGNMENT
    lines = hidden_test_lines(assignment, 25)
    assert len(lines) >= 3
    assert_feedback_hides(out, lines)
    details = [t["detail"] for name in by_student if name.startswith("wrong-")
               for nb in json.loads((out / "submissions" / name / assignment[0] / "result.json")
                                    .read_text())["notebooks"] for t in nb["tests"]]
    assert any("Expected" in detail for detail in details)


def test_catalogue_catch_rate_and_false_rejection_rate(graded, notebook, report_line):
    catalogue = CATALOGUES[notebook]
    assert_rates(graded, catalogue.WRONG, catalogue.CORRECT, max_points(catalogue.ASSIGNMENT),
                 f"notebook {notebook[:2]}", report_line, taught=catalogue.TAUGHT)
