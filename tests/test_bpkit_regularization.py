"""Tests of bpkit.plots.regularization and bpkit.views.regularization: the training and
validation curves, the gap map, the weight histograms and the regularization explorer (a frame
after several slider moves matches a fresh drawing). The experiment is the tests' own stand-in:
bpkit trains nothing."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from bpkit.plots.regularization import (draw_train_val, histogram_bins,  # noqa: E402
                                        plot_gap_grid, plot_train_val, plot_weight_histograms)
from bpkit.views.regularization import (DROP_RATES, REGS, SIZES, WIDTHS,  # noqa: E402
                                        RegularizationView, regularization_explorer)
from test_bpkit_live import assert_same_picture  # noqa: E402


def history(width=16, n_train=20, reg=0.0, keep_prob=1.0, every=5, num_epochs=300):
    """Made-up curves that depend on the setting: training falls, validation turns up."""
    epochs = np.arange(every, num_epochs + 1, every)
    t = epochs / num_epochs
    overfit = width / (width + n_train) * (1.0 - 5.0 * reg) * keep_prob
    train_loss = 0.7 * np.exp(-5.0 * t) + 0.05
    val_loss = 0.7 * np.exp(-5.0 * t) + 0.3 + overfit * t
    return {"epochs": epochs, "train_loss": train_loss, "val_loss": val_loss,
            "train_acc": 1.0 - train_loss / 2.0, "val_acc": 1.0 - val_loss / 2.0}


def experiment(width, n_train, reg, keep_prob):
    experiment.calls.append((width, n_train, reg, keep_prob))
    return history(width, n_train, reg, keep_prob)


experiment.calls = []


def unwritten(width, n_train, reg, keep_prob):
    raise NotImplementedError()


def broken(width, n_train, reg, keep_prob):
    raise ValueError("shapes do not match")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _labelled(ax, title_part):
    assert title_part in ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel()


def test_draw_train_val_draws_solid_training_dashed_validation_and_the_kept_epoch():
    fig, ax = plt.subplots()
    run = history()
    drawn = draw_train_val(ax, run, "loss", label="run", stop=52)
    train, val, kept = drawn
    assert train.get_linestyle() == "-" and val.get_linestyle() == "--"
    np.testing.assert_array_equal(val.get_ydata(), run["val_loss"])
    # the marker sits on the measured epoch nearest to the one asked for (every 5: epoch 50)
    assert kept.get_xdata()[0] == 50 and kept.get_ydata()[0] == run["val_loss"][9]
    assert kept.get_label() == "kept: epoch 50"


def test_draw_train_val_plots_accuracy_from_its_own_keys():
    fig, ax = plt.subplots()
    run = history()
    train, val = draw_train_val(ax, run, "accuracy")
    np.testing.assert_array_equal(train.get_ydata(), run["train_acc"])
    np.testing.assert_array_equal(val.get_ydata(), run["val_acc"])


def test_plot_train_val_colours_runs_and_labels_axes():
    fig = plot_train_val({"a": history(), "b": history(width=128)}, title="Loss", ylim=(0, 1))
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    _labelled(ax, "Loss")
    lines = ax.get_lines()
    assert len(lines) == 4 and lines[0].get_color() == lines[1].get_color() != lines[2].get_color()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "a: training", "a: validation", "b: training", "b: validation"]
    assert ax.get_ylim() == (0.0, 1.0)


def test_plot_gap_grid_writes_every_gap_in_its_cell():
    gaps = np.array([[8.4, 4.7], [16.8, 5.8]])
    fig = plot_gap_grid(gaps, widths=(4, 128), sizes=(20, 180), title="Gap")
    ax = fig.axes[0]
    _labelled(ax, "Gap")
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["16.8", "4.7", "5.8", "8.4"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["20", "180"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["4", "128"]


def test_histogram_bins_span_the_decades_on_a_log_scale():
    bins = histogram_bins(1e-4, 10.0, per_decade=2)
    assert len(bins) == 11 and bins[0] == pytest.approx(1e-4) and bins[-1] == pytest.approx(10.0)
    np.testing.assert_allclose(bins[1:] / bins[:-1], np.sqrt(10.0))


def test_plot_weight_histograms_counts_exact_zeros_and_keeps_tiny_weights():
    weights = {"L1": np.array([0.0, 0.0, 1e-12, 0.5, -2.0]), "L2": np.array([0.1, -0.3])}
    fig = plot_weight_histograms(weights, title="Weights")
    ax = fig.axes[0]
    _labelled(ax, "Weights")
    assert ax.get_xscale() == "log"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["L1 (2 of 5 exactly 0)", "L2 (0 of 2 exactly 0)"]
    first = ax.patches[0]  # the L1 histogram: 3 nonzero weights, the tiny one in the first bin
    assert first.get_path().vertices[:, 1].max() == 1.0


def test_regularization_view_after_several_moves_matches_a_fresh_drawing():
    moved = RegularizationView()
    for setting in [(128, 20, 0.0, 0.0), (8, 160, 0.01, 0.5), (32, 10, 0.1, 0.25),
                    (64, 40, 0.001, 0.1)]:
        outputs = moved.update(experiment, *setting)
    fresh = RegularizationView().update(experiment, 64, 40, 0.001, 0.1)
    assert_same_picture(outputs, fresh)
    assert outputs[0]["data"]["text/plain"].startswith("<H=64, N=40, reg=0.001, drop=0.1")


def test_regularization_view_runs_each_setting_once_with_keep_prob():
    view = RegularizationView()
    experiment.calls.clear()
    for _ in range(3):
        view.update(experiment, 16, 20, 0.0, 0.25)
        view.update(experiment, 16, 40, 0.0, 0.25)
    assert experiment.calls == [(16, 20, 0.0, 0.75), (16, 40, 0.0, 0.75)]


def test_regularization_view_reports_the_final_accuracies_and_gap():
    text = RegularizationView().update(experiment, 128, 10, 0.0, 0.0)[0]["data"]["text/plain"]
    run = history(128, 10)
    assert f"training {run['train_acc'][-1]:.1%}, validation {run['val_acc'][-1]:.1%}" in text


def test_regularization_view_says_what_to_write_first_or_what_failed():
    (note,) = RegularizationView().update(unwritten, 16, 20, 0.0, 0.0)
    assert note["text"].startswith("Write l2_penalty, dropout_forward and dropout_backward")
    (note,) = RegularizationView().update(broken, 16, 20, 0.0, 0.0)
    assert note["text"].startswith("the experiment raised ValueError: shapes do not match")


def test_regularization_explorer_is_none_when_headless(monkeypatch):
    monkeypatch.setenv("BPKIT_HEADLESS", "1")
    assert regularization_explorer(experiment) is None


def test_regularization_explorer_redraws_on_each_slider(monkeypatch):
    monkeypatch.delenv("BPKIT_HEADLESS", raising=False)
    box = regularization_explorer(experiment, width=128, n_train=20)
    width, n_train, reg, drop_rate, picture = box.children
    assert (tuple(width.options), tuple(n_train.options), tuple(reg.options),
            tuple(drop_rate.options)) == (WIDTHS, SIZES, REGS, DROP_RATES)
    first = picture.outputs[0]["data"]
    assert first["text/plain"].startswith("<H=128, N=20, reg=0, drop=0:")
    width.value, n_train.value, reg.value, drop_rate.value = 8, 160, 0.01, 0.5
    last = picture.outputs[0]["data"]
    assert last["text/plain"].startswith("<H=8, N=160, reg=0.01, drop=0.5:")
    assert last["image/png"] != first["image/png"]
