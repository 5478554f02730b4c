"""Optimizers racing on a loss surface (notebook 06): the path each update rule takes, drawn on
contours with equal aspect (so a narrow valley looks narrow), and the losses along each path.
Every update rule is the learner's own, passed in: nothing here takes a step itself.
"""
import numpy as np

from bpkit.plots import figure_and_axes
from bpkit.plots.descent import BLOWUP, PATH_COLOURS, draw_losses, loss_grid, plot_descent

__all__ = ["RACE_ORDER", "race_configs", "optimizer_path", "race", "plot_race",
           "plot_race_losses", "loss_floor", "surface", "draw_contours", "draw_race_paths"]


RACE_ORDER = ("sgd", "sgd_momentum", "rmsprop", "adam")  # each one fixes what the last got wrong


def race_configs(learning_rate, momentum=0.9, beta2=0.999):
    """The config each optimizer of the race starts from: one learning rate for all four.

    momentum also serves as Adam's beta1 (both average the gradients); beta2 as RMSProp's
    decay_rate and Adam's beta2 (both average the squared gradients).
    Returns {name: config} for the names of RACE_ORDER.
    """
    lr = float(learning_rate)
    return {"sgd": {"learning_rate": lr},
            "sgd_momentum": {"learning_rate": lr, "momentum": float(momentum)},
            "rmsprop": {"learning_rate": lr, "decay_rate": float(beta2)},
            "adam": {"learning_rate": lr, "beta1": float(momentum), "beta2": float(beta2)}}


def optimizer_path(grad_fn, update, w0, config, num_steps=100):
    """Every point `update` visits in `num_steps` steps from w0, feeding its config back.

    grad_fn: maps w to dL/dw (same shape).  update: the learner's update(w, dw, config) ->
    (next_w, config), first called with a copy of `config`, then with the config it returned.
    Returns path (T + 1, *w0.shape) float64, path[0] = w0; T < num_steps when the weights blew
    up (past BLOWUP or not finite): the path stops there.
    """
    w = np.array(w0, dtype=np.float64)
    config = dict(config)
    path = [w.copy()]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for _ in range(int(num_steps)):
            # copies: an update that changes its input in place cannot rewrite the stored path
            w, config = update(w.copy(), np.asarray(grad_fn(w.copy()), dtype=np.float64), config)
            w = np.array(w, dtype=np.float64)
            if w.shape != path[0].shape:
                raise ValueError(f"update returned next_w of shape {w.shape}; expected "
                                 f"{path[0].shape}, the shape of w.")
            path.append(w)
            if not np.all(np.isfinite(w)) or np.max(np.abs(w)) > BLOWUP:
                break
    return np.array(path)


def race(grad_fn, updates, w0, configs, num_steps=100):
    """optimizer_path for each update rule from the same start.

    updates: {name: update}.  configs: {name: config}.  Returns ({name: path}, unwritten): the
    names whose update still raises NotImplementedError are left out and listed in unwritten.
    """
    paths, unwritten = {}, []
    for name, update in updates.items():
        try:
            paths[name] = optimizer_path(grad_fn, update, w0, configs[name], num_steps)
        except NotImplementedError:
            unwritten.append(name)
    return paths, unwritten


def loss_floor(losses, floor=1e-12):
    """Losses for a log scale: non-finite values dropped (nan), zeros raised to floor."""
    losses = np.asarray(losses, dtype=np.float64)
    return np.where(np.isfinite(losses), np.maximum(losses, floor), np.nan)


def plot_race(grid, paths, ax=None, title="Optimizers racing on the loss surface",
              legend_loc="lower right"):
    """plot_descent with equal aspect: one unit of w1 as long as one unit of w2, so the
    valley's true shape shows. grid: from loss_grid.  paths: {label: path (T + 1, 2)}."""
    fig = plot_descent(grid, paths, ax=ax, title=title, legend_loc=legend_loc)
    (ax if ax is not None else fig.axes[0]).set_aspect("equal", adjustable="box")
    return fig


def plot_race_losses(losses, ax=None, title="Loss at each step", ylim=None):
    """The loss along each path against the step, log scale; returns the Figure.

    losses: {label: (T + 1,) losses}; zeros are shown at 1e-12, blown-up steps left out.
    """
    fig, ax = figure_and_axes(ax, figsize=(6.0, 4.0))
    draw_losses(ax, {label: loss_floor(values) for label, values in losses.items()})
    ax.set_yscale("log")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set(title=title, xlabel="step", ylabel="loss L(w) (log scale)")
    ax.grid(True, which="major", alpha=0.3)
    return fig


def surface(loss_fn, xlim, ylim, n=81):
    """loss_grid, evaluated in one call when loss_fn takes w of shape (2, n, n) elementwise
    (as a formula in w[0] and w[1] does), else point by point. Same dict as loss_grid."""
    w1, w2 = np.linspace(*xlim, n), np.linspace(*ylim, n)
    try:
        with np.errstate(all="ignore"):
            loss = np.asarray(loss_fn(np.stack(np.meshgrid(w1, w2))), dtype=np.float64)
    except Exception:  # a loss written for one point only
        loss = None
    if loss is None or loss.shape != (n, n):
        return loss_grid(loss_fn, xlim, ylim, n)
    return {"w1": w1, "w2": w2, "loss": loss}


def draw_contours(ax, grid):
    """Filled and line contours of grid["loss"] on log-spaced levels; returns both sets."""
    loss = grid["loss"]
    positive = loss[loss > 0]
    low = max(positive.min(), loss.max() * 1e-4) if positive.size else 1e-3
    levels = np.geomspace(low, loss.max(), 14)
    return [ax.contourf(grid["w1"], grid["w2"], loss, levels=levels, cmap="Blues_r", alpha=0.55,
                        extend="both"),
            ax.contour(grid["w1"], grid["w2"], loss, levels=levels, colors="0.45",
                       linewidths=0.6)]


def draw_race_paths(ax, paths):
    """Each path as dots joined by lines, a square at its start, no legend; returns them."""
    drawn = []
    for path, colour in zip(paths.values(), PATH_COLOURS * 4):
        path = np.asarray(path, dtype=np.float64)
        drawn += ax.plot(path[:, 0], path[:, 1], "-o", color=colour, markersize=3,
                         linewidth=1.3, zorder=3)
        drawn += ax.plot(path[0, 0], path[0, 1], marker="s", markersize=7, color=colour,
                         markeredgecolor="black", zorder=5)
    return drawn
