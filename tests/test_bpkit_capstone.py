"""Tests of bpkit.plots.capstone and bpkit.views.capstone: the confusion matrix, the gallery of
misclassified images, the history and search pictures, and the search explorer's view. Every
classifier here is defined in the test (a linear one: no network is trained)."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from bpkit.plots.capstone import (confusion_counts, plot_confusion, plot_history,  # noqa: E402
                                  plot_misclassified, plot_search)
from bpkit.views.capstone import SearchView, find_run, search_explorer  # noqa: E402
from test_bpkit_live import assert_same_picture, pixels  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def linear_predict(params, x, config):
    return np.argmax(x @ params["W1"] + params["b1"], axis=1)


def unwritten_predict(params, x, config):
    raise NotImplementedError()


def fake_search(widths=(8, 32), rates=(1e-3, 1e-2, 1e-1), epochs=6, D=12, C=10, seed=0):
    """Runs shaped like the notebook's: a config, linear params and a made-up history each."""
    rng = np.random.default_rng(seed)
    results = []
    for width in widths:
        for lr in rates:
            curve = np.exp(-lr * 30.0 * np.arange(1, epochs + 1)) + 0.05
            results.append({"config": {"hidden_sizes": [width], "lr": lr},
                            "params": {"W1": rng.normal(size=(D, C)), "b1": rng.normal(size=C)},
                            "history": {"train_loss": list(2.0 * curve),
                                        "val_loss": list(2.2 * curve + 0.02),
                                        "val_acc": list(1.0 - 0.8 * curve)}})
    x_val = rng.normal(size=(80, D))
    y_val = rng.integers(0, C, size=80)
    return results, x_val, y_val


def test_confusion_counts_rows_are_true_labels_and_columns_predictions():
    counts = confusion_counts([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], num_classes=3)
    np.testing.assert_array_equal(counts, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    assert counts.sum() == 6 and np.trace(counts) == 4
    with pytest.raises(ValueError):
        confusion_counts([0, 1], [0], num_classes=2)


def test_plot_confusion_has_title_labels_and_one_count_per_nonzero_cell():
    y_true = np.array([0, 1, 2, 2, 3, 3, 3])
    y_pred = np.array([0, 1, 2, 1, 3, 3, 0])
    fig = plot_confusion(y_true, y_pred, num_classes=4)
    ax = fig.axes[0]
    assert "71.4% correct" in ax.get_title()
    assert ax.get_xlabel() == "predicted digit" and ax.get_ylabel() == "true digit"
    shown = sorted(t.get_text() for t in ax.texts if t.get_text())
    assert shown == sorted(["1", "1", "1", "1", "2", "1"])


def test_plot_misclassified_shows_only_the_wrong_images_with_their_labels():
    images = np.linspace(0.0, 1.0, 5 * 64).reshape(5, 64)
    fig = plot_misclassified(images, np.array([1, 2, 3, 4, 5]), np.array([1, 7, 3, 9, 5]))
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["2 → 7", "4 → 9"]
    assert "2 of 5" in fig._suptitle.get_text()
    fig = plot_misclassified(images, np.arange(5), np.arange(5))
    assert "0 of 5" in fig._suptitle.get_text()


def test_plot_history_and_plot_search_are_labelled():
    results, _, _ = fake_search()
    fig = plot_history(results[0]["history"])
    loss_ax, acc_ax = fig.axes
    assert loss_ax.get_xlabel() == "epoch" and "nats" in loss_ax.get_ylabel()
    assert acc_ax.get_ylabel() == "accuracy (%)" and len(loss_ax.lines) == 2
    np.testing.assert_allclose(acc_ax.lines[0].get_ydata(),
                               100.0 * np.array(results[0]["history"]["val_acc"]))
    scores = np.array([[0.5, 0.9, 0.95], [0.8, 0.96, 0.9]])
    fig = plot_search(scores, [8, 32], [1e-3, 1e-2, 1e-1], "hidden width", "learning rate",
                      chosen=(1, 1))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts][4] == "96.0%"
    assert len(ax.patches) == 1 and ax.get_xlabel() == "learning rate"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0.001", "0.01", "0.1"]


def test_find_run_picks_the_width_and_rate_or_says_what_is_missing():
    results, _, _ = fake_search()
    assert find_run(results, 32, 1e-2) is results[4]
    with pytest.raises(KeyError, match="width 16"):
        find_run(results, 16, 1e-2)


def test_search_view_after_several_moves_matches_a_fresh_drawing():
    results, x_val, y_val = fake_search()
    view = SearchView(results, x_val, y_val)
    first = view.update(linear_predict, 8, 1e-3)
    for width, lr in [(32, 1e-1), (8, 1e-2), (32, 1e-3)]:
        view.update(linear_predict, width, lr)
    moved = view.update(linear_predict, 32, 1e-2)
    assert np.any(pixels(first) != pixels(moved)), "the picture did not change"
    fresh = SearchView(results, x_val, y_val).update(linear_predict, 32, 1e-2)
    assert_same_picture(moved, fresh)
    run = find_run(results, 32, 1e-2)
    right = np.mean(linear_predict(run["params"], x_val, run["config"]) == y_val)
    assert f"{right:.1%}" in moved[0]["data"]["text/plain"]


def test_search_view_says_why_there_is_no_picture():
    results, x_val, y_val = fake_search()
    view = SearchView(results, x_val, y_val)
    (note,) = view.update(unwritten_predict, 8, 1e-2)
    assert "Write predict above first" in note["text"]
    (note,) = view.update(linear_predict, 16, 1e-2)
    assert "no run with hidden width 16" in note["text"]


def test_search_explorer_is_none_when_headless(monkeypatch):
    monkeypatch.setenv("BPKIT_HEADLESS", "1")
    results, x_val, y_val = fake_search()
    assert search_explorer(results, linear_predict, x_val, y_val, [8, 32],
                           [1e-3, 1e-2, 1e-1]) is None
