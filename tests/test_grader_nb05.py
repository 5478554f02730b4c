"""The grader on notebook 05: the reference gets full marks, the blank copy zero, each realistic
mistake loses points on its own exercise with a message naming it, and equivalent answers pass.

All submissions are graded in one parallel batch (module fixture), then each case is asserted.
The generator iterate_minibatches is graded through minibatch_list, which returns plain data.
"""
import json

import pytest

from catalogue_harness import (assert_taught_not_graded, assert_feedback_hides, assert_full_marks,
                               assert_loses_points_on_its_exercise, assert_rates, grade_catalogue,
                               hidden_test_lines, messages)
from catalogue_nb05 import ALL, CORRECT, WRONG, TAUGHT

NB05 = ("05_gradient_descent", "05_gradient_descent")
MAX = {"test_sgd": 2, "test_sgd_default": 1, "test_minibatches_cover": 2,
       "test_minibatches_shuffle": 1, "test_train": 3, "test_train_contract": 1}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    # the notebook imports scikit-learn (the moons) and trains small networks: a loaded machine
    # needs more than nb01's 10 s for such a cell, and no entry here loops forever
    return grade_catalogue(tmp_path_factory, NB05, WRONG, CORRECT, taught=TAUGHT, cell_timeout=30)


def test_reference_gets_full_marks(graded):
    assert_full_marks(graded, MAX, "reference", total=10)


def test_blank_student_copy_gets_zero_and_says_not_written(graded):
    result = graded[0]["blank"]
    assert result["score"] == 0 and result["max_score"] == 10
    for grade_id, message in messages(result).items():
        assert "not written yet" in message, (grade_id, message)


@pytest.mark.parametrize("name", sorted(WRONG))
def test_wrong_answer_loses_points_on_its_exercise(graded, name):
    assert_loses_points_on_its_exercise(graded, WRONG, MAX, name)


@pytest.mark.parametrize("name,grade_id,phrase", [
    ("sgd_adds_gradient", "test_sgd", "adds the gradient"),
    ("sgd_always_default_rate", "test_sgd", "ignores the configured learning rate"),
    ("sgd_config_reset_each_call", "test_sgd", "ignores the configured learning rate"),
    ("sgd_crashes_on_none", "test_sgd_default", "config = config or {}"),
    ("sgd_rate_not_stored_in_config", "test_sgd_default", "'learning_rate': 0.01"),
    ("sgd_learning_rate_missing", "test_sgd", "learning rate is missing"),
    ("sgd_returns_only_w", "test_sgd", "pair (next_w, config)"),
    ("batches_not_shuffled", "test_minibatches_shuffle", "not shuffled"),
    ("batches_x_and_y_shuffled_independently", "test_minibatches_cover", "pairs broken"),
    ("batches_only_x_shuffled", "test_minibatches_cover", "pairs broken"),
    ("batches_drop_last_partial", "test_minibatches_cover", "last, smaller batch is missing"),
    ("batches_floor_division_count", "test_minibatches_cover", "last, smaller batch is missing"),
    ("batches_with_replacement_integers", "test_minibatches_cover", "with replacement"),
    ("batches_with_replacement_choice", "test_minibatches_cover", "with replacement"),
    ("batches_global_permutation", "test_minibatches_shuffle", "ignores rng"),
    ("batches_global_shuffle", "test_minibatches_shuffle", "global random state"),
    ("batches_fixed_seed_inside", "test_minibatches_shuffle", "gave the same order"),
    ("batches_off_by_one_short", "test_minibatches_cover", "off by one"),
    ("batches_off_by_one_overlap", "test_minibatches_cover", "off by one"),
    ("batches_one_too_many", "test_minibatches_cover", "empty batch"),
    ("batches_range_stops_one_early", "test_minibatches_cover", "no batch at all"),
    ("batches_only_batch_order_shuffled", "test_minibatches_shuffle", "order of the batches"),
    ("batches_shuffled_within_each_batch", "test_minibatches_shuffle", "only within each batch"),
    ("train_discards_the_update", "test_train", "keep what sgd returns"),
    ("train_one_batch_per_epoch", "test_train", "held-out points"),
    ("train_learning_rate_not_passed", "test_train", "held-out points"),
    ("train_returns_after_one_epoch", "test_train_contract", "1 entries for 12 epochs"),
    ("train_history_per_batch", "test_train_contract", "one number per epoch"),
    ("train_ignores_tol", "test_train_contract", "is tol used at all"),
    ("train_tol_compared_with_the_loss", "test_train_contract", "< tol"),
    ("train_plateau_checked_an_epoch_late", "test_train_contract", "went on after epoch"),
    ("train_stops_after_the_first_epoch", "test_train_contract", "at the earliest"),
    ("train_own_update_sgd_unwritten", "test_train", "train must take its steps with your sgd"),
    ("train_momentum_of_its_own", "test_train", "does not take the steps your sgd gives"),
])
def test_wrong_answer_message_names_the_mistake(graded, name, grade_id, phrase):
    assert phrase in messages(graded[0][f"wrong-{name}"])[grade_id]


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_correct_answer_written_differently_gets_full_marks(graded, name):
    assert_full_marks(graded, MAX, f"correct-{name}")


def test_feedback_holds_no_hidden_test_text_or_expected_values(graded):
    out = graded[1]
    hidden = hidden_test_lines(NB05, 25)
    assert len(hidden) >= 6
    assert_feedback_hides(out, hidden)
    wrong = json.loads((out / "submissions" / "wrong-sgd_adds_gradient" / NB05[0] / "result.json")
                       .read_text())
    assert any("Expected" in t["detail"] for nb in wrong["notebooks"] for t in nb["tests"])


def test_catalogue_catch_rate_and_false_rejection_rate(graded, report_line):
    assert set(ALL) == set(MAX)
    assert_rates(graded, WRONG, CORRECT, MAX, "notebook 05", report_line,
                 taught=TAUGHT)


@pytest.mark.parametrize("name", sorted(TAUGHT))
def test_mistake_only_the_learners_process_sees_is_named_there_not_graded(graded, name):
    assert_taught_not_graded(graded, TAUGHT, MAX, NB05, name)
