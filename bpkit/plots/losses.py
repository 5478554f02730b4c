"""Losses and their slopes (notebook 02): each loss of the learner's, its value and slope at a
prediction. The slope is a central difference of the learner's own function, so the picture
shows what their code does; nothing here computes a loss.
"""
import matplotlib.pyplot as plt
import numpy as np

__all__ = ["P_MIN", "P_MAX", "loss_of", "loss_point", "loss_curves", "plot_loss_slopes",
           "panel_title", "figure_title"]


P_MIN, P_MAX = 0.01, 0.99  # the slider's range: the predicted probability of class 1


def loss_of(loss, p, y):
    """loss(y_hat, y) for one prediction, called on arrays of shape (1,) as a batch of one."""
    value = np.asarray(loss(np.array([p], dtype=np.float64), np.array([y], dtype=np.float64)),
                       dtype=np.float64)
    if value.size != 1:
        raise ValueError(f"the loss returned shape {value.shape} for one prediction; a loss is "
                         "one number: the mean over all entries.")
    return float(value.reshape(()))


def loss_point(losses, p, y, h=1e-6):
    """Each loss of the prediction p against the target y, and its slope d loss / d p.

    losses: {name: loss(y_hat, y)}, the learner's functions on arrays of shape (1,).
    Returns {name: {"loss": float, "slope": float}}; the slope is the central difference
    (loss(p + h) - loss(p - h)) / 2h. A function that raises NotImplementedError is left out.
    """
    p, y = float(p), float(y)
    out = {}
    for name, loss in losses.items():
        try:
            value = loss_of(loss, p, y)
        except NotImplementedError:
            continue
        slope = (loss_of(loss, p + h, y) - loss_of(loss, p - h, y)) / (2.0 * h)
        out[name] = {"loss": value, "slope": slope}
    return out


def loss_curves(losses, y, p=None):
    """Each loss as a curve over predictions p, for a fixed target y.

    p: (M,) predictions, default 197 points in [0.01, 0.99]. Returns (p, {name: (M,) losses});
    a function that raises NotImplementedError is left out.
    """
    p = np.linspace(P_MIN, P_MAX, 197) if p is None else np.asarray(p, dtype=np.float64)
    curves = {}
    for name, loss in losses.items():
        try:
            # One call per point: each loss averages over its whole input, so a batch of M
            # predictions would give one number, not M.
            curves[name] = np.array([loss_of(loss, q, y) for q in p])
        except NotImplementedError:
            continue
    return p, curves


def plot_loss_slopes(losses, p, y, fig=None, ylim=(-0.3, 5.0)):
    """One panel per loss: its curve over p for target y, the point at p and its tangent line.

    losses: {name: loss(y_hat, y)}.  p: the current prediction.  y: the target, 0 or 1.
    fig: a Figure to draw into (the widget passes a pyplot-free one); by default a new pyplot
    figure. Returns the Figure.
    """
    grid, curves = loss_curves(losses, y)
    points = loss_point(losses, p, y)
    if fig is None:
        fig = plt.figure(figsize=(4.2 * max(len(losses), 1), 3.9), layout="constrained")
    axes = fig.subplots(1, max(len(losses), 1), sharey=True, squeeze=False)[0]
    for ax, (name, colour) in zip(axes, zip(losses, ("tab:blue", "tab:red", "tab:green"))):
        ax.set(xlabel="predicted probability p", xlim=(0.0, 1.0), ylim=ylim)
        ax.axhline(0.0, color="0.6", linewidth=0.8, zorder=0)
        # The target on the p axis, where a perfect prediction would sit (loss 0).
        ax.plot([y], [0.0], marker="*", markersize=14, color="gold", markeredgecolor="black",
                linestyle="none", clip_on=False, zorder=4, label=f"target y = {y:g}")
        ax.grid(True, alpha=0.3)
        if name not in curves:
            ax.set_title(f"{name}: not written yet")
            continue
        loss, slope = points[name]["loss"], points[name]["slope"]
        ax.plot(grid, curves[name], color=colour, linewidth=2, label=f"{name}(p, y)")
        # The tangent over a fixed width of p: steep slopes run off the top, which is the point.
        q = np.linspace(p - 0.25, p + 0.25, 2)
        ax.plot(q, loss + slope * (q - p), color="black", linestyle="--", linewidth=1.5,
                zorder=3, label="tangent at p", gid="tangent")
        ax.plot([p], [loss], "o", color=colour, markeredgecolor="black", markersize=8, zorder=5,
                gid="point")
        ax.set_title(panel_title(name, loss, slope))
        ax.legend(loc="upper center", fontsize="small", framealpha=0.9)
    axes[0].set_ylabel("loss (no unit)")
    fig.suptitle(figure_title(p, y))
    return fig


def panel_title(name, loss, slope):
    return f"{name}: loss {loss:.3f}, slope {slope:+.2f}"


def figure_title(p, y):
    return f"Loss and slope at p = {p:.2f} for target y = {y:g}"
