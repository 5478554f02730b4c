"""A start point, a learning rate and a schedule on sliders, and the descent path they give on a
loss with several basins (notebook 08)."""
import numpy as np

from bpkit.live import LiveFigure, explorer, guarded
from bpkit.plots.descent import loss_grid
from bpkit.plots.landscapes import (SCHEDULE_KINDS, plot_contours, schedule_curve,
                                    schedule_kwargs, scheduled_path)

__all__ = ["LandscapeView", "landscape_explorer"]


class LandscapeView:
    """The picture behind landscape_explorer, kept across slider moves: `update(...)`.

    Left, the contour map with the path; right, the loss and the learning rate (as a fraction of
    the base rate) against the step. Contours and axes are drawn once per step count; a move
    redraws the path, the two curves, the legend and the title (bpkit.live). The loss panel
    keeps the contour map's range, so that runs compare at a glance.
    """

    def __init__(self, loss_fn, xlim=(-2.0, 2.0), ylim=(-2.0, 2.0), minima=()):
        self.loss_fn = loss_fn
        self.grid = loss_grid(loss_fn, xlim, ylim, n=81)  # once: the sliders move the path only
        self.minima = [np.asarray(m, dtype=float) for m in minima]
        self._live = None
        self._steps = None
        self._drawn = []
        self._axes = None

    def _build(self):
        self._live, self._steps = LiveFigure(figsize=(10.0, 4.4), dpi=80), None
        figure = self._live.figure
        spec = figure.add_gridspec(2, 2, width_ratios=[1.2, 1])
        contour = figure.add_subplot(spec[:, 0])
        losses, rates = figure.add_subplot(spec[0, 1]), figure.add_subplot(spec[1, 1])
        plot_contours(self.grid, {}, ax=contour, minima=self.minima, title=" ")
        low, top = float(self.grid["loss"].min()), float(np.quantile(self.grid["loss"], 0.5))
        losses.set(ylim=(low - 0.05 * (top - low), top),
                   title="Loss at each step", xlabel="step", ylabel="loss L(w)")
        rates.set(ylim=(0.0, 1.15), xlabel="step (counted from 0)",
                  ylabel="η_t / η", title="Learning rate at each step (fraction of η)")
        for ax in (losses, rates):
            ax.grid(True, alpha=0.3)
        # the step axes follow the step count: drawn on every frame, not into the background,
        # so that a new step count costs what a new start costs (a drag of `steps`)
        self._live.moving(contour.title, losses.xaxis, rates.xaxis)
        self._drawn = []
        return contour, losses, rates

    def update(self, grad_fn, update, schedule, w0, base_lr, kind, num_steps):
        """Jupyter outputs (a tuple of nbformat dicts): the three panels, or a note.

        grad_fn: the loss's gradient.  update: update(w, dw, config).  schedule: the learner's
        lr_schedule.  w0: the start (2,).  base_lr, kind, num_steps: the sliders' values.
        """
        kw = schedule_kwargs(kind, num_steps)
        _, note = guarded(getattr(schedule, "__name__", "lr_schedule"),
                          lambda: schedule_curve(schedule, base_lr, kind, num_steps, **kw))
        if note:
            return note
        result, note = guarded(getattr(update, "__name__", "update"),
                               lambda: scheduled_path(grad_fn, update, schedule, w0, base_lr,
                                                      kind, num_steps, **kw))
        if note:
            return note
        path, rates = result
        with np.errstate(over="ignore", invalid="ignore"):
            losses = np.array([float(self.loss_fn(w)) for w in path])
        end = path[-1]
        diverged = len(path) - 1 < num_steps or not np.all(np.abs(end) < 1e3)
        verdict = ("diverged" if diverged else
                   f"ends at ({end[0]:.2f}, {end[1]:.2f}), loss {losses[-1]:.3f}")
        label = f"η = {base_lr:.3g}, {kind}: {verdict}"
        if self._live is None:
            self._axes = self._build()
        if num_steps != self._steps:  # the step axes only: no new figure
            for ax in self._axes[1:]:
                ax.set_xlim(0, num_steps)
            self._steps = num_steps
        contour, loss_ax, rate_ax = self._axes
        for artist in self._drawn:
            self._live.forget(artist)
        scale = base_lr if base_lr else 1.0
        # no legend: its text costs more than the rest of a frame; the title says it all
        self._drawn = (contour.plot(path[:, 0], path[:, 1], "-o", color="tab:red", markersize=3,
                                    linewidth=1.4, zorder=3)
                       + contour.plot(path[0, 0], path[0, 1], marker="s", markersize=7,
                                      color="tab:red", markeredgecolor="black", zorder=5)
                       + loss_ax.plot(np.arange(len(losses)), losses, "-", color="tab:blue")
                       + rate_ax.plot(np.arange(len(rates)), rates / scale, color="tab:orange",
                                      drawstyle="steps-post"))
        contour.set_title(f"η = {base_lr:.3g}, {kind}, from ({w0[0]:.2f}, {w0[1]:.2f}): "
                          f"{verdict}", fontsize="medium")
        self._live.moving(*self._drawn)
        return self._live.outputs(f"<{label}>")


def landscape_explorer(loss_fn, grad_fn, update, schedule, w0=(-1.5, 0.2), xlim=(-2.0, 2.0),
                       ylim=(-2.0, 2.0), learning_rate=0.05, kind="constant", num_steps=60,
                       minima=()):
    """Sliders for the start (w1, w2), the learning rate (log scale), the schedule and the step
    count, above the path they give. update: update(w, dw, config); schedule: the learner's
    lr_schedule(step, base_lr, kind, **kw). Returns the ipywidgets VBox (None when headless)."""
    view = LandscapeView(loss_fn, xlim, ylim, minima)

    def controls(widgets):
        start = {"continuous_update": True, "step": 0.05, "readout_format": ".2f"}
        return {"w1": widgets.FloatSlider(value=w0[0], min=xlim[0], max=xlim[1],
                                          description="start w1", **start),
                "w2": widgets.FloatSlider(value=w0[1], min=ylim[0], max=ylim[1],
                                          description="start w2", **start),
                "rate": widgets.FloatLogSlider(value=learning_rate, base=10, min=-3, max=0,
                                               step=0.05, description="learning rate",
                                               readout_format=".3f", continuous_update=True,
                                               style={"description_width": "initial"}),
                "kind": widgets.Dropdown(options=list(SCHEDULE_KINDS), value=kind,
                                         description="schedule"),
                "steps": widgets.IntSlider(value=num_steps, min=5, max=200, step=5,
                                           description="steps", continuous_update=True)}

    def draw(v):
        return view.update(grad_fn, update, schedule, (v["w1"], v["w2"]), v["rate"], v["kind"],
                           v["steps"])

    return explorer(controls, draw)
