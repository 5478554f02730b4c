"""bpkit.checks: each check accepts a right answer and names the mistake in a wrong one."""
import numpy as np
import pytest

from bpkit.checks import CheckFailed, check_array, check_no_warnings, compare_arrays, invoke, rel_error

Z = np.array([[-1.0, 0.0, 2.0], [3.0, -4.0, 0.5]])


def square(z):
    return z * z


def test_check_array_accepts_a_right_answer_and_prints_its_error(capsys):
    check_array(square, (Z,), Z ** 2, arg_names=["z"])
    line = capsys.readouterr().out
    assert line.startswith("✓ square(z): shape (2, 3), float64, max relative error")
    assert "tolerance 1e-07" in line


def test_check_array_accepts_an_equivalent_answer_within_tolerance():
    check_array(lambda z: np.exp(2 * np.log(np.abs(z) + 0.0)), (Z[:, [0, 2]],),
                Z[:, [0, 2]] ** 2, quiet=True)


@pytest.mark.parametrize("fn,phrase", [
    (lambda z: None, "returned None"),
    (lambda z: (z, z), "tuple of 2"),
    (lambda z: (z * z).T, "transposed"),
    (lambda z: (z * z).sum(axis=0), "batch axis is missing"),
    (lambda z: (z * z).sum(), "a single number instead of an array"),
    (lambda z: (z * z).astype(np.float32), "float32"),
    (lambda z: (z * z).astype(int), "integers"),
    (lambda z: z > 0, "booleans"),
    (lambda z: -(z * z), "wrong sign"),
    (lambda z: (z[:, :2] @ z[:, :2].T + z[:, :2]).T, "transpose of the right answer"),
    (lambda z: z * z + np.where(z == 3.0, np.inf, 0.0), "non-finite"),
    (lambda z: z * z + 1e-3, "wrong in 6 of 6"),
    (lambda z: 1 / 0, "ZeroDivisionError"),
    (lambda z: "text", "not an array of numbers"),
])
def test_check_array_names_the_mistake(fn, phrase):
    expected = Z[:, :2] @ Z[:, :2].T + Z[:, :2] if phrase.startswith("transpose of") else Z ** 2
    with pytest.raises(CheckFailed) as info:
        check_array(fn, (Z,), expected, arg_names=["z"], quiet=True)
    assert phrase in str(info.value)


def test_check_array_reports_in_place_changes():
    def squares_in_place(z):
        z *= z
        return z
    with pytest.raises(CheckFailed, match="changed its input z in place"):
        check_array(squares_in_place, (Z.copy(),), Z ** 2, arg_names=["z"], quiet=True)


def test_not_implemented_says_not_written_yet():
    def stub(z):
        raise NotImplementedError()
    with pytest.raises(CheckFailed, match="stub is not written yet"):
        check_array(stub, (Z,), Z)


def test_hints_name_a_known_mistake_but_never_a_right_answer():
    hints = {"you squared the wrong thing": Z ** 3}
    with pytest.raises(CheckFailed, match="you squared the wrong thing"):
        check_array(lambda z: z ** 3, (Z,), Z ** 2, hints=hints, quiet=True)
    check_array(square, (Z,), Z ** 2, hints={"same as expected": Z ** 2}, quiet=True)


def test_expected_values_stay_out_of_the_message():
    with pytest.raises(CheckFailed) as info:
        compare_arrays(np.array([1.0, 2.0]), np.array([1.0, 2.5]), call="f(x)")
    assert "2.5" not in info.value.message and "2.5" in info.value.detail


def test_check_no_warnings():
    check_no_warnings(np.tanh, (np.array([1e3]),))
    with pytest.raises(CheckFailed, match="overflow"):
        check_no_warnings(lambda z: 1 / (1 + np.exp(-z)), (np.array([-1e3]),))


def test_invoke_leaves_the_callers_arguments_alone():
    z = Z.copy()
    result = invoke(lambda a: a.fill(0.0), z)
    assert np.array_equal(z, Z) and np.all(result.args_after[0] == 0.0)


def test_rel_error_uses_a_floor_for_zeros():
    assert rel_error([0.0, 1.0], [0.0, 1.0]) == 0.0
    assert rel_error([1e-20], [0.0], floor=1e-12) == pytest.approx(1e-8)


def test_a_time_limit_is_the_graders_and_ends_with_its_block():
    import time
    from bpkit.checks import time_limit
    from bpkit.checks.core import call_seconds
    assert call_seconds() is None
    with time_limit(10):
        with time_limit(0.01):
            assert call_seconds() == 0.01
            # a local call is not timed: the learner's own kernel waits for it
            result = invoke(lambda: time.sleep(0.05) or "done")
            assert result.value == "done" and not result.error
        assert call_seconds() == 10.0
    assert call_seconds() is None
    with pytest.raises(ValueError, match="positive"), time_limit(0):
        pass
