"""The grader on notebook 02: the reference gets full marks, the blank copy zero, each realistic
mistake loses points on its own exercise with a message naming it, and equivalent answers pass.

All submissions are graded in one parallel batch (module fixture), then each case is asserted.
"""
import json

import pytest

from catalogue_harness import (assert_taught_not_graded, all_messages, assert_feedback_hides, assert_full_marks,
                               assert_loses_points_on_its_exercise, assert_rates, grade_catalogue,
                               messages)
from conftest import ROOT
from catalogue_nb02 import ALL, CORRECT, WRONG, TAUGHT

NB02 = ("02_loss_functions", "02_loss_functions")
MAX = {"test_mse_loss": 2, "test_binary_cross_entropy": 2, "test_softmax": 2,
       "test_softmax_stable": 1, "test_cross_entropy": 2, "test_cross_entropy_stable": 1}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    return grade_catalogue(tmp_path_factory, NB02, WRONG, CORRECT, taught=TAUGHT, cell_timeout=10)


def test_max_points_match_the_catalogue():
    assert sorted(MAX) == sorted(ALL) and sum(MAX.values()) == 10


def test_reference_gets_full_marks(graded):
    assert_full_marks(graded, MAX, "reference", total=10)


def test_blank_student_copy_gets_zero_and_says_not_written(graded):
    result = graded[0]["blank"]
    assert result["score"] == 0 and result["max_score"] == 10
    for grade_id in ALL:
        assert "not written yet" in messages(result)[grade_id], grade_id


@pytest.mark.parametrize("name", sorted(WRONG))
def test_wrong_answer_loses_points_on_its_exercise(graded, name):
    assert_loses_points_on_its_exercise(graded, WRONG, MAX, name)


# Every mistake the course's issue lists, and the words its message must contain.
@pytest.mark.parametrize("name,phrase", [
    ("softmax_no_max_shift", "without the max shift"),
    ("softmax_axis_0", "wrong axis (axis 0"),
    ("ce_log_of_softmax", "log(softmax) instead of log-sum-exp"),
    ("ce_logsumexp_without_shift", "log-sum-exp"),
    ("ce_log_of_naive_softmax", "log-sum-exp"),
    ("ce_summed", "summed instead of averaged over the batch"),
    ("ce_rows_indexed", "logits[y]"),
    ("mse_summed", "MSE summed instead of averaged"),
    ("mse_half_factor", "1/2 factor"),
    ("bce_log_of_zero", "log of 0"),
    ("bce_where_unclipped", "log of 0"),
    ("bce_y_and_p_swapped_in_formula", "y and p swapped"),
    ("bce_y_and_p_swapped_arguments", "y and p swapped"),
    ("bce_sign_flipped", "sign is flipped"),
    ("bce_eps_too_large", "cost about 0"),
    ("softmax_global_max_shift", "max shift"),
    ("softmax_sum_over_everything", "whole batch"),
    ("softmax_float32", "float32"),
    ("softmax_axis_1", "AxisError"),
    ("ce_sign_flipped", "sign is flipped"),
    ("ce_labels_ignored", "labels y are not used"),
    ("ce_softmax_axis_0", "wrong axis"),
    ("mse_rows_only", "rows only"),
    ("mse_per_entry", "shape"),
])
def test_wrong_answer_message_names_the_mistake(graded, name, phrase):
    text = all_messages(graded, f"wrong-{name}")
    assert phrase in text, text


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_correct_answer_written_differently_gets_full_marks(graded, name):
    assert_full_marks(graded, MAX, f"correct-{name}")


def test_feedback_holds_no_hidden_test_text(graded):
    _, out = graded
    source = (ROOT / "solutions" / NB02[0] / f"{NB02[1]}.ipynb").read_text()
    hidden_lines = {line.strip() for line in source.split("\\n")
                    if "default_rng" in line or "scipy_softmax(z, axis=-1)" in line}
    assert_feedback_hides(out, [line.strip('",') for line in hidden_lines],
                          expected_values=False)
    wrong = json.loads((out / "submissions" / "wrong-ce_rows_indexed" / NB02[0] / "result.json")
                       .read_text())
    assert any("Expected" in t["detail"] or "common mistake" in t["message"]
               for nb in wrong["notebooks"] for t in nb["tests"])


def test_catalogue_catch_rate_and_false_rejection_rate(graded, report_line):
    assert_rates(graded, WRONG, CORRECT, MAX, "notebook 02", report_line,
                 taught=TAUGHT)


@pytest.mark.parametrize("name", sorted(TAUGHT))
def test_mistake_only_the_learners_process_sees_is_named_there_not_graded(graded, name):
    assert_taught_not_graded(graded, TAUGHT, MAX, NB02, name)
