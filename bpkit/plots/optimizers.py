"""Optimizers racing on a loss surface (notebook 06): the path each update rule takes, drawn on
contours with equal aspect (so a narrow valley looks narrow), and the losses along each path.
Every update rule is the learner's own, passed in: nothing here takes a step itself.
"""
import numpy as np

from bpkit.plots import figure_and_axes
from bpkit.plots.descent import (PATH_COLOURS, draw_contours, draw_losses, draw_paths,
                                 loss_grid, plot_descent, walk)

__all__ = ["RACE_ORDER", "race_configs", "optimizer_path", "race", "plot_race",
           "plot_race_losses", "loss_floor", "surface"]


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
    return walk(grad_fn, update, w0, config, num_steps)[0]


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
    """plot_descent (equal aspect: the valley's true shape shows) titled for a race.
    grid: from loss_grid.  paths: {label: path (T + 1, 2)}."""
    return plot_descent(grid, paths, ax=ax, title=title, legend_loc=legend_loc)


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
