"""Tests of bpkit.plots.deep and bpkit.views.deep: pre-activations read off a forward pass, dead
units, the per-layer plots and the depth explorer (a frame after several moves matches a fresh
drawing). The network and the experiment are the tests' own: bpkit holds none."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from bpkit.plots.deep import (dead_units, draw_per_layer, plot_dead_units,  # noqa: E402
                              plot_per_layer, pre_activations)
from bpkit.views.deep import INITS, DepthView, depth_explorer  # noqa: E402
from test_bpkit_live import assert_same_picture  # noqa: E402


def forward(x, params, activation):
    """The tests' own L-layer forward pass (ReLU or tanh hidden layers, a linear last layer)."""
    f = {"relu": lambda z: np.maximum(z, 0.0), "tanh": np.tanh}[activation]
    L = len(params) // 2
    h = x
    for k in range(1, L + 1):
        z = h @ params[f"W{k}"] + params[f"b{k}"]
        h = f(z) if k < L else z
    return h, None


def network(sizes, seed=0):
    rng = np.random.default_rng(seed)
    return {name: value for k, (a, b) in enumerate(zip(sizes[:-1], sizes[1:]), start=1)
            for name, value in ((f"W{k}", rng.normal(size=(a, b))), (f"b{k}", rng.normal(size=b)))}


def experiment(depth, activation, init):
    """A stand-in for the notebook's experiment: made-up norms and losses, one call recorded."""
    experiment.calls.append((depth, activation, init))
    scale = {"small": 0.1, "xavier": 0.5, "he": 1.0, "large": 10.0}[init]
    norms = scale ** np.arange(depth, 0, -1, dtype=float)
    losses = 2.3 * np.exp(-np.arange(30) / (10.0 if activation == "relu" else 100.0))
    if init == "large":
        losses = np.append(2.3 * 10.0 ** np.arange(5.0), np.nan)
    return {"norms": norms, "losses": losses}


experiment.calls = []


def unwritten(depth, activation, init):
    raise NotImplementedError()


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_pre_activations_cut_the_network_by_layer_number_past_nine():
    params = network([2] + [3] * 10 + [2])
    x = np.random.default_rng(2).normal(size=(4, 2))
    zs = pre_activations(forward, x, params, "relu")
    assert [z.shape for z in zs] == [(4, 3)] * 10 + [(4, 2)]
    np.testing.assert_allclose(zs[-1], forward(x, params, "relu")[0], rtol=1e-12)


def test_pre_activations_are_each_layers_z():
    params = network([3, 4, 5, 2])
    x = np.random.default_rng(1).normal(size=(6, 3))
    zs = pre_activations(forward, x, params, "tanh")
    z1 = x @ params["W1"] + params["b1"]
    z2 = np.tanh(z1) @ params["W2"] + params["b2"]
    z3 = np.tanh(z2) @ params["W3"] + params["b3"]
    assert [z.shape for z in zs] == [(6, 4), (6, 5), (6, 2)]
    for got, want in zip(zs, [z1, z2, z3]):
        np.testing.assert_allclose(got, want, rtol=1e-12)


def test_dead_units_counts_units_never_positive():
    z1 = np.array([[-1.0, 2.0, 0.0], [-0.5, -1.0, 0.0]])  # units 0 and 2 never fire
    z2 = np.array([[1.0, 1.0], [1.0, -3.0]])
    counts = dead_units([z1, z2])
    np.testing.assert_array_equal(counts, [2, 0])
    assert counts.dtype.kind == "i"


def _labelled(ax, title_part):
    assert title_part in ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel()


def test_plot_per_layer_draws_one_line_per_run_on_a_log_scale():
    fig = plot_per_layer({"a": [1e-3, 1e-2, 1e-1], "b": [1.0, 0.0, np.nan]}, title="Norms")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    _labelled(ax, "Norms")
    assert ax.get_yscale() == "log"
    first, second = ax.get_lines()
    np.testing.assert_array_equal(first.get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(second.get_xdata(), [1])  # 0 and nan cannot go on a log scale
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]


def test_draw_per_layer_on_a_linear_scale_keeps_zeros():
    fig, ax = plt.subplots()
    drawn = draw_per_layer(ax, {"a": [0.0, 1.0, 2.0]}, log=False)
    np.testing.assert_array_equal(drawn[0].get_xdata(), [1, 2, 3])


def test_plot_dead_units_draws_percentages_and_totals():
    fig = plot_dead_units({"start": [1, 2], "after": [4, 8]}, [8, 16], title="Dead")
    ax = fig.axes[0]
    _labelled(ax, "Dead")
    heights = sorted(round(p.get_height(), 6) for p in ax.patches)
    assert heights == [12.5, 12.5, 50.0, 50.0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["start: 3 of 24 dead", "after: 12 of 24 dead"]


def test_depth_view_after_several_moves_matches_a_fresh_drawing():
    moved = DepthView()
    for setting in [(10, "sigmoid", "small"), (4, "relu", "large"), (12, "tanh", "xavier"),
                    (6, "relu", "he")]:
        outputs = moved.update(experiment, *setting)
    fresh = DepthView().update(experiment, 6, "relu", "he")
    assert_same_picture(outputs, fresh)
    assert "6 layers, relu, he" in outputs[0]["data"]["text/plain"]


def test_depth_view_runs_each_setting_once():
    view = DepthView()
    experiment.calls.clear()
    for _ in range(3):
        view.update(experiment, 5, "tanh", "he")
        view.update(experiment, 7, "tanh", "he")
    assert experiment.calls == [(5, "tanh", "he"), (7, "tanh", "he")]


def test_depth_view_says_when_training_diverges():
    text = DepthView().update(experiment, 3, "relu", "large")[0]["data"]["text/plain"]
    assert "5 finite losses" in text


def test_depth_view_says_what_to_write_first():
    (note,) = DepthView().update(unwritten, 5, "relu", "he")
    assert note["text"].startswith("Write deep_forward, deep_backward and layer_gradient_norms")


def test_depth_explorer_is_none_when_headless(monkeypatch):
    monkeypatch.setenv("BPKIT_HEADLESS", "1")
    assert depth_explorer(experiment) is None


def test_depth_explorer_redraws_on_each_control(monkeypatch):
    monkeypatch.delenv("BPKIT_HEADLESS", raising=False)
    box = depth_explorer(experiment, depth=4, activation="relu", init="he")
    depth, activation, init, picture = box.children
    assert set(init.options) == set(INITS.items())
    first = picture.outputs[0]["data"]
    assert first["text/plain"].startswith("<4 layers, relu, he")
    depth.value = 9
    activation.value = "tanh"
    init.value = "small"
    last = picture.outputs[0]["data"]
    assert last["text/plain"].startswith("<9 layers, tanh, small")
    assert last["image/png"] != first["image/png"]
