"""Gradient descent made visible (notebook 05): loss surfaces, descent paths, loss curves and
decision boundaries. Every update rule, gradient and network here is the learner's own, passed
in: nothing in bpkit takes a step itself.
"""
import warnings

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.ticker import FuncFormatter

from bpkit.plots import figure_and_axes
from bpkit.plots.activations import scatter_points

__all__ = ["BLOWUP", "PATH_COLOURS", "step_limits", "loss_grid", "descent_path", "walk", "path_summary",
           "decision_grid", "plot_descent", "draw_contours", "draw_paths", "plot_path_losses", "draw_losses", "plot_loss_curves",
           "plot_decision_boundary"]


BLOWUP = 1e6  # a path whose weights pass this size has diverged: stop before floats overflow


def step_limits(num_steps):
    """x-limits of a panel with one value per step 0..num_steps, with a small margin."""
    return -0.02 * num_steps - 0.5, 1.02 * num_steps + 0.5


def loss_grid(loss_fn, xlim=(-5.0, 5.0), ylim=(-3.0, 3.0), n=121):
    """Evaluate a loss of two weights on an n x n grid, for contour plots.

    loss_fn: maps w (2,) to a number.  Returns {"w1": (n,), "w2": (n,), "loss": (n, n)} with
    loss[i, j] at (w1[j], w2[i]).
    """
    w1 = np.linspace(*xlim, n)
    w2 = np.linspace(*ylim, n)
    loss = _at_once(loss_fn, w1, w2)
    if loss is None:
        loss = np.array([[float(loss_fn(np.array([a, b]))) for a in w1] for b in w2])
    return {"w1": w1, "w2": w2, "loss": loss}


def _at_once(loss_fn, w1, w2):
    """The whole grid in one call, for a loss written with w[0] and w[1] that broadcasts (fed
    w of shape (2, n, n)), checked against point-by-point calls at five points; else None."""
    a, b = np.meshgrid(w1, w2)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            loss = np.asarray(loss_fn(np.stack([a, b])), dtype=np.float64)
    except Exception:  # a loss that wants one point: the loop gives its own messages
        return None
    n = len(w1)
    points = [(0, 0), (-1, -1), (0, -1), (len(w2) // 2, n // 3), (len(w2) // 3, n // 2)]
    if loss.shape != a.shape or not all(
            np.isclose(loss[i, j], float(loss_fn(np.array([w1[j], w2[i]]))), rtol=1e-12, atol=0.0)
            for i, j in points):
        return None
    return loss


def descent_path(grad_fn, update, w0, learning_rate, num_steps=30):
    """Run `num_steps` steps of `update` from w0 and return every point visited.

    grad_fn: maps w to dL/dw (same shape).  update: the learner's update(w, dw, config) ->
    (next_w, config), called with config = {"learning_rate": learning_rate} and then with the
    config it returned.  Returns path (T + 1, *w0.shape) float64, path[0] = w0; T < num_steps
    when the weights left every sane range (a diverging learning rate): the path stops there.
    """
    return walk(grad_fn, update, w0, {"learning_rate": float(learning_rate)}, num_steps)[0]


def walk(grad_fn, update, w0, config, num_steps, rate_at=None):
    """The loop behind every descent picture: update(w, dw, config) -> (next_w, config) from
    w0, first with a copy of `config`, then with the config it returned; rate_at(step), if
    given, sets the config's "learning_rate" before each step (a schedule).

    Returns (path (T + 1, *w0.shape) float64, rates (T,)); T < num_steps when the weights blew
    up (past BLOWUP or not finite): the path stops there.
    """
    w = np.array(w0, dtype=np.float64)
    config, path, rates = dict(config), [w.copy()], []
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for step in range(int(num_steps)):
            if rate_at is not None:
                rates.append(float(rate_at(step)))
                config = dict(config, learning_rate=rates[-1])
            # copies: an update that changes its input in place cannot rewrite the stored path
            w, config = update(w.copy(), np.asarray(grad_fn(w.copy()), dtype=np.float64), config)
            w = np.array(w, dtype=np.float64)
            if w.shape != path[0].shape:
                raise ValueError(f"update returned next_w of shape {w.shape}; expected "
                                 f"{path[0].shape}, the shape of w.")
            path.append(w)
            if not np.all(np.isfinite(w)) or np.max(np.abs(w)) > BLOWUP:
                break
    return np.array(path), np.array(rates)


def path_summary(loss_fn, path):
    """Losses along a path and a verdict: {"losses": (T + 1,), "steps": T, "diverged": bool}.

    A path diverged when it stopped early on huge weights or ended higher than it started.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        losses = np.array([float(loss_fn(w)) for w in path])
    last = losses[-1]
    diverged = bool(not np.isfinite(last) or np.max(np.abs(path[-1])) > BLOWUP
                    or last > losses[0])
    return {"losses": losses, "steps": len(path) - 1, "diverged": diverged}


def decision_grid(predict, x, n=200, margin=0.5):
    """The class a 2-input classifier predicts at each point of a grid around the data.

    predict: maps points (M, 2) to class labels (M,).  x: (N, 2) data, which sets the window.
    Returns {"x1": (n,), "x2": (n,), "labels": (n, n) int with labels[i, j] at (x1[j], x2[i])}.
    """
    x = np.asarray(x, dtype=np.float64)
    low, high = x.min(axis=0) - margin, x.max(axis=0) + margin
    x1 = np.linspace(low[0], high[0], n)
    x2 = np.linspace(low[1], high[1], n)
    grid_x1, grid_x2 = np.meshgrid(x1, x2)
    points = np.column_stack([grid_x1.ravel(), grid_x2.ravel()])
    labels = np.asarray(predict(points))
    if labels.shape != (n * n,):
        raise ValueError(f"predict returned shape {labels.shape} for {n * n} points; expected "
                         f"({n * n},): one class label per point.")
    return {"x1": x1, "x2": x2, "labels": labels.reshape(n, n).astype(np.int64)}


PATH_COLOURS = ("tab:blue", "tab:green", "tab:orange", "tab:red", "tab:purple", "tab:brown")


def plot_descent(grid, paths, ax=None, title="Gradient descent on the loss surface",
                 legend_loc="lower right"):
    """Contours of a loss of two weights, with descent paths drawn on top; returns the Figure.

    grid: from loss_grid.  paths: {label: path (T + 1, 2)} from descent_path; a square marks
    each start. A path that leaves the window is cut at its edge (see path_summary).
    """
    fig, ax = figure_and_axes(ax, figsize=(6.4, 4.4))
    w1, w2, loss = grid["w1"], grid["w2"], grid["loss"]
    draw_contours(ax, grid)
    minimum = np.unravel_index(np.argmin(loss), loss.shape)
    ax.plot(w1[minimum[1]], w2[minimum[0]], marker="*", markersize=14, color="gold",
            markeredgecolor="black", linestyle="none", label="minimum", zorder=4)
    ax.set_xlim(w1[0], w1[-1])
    ax.set_ylim(w2[0], w2[-1])
    # equal scales: a step of plain gradient descent then meets the contours at right angles
    ax.set_aspect("equal", adjustable="box")
    draw_paths(ax, paths, legend_loc)
    ax.set(title=title, xlabel="weight w1", ylabel="weight w2")
    return fig


def draw_contours(ax, grid):
    """Filled and line contours of grid["loss"] on log-spaced levels (they show the flat floor
    and the walls alike); returns both sets."""
    loss = grid["loss"]
    positive = loss[loss > 0]
    low = max(positive.min(), loss.max() * 1e-4) if positive.size else 1e-3
    levels = np.geomspace(low, loss.max(), 14)
    return [ax.contourf(grid["w1"], grid["w2"], loss, levels=levels, cmap="Blues_r", alpha=0.55,
                        extend="both"),
            ax.contour(grid["w1"], grid["w2"], loss, levels=levels, colors="0.45",
                       linewidths=0.6)]


def draw_paths(ax, paths, legend_loc):
    """Each path as dots joined by lines, a square at its start, then the legend (none when
    legend_loc is None: a live figure's costliest part); returns them.

    A path is drawn up to the step that leaves the axes' window (set the limits first), and that
    step is named at the edge: a diverging path shows where it went, not a fan of lines.
    """
    drawn = []
    for (label, path), colour in zip(paths.items(), PATH_COLOURS * 4):
        path = np.asarray(path, dtype=np.float64)
        left = _first_step_outside(ax, path)
        if left is not None:
            path = path[:left + 1]  # the step that leaves is drawn, clipped at the frame
            if left > 0:
                drawn.append(ax.annotate(
                    f"leaves the frame at step {left}", xy=path[-2], xytext=(8, -14),
                    textcoords="offset points", fontsize="small", color=colour, zorder=6,
                    bbox={"facecolor": "white", "edgecolor": colour, "alpha": 0.9}))
        drawn += ax.plot(path[:, 0], path[:, 1], "-o", color=colour, markersize=3.5,
                         linewidth=1.4, label=label, zorder=3)
        drawn += ax.plot(path[0, 0], path[0, 1], marker="s", markersize=7, color=colour,
                         markeredgecolor="black", zorder=5)
    if legend_loc is None:
        return drawn
    return drawn + [ax.legend(loc=legend_loc, fontsize="small", framealpha=0.9)]


def _first_step_outside(ax, path):
    """The first index of path (T + 1, 2) outside the axes' limits, or None."""
    (x_low, x_high), (y_low, y_high) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
    with np.errstate(invalid="ignore"):
        inside = ((path[:, 0] >= x_low) & (path[:, 0] <= x_high)
                  & (path[:, 1] >= y_low) & (path[:, 1] <= y_high))
    outside = np.flatnonzero(~inside)
    return int(outside[0]) if outside.size else None


def plot_path_losses(losses, ax=None, title="Loss along each path"):
    """Loss against step number, log scale, one line per path; returns the Figure.

    losses: {label: (T + 1,) losses}, e.g. path_summary(...)["losses"].
    """
    fig, ax = figure_and_axes(ax, figsize=(6.0, 4.0))
    draw_losses(ax, losses)
    ax.set_yscale("log")
    ax.set(title=title, xlabel="step", ylabel="loss L(w) (log scale)")
    ax.grid(True, which="major", alpha=0.3)
    return fig


def draw_losses(ax, losses):
    """One line of losses per path, then the legend; returns them."""
    drawn = []
    for (label, values), colour in zip(losses.items(), PATH_COLOURS * 4):
        values = np.asarray(values, dtype=np.float64)
        drawn += ax.plot(np.arange(len(values)), values, "-o", color=colour, markersize=3,
                         label=label)
    return drawn + ([ax.legend(fontsize="small", framealpha=0.9)] if drawn else [])


def plot_loss_curves(curves, ax=None, title="Training loss", xlabel="epoch", log=False):
    """One line per training run; returns the Figure.

    curves: {label: losses} with one loss per epoch (x = 1, 2, ...), or {label: (x, losses)}.
    """
    fig, ax = figure_and_axes(ax, figsize=(6.0, 4.0))
    for (label, curve), colour in zip(curves.items(), PATH_COLOURS * 4):
        if isinstance(curve, tuple) and len(curve) == 2:
            steps, values = (np.asarray(c, dtype=np.float64) for c in curve)
        else:
            values = np.asarray(curve, dtype=np.float64)
            steps = np.arange(1, len(values) + 1)
        ax.plot(steps, values, color=colour, linewidth=1.8, label=label)
    if log:
        ax.set_yscale("log")
        # plain numbers (0.3, not 3x10^-1): a loss curve rarely spans more than a decade or two
        for axis_ticks in (ax.yaxis.set_major_formatter, ax.yaxis.set_minor_formatter):
            axis_ticks(FuncFormatter(lambda value, _: f"{value:g}"))
    ylabel = "mean cross-entropy loss" + (" (log scale)" if log else "")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.grid(True, alpha=0.3)
    if curves:
        ax.legend(fontsize="small", framealpha=0.9)
    return fig


def plot_decision_boundary(predict, x, y, ax=None, title="Decision boundary", n=200):
    """The classifier's regions and boundary in the plane, with the labelled points on top.

    predict: maps (M, 2) points to class labels (M,) in {0, 1}.  x: (N, 2).  y: (N,) labels.
    """
    grid = decision_grid(predict, x, n=n)
    fig, ax = figure_and_axes(ax, figsize=(6.0, 4.6))
    extent = (grid["x1"][0], grid["x1"][-1], grid["x2"][0], grid["x2"][-1])
    regions = ListedColormap(["#c6dbef", "#fdd0a2"])  # light blue = class 0, light orange = 1
    ax.imshow(grid["labels"], origin="lower", extent=extent, cmap=regions, vmin=0, vmax=1,
              interpolation="nearest", aspect="auto")
    if grid["labels"].min() != grid["labels"].max():
        ax.contour(grid["x1"], grid["x2"], grid["labels"], levels=[0.5], colors="black",
                   linewidths=1.5)
    handles = scatter_points(ax, x, y)
    ax.set_xlim(extent[:2])
    ax.set_ylim(extent[2:])
    ax.set(title=title, xlabel="input x1", ylabel="input x2")
    ax.legend(handles=handles, loc="lower left", fontsize="small", framealpha=0.9)
    return fig
