"""Tests of bpkit.plots.landscapes and bpkit.views.landscapes: scheduled descent paths, the
schedule curves, the contour, 1-D, schedule and step plots, and the landscape explorer, whose
frame after several slider moves must match a fresh drawing. Every schedule, update rule and
loss is defined here, in the test."""
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from bpkit.plots.descent import BLOWUP, loss_grid  # noqa: E402
from bpkit.plots.landscapes import (SCHEDULE_KINDS, plot_contours, plot_loss_1d,  # noqa: E402
                                    plot_schedules, plot_steps, schedule_curve,
                                    schedule_kwargs, scheduled_path)
from bpkit.views.landscapes import LandscapeView, landscape_explorer  # noqa: E402
from test_bpkit_live import assert_same_picture, pixels  # noqa: E402


def wells_loss(w):
    return (w[0] ** 2 - 1) ** 2 + (w[1] ** 2 - 1) ** 2 + 0.5 * w[0] * w[1]


def wells_grad(w):
    return np.array([4 * w[0] * (w[0] ** 2 - 1) + 0.5 * w[1],
                     4 * w[1] * (w[1] ** 2 - 1) + 0.5 * w[0]])


def plain_update(w, dw, config=None):
    config = config or {}
    config.setdefault("learning_rate", 1e-2)
    return w - config["learning_rate"] * dw, config


def velocity_update(w, dw, config):
    velocity = 0.5 * config.get("velocity", np.zeros_like(w)) - config["learning_rate"] * dw
    return w + velocity, dict(config, velocity=velocity)


def halving(step, base_lr, kind, **kw):
    """A schedule of the tests' own: base_lr halved at every step, whatever the kind."""
    return base_lr * 0.5 ** step


def test_schedule_kwargs_follow_the_run_length():
    assert schedule_kwargs("constant", 60) == {}
    assert schedule_kwargs("step", 60) == {"drop": 0.5, "every": 15}
    assert schedule_kwargs("cosine", 60) == {"total_steps": 60}
    assert schedule_kwargs("warmup", 60) == {"warmup_steps": 6, "total_steps": 60}
    assert schedule_kwargs("warmup", 5)["warmup_steps"] == 1
    assert set(SCHEDULE_KINDS) == {"constant", "step", "cosine", "warmup"}


def test_schedule_curve_calls_the_schedule_for_every_step():
    seen = []

    def recording(step, base_lr, kind, **kw):
        seen.append((step, base_lr, kind, kw))
        return base_lr / (step + 1)

    curve = schedule_curve(recording, 0.3, "cosine", 4, total_steps=4)
    np.testing.assert_allclose(curve, [0.3, 0.15, 0.1, 0.075])
    assert seen[0] == (0, 0.3, "cosine", {"total_steps": 4}) and len(seen) == 4


def test_scheduled_path_sets_the_rate_of_each_step():
    bowl_grad = lambda w: 2.0 * w  # noqa: E731 (L = |w|^2)
    path, rates = scheduled_path(bowl_grad, plain_update, halving, [1.0, -2.0], 0.25, "any", 3)
    np.testing.assert_allclose(rates, [0.25, 0.125, 0.0625])
    factors = np.cumprod([1.0] + [1.0 - 2.0 * r for r in rates])  # w <- (1 - 2 lr) w
    np.testing.assert_allclose(path, np.outer(factors, [1.0, -2.0]))


def test_scheduled_path_keeps_the_rest_of_the_config():
    grad = lambda w: np.ones_like(w)  # noqa: E731
    path, _ = scheduled_path(grad, velocity_update, halving, [0.0], 1.0, "any", 3)
    # velocities: -1, 0.5 * -1 - 0.5 = -1, 0.5 * -1 - 0.25 = -0.75
    np.testing.assert_allclose(path[:, 0], [0.0, -1.0, -2.0, -2.75])


def test_scheduled_path_stops_when_the_weights_blow_up():
    constant = lambda step, base_lr, kind, **kw: base_lr  # noqa: E731
    path, rates = scheduled_path(wells_grad, plain_update, constant, [1.9, 1.9], 0.3, "c", 100)
    assert len(path) < 101 and len(rates) == len(path) - 1
    assert np.max(np.abs(path[-1])) > BLOWUP or not np.all(np.isfinite(path[-1]))


def test_scheduled_path_names_a_wrong_shape():
    with pytest.raises(ValueError, match=r"shape \(1,\)"):
        scheduled_path(wells_grad, lambda w, dw, c: (w[:1], c), halving, [1.0, 1.0], 0.1, "c", 2)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_plot_contours_equal_aspect_labels_minima_and_paths():
    grid = loss_grid(wells_loss, xlim=(-2.0, 2.0), ylim=(-2.0, 2.0), n=41)
    path, _ = scheduled_path(wells_grad, plain_update, halving, [0.3, 0.2], 0.1, "c", 5)
    fig = plot_contours(grid, {"a path": path}, minima=[(1.0, -1.0)], title="Wells")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title() == "Wells" and ax.get_xlabel() and ax.get_ylabel()
    assert ax.get_aspect() == 1.0
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["local minima", "a path"]
    assert fig.axes[1].get_ylabel() == "loss L(w)"  # the colour bar says what colours mean


def test_plot_loss_1d_marks_starts_and_ends():
    fig = plot_loss_1d(lambda w: w * np.cos(np.pi * w), [-1.3, 0.3], [-2.05, 1.09], title="1-D")
    ax = fig.axes[0]
    assert ax.get_title() == "1-D" and ax.get_xlabel() == "weight w"
    assert len(ax.lines) == 1 + 2 * 2  # the loss, then a start and an end per run


def test_plot_schedules_and_steps_are_labelled():
    fig = plot_schedules({"halving": [0.1, 0.05, 0.025]}, title="Schedules")
    ax = fig.axes[0]
    assert ax.get_title() == "Schedules" and "learning rate" in ax.get_ylabel()
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [0, 1, 2])
    fig = plot_steps({"run": [1.0, 0.1, 0.01]}, title="Steps")
    assert fig.axes[0].get_yscale() == "log" and "log scale" in fig.axes[0].get_ylabel()
    assert plot_steps({"run": [1.0, -1.0]}, log=False).axes[0].get_yscale() == "linear"


def cosine_schedule(step, base_lr, kind, **kw):
    """A schedule of the tests' own for the view: cosine whatever the kind, over num_steps."""
    total = kw.get("total_steps", 20)
    return 0.0 if step > total else base_lr * 0.5 * (1 + math.cos(math.pi * step / total))


def test_landscape_view_after_several_moves_matches_a_fresh_drawing():
    moved_view = LandscapeView(wells_loss, minima=[(1.0, -1.0)])
    moves = [((0.3, 0.2), 0.05, "constant"), ((-1.0, 1.5), 0.2, "cosine"),
             ((1.9, 1.9), 0.3, "warmup"), ((0.1, -0.4), 0.1, "step")]
    outputs = [moved_view.update(wells_grad, plain_update, cosine_schedule, w0, rate, kind, 40)
               for w0, rate, kind in moves]
    assert not np.array_equal(pixels(outputs[0]), pixels(outputs[-1]))
    fresh = LandscapeView(wells_loss, minima=[(1.0, -1.0)]).update(
        wells_grad, plain_update, cosine_schedule, *moves[-1][:2], moves[-1][2], 40)
    assert_same_picture(outputs[-1], fresh)


def test_landscape_view_says_when_a_path_diverges_and_redraws_for_a_new_step_count():
    view = LandscapeView(wells_loss)
    constant = lambda step, base_lr, kind, **kw: base_lr  # noqa: E731
    outputs = view.update(wells_grad, plain_update, constant, (1.9, 1.9), 0.5, "constant", 30)
    assert outputs[0]["data"]["text/plain"].endswith("diverged>")
    longer = view.update(wells_grad, plain_update, constant, (0.3, 0.2), 0.05, "constant", 80)
    fresh = LandscapeView(wells_loss).update(wells_grad, plain_update, constant, (0.3, 0.2),
                                             0.05, "constant", 80)
    assert_same_picture(longer, fresh)


def test_landscape_view_notes_an_unwritten_schedule_and_a_failing_update():
    def unwritten(step, base_lr, kind, **kw):
        raise NotImplementedError()

    def broken_update(w, dw, config):
        return w - config["lr"] * dw, config

    view = LandscapeView(wells_loss)
    note = view.update(wells_grad, plain_update, unwritten, (0.3, 0.2), 0.05, "constant", 10)
    assert note[0]["text"].startswith("Write unwritten above first")
    note = view.update(wells_grad, broken_update, halving, (0.3, 0.2), 0.05, "constant", 10)
    assert note[0]["text"].startswith("broken_update raised KeyError")


def test_landscape_explorer_is_none_when_headless(monkeypatch):
    monkeypatch.setenv("BPKIT_HEADLESS", "1")
    assert landscape_explorer(wells_loss, wells_grad, plain_update, cosine_schedule) is None


def test_landscape_explorer_redraws_on_its_controls(monkeypatch):
    monkeypatch.delenv("BPKIT_HEADLESS", raising=False)
    box = landscape_explorer(wells_loss, wells_grad, plain_update, cosine_schedule,
                             w0=(0.3, 0.2), learning_rate=0.05, num_steps=20)
    w1, w2, rate, kind, steps, picture = box.children
    first = picture.outputs[0]
    assert "η = 0.05, constant" in first["data"]["text/plain"]
    kind.value = "warmup"
    assert "warmup" in picture.outputs[0]["data"]["text/plain"]
    w1.value = -1.5
    assert picture.outputs[0]["data"]["image/png"] != first["data"]["image/png"]
