"""Depth, activation and initialisation on controls, and what they do to the gradients and to
training (notebook 07)."""
import numpy as np

from bpkit.live import LiveFigure, explorer, guarded
from bpkit.plots.deep import draw_per_layer

__all__ = ["INITS", "DepthView", "depth_explorer"]

INITS = {"small: 0.01 N(0, 1)": "small", "Xavier: N(0, 2/(fan_in + fan_out))": "xavier",
         "He: N(0, 2/fan_in)": "he", "large: N(0, 1)": "large"}
NORM_LIMITS = (1e-24, 1e10)  # one fixed log scale: settings compare at a glance
MAX_DEPTH = 12


class DepthView:
    """The picture behind depth_explorer, kept across control changes: `update(...)`.

    Left: each layer's gradient norm at the start (log scale, fixed range). Right: the loss over
    a short training run. The axes are drawn once; a change redraws only the lines, the legend
    and the titles. The experiment's results are kept per setting, so going back is instant.
    """

    def __init__(self, num_steps=30):
        self.num_steps = num_steps
        self.results = {}
        self._live = None
        self._drawn = []

    def _figure(self):
        self._live = LiveFigure(figsize=(10.0, 4.0), dpi=90)
        left, right = self._live.figure.subplots(1, 2)
        left.set(yscale="log", ylim=NORM_LIMITS, xlim=(0.5, MAX_DEPTH + 0.5),
                 xlabel="layer k (1 = next to the input)",
                 ylabel="gradient norm ||dW_k|| (log scale)")
        left.set_xticks(np.arange(1, MAX_DEPTH + 1))
        right.set(xlim=(-0.5, self.num_steps - 0.5), ylim=(0.0, 5.0),
                  xlabel="gradient descent step", ylabel="cross-entropy loss (nats)")
        right.axhline(np.log(10.0), color="0.5", linestyle="--", linewidth=1)
        right.text(self.num_steps - 1, np.log(10.0) + 0.08, "ln 10: guessing", ha="right",
                   fontsize="small", color="0.4")
        for ax in (left, right):
            ax.grid(True, which="major", alpha=0.3)
        left.set_title(" ")
        right.set_title(" ")
        self._live.moving(left.title, right.title)

    def update(self, experiment, depth, activation, init):
        """Jupyter outputs (a tuple of nbformat dicts): both panels, or a note to the learner.

        experiment(depth, activation, init) -> {"norms": (depth,), "losses": (T,)}: the
        notebook's function, which runs the learner's network. init: a key of INITS' values.
        """
        key = (int(depth), activation, init)
        if key not in self.results:
            result, note = guarded("deep_forward, deep_backward and layer_gradient_norms",
                                   lambda: experiment(*key), who="the experiment")
            if note:
                return note
            self.results[key] = result
        norms = np.asarray(self.results[key]["norms"], dtype=np.float64)
        losses = np.asarray(self.results[key]["losses"], dtype=np.float64)
        if self._live is None:
            self._figure()
        left, right = self._live.figure.axes[:2]
        for artist in self._drawn:
            self._live.forget(artist)
        name = next(label for label, value in INITS.items() if value == init).split(":")[0]
        self._drawn = draw_per_layer(left, {f"{activation}, {name} init": norms})
        left.set_xticks(np.arange(1, MAX_DEPTH + 1))
        finite = losses[np.isfinite(losses)]
        shown = np.clip(finite, 0.0, 5.0)
        self._drawn += right.plot(np.arange(len(shown)), shown, "-", color="tab:blue",
                                  linewidth=2)
        ratio = norms[0] / norms[-1] if norms[-1] > 0 else np.inf
        left.set_title(f"{depth} layers: ||dW1|| / ||dW{depth}|| = {ratio:.1e}")
        if len(finite) < len(losses) or (len(finite) and finite.max() > 5.0):
            verdict = "diverged" if len(finite) < len(losses) else "loss above 5 clipped"
            right.set_title(f"Training: {verdict}")
        else:
            right.set_title(f"Training: loss {finite[-1]:.3f} after {len(losses)} steps")
        self._live.moving(*self._drawn)
        return self._live.outputs(f"<{depth} layers, {activation}, {init}: ratio {ratio:.1e}, "
                                  f"{len(finite)} finite losses>")


def depth_explorer(experiment, depth=10, activation="sigmoid", init="small"):
    """Depth (slider), activation and initialisation (menus) above the gradient norms per layer
    and a short training curve. experiment: see DepthView.update. Returns the ipywidgets VBox
    (None when headless)."""
    view = DepthView()

    def controls(widgets):
        wide = {"description_width": "initial"}
        return {"depth": widgets.IntSlider(value=depth, min=2, max=MAX_DEPTH,
                                           description="layers L", continuous_update=True,
                                           style=wide),
                "activation": widgets.Dropdown(options=["sigmoid", "tanh", "relu"],
                                               value=activation, description="activation",
                                               style=wide),
                "init": widgets.Dropdown(options=list(INITS.items()), value=init,
                                         description="initialisation", style=wide)}

    def draw(values):
        return view.update(experiment, values["depth"], values["activation"], values["init"])

    return explorer(controls, draw)

