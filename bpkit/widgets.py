"""The experiments behind the notebooks' widgets: plain functions first, widget builders last.

The plain functions (`neuron_grid`) are what tests and benchmarks call. The builders import
ipywidgets only when called, so importing this module works headless and without a kernel.
Every neuron here is the learner's own function, passed in: nothing in bpkit computes one.
"""
import os

import numpy as np
from matplotlib.contour import ContourSet

from bpkit.checks import describe_exception
from bpkit.live import LiveFigure, stdout_output, unwritten_output
from bpkit.plotting import _colour_range, plot_neuron_surface

__all__ = ["neuron_grid", "NeuronView", "neuron_explorer"]



def neuron_grid(neuron, w1, w2, b, lim=3.0, n=81):
    """Evaluate a 2-input neuron on an n x n grid of the square [-lim, lim]^2.

    neuron: the learner's callable neuron(x, w, b) -> a (N,) or (N, 1), with x (N, 2), w (2,).
    Returns {"x1": (n,), "x2": (n,), "a": (n, n) float64 with a[i, j] at (x1[j], x2[i]),
    "level": 0.5 if all of a lies in [0, 1] else 0.0, "w": (2,), "b": float}.
    """
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
        try:
            # A fine grid: a rectifier's a = 0 edge is drawn through grid points, and at 81
            # points its steps show; 161 looks straight.
            grid = neuron_grid(neuron, w1, w2, b, n=161)
        except NotImplementedError:
            return (unwritten_output(name),)
        except Exception as exc:  # the learner's bug: a widget callback would hide the traceback
            return (stdout_output(f"The {name} neuron raised {describe_exception(exc)}"),)
        a, level = grid["a"], grid["level"]
        vmin, vmax = _colour_range(a, level, None, None, steady=True)
        has_line = bool(a.min() <= level < a.max())
        title = f"{name} neuron: w = ({w1:.1f}, {w2:.1f}), b = {b:.1f}"
        style = (vmin, vmax, level, has_line)
        if self._live is None or style != self._style:
            self._live, self._style = LiveFigure(figsize=(6.0, 4.8)), style
            ax = self._live.figure.add_subplot()
            plot_neuron_surface(grid, points=self.points, labels=self.labels, ax=ax, title=title,
                                vmin=vmin, vmax=vmax)
            self._live.moving_contents(ax)
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
    points (N, 2), labels (N,): optional data drawn on top. Returns the ipywidgets VBox.
    """
    if os.environ.get("BPKIT_HEADLESS") == "1":
        return None  # no one to show it to (the grader sets this): skip ipywidgets and renders
    import ipywidgets as widgets  # lazily: bpkit must import without a notebook frontend

    if not neurons:
        raise ValueError("neurons is empty: pass {activation name: neuron function}.")
    # Redraw when a slider is released: a frame is quick (bpkit.live), but dragging would send
    # a PNG per step, too much for a remote JupyterHub.
    common = dict(min=-5.0, max=5.0, step=0.1, continuous_update=False)
    sliders = {
        "w1": widgets.FloatSlider(value=1.0, description="w1", **common),
        "w2": widgets.FloatSlider(value=-1.0, description="w2", **common),
        "b": widgets.FloatSlider(value=0.0, description="b", **common),
    }
    choice = widgets.Dropdown(options=list(neurons), description="activation")
    picture = widgets.Output()
    view = NeuronView(points, labels)

    def redraw(change=None):
        name = choice.value
        values = {key: slider.value for key, slider in sliders.items()}
        # Replacing `outputs` in one step swaps the picture without flicker, like
        # clear_output(wait=True), and also works where no kernel captures output (tests).
        picture.outputs = view.update(neurons[name], name, **values)

    for control in (choice, *sliders.values()):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([choice, *sliders.values(), picture])
