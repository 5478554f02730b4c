"""Loss landscapes made visible (notebook 08): descent paths whose learning rate follows a
schedule, contour maps with the paths on top, 1-D losses with where each start ended, and
learning-rate schedules against the step. Every schedule, update rule and gradient here is the
learner's own (or the notebook's), passed in: nothing in bpkit takes a step itself.
"""
import numpy as np

from bpkit.plots import figure_and_axes
from bpkit.plots.descent import PATH_COLOURS, draw_paths, walk

__all__ = ["SCHEDULE_KINDS", "schedule_kwargs", "schedule_curve", "scheduled_path",
           "plot_contours", "plot_loss_1d", "plot_schedules", "plot_steps"]

SCHEDULE_KINDS = ("constant", "step", "cosine", "warmup")


def schedule_kwargs(kind, num_steps):
    """The keyword arguments the widgets pass to lr_schedule for a run of num_steps steps:
    step halves the rate every quarter of the run, cosine and warmup end at num_steps, and the
    warm-up lasts a tenth of the run (at least one step)."""
    if kind == "step":
        return {"drop": 0.5, "every": max(int(num_steps) // 4, 1)}
    if kind == "cosine":
        return {"total_steps": int(num_steps)}
    if kind == "warmup":
        return {"warmup_steps": max(int(num_steps) // 10, 1), "total_steps": int(num_steps)}
    return {}


def schedule_curve(schedule, base_lr, kind, num_steps, **kw):
    """The learner's schedule(step, base_lr, kind, **kw) for steps 0 .. num_steps - 1: (T,)."""
    return np.array([float(schedule(step, base_lr, kind, **kw)) for step in range(num_steps)])


def scheduled_path(grad_fn, update, schedule, w0, base_lr, kind, num_steps, **kw):
    """Descent from w0 whose learning rate at step t is schedule(t, base_lr, kind, **kw).

    update: update(w, dw, config) -> (next_w, config); before each step the config's
    "learning_rate" is set from the schedule, the rest of the config (a velocity, say) is kept.
    Returns (path (T + 1, *w0.shape), rates (T,)); T < num_steps when the weights blew up.
    """
    return walk(grad_fn, update, w0, {}, num_steps,
                lambda step: schedule(step, base_lr, kind, **kw))


def plot_contours(grid, paths, ax=None, title="Descent paths on the loss surface", levels=24,
                  minima=(), legend_loc="lower left"):
    """Filled contours of a loss of two weights (linear levels: it may be negative), equal
    aspect, with descent paths and optional minima (stars) on top; returns the Figure.

    grid: from bpkit.plots.descent.loss_grid.  paths: {label: path (T + 1, 2)}.
    minima: points (2,) to mark with a star.
    """
    fig, ax = figure_and_axes(ax, figsize=(5.6, 5.0))
    w1, w2, loss = grid["w1"], grid["w2"], grid["loss"]
    from matplotlib.ticker import MaxNLocator
    top = np.quantile(loss, 0.9)  # the walls far out would take every level
    bounds = MaxNLocator(levels).tick_values(loss.min(), top)
    filled = ax.contourf(w1, w2, loss, levels=bounds, cmap="viridis", extend="max")
    ax.contour(w1, w2, loss, levels=bounds, colors="white", linewidths=0.4, alpha=0.6)
    ax.figure.colorbar(filled, ax=ax, label="loss L(w)")
    for k, point in enumerate(minima):
        ax.plot(point[0], point[1], marker="*", markersize=13, color="gold",
                markeredgecolor="black", linestyle="none", zorder=4,
                label="local minima" if k == 0 else None)
    if paths or len(minima):
        draw_paths(ax, paths, legend_loc)
    ax.set_xlim(w1[0], w1[-1])
    ax.set_ylim(w2[0], w2[-1])
    ax.set_aspect("equal")
    ax.set(title=title, xlabel="weight w1", ylabel="weight w2")
    return fig


def plot_loss_1d(loss_fn, starts, ends, ax=None, lim=(-3.0, 3.0),
                 title="Where gradient descent ends from each start"):
    """A loss of one weight, with each start (a circle) joined to where descent ended (a dot).

    loss_fn: maps an array of weights to their losses, elementwise.  starts, ends: (K,).
    """
    fig, ax = figure_and_axes(ax, figsize=(7.0, 3.8))
    w = np.linspace(*lim, 600)
    ax.plot(w, loss_fn(w), color="0.25", linewidth=1.6, label="loss L(w)")
    starts, ends = np.asarray(starts, dtype=float), np.asarray(ends, dtype=float)
    for k, (start, end) in enumerate(zip(starts, ends)):
        colour = PATH_COLOURS[k % len(PATH_COLOURS)]
        ax.annotate("", xy=(end, loss_fn(end)), xytext=(start, loss_fn(start)),
                    arrowprops={"arrowstyle": "->", "color": colour, "alpha": 0.7})
        ax.plot(start, loss_fn(start), "o", markerfacecolor="white", markeredgecolor=colour)
        ax.plot(end, loss_fn(end), "o", color=colour, markersize=7)
    ax.set_xlim(*lim)
    ax.set(title=title, xlabel="weight w", ylabel="loss L(w)")
    ax.grid(True, alpha=0.3)
    return fig


def plot_schedules(curves, ax=None, title="Learning-rate schedules"):
    """One line per schedule, {label: rates (T,)}, against the step 0 .. T - 1; returns the
    Figure."""
    fig, ax = figure_and_axes(ax, figsize=(6.4, 3.8))
    for (label, rates), colour in zip(curves.items(), PATH_COLOURS * 4):
        rates = np.asarray(rates, dtype=np.float64)
        ax.plot(np.arange(len(rates)), rates, drawstyle="steps-post", color=colour,
                linewidth=1.8, label=label)
    ax.set(title=title, xlabel="step (counted from 0)", ylabel="learning rate η")
    ax.grid(True, alpha=0.3)
    if curves:
        ax.legend(fontsize="small", framealpha=0.9)
    return fig


def plot_steps(curves, ax=None, title="Loss against steps", ylabel="loss", log=True):
    """One line per run, {label: losses (T + 1,)} against the step; returns the Figure."""
    fig, ax = figure_and_axes(ax, figsize=(6.4, 3.8))
    for (label, values), colour in zip(curves.items(), PATH_COLOURS * 4):
        values = np.asarray(values, dtype=np.float64)
        ax.plot(np.arange(len(values)), values, color=colour, linewidth=1.6, label=label)
    if log:
        ax.set_yscale("log")
        ylabel += " (log scale)"
    ax.set(title=title, xlabel="step", ylabel=ylabel)
    ax.grid(True, alpha=0.3)
    if curves:
        ax.legend(fontsize="small", framealpha=0.9)
    return fig
