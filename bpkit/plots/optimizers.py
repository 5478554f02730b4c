"""Optimizers racing on a loss surface (notebook 06): the path each update rule takes, drawn on
contours with equal aspect (so a narrow valley looks narrow), and the losses along each path.
Every update rule is the learner's own, passed in: nothing here takes a step itself.
"""
import numpy as np

from bpkit.plots import figure_and_axes
from bpkit.plots.descent import BLOWUP, draw_losses, plot_descent

__all__ = ["RACE_ORDER", "race_configs", "optimizer_path", "race", "plot_race",
           "plot_race_losses", "loss_floor"]


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
