"""Deep networks made visible (notebook 07): a quantity per layer (gradient norms, the spread of
the pre-activations), dead units counted per layer, and the pre-activations read off the
learner's own forward pass. Every network, gradient and norm here is the learner's own, passed in.
"""
import numpy as np

from bpkit.plots import figure_and_axes

__all__ = ["LAYER_COLOURS", "pre_activations", "dead_units", "plot_per_layer",
           "draw_per_layer", "plot_dead_units"]


LAYER_COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown",
                 "tab:pink", "tab:gray")


def pre_activations(forward, x, params, activation):
    """[z_1, ..., z_L]: each layer's pre-activation, read off the learner's forward pass.

    forward: the learner's deep_forward(x, params, activation) -> (scores, caches), whose last
    layer is linear; so the scores of the network cut after layer k are z_k. Costs L forward
    passes of growing depth, fine for the small networks of the notebook.
    """
    L = len(params) // 2
    zs = []
    for k in range(1, L + 1):
        cut = {name: value for name, value in params.items() if int(name[1:]) <= k}
        zs.append(np.asarray(forward(x, cut, activation)[0], dtype=np.float64))
    return zs


def dead_units(zs):
    """For each z_k (N, H_k): how many of its H_k units are never positive over the N samples.

    A ReLU unit whose pre-activation is <= 0 for every input outputs 0 for all of them, so no
    gradient reaches its weights: it is dead. Returns an int array, one count per layer.
    """
    return np.array([int(np.sum(np.all(np.asarray(z) <= 0.0, axis=0))) for z in zs])


def plot_per_layer(values, ax=None, title="Gradient norm per layer",
                   ylabel="gradient norm ||dW_k|| (log scale)", log=True):
    """One line per run of a quantity with one value per layer (x = layer 1, 2, ..., L).

    values: {label: (L,) values}. A value that is 0, nan or inf is left out of a log scale.
    Returns the Figure.
    """
    fig, ax = figure_and_axes(ax, figsize=(7.0, 4.2))
    draw_per_layer(ax, values, log=log)
    if log:
        ax.set_yscale("log")
    ax.set(title=title, xlabel="layer k (1 = next to the input)", ylabel=ylabel)
    ax.grid(True, which="major", alpha=0.3)
    return fig


def draw_per_layer(ax, values, log=True):
    """The lines of plot_per_layer and their legend; returns the artists drawn."""
    drawn = []
    for (label, row), colour in zip(values.items(), LAYER_COLOURS * 4):
        row = np.asarray(row, dtype=np.float64)
        layers = np.arange(1, len(row) + 1)
        keep = np.isfinite(row) & ((row > 0) if log else True)
        drawn += ax.plot(layers[keep], row[keep], "-o", color=colour, markersize=4, label=label)
    if drawn:
        ax.set_xticks(np.arange(1, max(len(np.atleast_1d(r)) for r in values.values()) + 1))
        drawn.append(ax.legend(fontsize="small", framealpha=0.9))
    return drawn


def plot_dead_units(counts, widths, ax=None, title="Dead ReLU units per hidden layer"):
    """Bars of the fraction of dead units in each hidden layer, one group of bars per run.

    counts: {label: (L - 1,) dead units per hidden layer}, e.g. from dead_units.
    widths: (L - 1,) the number of units of each hidden layer. Returns the Figure.
    """
    fig, ax = figure_and_axes(ax, figsize=(7.0, 4.2))
    widths = np.asarray(widths, dtype=np.float64)
    layers = np.arange(1, len(widths) + 1)
    step = 0.8 / max(len(counts), 1)
    for i, ((label, row), colour) in enumerate(zip(counts.items(), LAYER_COLOURS * 4)):
        fraction = 100.0 * np.asarray(row, dtype=np.float64) / widths
        ax.bar(layers - 0.4 + step * (i + 0.5), fraction, width=step, color=colour,
               label=f"{label}: {int(np.sum(row))} of {int(widths.sum())} dead")
    ax.set_xticks(layers)
    ax.set(title=title, xlabel="hidden layer k", ylabel="dead units (% of the layer)",
           ylim=(0, 100))
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(fontsize="small", framealpha=0.9, loc="upper left")
    return fig
