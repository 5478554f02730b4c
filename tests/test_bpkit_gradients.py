"""bpkit.checks.gradients (the gradient check and the helpers the grade cells call the learner's
layers with), bpkit.plots.backprop (the nudge curve and the two drawings) and bpkit.views.nudge.
The layers and the network below are the tests' own: bpkit holds none."""
import numpy as np
import pytest

from bpkit.checks import (CheckFailed, call_learner, check_grads, check_parts, grad_check,
                          grad_check_params)
from bpkit.plots.backprop import nudge_curve, plot_dout_flow, plot_nudge
from bpkit.views.nudge import nudge_explorer


def two_layer_loss(params, x, y):
    z = x @ params["W1"] + params["b1"]
    h = np.maximum(z, 0.0)
    s = h @ params["W2"] + params["b2"]
    log_p = s - s.max(axis=1, keepdims=True)
    log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    n = len(y)
    ds = np.exp(log_p)
    ds[np.arange(n), y] -= 1.0
    ds /= n
    dz = (ds @ params["W2"].T) * (z > 0)
    grads = {"W1": x.T @ dz, "b1": dz.sum(0), "W2": h.T @ ds, "b2": ds.sum(0)}
    return float(-log_p[np.arange(n), y].mean()), grads


def network(seed=0, N=6, D=3, H=5, C=4):
    rng = np.random.default_rng(seed)
    params = {"W1": rng.normal(size=(D, H)), "b1": rng.normal(size=H),
              "W2": rng.normal(size=(H, C)), "b2": rng.normal(size=C)}
    return params, rng.normal(size=(N, D)), rng.integers(0, C, size=N)


# --- grad_check ---------------------------------------------------------------------------------
def test_grad_check_accepts_a_right_gradient_and_says_so(capsys):
    x = np.linspace(-2.0, 2.0, 12).reshape(3, 4)
    error = grad_check(lambda x: np.sum(np.sin(x) * x), x, np.cos(x) * x + np.sin(x), name="dx")
    assert error < 1e-8
    assert "✓ dx matches central differences along 6 random directions" in capsys.readouterr().out


def test_grad_check_names_the_direction_and_a_constant_factor():
    x = np.arange(1.0, 7.0).reshape(2, 3)
    with pytest.raises(CheckFailed) as failure:
        grad_check(lambda x: np.sum(x ** 2), x, x / 3, name="dx")  # 2x expected
    message = failure.value.message
    assert "dx disagrees with the slopes measured by central differences" in message
    assert "random direction" in message and "0.1667 times the measured one" in message
    assert "numerical_gradient from notebook 03" in message


@pytest.mark.parametrize("shape", [(1,), (7,), (3, 4), (40, 25)])
def test_grad_check_catches_a_single_wrong_entry(shape):
    # one entry off by 1 % among up to a thousand: the directions must still see it
    rng = np.random.default_rng(5)
    x = rng.normal(size=shape)
    analytic = 2 * x
    analytic[(0,) * len(shape)] *= 1.01
    with pytest.raises(CheckFailed, match="disagrees"):
        grad_check(lambda x: np.sum(x ** 2), x, analytic)
    assert grad_check(lambda x: np.sum(x ** 2), x, 2 * x, quiet=True) < 1e-8


def test_grad_check_catches_a_transposed_square_gradient_and_nan():
    W = np.arange(1.0, 10.0).reshape(3, 3) / 4
    target = np.array([[1.0, -2.0, 0.5], [0.0, 1.0, 3.0], [2.0, -1.0, 1.0]])
    f = lambda W: np.sum(W * target) + 0.5 * np.sum(W ** 2)
    right = target + W
    assert grad_check(f, W, right.T.T, quiet=True) < 1e-8
    with pytest.raises(CheckFailed, match="disagrees"):
        grad_check(f, W, right.T)
    with pytest.raises(CheckFailed, match="nan or inf"):
        grad_check(f, W, np.full((3, 3), np.nan))


def test_grad_check_notices_a_flipped_sign_and_a_wrong_shape():
    x = np.array([1.0, -2.0, 3.0])
    with pytest.raises(CheckFailed, match="wrong sign"):
        grad_check(lambda x: np.sum(x ** 2), x, -2 * x)
    with pytest.raises(CheckFailed, match="shape of what it differentiates"):
        grad_check(lambda x: np.sum(x ** 2), x, 2 * x[:, None])


def test_grad_check_is_not_fooled_by_rounding_in_tiny_entries():
    # the second entry's slope is ~1e-9, where central differences carry rounding noise
    x = np.array([3.0, 1e-9])
    f = lambda x: 10.0 * np.sum(np.cosh(x))
    assert grad_check(f, x, 10.0 * np.sinh(x), quiet=True) < 1e-6


def test_grad_check_leaves_x_alone_and_survives_an_f_that_changes_its_input():
    x = np.array([[0.5, -1.5]])
    before = x.copy()

    def clobbering(v):
        total = np.sum(v ** 3)
        v[...] = 0.0
        return total
    grad_check(clobbering, x, 3 * x ** 2, quiet=True)
    np.testing.assert_array_equal(x, before)


def test_grad_check_lets_a_stub_say_it_is_not_written():
    def stub(x):
        raise NotImplementedError()
    with pytest.raises(NotImplementedError):
        grad_check(stub, np.ones(2), np.ones(2))


def test_grad_check_params_checks_every_parameter_and_finds_missing_ones(capsys):
    params, x, y = network()
    _, grads = two_layer_loss(params, x, y)
    errors = grad_check_params(lambda p: two_layer_loss(p, x, y)[0], params, grads)
    assert set(errors) == set(params) and max(errors.values()) < 1e-6
    assert capsys.readouterr().out.count("✓") == 4
    del grads["b2"]
    with pytest.raises(CheckFailed, match="missing 'b2'"):
        grad_check_params(lambda p: two_layer_loss(p, x, y)[0], params, grads)
    grads = {**grads, "b2": np.zeros(4), "W2": np.zeros((5, 4))}
    with pytest.raises(CheckFailed, match=r"grads\['W2'\] disagrees"):
        grad_check_params(lambda p: two_layer_loss(p, x, y)[0], params, grads, quiet=True)


# --- calling the learner's functions in a check -----------------------------------------------
def test_call_learner_returns_the_tuple_and_checks_its_length():
    def forward(x):
        return 2 * x, (x,)
    out, cache = call_learner(forward, (np.ones(3),), arg_names=["x"])
    np.testing.assert_array_equal(out, 2 * np.ones(3))
    with pytest.raises(CheckFailed, match=r"returned a ndarray; expected a tuple \(out, cache\)"):
        call_learner(lambda x: 2 * x, (np.ones(3),), arg_names=["x"])
    with pytest.raises(CheckFailed, match="a tuple of 3 values"):
        call_learner(lambda x: (x, x, x), (np.ones(3),), arg_names=["x"])


def test_call_learner_names_the_stub_that_is_not_written():
    def dense_forward(x):
        raise NotImplementedError()

    def two_layer_loss(x):
        return dense_forward(x)
    with pytest.raises(CheckFailed, match="dense_forward is not written yet"):
        call_learner(two_layer_loss, (np.ones(2),), arg_names=["x"])


def test_call_learner_catches_inputs_changed_in_place_unless_allowed():
    def relu_forward(x):
        x[x < 0] = 0.0
        return x, x
    x = np.array([-1.0, 2.0])
    with pytest.raises(CheckFailed, match="changed its input x in place"):
        call_learner(relu_forward, (x,), arg_names=["x"])
    call_learner(relu_forward, (x,), arg_names=["x"], inputs_unchanged=False)
    np.testing.assert_array_equal(x, [-1.0, 2.0])  # the check works on a copy

    def loss(params):
        params["W"] = params["W"] * 2
        return 1.0, {}
    with pytest.raises(CheckFailed, match="changed its input params in place"):
        call_learner(loss, ({"W": np.ones(2)},), arg_names=["params"], returns=("loss", "grads"))


def test_call_learner_adds_advice_for_known_errors():
    def backward(dout, cache):
        return cache @ dout
    with pytest.raises(CheckFailed, match="raised ValueError.*transpose"):
        call_learner(backward, (np.ones((3, 4)), np.ones((3, 2))), arg_names=["dout", "cache"],
                     returns="dx", error_hints={"matmul": "Is a transpose missing?"})


def test_check_parts_compares_in_order_with_hints_and_reads_shape_one_as_a_number(capsys):
    values = (np.array([0.5]), np.array([1.0, 2.0]))
    check_parts(values, {"loss": 0.5, "grad": np.array([1.0, 2.0])}, call="f(x)")
    assert "✓ f(x): loss, grad correct" in capsys.readouterr().out
    with pytest.raises(CheckFailed, match="a common mistake: halved"):
        check_parts((0.5, np.array([0.5, 1.0])), {"loss": 0.5, "grad": np.array([1.0, 2.0])},
                    call="f(x)", hints={"grad": {"halved": np.array([0.5, 1.0])}})


def test_check_grads_says_when_gradients_are_keyed_wrong_or_missing():
    expected = {"W1": np.ones((2, 3)), "b1": np.ones(3), "W2": np.ones((3, 4)), "b2": np.ones(4)}
    with pytest.raises(CheckFailed, match="expected a dict"):
        check_grads((1, 2), expected, call="net()")
    with pytest.raises(CheckFailed, match="missing 'W1'.*keyed wrong"):
        check_grads({"dW1": 1, "b1": 1, "W2": 1, "b2": 1}, expected, call="net()")
    swapped = {**expected, "W1": expected["W2"], "W2": expected["W1"]}
    with pytest.raises(CheckFailed, match=r"shape of params\['W2'\]: the gradients are keyed"):
        check_grads(swapped, expected, call="net()")
    assert check_grads(dict(expected), expected, call="net()", quiet=True) == 0.0


# --- the nudge behind the widget --------------------------------------------------------------
def test_nudge_curve_follows_the_gradient_for_small_nudges_and_leaves_params_alone():
    params, x, y = network(seed=1)
    before = {k: v.copy() for k, v in params.items()}
    deltas = np.linspace(-1e-3, 1e-3, 5)
    curve = nudge_curve(two_layer_loss, params, x, y, "W2", (1, 2), deltas)
    loss0, grads = two_layer_loss(params, x, y)
    assert curve["loss0"] == pytest.approx(loss0) and curve["grad"] == grads["W2"][1, 2]
    np.testing.assert_allclose(curve["prediction"], loss0 + grads["W2"][1, 2] * deltas)
    np.testing.assert_allclose(curve["loss"], curve["prediction"], rtol=0, atol=1e-5)
    assert curve["loss"][2] == pytest.approx(loss0)
    for k in params:
        np.testing.assert_array_equal(params[k], before[k])


def test_nudge_curve_rejects_unknown_entries_and_bad_returns():
    params, x, y = network()
    with pytest.raises(ValueError, match="no parameter 'W3'"):
        nudge_curve(two_layer_loss, params, x, y, "W3", (0, 0), [0.0])
    with pytest.raises(ValueError, match="not an entry of b1"):
        nudge_curve(two_layer_loss, params, x, y, "b1", (9,), [0.0])
    with pytest.raises(ValueError, match=r"must return \(loss, grads\)"):
        nudge_curve(lambda p, x, y: 1.0, params, x, y, "b1", 0, [0.0])


def test_plot_nudge_has_a_title_labels_and_both_changes():
    params, x, y = network()
    curve = nudge_curve(two_layer_loss, params, x, y, "b1", 2, np.linspace(-1, 1, 21))
    fig = plot_nudge(curve, delta=0.5, ylabel="loss (nats)")
    ax = fig.axes[0]
    assert "Nudging b1[2]" in ax.get_title() and ax.get_ylabel() == "loss (nats)"
    assert ax.get_xlabel() == "nudge δ added to b1[2]"
    text = " ".join(t.get_text() for t in ax.texts)
    assert "actual change" in text and "predicted g·δ" in text


def test_plot_dout_flow_draws_every_shape():
    fig = plot_dout_flow(N=4, D=2, H=5, C=3)
    ax = fig.axes[0]
    text = " ".join(t.get_text() for t in ax.texts)
    for label in ("x: (N, D)\n(4, 2)", "dscores: (N, C)\n(4, 3)", "dW1: (D, H) = (2, 5)",
                  "db2: (C,) = (3,)", "dh: (N, H)\n(4, 5)"):
        assert label in text
    assert "dout flows back" in ax.get_title()
    with pytest.raises(ValueError, match="H must be a positive whole number"):
        plot_dout_flow(N=4, D=2, H=np.ones(3), C=3)  # refused before any drawing


# --- the widget -------------------------------------------------------------------------------
def test_nudge_explorer_is_skipped_headless(monkeypatch):
    monkeypatch.setenv("BPKIT_HEADLESS", "1")
    params, x, y = network()
    assert nudge_explorer(two_layer_loss, params, x, y) is None


def test_nudge_explorer_draws_and_redraws(monkeypatch):
    monkeypatch.delenv("BPKIT_HEADLESS", raising=False)
    params, x, y = network()
    box = nudge_explorer(two_layer_loss, params, x, y)
    choice, row, column, nudge, picture = box.children
    assert "image/png" in picture.outputs[0]["data"]
    first = picture.outputs[0]["data"]["image/png"]
    nudge.value = -0.25
    assert picture.outputs[0]["data"]["image/png"] != first
    choice.value = "b2"
    assert column.disabled and row.max == 3
    assert "b2[" in picture.outputs[0]["data"]["text/plain"]


def test_nudge_explorer_tells_the_learner_to_write_the_function_first(monkeypatch):
    monkeypatch.delenv("BPKIT_HEADLESS", raising=False)

    def stub(params, x, y):
        raise NotImplementedError()
    params, x, y = network()
    picture = nudge_explorer(stub, params, x, y).children[-1]
    assert "Write two_layer_loss above first" in picture.outputs[0]["text"]
