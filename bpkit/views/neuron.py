"""A neuron steered with sliders (notebook 01): its output over the plane, live."""
import numpy as np
from matplotlib.contour import ContourSet

from bpkit.live import LiveFigure, explorer, guarded
from bpkit.plots import colour_range
from bpkit.plots.activations import plot_neuron_surface

__all__ = ["neuron_grid", "NeuronView", "neuron_explorer"]


def neuron_grid(neuron, w1, w2, b, lim=3.0, n=81):
    """Evaluate a 2-input neuron on an n x n grid of the square [-lim, lim]^2.

    neuron: the learner's callable neuron(x, w, b) -> a (N,) or (N, 1), with x (N, 2), w (2,).
    Returns {"x1": (n,), "x2": (n,), "a": (n, n) float64 with a[i, j] at (x1[j], x2[i]),
    "level": 0.5 if all of a lies in [0, 1] else 0.0, "w": (2,), "b": float}.
    """
    lim, n = float(lim), int(n)  # one number each (an array here would ask for gigabytes)
    x1 = np.linspace(-lim, lim, n)
    x2 = np.linspace(-lim, lim, n)
    grid_x1, grid_x2 = np.meshgrid(x1, x2)  # row i holds x2[i], column j holds x1[j]
    x = np.column_stack([grid_x1.ravel(), grid_x2.ravel()])
    w = np.array([w1, w2], dtype=np.float64)
    b = float(b)
    # One call on all n*n points: the widget redraws on every slider step.
    out = np.asarray(neuron(x, w.copy(), b), dtype=np.float64)
    if out.shape not in {(n * n,), (n * n, 1)}:
        raise ValueError(f"neuron(x, w, b) returned shape {out.shape} for x of shape {x.shape}; "
                         f"expected ({n * n},) or ({n * n}, 1): one output per input row.")
    a = out.reshape(n, n)
    level = 0.5 if a.min() >= 0.0 and a.max() <= 1.0 else 0.0
    return {"x1": x1, "x2": x2, "a": a, "level": level, "w": w, "b": b}


class NeuronView:
    """The picture behind neuron_explorer, kept across slider moves: `update(...)` -> outputs.

    The first frame draws the whole figure; later frames only swap the image, the a = level line
    and the title over the cached axes (bpkit.live), unless the colour range changes.
    """

    def __init__(self, points=None, labels=None):
        self.points, self.labels = points, labels
        self._live = None
        self._style = None

    def update(self, neuron, name, w1, w2, b):
        """Jupyter outputs (a tuple of nbformat dicts) for this neuron and these weights."""
        # A fine grid: a rectifier's a = 0 edge is drawn through grid points, and at 81 points
        # its steps show; 161 looks straight.
        grid, note = guarded(name, lambda: neuron_grid(neuron, w1, w2, b, n=161),
                             who=f"The {name} neuron")
        if note:
            return note
        a, level = grid["a"], grid["level"]
        vmin, vmax = colour_range(a, level, None, None, steady=True)
        has_line = bool(a.min() <= level < a.max())
        title = f"{name} neuron: w = ({w1:.1f}, {w2:.1f}), b = {b:.1f}"
        style = (vmin, vmax, level, has_line)
        if self._live is None or style != self._style:
            self._live, self._style = LiveFigure(figsize=(6.0, 4.8)), style
            ax = self._live.figure.add_subplot()
            plot_neuron_surface(grid, points=self.points, labels=self.labels, ax=ax, title=title,
                                vmin=vmin, vmax=vmax)
            self._live.moving_contents(ax, steady_legend=True)  # the classes and the a-line
        else:
            ax = self._live.figure.axes[0]
            ax.images[0].set_data(a)
            ax.set_title(title)
            for old in [c for c in ax.collections if isinstance(c, ContourSet)]:
                self._live.forget(old)
            if has_line:
                self._live.moving(ax.contour(grid["x1"], grid["x2"], a, levels=[level],
                                             colors="black", linewidths=1.5))
        return self._live.outputs(f"<{title}>")


def neuron_explorer(neurons, points=None, labels=None):
    """Sliders for w1, w2, b and a choice of activation, above a live picture of the neuron.

    neurons: {activation name: neuron(x, w, b)} built from the learner's functions.
    points (N, 2), labels (N,): optional data drawn on top. Returns the ipywidgets VBox (None when
    headless).
    """
    if not neurons:
        raise ValueError("neurons is empty: pass {activation name: neuron function}.")
    view = NeuronView(points, labels)

    def controls(widgets):
        # the picture follows a drag (bpkit.live.explorer drops the frames that fall behind)
        common = dict(min=-5.0, max=5.0, step=0.1, continuous_update=True)
        return {"activation": widgets.Dropdown(options=list(neurons), description="activation"),
                "w1": widgets.FloatSlider(value=1.0, description="w1", **common),
                "w2": widgets.FloatSlider(value=-1.0, description="w2", **common),
                "b": widgets.FloatSlider(value=0.0, description="b", **common)}

    def draw(values):
        name = values["activation"]
        return view.update(neurons[name], name, values["w1"], values["w2"], values["b"])

    return explorer(controls, draw)
