"""The grader on notebook 03: the reference gets full marks, the blank copy zero, each realistic
mistake in `numerical_gradient` or the `Value` engine loses points on its own check with a message
naming it, and equivalent answers (other topological sorts, other ways to store the backward
step, other loops over x) pass.

The Value checks run in the grader's process on handles to the sandbox's Values (see
tests/test_remote_objects.py). All submissions are graded in one parallel batch (module fixture).
"""
import pytest

from catalogue_harness import (assert_taught_not_graded, visible_check_message, all_messages, assert_feedback_hides, assert_full_marks,
                               assert_loses_points_on_its_exercise, assert_rates, grade_catalogue,
                               hidden_test_lines, messages)
from catalogue_nb03 import ALL, ASSIGNMENT, CORRECT, TAUGHT, WRONG

MAX = {"test_numerical_gradient": 2, "test_value_arithmetic": 2, "test_value_backward": 2,
       "test_value_accumulate": 2, "test_value_functions": 2}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    return grade_catalogue(tmp_path_factory, ASSIGNMENT, WRONG, CORRECT, cell_timeout=20,
                           taught=TAUGHT)


def test_reference_gets_full_marks(graded):
    assert_full_marks(graded, MAX, "reference", total=10)


def test_blank_student_copy_gets_zero_and_says_not_written(graded):
    result = graded[0]["blank"]
    assert result["score"] == 0 and result["max_score"] == 10
    text = messages(result)
    assert set(text) == set(ALL)
    assert "numerical_gradient is not written yet" in text["test_numerical_gradient"]
    for grade_id in ALL[1:]:
        assert "not written yet" in text[grade_id], text[grade_id]


@pytest.mark.parametrize("name", sorted(WRONG))
def test_wrong_answer_loses_points_on_its_exercise(graded, name):
    assert_loses_points_on_its_exercise(graded, WRONG, MAX, name)


@pytest.mark.parametrize("name,phrase", [
    ("mul_grad_assigned", "assigned instead of accumulated"),
    ("add_grad_assigned", "assigned instead of accumulated"),
    ("every_grad_assigned", "assigned instead of accumulated"),
    ("backward_plain_recursion", "reverse topological order"),
    ("backward_dfs_visited_preorder", "reverse topological order"),
    ("backward_breadth_first", "reverse topological order"),
    ("backward_no_seed", "does not seed y.grad = 1"),
    ("backward_list_kept_between_calls", "keeps nodes from an earlier call"),
    ("rmul_missing", "a.__rmul__(2)"),
    ("reflected_all_missing", "reflected method"),
    ("rsub_wrong_order", "__rsub__ computes a - 1 instead of 1 - a"),
    ("rtruediv_wrong_order", "__rtruediv__ computes a / 3 instead of 3 / a"),
    ("rsub_builds_no_graph", "must build the graph too"),
    ("tanh_derivative_is_tanh", "1 - tanh(a)², not tanh(a)"),
    ("tanh_derivative_of_input", "not 1 - a²"),
    ("relu_gradient_through_negatives", "only where its input is positive"),
    ("pow_derivative_n_times_a", "n * a**(n-1), not n * a."),
    ("pow_derivative_n_times_a_to_n", "n * a**(n-1), not n * a**n"),
    ("exp_derivative_one", "exp(a) itself, not 1"),
    ("exp_derivative_input", "exp(a) itself, not a"),
    ("exp_forgets_out_grad", "not multiplied by out.grad"),
    ("mul_forgets_out_grad", "not multiplied by out.grad"),
    ("div_minus_sign_missing", "-a/b²: the minus sign is missing"),
    ("div_derivative_minus_one_over_b2", "-a/b², not -1/b²"),
    ("div_numerator_times_b", "d(a/b)/da is 1/b, not b"),
    ("sub_second_sign", "d(a - b)/db is -1, not +1"),
    ("ng_forward_difference", "forward differences"),
    ("ng_divided_by_h", "divided by h instead of 2h"),
    ("ng_first_axis_only", "x[i] is a whole row"),
    ("ng_one_dimensional_result", "returned shape (2,); expected (2, 3)"),
    ("ng_returns_flat", "returned shape (6,); expected (2, 3)"),
    ("ng_ignores_h", "the step h passed in is ignored"),
])
def test_wrong_answer_message_names_the_mistake(graded, name, phrase):
    text = all_messages(graded, f"wrong-{name}")
    assert phrase in text, text


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_correct_answer_written_differently_gets_full_marks(graded, name):
    assert_full_marks(graded, MAX, f"correct-{name}")


def test_feedback_holds_no_hidden_test_text_or_expected_values(graded):
    assert_feedback_hides(graded[1], hidden_test_lines(ASSIGNMENT, 30))


def test_catalogue_catch_rate_and_false_rejection_rate(graded, report_line):
    assert_rates(graded, WRONG, CORRECT, MAX, "notebook 03", report_line, taught=TAUGHT)


@pytest.mark.parametrize("name", sorted(TAUGHT))
def test_mistake_only_the_learners_process_sees_is_named_there_not_graded(graded, name):
    assert_taught_not_graded(graded, TAUGHT, MAX, ASSIGNMENT, name)


@pytest.mark.parametrize("name", ["ng_x_not_restored", "ng_first_axis_only_row_view"])
def test_x_left_modified_costs_points_by_its_values_and_is_named_in_the_notebook(name):
    # the grader sees the wrong gradients (f's entries interact); only the notebook sees x
    assert "left x modified" in visible_check_message(ASSIGNMENT, WRONG[name][0],
                                                      "test_numerical_gradient")
