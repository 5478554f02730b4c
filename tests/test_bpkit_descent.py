"""Tests of bpkit.plots.descent and bpkit.views (descent, progress): loss grids, descent paths,
the progress line, the plots and the learning-rate explorer. Every update rule and classifier
is defined here, in the test."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from bpkit.plots.descent import BLOWUP, decision_grid, descent_path, loss_grid, path_summary, plot_decision_boundary, plot_descent, plot_loss_curves, plot_path_losses  # noqa: E402
from bpkit.views.descent import learning_rate_explorer  # noqa: E402
from bpkit.views.progress import TrainingProgress, progress_line  # noqa: E402


def bowl_loss(w):
    return 0.5 * (w[0] ** 2 + 10.0 * w[1] ** 2)


def bowl_grad(w):
    return np.array([w[0], 10.0 * w[1]])


def plain_update(w, dw, config=None):
    config = config or {}
    config.setdefault("learning_rate", 1e-2)
    return w - config["learning_rate"] * dw, config


def in_place_update(w, dw, config):
    w -= config["learning_rate"] * dw
    return w, config


def unwritten_update(w, dw, config=None):
    raise NotImplementedError()


def above_the_diagonal(points):
    return (points[:, 1] > points[:, 0]).astype(int)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_loss_grid_shape_orientation_and_values():
    grid = loss_grid(bowl_loss, xlim=(-2.0, 2.0), ylim=(-1.0, 1.0), n=5)
    np.testing.assert_allclose(grid["w1"], [-2, -1, 0, 1, 2])
    np.testing.assert_allclose(grid["w2"], [-1, -0.5, 0, 0.5, 1])
    # loss[i, j] is the loss at (w1[j], w2[i])
    expected = 0.5 * (grid["w1"][None, :] ** 2 + 10.0 * grid["w2"][:, None] ** 2)
    np.testing.assert_allclose(grid["loss"], expected, rtol=1e-12)


@pytest.mark.parametrize("loss_fn", [
    lambda w: (1.0 - w[0]) ** 2 + 100.0 * (w[1] - w[0] ** 2) ** 2,  # broadcasts: one call
    lambda w: np.sum(np.asarray(w) ** 2),                         # a number for any shape
    lambda w: float(w[0]) ** 2 + float(w[1]),                      # one point only: raises
    lambda w: w[0] ** 2 + np.mean(w[1]),                           # the right shape, wrong values
], ids=["broadcasting", "summing", "one-point", "misleading"])
def test_loss_grid_is_the_loss_at_every_point_however_it_is_written(loss_fn):
    grid = loss_grid(loss_fn, xlim=(-2.0, 1.5), ylim=(-1.0, 3.0), n=13)
    expected = [[float(loss_fn(np.array([a, b]))) for a in grid["w1"]] for b in grid["w2"]]
    np.testing.assert_allclose(grid["loss"], expected, rtol=1e-12, atol=0.0)


def test_descent_path_follows_the_update_from_w0():
    path = descent_path(bowl_grad, plain_update, [-4.0, 2.0], 0.1, num_steps=3)
    assert path.shape == (4, 2) and path.dtype == np.float64
    w1 = -4.0 * 0.9 ** np.arange(4)  # each step multiplies w1 by 1 - 0.1
    w2 = np.array([2.0, 0.0, 0.0, 0.0])  # and w2 by 1 - 10 * 0.1 = 0
    np.testing.assert_allclose(path, np.column_stack([w1, w2]), atol=1e-12)


def test_descent_path_passes_the_learning_rate_and_the_returned_config():
    seen = []

    def recording_update(w, dw, config):
        seen.append(dict(config))
        config = dict(config, calls=config.get("calls", 0) + 1)
        return w - config["learning_rate"] * dw, config

    descent_path(bowl_grad, recording_update, [1.0, 1.0], 0.05, num_steps=3)
    assert seen == [{"learning_rate": 0.05}, {"learning_rate": 0.05, "calls": 1},
                    {"learning_rate": 0.05, "calls": 2}]


def test_descent_path_stops_when_the_weights_blow_up():
    path = descent_path(bowl_grad, plain_update, [-4.0, 2.0], 0.5, num_steps=100)
    assert len(path) < 101  # |1 - 10 * 0.5| = 4: w2 quadruples each step
    assert np.max(np.abs(path[-1])) > BLOWUP
    assert np.all(np.isfinite(path))


def test_descent_path_keeps_every_point_even_for_an_in_place_update():
    path = descent_path(bowl_grad, in_place_update, [-4.0, 2.0], 0.1, num_steps=2)
    np.testing.assert_allclose(path[:, 0], [-4.0, -3.6, -3.24])


def test_descent_path_names_a_wrong_shape():
    with pytest.raises(ValueError, match=r"shape \(1,\)"):
        descent_path(bowl_grad, lambda w, dw, c: (w[:1], c), [1.0, 1.0], 0.1)


def test_path_summary_losses_and_verdicts():
    good = descent_path(bowl_grad, plain_update, [-4.0, 2.0], 0.1, num_steps=10)
    summary = path_summary(bowl_loss, good)
    assert summary["steps"] == 10 and not summary["diverged"]
    assert summary["losses"][0] == 28.0 and summary["losses"][-1] < 1.0
    bad = descent_path(bowl_grad, plain_update, [-4.0, 2.0], 0.21, num_steps=10)
    assert path_summary(bowl_loss, bad)["diverged"]


def test_decision_grid_shape_orientation_and_labels():
    x = np.array([[0.0, 0.0], [1.0, 2.0]])
    grid = decision_grid(above_the_diagonal, x, n=11, margin=0.5)
    assert grid["x1"][0] == -0.5 and grid["x1"][-1] == 1.5
    assert grid["x2"][0] == -0.5 and grid["x2"][-1] == 2.5
    assert grid["labels"].shape == (11, 11) and grid["labels"].dtype == np.int64
    expected = (grid["x2"][:, None] > grid["x1"][None, :]).astype(int)
    np.testing.assert_array_equal(grid["labels"], expected)


def test_decision_grid_names_a_wrong_output_shape():
    with pytest.raises(ValueError, match="one class label per point"):
        decision_grid(lambda points: points, np.zeros((3, 2)), n=4)


@pytest.mark.parametrize("epoch,expected_bar", [(0, 0), (5, 6), (20, 24), (25, 24)])
def test_progress_line_fills_in_proportion(epoch, expected_bar):
    line = progress_line(epoch, 20, 0.123456, width=24)
    assert line.count("█") == expected_bar and line.count("█") + line.count("░") == 24
    assert f"epoch {epoch:>2}/20" in line and "loss 0.1235" in line


def test_progress_line_shows_seconds_when_given():
    assert progress_line(3, 10, 1.0, seconds=2.345).endswith("(2.3 s)")


def test_training_progress_prints_outside_ipython_and_keeps_losses(capsys, monkeypatch):
    monkeypatch.delenv("BPKIT_HEADLESS", raising=False)
    progress = TrainingProgress(20, label="moons")
    for epoch in range(1, 21):
        progress(epoch, 1.0 / epoch)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 11  # epoch 1, then every second epoch (a tenth of 20)
    assert lines[0].startswith("moons: epoch  1/20") and "epoch 20/20" in lines[-1]
    assert progress.losses == pytest.approx([1.0 / e for e in range(1, 21)])


def test_training_progress_is_silent_when_headless(capsys, monkeypatch):
    monkeypatch.setenv("BPKIT_HEADLESS", "1")
    progress = TrainingProgress(5)
    progress(1, 0.5)
    assert capsys.readouterr().out == "" and progress.losses == [0.5]


def _labelled(ax, title_part):
    assert title_part in ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel()


def test_plot_descent_draws_contours_paths_and_labels():
    grid = loss_grid(bowl_loss, n=31)
    paths = {"η = 0.1": descent_path(bowl_grad, plain_update, [-4.0, 2.0], 0.1),
             "η = 0.01": descent_path(bowl_grad, plain_update, [-4.0, 2.0], 0.01)}
    fig = plot_descent(grid, paths, title="Two paths")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    _labelled(ax, "Two paths")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["minimum", "η = 0.1", "η = 0.01"]
    assert ax.get_xlim() == (-5.0, 5.0) and ax.get_ylim() == (-3.0, 3.0)


def test_plot_descent_has_equal_scales_and_cuts_a_diverging_path_where_it_leaves():
    grid = loss_grid(bowl_loss, n=31)
    path = descent_path(bowl_grad, plain_update, [-4.0, 2.0], 0.21)
    fig = plot_descent(grid, {"diverges": path})
    ax = fig.axes[0]
    assert ax.get_aspect() == 1.0
    (line,) = [l for l in ax.get_lines() if l.get_label() == "diverges"]
    inside = (np.abs(path[:, 0]) <= 5.0) & (np.abs(path[:, 1]) <= 3.0)
    first_out = int(np.flatnonzero(~inside)[0])
    assert len(line.get_xdata()) == first_out + 1  # up to the step that leaves, not beyond
    notes = [t.get_text() for t in ax.texts]
    assert notes == [f"leaves the frame at step {first_out}"]
    fig = plot_descent(grid, {"converges": descent_path(bowl_grad, plain_update, [-4.0, 2.0],
                                                        0.1)})
    assert not fig.axes[0].texts and len(fig.axes[0].get_lines()[1].get_xdata()) == 31


def test_plot_path_losses_uses_a_log_scale():
    fig = plot_path_losses({"a": [10.0, 1.0, 0.1]})
    _labelled(fig.axes[0], "Loss along each path")
    assert fig.axes[0].get_yscale() == "log"


def test_plot_loss_curves_takes_histories_and_step_pairs():
    fig, ax = plt.subplots()
    plot_loss_curves({"per epoch": [0.7, 0.5, 0.4],
                              "per step": (np.array([10, 20, 30]), [0.6, 0.5, 0.45])},
                             ax=ax, title="Curves", log=True)
    _labelled(ax, "Curves")
    first, second = ax.get_lines()
    np.testing.assert_array_equal(first.get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(second.get_xdata(), [10, 20, 30])
    assert ax.get_yscale() == "log"


def test_plot_decision_boundary_draws_regions_points_and_legend():
    x = np.random.default_rng(0).normal(size=(40, 2))
    y = above_the_diagonal(x)
    fig = plot_decision_boundary(above_the_diagonal, x, y, title="Diagonal", n=50)
    ax = fig.axes[0]
    _labelled(ax, "Diagonal")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1"]
    assert len(ax.images) == 1


def test_learning_rate_explorer_is_none_when_headless(monkeypatch):
    monkeypatch.setenv("BPKIT_HEADLESS", "1")
    assert learning_rate_explorer(bowl_loss, bowl_grad, plain_update, [-4, 2]) is None


def test_learning_rate_explorer_redraws_on_the_slider(monkeypatch):
    monkeypatch.delenv("BPKIT_HEADLESS", raising=False)
    box = learning_rate_explorer(bowl_loss, bowl_grad, plain_update, [-4.0, 2.0],
                                         learning_rate=0.05, num_steps=10)
    rate, steps, picture = box.children
    first = picture.outputs[0]
    assert "image/png" in first["data"] and "0.05" in first["data"]["text/plain"]
    rate.value = 0.3
    assert picture.outputs[0]["data"]["text/plain"].endswith("diverged>")
    steps.value = 5
    assert picture.outputs[0]["data"]["image/png"] != first["data"]["image/png"]


def test_learning_rate_explorer_says_when_the_update_is_not_written(monkeypatch):
    monkeypatch.delenv("BPKIT_HEADLESS", raising=False)
    box = learning_rate_explorer(bowl_loss, bowl_grad, unwritten_update, [-4.0, 2.0])
    assert box.children[2].outputs[0]["text"].startswith("Write unwritten_update above first")


def test_learning_rate_explorer_reports_an_error_in_the_update(monkeypatch):
    monkeypatch.delenv("BPKIT_HEADLESS", raising=False)

    def broken_update(w, dw, config):
        return w - config["lr"] * dw, config

    box = learning_rate_explorer(bowl_loss, bowl_grad, broken_update, [-4.0, 2.0])
    text = box.children[2].outputs[0]["text"]
    assert text.startswith("broken_update raised KeyError") and 'config["lr"]' in text
