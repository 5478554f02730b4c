"""Tests of bpkit.plots.optimizers and bpkit.views.race: optimizer paths, the race, its plots and
the optimizer explorer. Every update rule is defined here, in the test (written as weighted sums
of past gradients, not as the notebook's recursions)."""
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from bpkit.plots.descent import BLOWUP, draw_contours, draw_paths, loss_grid  # noqa: E402
from bpkit.plots.optimizers import (RACE_ORDER, loss_floor, optimizer_path,  # noqa: E402
                                    plot_race, plot_race_losses, race, race_configs, surface)
from bpkit.views.race import RaceView, optimizer_explorer  # noqa: E402
from test_bpkit_live import assert_same_picture, pixels  # noqa: E402


def valley_loss(w, kappa=50.0):
    return 0.5 * (w[0] ** 2 + kappa * w[1] ** 2)


def valley_grad(w, kappa=50.0):
    return np.array([w[0], kappa * w[1]])


def plain(w, dw, config):
    return w - config["learning_rate"] * dw, config


def with_history(step_of):
    """An update rule that keeps every gradient so far and steps by step_of(history, config)."""
    def update(w, dw, config):
        config = dict(config, history=[*config.get("history", []), dw])
        return w - step_of(config["history"], config), config
    return update


def decayed(grads, decay, power=1):
    """sum_i decay^(t - i) g_i^power over the gradients so far, and the sum of the weights."""
    t = len(grads)
    weights = [decay ** (t - 1 - i) for i in range(t)]
    return sum(wi * g ** power for wi, g in zip(weights, grads)), sum(weights)


heavy_ball = with_history(lambda grads, c: c["learning_rate"] * decayed(grads, c["momentum"])[0])
rms_like = with_history(lambda grads, c: c["learning_rate"] * grads[-1] / (np.sqrt(
    (1 - c["decay_rate"]) * decayed(grads, c["decay_rate"], 2)[0]) + 1e-8))
adam_like = with_history(lambda grads, c: c["learning_rate"] * np.divide(*decayed(
    grads, c["beta1"])) / (np.sqrt(np.divide(*decayed(grads, c["beta2"], 2))) + 1e-8))


def unwritten(w, dw, config=None):
    raise NotImplementedError()


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_race_configs_share_one_learning_rate_and_name_each_setting():
    configs = race_configs(0.05, momentum=0.8, beta2=0.95)
    assert list(configs) == list(RACE_ORDER)
    assert {c["learning_rate"] for c in configs.values()} == {0.05}
    assert configs["sgd_momentum"]["momentum"] == configs["adam"]["beta1"] == 0.8
    assert configs["rmsprop"]["decay_rate"] == configs["adam"]["beta2"] == 0.95


def test_optimizer_path_feeds_the_returned_config_back_and_keeps_the_callers_config():
    start = {"learning_rate": 0.1, "momentum": 0.5}
    path = optimizer_path(valley_grad, heavy_ball, [-4.0, 1.5], start, num_steps=3)
    assert path.shape == (4, 2) and path.dtype == np.float64
    # one weight alone: w1 feels gradient w1, so the heavy ball on it is a linear recursion
    w, v, expected = -4.0, 0.0, [-4.0]
    for _ in range(3):
        v = 0.5 * v - 0.1 * w
        w = w + v
        expected.append(w)
    np.testing.assert_allclose(path[:, 0], expected, rtol=1e-12)
    assert start == {"learning_rate": 0.1, "momentum": 0.5}


def test_optimizer_path_stops_when_the_weights_blow_up():
    path = optimizer_path(valley_grad, plain, [-4.0, 1.5], {"learning_rate": 0.1}, 100)
    assert len(path) < 101 and np.max(np.abs(path[-1])) > BLOWUP  # |1 - 0.1 * 50| = 4
    assert np.all(np.isfinite(path))


def test_optimizer_path_names_a_wrong_shape():
    with pytest.raises(ValueError, match=r"shape \(1,\)"):
        optimizer_path(valley_grad, lambda w, dw, c: (w[:1], c), [1.0, 1.0], {}, 2)


def test_race_runs_each_update_and_lists_the_unwritten_ones():
    updates = {"sgd": plain, "sgd_momentum": heavy_ball, "adam": unwritten}
    paths, missing = race(valley_grad, updates, [-4.0, 1.5], race_configs(0.01), 5)
    assert list(paths) == ["sgd", "sgd_momentum"] and missing == ["adam"]
    assert all(p.shape == (6, 2) for p in paths.values())


def test_loss_floor_keeps_a_log_scale_drawable():
    np.testing.assert_array_equal(loss_floor([1.0, 0.0, np.inf]), [1.0, 1e-12, np.nan])


def test_plot_race_has_equal_aspect_labels_and_legend():
    grid = loss_grid(valley_loss, (-5.0, 5.0), (-2.5, 2.5), n=31)
    path = optimizer_path(valley_grad, plain, [-4.0, 1.5], {"learning_rate": 0.01}, 10)
    fig = plot_race(grid, {"sgd": path}, title="Race")
    ax = fig.axes[0]
    assert isinstance(fig, Figure) and ax.get_aspect() == 1.0
    assert ax.get_title() == "Race" and ax.get_xlabel() and ax.get_ylabel()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["minimum", "sgd"]


def test_plot_race_losses_uses_a_log_scale_and_survives_zero_and_inf():
    fig = plot_race_losses({"a": [10.0, 0.0, np.inf]}, title="Losses", ylim=(1e-10, 100))
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and ax.get_title() == "Losses"
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_ylim() == (1e-10, 100)


UPDATES = {"sgd": plain, "sgd_momentum": heavy_ball, "rmsprop": rms_like, "adam": adam_like}


def test_race_view_after_moves_shows_what_a_fresh_view_shows():
    view = RaceView(valley_loss, valley_grad, [-4.0, 1.5])
    for lr, momentum in ((0.02, 0.9), (0.005, 0.5), (0.03, 0.8)):
        moved = view.update(UPDATES, lr, momentum, 0.99, 50.0, 40)
    assert "learning rate" not in moved[0]["data"]["text/plain"]
    assert "SGD:" in moved[0]["data"]["text/plain"]
    fresh = RaceView(valley_loss, valley_grad, [-4.0, 1.5]).update(UPDATES, 0.03, 0.8, 0.99,
                                                                     50.0, 40)
    assert_same_picture(moved, fresh)
    # another condition number redraws the contours: still what a fresh view shows
    view.update(UPDATES, 0.03, 0.8, 0.99, 200.0, 40)
    moved = view.update(UPDATES, 0.01, 0.8, 0.99, 200.0, 40)
    fresh = RaceView(valley_loss, valley_grad, [-4.0, 1.5]).update(UPDATES, 0.01, 0.8, 0.99,
                                                                     200.0, 40)
    assert_same_picture(moved, fresh)
    # another step count moves the step axis only: still what a fresh view shows
    view.update(UPDATES, 0.01, 0.8, 0.99, 200.0, 120)
    moved = view.update(UPDATES, 0.01, 0.8, 0.99, 200.0, 15)
    fresh = RaceView(valley_loss, valley_grad, [-4.0, 1.5]).update(UPDATES, 0.01, 0.8, 0.99,
                                                                     200.0, 15)
    assert_same_picture(moved, fresh)


def test_race_view_says_diverged_and_stays_finite():
    outputs = RaceView(valley_loss, valley_grad, [-4.0, 1.5]).update(UPDATES, 0.1, 0.9, 0.99,
                                                                      50.0, 40)
    assert "SGD: diverged" in outputs[0]["data"]["text/plain"]
    assert math.isfinite(pixels(outputs).mean())


def test_race_view_notes_the_unwritten_and_draws_the_rest():
    outputs = RaceView(valley_loss, valley_grad, [-4.0, 1.5]).update(
        {"sgd": plain, "adam": unwritten}, 0.01, 0.9, 0.99, 50.0, 10)
    assert outputs[0]["text"].startswith("Write adam above first")
    assert "image/png" in outputs[1]["data"]
    (note,) = RaceView(valley_loss, valley_grad, [-4.0, 1.5]).update(
        {"adam": unwritten}, 0.01, 0.9, 0.99, 50.0, 10)
    assert note["text"].startswith("Write adam above first")


def test_race_view_reports_an_error_in_an_update():
    def broken(w, dw, config):
        return w - config["lr"] * dw, config
    (note,) = RaceView(valley_loss, valley_grad, [-4.0, 1.5]).update(
        {"sgd": broken}, 0.01, 0.9, 0.99, 50.0, 10)
    assert "raised KeyError" in note["text"]


def test_optimizer_explorer_is_none_when_headless(monkeypatch):
    monkeypatch.setenv("BPKIT_HEADLESS", "1")
    assert optimizer_explorer(valley_loss, valley_grad, [-4.0, 1.5], UPDATES) is None


def test_optimizer_explorer_redraws_on_each_slider(monkeypatch):
    monkeypatch.delenv("BPKIT_HEADLESS", raising=False)
    box = optimizer_explorer(valley_loss, valley_grad, [-4.0, 1.5], UPDATES, num_steps=20)
    rate, momentum, beta2, kappa, steps, picture = box.children
    first = picture.outputs[-1]["data"]["image/png"]
    rate.value = 0.2
    assert "SGD: diverged" in picture.outputs[-1]["data"]["text/plain"]
    for control, value in ((momentum, 0.5), (beta2, 0.9), (kappa, 5.0), (steps, 30)):
        before = picture.outputs[-1]["data"]["image/png"]
        control.value = value
        assert picture.outputs[-1]["data"]["image/png"] != before, control.description
    assert picture.outputs[-1]["data"]["image/png"] != first


def test_surface_evaluates_a_formula_at_once_and_a_pointwise_loss_point_by_point():
    at_once = surface(valley_loss, (-2.0, 2.0), (-1.0, 1.0), n=7)
    pointwise = surface(lambda w: float(valley_loss(w)), (-2.0, 2.0), (-1.0, 1.0), n=7)
    reference = loss_grid(valley_loss, (-2.0, 2.0), (-1.0, 1.0), n=7)
    for grid in (at_once, pointwise):
        np.testing.assert_allclose(grid["loss"], reference["loss"], rtol=1e-12)
        np.testing.assert_array_equal(grid["w1"], reference["w1"])


def test_draw_contours_and_race_paths_draw_without_a_legend():
    fig, ax = plt.subplots()
    grid = loss_grid(valley_loss, (-5.0, 5.0), (-2.5, 2.5), n=21)
    assert len(draw_contours(ax, grid)) == 2
    drawn = draw_paths(ax, {"a": np.zeros((3, 2)), "b": np.ones((4, 2))}, None)
    assert len(drawn) == 4 and ax.get_legend() is None
