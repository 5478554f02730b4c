"""A learning rate on a slider and the descent path it gives (notebook 05)."""
import numpy as np

from bpkit.live import LiveFigure, explorer, guarded
from bpkit.plots.descent import (descent_path, draw_losses, draw_paths, loss_grid, path_summary,
                                 plot_descent, plot_path_losses, step_limits)

__all__ = ["DescentView", "learning_rate_explorer"]


class DescentView:
    """The picture behind learning_rate_explorer, kept across slider moves: `update(...)`.

    The loss surface and both panels' axes are drawn once per step count; a new learning rate
    only redraws the path, its losses, the legends and the title over them (bpkit.live). The
    loss panel keeps one log scale, from 1e-8 to above the highest loss on the surface, so that
    paths of different learning rates compare at a glance.
    """

    def __init__(self, loss_fn, xlim=(-5.0, 5.0), ylim=(-3.0, 3.0)):
        self.loss_fn = loss_fn
        self.grid = loss_grid(loss_fn, xlim, ylim, n=101)  # once: the sliders move the path only
        self._live = None
        self._steps = None
        self._drawn = []

    def update(self, grad_fn, update, w0, learning_rate, num_steps):
        """Jupyter outputs (a tuple of nbformat dicts): both panels, or a note to the learner."""
        path, note = guarded(getattr(update, "__name__", "update"),
                             lambda: descent_path(grad_fn, update, w0, learning_rate, num_steps))
        if note:
            return note
        summary = path_summary(self.loss_fn, path)
        verdict = "diverged" if summary["diverged"] else f"loss {summary['losses'][-1]:.3g}"
        label = f"learning rate {learning_rate:.3g}: {verdict}"
        title = f"{summary['steps']} steps with learning rate {learning_rate:.3g}"
        if summary["steps"] < num_steps:
            title += " (stopped: the weights blew up)"
        if self._live is None:
            self._live = LiveFigure(figsize=(10.0, 4.0), dpi=90)
            left, right = self._live.figure.subplots(1, 2, width_ratios=[1.5, 1])
            plot_descent(self.grid, {}, ax=left, title=title)
            plot_path_losses({}, ax=right, title="Loss at each step")
            top = 10.0 ** np.ceil(np.log10(max(float(self.grid["loss"].max()), 1.0)))
            right.set_ylim(1e-8, top)
            left.legend_.remove()  # the path's legend comes with the path
            # the step axis follows the step count: drawn on every frame, not into the
            # background, so that a drag of `steps` does not build the figure again
            self._live.moving(*left.lines, left.title, right.xaxis)
            self._drawn = []
        left, right = self._live.figure.axes[:2]
        if num_steps != self._steps:  # the step axis only: no new figure
            right.set_xlim(step_limits(num_steps))
            self._steps = num_steps
        for artist in self._drawn:
            self._live.forget(artist)
        self._drawn = (draw_paths(left, {label: path}, "lower right")
                       + draw_losses(right, {label: summary["losses"]}))
        left.set_title(title)
        self._live.moving(*self._drawn)
        return self._live.outputs(f"<{label}>")


def learning_rate_explorer(loss_fn, grad_fn, update, w0, xlim=(-5.0, 5.0), ylim=(-3.0, 3.0),
                           learning_rate=0.05, num_steps=30):
    """A learning-rate slider (log scale) and a step count above the descent path it gives.

    loss_fn, grad_fn: the loss of two weights and its gradient.  update: the learner's
    update(w, dw, config).  w0: (2,) start.  Returns the ipywidgets VBox (None when headless).
    """
    view = DescentView(loss_fn, xlim, ylim)

    def controls(widgets):
        return {"rate": widgets.FloatLogSlider(value=learning_rate, base=10, min=-3, max=0,
                                               step=0.05, description="learning rate",
                                               readout_format=".3f", continuous_update=True,
                                               style={"description_width": "initial"}),
                "steps": widgets.IntSlider(value=num_steps, min=1, max=100, description="steps",
                                           continuous_update=True)}

    return explorer(controls, lambda values: view.update(grad_fn, update, w0, values["rate"],
                                                         values["steps"]))
