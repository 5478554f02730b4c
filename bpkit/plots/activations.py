"""Activations and a single neuron (notebook 01): curves, and a neuron's output over the plane."""
import numpy as np
from matplotlib.lines import Line2D

from bpkit.plots import colour_range, figure_and_axes

__all__ = ["ACTIVATION_COLOURS", "ACTIVATION_YLIM", "plot_activations", "plot_neuron_surface",
           "scatter_points"]

# One colour per activation and one y-range in every notebook, so a curve is recognised at a
# glance and sigmoid and tanh are not squashed by an unbounded ReLU (which leaves the top of the
# frame: it has no upper bound). A derivative (name ending in ') takes its function's colour.
ACTIVATION_COLOURS = {"sigmoid": "tab:blue", "tanh": "tab:orange", "relu": "tab:green",
                      "leaky_relu": "tab:olive", "identity": "tab:gray"}
ACTIVATION_YLIM = (-1.25, 2.25)


# Shape and fill both differ, so the classes stay apart on either end of the colour map and
# for colour-blind readers.
_CLASS_STYLE = (
    {"marker": "o", "facecolor": "white", "label": "class 0"},
    {"marker": "^", "facecolor": "gold", "label": "class 1"},
)


def plot_activations(activations, z=None, ax=None):
    """Plot each activation a = f(z) on one axes and return the Figure.

    activations: {name: f} where f maps z (M,) to a (M,).  z: (M,), default 401 points in [-6, 6].
    A function that raises NotImplementedError (an exercise not written yet) is skipped and
    named in the legend.
    """
    z = np.linspace(-6.0, 6.0, 401) if z is None else np.asarray(z, dtype=np.float64)
    fig, ax = figure_and_axes(ax, figsize=(6.4, 4.2))
    missing = []
    for name, f in activations.items():
        try:
            # A copy, so a function that changes its input in place cannot bend later curves.
            a = f(z.copy())
        except NotImplementedError:
            missing.append(name)
            continue
        a = np.asarray(a, dtype=np.float64)
        if a.shape != z.shape:
            raise ValueError(f"{name}(z) returned shape {a.shape} for z of shape {z.shape}; "
                             "an activation must return one value per input.")
        ax.plot(z, a, linewidth=2, label=name, color=ACTIVATION_COLOURS.get(name.rstrip("'")))
    for name in missing:
        # An invisible handle: the legend lists what is still to write, next to what is drawn.
        ax.plot([], [], linestyle="none", label=f"({name}: not written yet)")
    ax.axhline(0.0, color="0.6", linewidth=0.8, zorder=0)
    ax.axvline(0.0, color="0.6", linewidth=0.8, zorder=0)
    ax.set_xlim(z.min(), z.max())
    ax.set_ylim(*ACTIVATION_YLIM)
    ax.set(title="Activation functions", xlabel="pre-activation z",
           ylabel="output a = f(z)")
    ax.grid(True, alpha=0.3)
    if activations:
        ax.legend(loc="upper left", framealpha=0.9)
    return fig


def plot_neuron_surface(grid, points=None, labels=None, ax=None, title=None, vmin=None,
                        vmax=None):
    """Draw a 2-input neuron's output over the plane, its a = level line and optional points.

    grid: dict from bpkit.widgets.neuron_grid: x1 (n,), x2 (n,), a (n, n) with row i at x2[i],
    level, w (2,), b.  points: (N, 2) inputs to scatter.  labels: (N,) classes 0/1 of the points.
    vmin, vmax: colour range; by default the range of the activation (e.g. [0, 1] for a sigmoid).
    """
    x1, x2 = np.asarray(grid["x1"]), np.asarray(grid["x2"])
    a, level = np.asarray(grid["a"], dtype=np.float64), float(grid["level"])
    fig, ax = figure_and_axes(ax, figsize=(6.0, 4.8))
    vmin, vmax = colour_range(a, level, vmin, vmax)
    image = ax.imshow(a, origin="lower", extent=(x1[0], x1[-1], x2[0], x2[-1]),
                      cmap="coolwarm", vmin=vmin, vmax=vmax, interpolation="bilinear",
                      aspect="equal")
    fig.colorbar(image, ax=ax, label="neuron output a")
    handles = []
    # contour() warns and draws nothing when the level lies outside the values (e.g. w = 0).
    if a.min() <= level < a.max():
        ax.contour(x1, x2, a, levels=[level], colors="black", linewidths=1.5)
        handles.append(Line2D([], [], color="black", linewidth=1.5, label=f"a = {level:g}"))
    if points is not None:
        handles += scatter_points(ax, points, labels)
    ax.set_xlim(x1[0], x1[-1])
    ax.set_ylim(x2[0], x2[-1])
    ax.set(title=title or _default_title(grid), xlabel="input x1", ylabel="input x2")
    if handles:
        ax.legend(handles=handles, loc="upper left", framealpha=0.85, fontsize="small")
    return fig


def scatter_points(ax, points, labels):
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"points must have shape (N, 2); got {points.shape}.")
    if labels is None:
        ax.scatter(points[:, 0], points[:, 1], s=22, color="black", zorder=3)
        return [Line2D([], [], marker="o", color="black", linestyle="none", label="points")]
    labels = np.asarray(labels)
    if labels.shape != (len(points),):
        raise ValueError(f"labels must have shape ({len(points)},); got {labels.shape}.")
    handles = []
    for cls, style in enumerate(_CLASS_STYLE):
        mask = labels == cls
        ax.scatter(points[mask, 0], points[mask, 1], s=32, marker=style["marker"],
                   facecolors=style["facecolor"], edgecolors="black", linewidths=0.8, zorder=3)
        handles.append(Line2D([], [], marker=style["marker"], linestyle="none", markersize=7,
                              markerfacecolor=style["facecolor"], markeredgecolor="black",
                              label=style["label"]))
    return handles


def _default_title(grid):
    w = np.asarray(grid["w"], dtype=np.float64)
    return f"Neuron output for w = ({w[0]:.1f}, {w[1]:.1f}), b = {float(grid['b']):.1f}"
