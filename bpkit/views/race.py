"""Four optimizers racing down a valley whose narrowness is on a slider (notebook 06)."""
import numpy as np

from bpkit.live import LiveFigure, explorer, guarded, unwritten_output
from bpkit.plots.descent import draw_contours, draw_losses, draw_paths, path_summary, step_limits
from bpkit.plots.optimizers import (RACE_ORDER, loss_floor, plot_race_losses, race,
                                    race_configs, surface)

__all__ = ["LABELS", "RaceView", "optimizer_explorer"]


LABELS = {"sgd": "SGD", "sgd_momentum": "momentum", "rmsprop": "RMSProp", "adam": "Adam"}


class RaceView:
    """The picture behind optimizer_explorer, kept across slider moves: `update(...)`.

    Both panels' axes are drawn once per step count, the valley's contours once per condition
    number (over the same axes); a new learning rate, momentum or beta2 only redraws the paths,
    their losses, the legend and the title over them (bpkit.live).
    """

    def __init__(self, loss_fn, grad_fn, w0, xlim=(-5.0, 5.0), ylim=(-2.5, 2.5)):
        self.loss_fn, self.grad_fn = loss_fn, grad_fn
        self.w0 = np.array(w0, dtype=np.float64)
        self.xlim, self.ylim = xlim, ylim
        self._live = None
        self._steps = self._kappa = None
        self._contours, self._drawn = [], []

    def _axes(self):
        self._live = LiveFigure(figsize=(10.5, 4.2), dpi=90)
        left, right = self._live.figure.subplots(1, 2, width_ratios=[1.4, 1])
        left.plot(0.0, 0.0, marker="*", markersize=14, color="gold", markeredgecolor="black",
                  linestyle="none", zorder=4)
        left.set(xlim=self.xlim, ylim=self.ylim, xlabel="weight w1", ylabel="weight w2")
        left.set_aspect("equal", adjustable="box")
        # the loss at the start grows with κ: up to 1e4 for the slider's κ = 1000
        plot_race_losses({}, ax=right, title="Loss at each step (last value in the legend)",
                         ylim=(1e-10, 1e4))
        # the step axis follows the step count: drawn on every frame, not into the background,
        # so that a drag of `steps` does not build the figure again
        self._live.moving(left.title, right.xaxis)
        self._steps, self._kappa, self._contours, self._drawn = None, None, [], []

    def _valley(self, kappa):
        left = self._live.figure.axes[0]
        for contours in self._contours:
            contours.remove()
        grid = surface(lambda w: self.loss_fn(w, kappa), self.xlim, self.ylim)
        self._contours, self._kappa = draw_contours(left, grid), kappa
        self._live.invalidate()

    def update(self, updates, learning_rate, momentum, beta2, kappa, num_steps):
        """Jupyter outputs (a tuple of nbformat dicts): both panels, or a note to the learner.

        updates: {name: the learner's update(w, dw, config)} for names of RACE_ORDER.
        """
        configs = race_configs(learning_rate, momentum, beta2)
        ordered = {name: updates[name] for name in RACE_ORDER if name in updates}
        done, note = guarded("the optimizers", lambda: race(
            lambda w: self.grad_fn(w, kappa), ordered, self.w0, configs, num_steps))
        if note:
            return note
        paths, unwritten = done
        if not paths:
            return tuple(unwritten_output(name) for name in unwritten)
        if self._live is None:
            self._axes()
        if num_steps != self._steps:  # the step axis only: no new figure
            self._live.figure.axes[1].set_xlim(step_limits(num_steps))
            self._steps = num_steps
        if kappa != self._kappa:
            self._valley(kappa)
        left, right = self._live.figure.axes[:2]
        labelled, losses = {}, {}
        for name, path in paths.items():
            summary = path_summary(lambda w: self.loss_fn(w, kappa), path)
            verdict = "diverged" if summary["diverged"] else f"{summary['losses'][-1]:.1e}"
            label = f"{LABELS.get(name, name)}: {verdict}"
            labelled[label], losses[label] = path, loss_floor(summary["losses"])
        for artist in self._drawn:
            self._live.forget(artist)
        self._drawn = draw_paths(left, labelled, None) + draw_losses(right, losses)
        left.set_title(f"valley κ = {kappa:g}: {num_steps} steps, learning rate "
                       f"{learning_rate:.3g}")
        self._live.moving(*self._drawn)
        notes = tuple(unwritten_output(name) for name in unwritten)
        return notes + self._live.outputs("<" + "; ".join(labelled) + ">")


def optimizer_explorer(loss_fn, grad_fn, w0, updates, learning_rate=0.02, momentum=0.9,
                       beta2=0.99, kappa=50.0, num_steps=60, xlim=(-5.0, 5.0), ylim=(-2.5, 2.5)):
    """Sliders for the learning rate, momentum (Adam's beta1), beta2 (RMSProp's decay_rate), the
    valley's condition number and the step count, above the race they give.

    loss_fn(w, kappa), grad_fn(w, kappa): the valley and its gradient.  w0: (2,) start.
    updates: {name: the learner's update} for sgd, sgd_momentum, rmsprop, adam.
    Returns the ipywidgets VBox (None when headless).
    """
    view = RaceView(loss_fn, grad_fn, w0, xlim, ylim)

    def controls(widgets):
        style = {"description_width": "initial"}
        return {"rate": widgets.FloatLogSlider(value=learning_rate, base=10, min=-3, max=0,
                                               step=0.05, description="learning rate",
                                               readout_format=".3f", continuous_update=True,
                                               style=style),
                "momentum": widgets.FloatSlider(value=momentum, min=0.0, max=0.99, step=0.01,
                                                description="momentum = beta1",
                                                continuous_update=True, style=style),
                "beta2": widgets.FloatSlider(value=beta2, min=0.5, max=0.999, step=0.001,
                                             description="beta2 = decay_rate",
                                             readout_format=".3f", continuous_update=True,
                                             style=style),
                "kappa": widgets.FloatLogSlider(value=kappa, base=10, min=0, max=3, step=0.1,
                                                description="condition number κ",
                                                readout_format=".0f", continuous_update=True,
                                                style=style),
                "steps": widgets.IntSlider(value=num_steps, min=5, max=200, description="steps",
                                           continuous_update=True)}

    return explorer(controls, lambda v: view.update(updates, v["rate"], v["momentum"],
                                                    v["beta2"], v["kappa"], v["steps"]))
