"""Overfitting and regularization made visible (notebook 09): training and validation curves,
the gap between them over a grid of settings, and weight histograms. Every network, penalty and
dropout layer is the learner's own, run by the notebook: these functions only draw what it
returns.

A history is a dict of equal-length arrays: "epochs", "train_loss", "val_loss", "train_acc"
and "val_acc" (what the notebook's train_network records).
"""
import numpy as np

from bpkit.plots import figure_and_axes

__all__ = ["RUN_COLOURS", "draw_train_val", "plot_train_val", "plot_gap_grid",
           "plot_weight_histograms", "histogram_bins"]

RUN_COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown")
METRICS = {"loss": ("cross-entropy loss (nats)", "train_loss", "val_loss"),
           "accuracy": ("accuracy (fraction correct)", "train_acc", "val_acc")}


def draw_train_val(ax, history, metric="loss", label="", colour="tab:blue", stop=None):
    """A run's training curve (solid) and validation curve (dashed) of `metric` ("loss" or
    "accuracy") against epochs; stop: an epoch to mark on the validation curve (early
    stopping). Returns the artists drawn."""
    _, train_key, val_key = METRICS[metric]
    epochs = np.asarray(history["epochs"], dtype=np.float64)
    prefix = f"{label}: " if label else ""
    drawn = ax.plot(epochs, np.asarray(history[train_key], dtype=np.float64), "-",
                    color=colour, linewidth=1.8, label=f"{prefix}training")
    drawn += ax.plot(epochs, np.asarray(history[val_key], dtype=np.float64), "--",
                     color=colour, linewidth=1.8, label=f"{prefix}validation")
    if stop is not None:
        at = int(np.argmin(np.abs(epochs - stop)))
        drawn += ax.plot([epochs[at]], [history[val_key][at]], "o", color="black",
                         markersize=7, zorder=5, label=f"kept: epoch {int(epochs[at])}")
    return drawn


def plot_train_val(histories, ax=None, metric="loss", title="Training and validation loss",
                   stop=None, ylim=None):
    """Training (solid) and validation (dashed) curves, one colour per run.

    histories: {label: history}.  stop: {label: epoch} to mark (early stopping).  Returns the
    Figure.
    """
    fig, ax = figure_and_axes(ax, figsize=(7.0, 4.2))
    for (label, history), colour in zip(histories.items(), RUN_COLOURS * 4):
        draw_train_val(ax, history, metric, label if len(histories) > 1 else "", colour,
                       (stop or {}).get(label))
    ax.set(title=title, xlabel="epoch (one full-batch gradient step each)",
           ylabel=METRICS[metric][0])
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small", framealpha=0.9)
    return fig


def plot_gap_grid(gaps, widths, sizes, ax=None,
                  title="Training minus validation accuracy (percentage points)"):
    """A map of the generalisation gap: gaps (len(widths), len(sizes)) in percentage points,
    one cell per (hidden width H, training-set size N), each labelled with its value."""
    fig, ax = figure_and_axes(ax, figsize=(6.4, 4.2))
    gaps = np.asarray(gaps, dtype=np.float64)
    image = ax.imshow(gaps, cmap="Reds", vmin=min(0.0, float(gaps.min())),
                      vmax=max(float(gaps.max()), 1.0), origin="lower", aspect="auto")
    for (i, j), value in np.ndenumerate(gaps):
        dark = value > 0.6 * max(float(gaps.max()), 1.0)
        ax.text(j, i, f"{value:.1f}", ha="center", va="center",
                color="white" if dark else "black")
    ax.set_xticks(range(len(sizes)), [str(n) for n in sizes])
    ax.set_yticks(range(len(widths)), [str(h) for h in widths])
    ax.set(title=title, xlabel="training-set size N (points)", ylabel="hidden width H (units)")
    fig.colorbar(image, ax=ax, label="gap (percentage points)")
    return fig


def histogram_bins(low=1e-8, high=10.0, per_decade=4):
    """Bin edges for |w| on a log scale, from low to high."""
    decades = int(round(np.log10(high / low)))
    return np.geomspace(low, high, decades * per_decade + 1)


def plot_weight_histograms(weights, ax=None, title="Weights after training: |w| on a log scale",
                           low=1e-8, high=10.0):
    """Histograms of |w| for each run, on a log axis; weights: {label: array of weights}.

    A weight of exactly 0 has no place on a log axis: the legend counts those, and weights
    below `low` are drawn in the first bin. Returns the Figure.
    """
    fig, ax = figure_and_axes(ax, figsize=(7.0, 4.2))
    bins = histogram_bins(low, high)
    for (label, values), colour in zip(weights.items(), RUN_COLOURS * 4):
        size = np.abs(np.asarray(values, dtype=np.float64).ravel())
        zeros = int(np.sum(size == 0.0))
        shown = np.clip(size[size > 0.0], low, high)
        ax.hist(shown, bins=bins, histtype="stepfilled", alpha=0.45, color=colour,
                edgecolor=colour, label=f"{label} ({zeros} of {size.size} exactly 0)")
    ax.set_xscale("log")
    ax.set(title=title, xlabel="|w| (log scale; the first bin holds everything below it)",
           ylabel="number of weights")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small", framealpha=0.9)
    return fig
