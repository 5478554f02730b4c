"""A weight nudged with a slider while the loss follows its gradient's prediction (notebook 04)."""
import numpy as np

from bpkit.live import LiveFigure, explorer, guarded
from bpkit.plots.backprop import (draw_delta, entry_name, nudge_curve, nudge_title, plot_nudge,
                                  prediction_label)

__all__ = ["NudgeView", "nudge_explorer"]


class NudgeView:
    """The picture behind nudge_explorer, kept across slider moves: `update(curve, delta)`.

    The curves are drawn once per parameter entry; moving δ only moves its marks over the cached
    plot (bpkit.live).
    """

    def __init__(self, ylabel="loss"):
        self.ylabel = ylabel
        self._live = None
        self._curve = None
        self._marks = []  # the δ line, both dots and the text box

    def update(self, curve, delta):
        """Jupyter outputs (a tuple of nbformat dicts) for this nudge_curve at this δ."""
        if self._live is None:
            self._live = LiveFigure(figsize=(6.8, 4.2))
            plot_nudge(curve, ax=self._live.figure.add_subplot(), ylabel=self.ylabel)
        for mark in self._marks:
            self._live.forget(mark)
        if curve is not self._curve and self._curve is not None:
            self._replace_curve(curve)
        self._curve = curve
        ax = self._live.figure.axes[0]
        self._marks = draw_delta(ax, curve, delta)
        self._live.moving(*self._marks, ax.legend_)
        return self._live.outputs(f"<nudge of {entry_name(curve)} by {delta:+.2f}>")

    def _replace_curve(self, curve):
        """Another entry: new data in the same lines, new limits, so the background is redrawn
        (but the figure and its artists are kept, and its layout unless the new tick labels no
        longer fit; a δ move stays a cheap frame over that background)."""
        ax = self._live.figure.axes[0]
        data = {"loss": (curve["delta"], curve["loss"]),
                "prediction": (curve["delta"], curve["prediction"]),
                "loss0": ([0.0], [curve["loss0"]])}
        for line in ax.lines:
            if line.get_gid() in data:
                line.set_data(*data[line.get_gid()])
        ax.legend_.get_texts()[1].set_text(prediction_label(curve))
        entry = entry_name(curve)
        ax.set(title=nudge_title(entry), xlabel=f"nudge δ added to {entry}")
        ax.relim()
        ax.autoscale_view()
        self._live.invalidate()


def nudge_explorer(loss_fn, params, x, y, max_delta=1.0, ylabel="loss"):
    """Pick a parameter entry and nudge it with a slider: the learner's loss against its gradient.

    loss_fn: the learner's two_layer_loss(params, x, y) -> (loss, grads). Returns an ipywidgets
    VBox (None when headless).
    """
    shapes = {k: np.shape(v) for k, v in params.items()}
    view = NudgeView(ylabel)
    # the curve depends on the entry only: keep it while just δ moves
    deltas = np.linspace(-max_delta, max_delta, 81)
    memo = {}

    def controls(widgets):
        style = {"description_width": "80px"}
        common = dict(continuous_update=True, style=style)
        made = {"parameter": widgets.Dropdown(options=list(params), description="parameter",
                                              style=style),
                "row": widgets.IntSlider(value=0, min=0, max=1, description="row", **common),
                "column": widgets.IntSlider(value=0, min=0, max=1, description="column",
                                            **common),
                "delta": widgets.FloatSlider(value=0.5, min=-max_delta, max=max_delta,
                                             step=max_delta / 20, description="nudge δ",
                                             readout_format="+.2f", **common)}

        def fit_sliders(change=None):  # observed before the redraw: the sliders fit the entry
            shape = shapes[made["parameter"].value]
            made["row"].max = max(shape[0] - 1, 0)
            made["column"].max = max(shape[1] - 1, 0) if len(shape) > 1 else 0
            made["column"].disabled = len(shape) < 2

        made["parameter"].observe(fit_sliders, names="value")
        fit_sliders()
        return made

    def draw(values):
        name = values["parameter"]
        index = (values["row"], values["column"])[:len(shapes[name])]
        if (name, index) not in memo:
            memo.clear()
            memo[name, index] = guarded(
                "two_layer_loss", lambda: nudge_curve(loss_fn, params, x, y, name, index, deltas),
                who="The loss function")
        curve, note = memo[name, index]
        return note or view.update(curve, values["delta"])

    return explorer(controls, draw)
