"""A prediction moved along a slider while each loss and its slope follow (notebook 02)."""
import numpy as np

from bpkit.live import LiveFigure, explorer, stdout_output, unwritten_output
from bpkit.checks.core import describe_exception
from bpkit.plots.losses import (P_MAX, P_MIN, figure_title, loss_of, loss_point,
                                panel_title, plot_loss_slopes)

__all__ = ["LossView", "loss_explorer"]


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
                loss_of(loss, p, y)
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
            ax.set_title(panel_title(name, loss, slope))
        fig.suptitle(figure_title(p, y))


def loss_explorer(losses, p=0.3, y=1.0):
    """A slider for the prediction p and a choice of target y, above the live loss panels.

    losses: {name: loss(y_hat, y)}, the learner's functions. Returns the ipywidgets VBox (None
    when headless).
    """
    if not losses:
        raise ValueError("losses is empty: pass {name: loss function}.")
    view = LossView(losses)

    def controls(widgets):
        return {"p": widgets.FloatSlider(value=p, min=P_MIN, max=P_MAX, step=0.01,
                                         readout_format=".2f", description="p",
                                         continuous_update=True),
                "y": widgets.ToggleButtons(options=[("y = 0", 0.0), ("y = 1", 1.0)],
                                           value=float(y), description="target")}

    return explorer(controls, lambda values: view.update(values["p"], values["y"]))
