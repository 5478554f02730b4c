"""Move a prediction and watch each loss and its slope (notebook 02's experiment).

The losses are the learner's own functions, passed in: nothing here computes a loss. The slope is a
central difference of the learner's function, so the picture shows what *their* code does. Plain
functions first (`loss_point`, `loss_curves`, `plot_loss_slopes`), the widget builder last; it
imports ipywidgets only when called.
"""
import os

import matplotlib.pyplot as plt
import numpy as np

from bpkit.checks import describe_exception
from bpkit.live import LiveFigure, stdout_output, unwritten_output

__all__ = ["loss_point", "loss_curves", "plot_loss_slopes", "LossView", "loss_explorer"]

P_MIN, P_MAX = 0.01, 0.99  # the slider's range: the predicted probability of class 1


def _loss_of(loss, p, y):
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
            value = _loss_of(loss, p, y)
        except NotImplementedError:
            continue
        slope = (_loss_of(loss, p + h, y) - _loss_of(loss, p - h, y)) / (2.0 * h)
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
            curves[name] = np.array([_loss_of(loss, q, y) for q in p])
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
        ax.set_title(_panel_title(name, loss, slope))
        ax.legend(loc="upper center", fontsize="small", framealpha=0.9)
    axes[0].set_ylabel("loss (no unit)")
    fig.suptitle(_figure_title(p, y))
    return fig


def _panel_title(name, loss, slope):
    return f"{name}: loss {loss:.3f}, slope {slope:+.2f}"


def _figure_title(p, y):
    return f"Loss and slope at p = {p:.2f} for target y = {y:g}"


class LossView:
    """The picture behind loss_explorer, kept across slider moves: `update(p, y)` -> outputs.

    The curves are drawn once per target y; moving p only moves each point, its tangent and the
    titles over the cached panels (bpkit.live).
    """

    def __init__(self, losses):
        self.losses = losses
        self._live = None
        self._key = None

    def update(self, p, y):
        """Jupyter outputs (a tuple of nbformat dicts): the panels, or a note naming the problem."""
        missing = []
        for name, loss in self.losses.items():
            try:
                _loss_of(loss, p, y)
            except NotImplementedError:
                missing.append(name)
            except Exception as exc:  # the learner's bug: a widget callback would hide it
                return (stdout_output(f"{name} raised {describe_exception(exc)}"),)
        if len(missing) == len(self.losses):
            return (unwritten_output(" and ".join(missing)),)
        key = (float(y), tuple(missing))
        if self._live is None or key != self._key:
            self._live, self._key = LiveFigure(figsize=(4.2 * len(self.losses), 3.9)), key
            fig = self._live.figure
            plot_loss_slopes(self.losses, p, y, fig=fig)
            for ax in fig.axes:
                self._live.moving_contents(ax)
            self._live.moving(fig._suptitle)
        else:
            self._move(p, y)
        outputs = [*self._live.outputs(f"<losses at p = {p:.2f}, y = {y:g}>")]
        outputs += [unwritten_output(name) for name in missing]
        return tuple(outputs)

    def _move(self, p, y):
        fig = self._live.figure
        points = loss_point(self.losses, p, y)
        for ax, name in zip(fig.axes, self.losses):
            if name not in points:
                continue
            loss, slope = points[name]["loss"], points[name]["slope"]
            for line in ax.lines:
                if line.get_gid() == "tangent":
                    q = np.array([p - 0.25, p + 0.25])
                    line.set_data(q, loss + slope * (q - p))
                elif line.get_gid() == "point":
                    line.set_data([p], [loss])
            ax.set_title(_panel_title(name, loss, slope))
        fig.suptitle(_figure_title(p, y))


def loss_explorer(losses, p=0.3, y=1.0):
    """A slider for the prediction p and a choice of target y, above the live loss panels.

    losses: {name: loss(y_hat, y)}, the learner's functions. Returns the ipywidgets VBox.
    """
    if os.environ.get("BPKIT_HEADLESS") == "1":
        return None  # no one to show it to (the grader sets this): skip ipywidgets and renders
    import ipywidgets as widgets  # lazily: bpkit must import without a notebook frontend

    if not losses:
        raise ValueError("losses is empty: pass {name: loss function}.")
    slider = widgets.FloatSlider(value=p, min=P_MIN, max=P_MAX, step=0.01, readout_format=".2f",
                                 description="p", continuous_update=False)
    target = widgets.ToggleButtons(options=[("y = 0", 0.0), ("y = 1", 1.0)], value=float(y),
                                   description="target")
    picture = widgets.Output()
    view = LossView(losses)

    def redraw(change=None):
        # Replacing `outputs` in one step swaps the picture without flicker and also works
        # where no kernel captures output (tests).
        picture.outputs = view.update(slider.value, target.value)

    for control in (slider, target):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([slider, target, picture])
