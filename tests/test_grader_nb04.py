"""The grader on notebook 04 (the backward pass): the reference gets full marks, the blank copy
zero, each realistic mistake loses points on its own exercise with a message naming it, and
equivalent answers (other formulas, caches as dicts, objects or closures) pass.

All submissions are graded in one parallel batch (module fixture), then each case is asserted.
"""
import pytest

from catalogue_harness import (assert_taught_not_graded, all_messages, assert_full_marks, assert_loses_points_on_its_exercise,
                               assert_rates, grade_catalogue, messages)
from catalogue_nb04 import ALL, CORRECT, WRONG, TAUGHT

NB04 = ("04_backward_pass", "04_backward_pass")
MAX = {"test_dense_forward": 1, "test_dense_backward": 2, "test_relu": 1, "test_sigmoid": 1,
       "test_tanh": 1, "test_mse_loss_grad": 1, "test_softmax_cross_entropy": 1,
       "test_softmax_cross_entropy_stable": 1, "test_two_layer_loss": 3}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    return grade_catalogue(tmp_path_factory, NB04, WRONG, CORRECT, taught=TAUGHT, cell_timeout=20)


def test_grade_ids_match_the_notebook():
    assert sorted(MAX) == sorted(ALL)


def test_reference_gets_full_marks(graded):
    assert_full_marks(graded, MAX, "reference", total=12)


def test_blank_student_copy_gets_zero_and_says_not_written(graded):
    result = graded[0]["blank"]
    assert result["score"] == 0 and result["max_score"] == 12
    for grade_id, message in messages(result).items():
        assert "not written yet" in message, (grade_id, message)


@pytest.mark.parametrize("name", sorted(WRONG))
def test_wrong_answer_loses_points_on_its_exercise(graded, name):
    assert_loses_points_on_its_exercise(graded, WRONG, MAX, name)


@pytest.mark.parametrize("name,phrase", [
    ("dense_forward_no_cache", "expected a tuple (out, cache)"),
    ("dense_forward_no_bias", "bias b is missing"),
    ("dW_missing_transpose", "transpose missing"), ("dx_missing_transpose", "transpose missing"),
    ("db_averaged", "averaged instead of summed over the batch"),
    ("db_one_row", "one row of dout"), ("db_keepdims", "keepdims"),
    ("dW_averaged", "dW is averaged over the batch"),
    ("relu_mask_from_dout", "mask is taken from dout"), ("relu_mask_missing", "mask is missing"),
    ("sigmoid_derivative_of_input", "pre-activation x, x*(1-x)"),
    ("tanh_derivative_of_input", "pre-activation x, 1-x**2"),
    ("sigmoid_backward_no_dout", "dout is missing"), ("sigmoid_applied_twice", "applied twice"),
    ("mse_gradient_not_averaged", "averaged but the gradient is not"),
    ("mse_loss_summed", "loss is summed"), ("mse_gradient_over_batch_only", "batch size N only"),
    ("mse_missing_factor_two", "factor 2"),
    ("ce_rows_instead_of_entries", "whole rows"), ("ce_no_max_shift", "max shift"),
    ("ce_global_max_shift", "max shift"),
    ("ce_log_of_softmax", "log(softmax) instead of log-sum-exp"),
    ("ce_gradient_not_averaged", "dlogits is not divided by N"),
    ("ce_loss_summed", "loss is summed over the batch"),
    ("ce_forgot_minus_one", "subtract 1"),
    ("two_layer_keys_renamed", "keyed wrong"), ("two_layer_missing_b2", "missing 'b2'"),
    ("two_layer_W_swapped", "keyed wrong"), ("two_layer_grads_as_tuple", "expected a dict"),
    ("two_layer_no_relu_backward", "ReLU's backward pass is missing"),
    ("two_layer_by_central_differences", "a numerical gradient (two forward passes per parameter)"),
])
def test_wrong_answer_message_names_the_mistake(graded, name, phrase):
    text = all_messages(graded, f"wrong-{name}")
    assert phrase in text, text


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_correct_answer_written_differently_gets_full_marks(graded, name):
    assert_full_marks(graded, MAX, f"correct-{name}")


def test_catalogue_catch_rate_and_false_rejection_rate(graded, report_line):
    assert_rates(graded, WRONG, CORRECT, MAX, "notebook 04", report_line,
                 taught=TAUGHT)


@pytest.mark.parametrize("name", sorted(TAUGHT))
def test_mistake_only_the_learners_process_sees_is_named_there_not_graded(graded, name):
    assert_taught_not_graded(graded, TAUGHT, MAX, NB04, name)
