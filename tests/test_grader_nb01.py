"""The grader on notebook 01: the reference gets full marks, the blank copy zero, each realistic
mistake loses points on its own exercise with a message naming it, and equivalent answers pass.
Forgeries and faults are in tests/test_hostile_corpus.py.

All submissions are graded in one parallel batch (module fixture), then each case is asserted.
"""
import csv
import json
from pathlib import Path

import pytest

from conftest import NB01, ROOT, SubmissionFolder
from catalogue_nb01 import CORRECT, WRONG, fn
from grader import batch, sandbox

ALL = ["test_sigmoid", "test_sigmoid_stable", "test_tanh", "test_relu", "test_dense",
       "test_two_layer_forward"]
MAX = {"test_sigmoid": 2, "test_sigmoid_stable": 1, "test_tanh": 1, "test_relu": 1,
       "test_dense": 2, "test_two_layer_forward": 3}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = SubmissionFolder(tmp_path_factory.mktemp("nb01") / "submitted")
    folder.add("reference")
    folder.add("blank", base="release")
    for name, (answers, _, _) in WRONG.items():
        folder.add(f"wrong-{name}", answers)
    for name, answers in CORRECT.items():
        folder.add(f"correct-{name}", answers)
    folder.add("broken-json", raw=b'{"cells": [ this is not json')
    out = folder.root.parent / "results"
    limits = sandbox.Limits(cell_timeout=10)
    results, skipped = batch.autograde(folder.root, out, ROOT / "solutions", workers=2,
                                       limits=limits)
    by_student = {r["student_id"]: r for r in results}
    return by_student, out


def points(result):
    return {t["grade_id"]: t["points"] for nb in result["notebooks"] for t in nb["tests"]}


def messages(result):
    return {t["grade_id"]: t["message"] for nb in result["notebooks"] for t in nb["tests"]}


def test_reference_gets_full_marks(graded):
    result = graded[0]["reference"]
    assert result["status"] == "graded"
    assert points(result) == MAX
    assert result["score"] == result["max_score"] == 10


def test_blank_student_copy_gets_zero_and_says_not_written(graded):
    result = graded[0]["blank"]
    assert result["score"] == 0 and result["max_score"] == 10
    assert "not written yet" in messages(result)["test_sigmoid"]


@pytest.mark.parametrize("name", sorted(WRONG))
def test_wrong_answer_loses_points_on_its_exercise(graded, name):
    _, must_fail, must_pass = WRONG[name]
    got = points(graded[0][f"wrong-{name}"])
    for grade_id in must_fail:
        assert got[grade_id] == 0, f"{name}: {grade_id} should fail"
    for grade_id in must_pass:
        assert got[grade_id] == MAX[grade_id], f"{name}: {grade_id} should pass"


@pytest.mark.parametrize("name,phrase", [
    ("sigmoid_sign_flipped", "sign is flipped"), ("sigmoid_textbook_overflows", "overflow"),
    ("relu_mask_inverted", "mask is inverted"), ("relu_modifies_input", "in place"),
    ("relu_returns_mask", "booleans"), ("dense_no_bias", "bias b is missing"),
    ("dense_transposed", "transposed"), ("sigmoid_float32", "float32"),
    ("two_layer_sigmoid_on_output", "output layer is linear"),
    ("tanh_argument_not_doubled", "must be 2z"), ("dense_bias_as_column", "broadcasting"),
])
def test_wrong_answer_message_names_the_mistake(graded, name, phrase):
    text = " ".join(messages(graded[0][f"wrong-{name}"]).values())
    assert phrase in text


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_correct_answer_written_differently_gets_full_marks(graded, name):
    assert points(graded[0][f"correct-{name}"]) == MAX


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
    assert hidden_lines
    for path in Path(out).glob("submissions/*/*/feedback.html"):
        text = path.read_text()
        assert "BEGIN HIDDEN" not in text and "Expected" not in text
        for line in hidden_lines:
            assert line.strip('",') not in text
    wrong = json.loads((out / "submissions" / "wrong-two_layer_relu_hidden" / NB01[0] / "result.json")
                       .read_text())
    assert any("Expected" in t["detail"] for nb in wrong["notebooks"] for t in nb["tests"])


def test_catalogue_catch_rate_and_false_rejection_rate(graded, report_line):
    caught = [name for name, (_, must_fail, _) in WRONG.items()
              if all(points(graded[0][f"wrong-{name}"])[g] == 0 for g in must_fail)]
    rejected = [name for name in CORRECT if points(graded[0][f"correct-{name}"]) != MAX]
    report_line(f"notebook 01 catalogue: caught {len(caught)}/{len(WRONG)} wrong answers "
                f"({len(caught) / len(WRONG):.0%}); rejected {len(rejected)}/{len(CORRECT)} "
                f"correct variants ({len(rejected) / len(CORRECT):.0%})")
    assert len(WRONG) >= 25 and len(CORRECT) >= 10
    assert len(caught) == len(WRONG), sorted(set(WRONG) - set(caught))
    assert rejected == []
