"""The grader on notebook 01: the reference gets full marks, the blank copy zero, each realistic
mistake loses points on its own exercise with a message naming it, and equivalent answers pass.
Forgeries and faults are in tests/test_hostile_corpus.py.

All submissions are graded in one parallel batch (module fixture), then each case is asserted.
"""
import csv
import json

import pytest

from catalogue_harness import (assert_taught_not_graded, all_messages, assert_feedback_hides, assert_full_marks,
                               assert_loses_points_on_its_exercise, assert_rates, grade_catalogue,
                               messages)
from conftest import NB01, ROOT
from catalogue_nb01 import CORRECT, WRONG, TAUGHT

ALL = ["test_sigmoid", "test_sigmoid_stable", "test_tanh", "test_relu", "test_dense",
       "test_two_layer_forward"]
MAX = {"test_sigmoid": 2, "test_sigmoid_stable": 1, "test_tanh": 1, "test_relu": 1,
       "test_dense": 2, "test_two_layer_forward": 3}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    def unreadable(folder):
        folder.add("broken-json", raw=b'{"cells": [ this is not json')
    return grade_catalogue(tmp_path_factory, NB01, WRONG, CORRECT, cell_timeout=10, taught=TAUGHT,
                           extra=unreadable)


def test_reference_gets_full_marks(graded):
    assert_full_marks(graded, MAX, "reference", total=10)


def test_blank_student_copy_gets_zero_and_says_not_written(graded):
    result = graded[0]["blank"]
    assert result["score"] == 0 and result["max_score"] == 10
    assert "not written yet" in messages(result)["test_sigmoid"]


@pytest.mark.parametrize("name", sorted(WRONG))
def test_wrong_answer_loses_points_on_its_exercise(graded, name):
    assert_loses_points_on_its_exercise(graded, WRONG, MAX, name)


@pytest.mark.parametrize("name,phrase", [
    ("sigmoid_sign_flipped", "sign is flipped"),
    ("relu_mask_inverted", "mask is inverted"),
    ("relu_returns_mask", "booleans"), ("dense_no_bias", "bias b is missing"),
    ("dense_transposed", "transposed"), ("sigmoid_float32", "float32"),
    ("two_layer_sigmoid_on_output", "output layer is linear"),
    ("tanh_argument_not_doubled", "must be 2z"), ("dense_bias_as_column", "broadcasting"),
])
def test_wrong_answer_message_names_the_mistake(graded, name, phrase):
    text = all_messages(graded, f"wrong-{name}")
    assert phrase in text, text


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_correct_answer_written_differently_gets_full_marks(graded, name):
    assert_full_marks(graded, MAX, f"correct-{name}")


def test_unreadable_notebook_scores_zero_with_a_reason(graded):
    result = graded[0]["broken-json"]
    assert result["status"] == "graded" and result["score"] == 0
    assert "not valid notebook JSON" in result["notebooks"][0]["notes"][0]


def test_grades_csv_has_one_row_per_submission(graded):
    by_student, out = graded
    with open(out / "grades.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {"student_id", "assignment", "score", "max_score"} <= set(rows[0])
    assert len(rows) == len(by_student)
    row = next(r for r in rows if r["student_id"] == "reference")
    assert (row["assignment"], row["score"], row["max_score"]) == (NB01[0], "10", "10")


def test_feedback_holds_no_hidden_test_text_or_expected_values(graded):
    by_student, out = graded
    hidden_lines = {line.strip() for line in (ROOT / "solutions" / NB01[0] / f"{NB01[1]}.ipynb")
                    .read_text().split("\\n") if "default_rng" in line or "expit(z)" in line}
    assert_feedback_hides(out, [line.strip('",') for line in hidden_lines])
    wrong = json.loads((out / "submissions" / "wrong-two_layer_relu_hidden" / NB01[0] / "result.json")
                       .read_text())
    assert any("Expected" in t["detail"] for nb in wrong["notebooks"] for t in nb["tests"])


def test_catalogue_catch_rate_and_false_rejection_rate(graded, report_line):
    assert_rates(graded, WRONG, CORRECT, MAX, "notebook 01", report_line,
                 taught=TAUGHT)


@pytest.mark.parametrize("name", sorted(TAUGHT))
def test_mistake_only_the_learners_process_sees_is_named_there_not_graded(graded, name):
    assert_taught_not_graded(graded, TAUGHT, MAX, NB01, name)
