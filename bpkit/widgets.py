"""The experiments behind the notebooks' widgets: plain functions first, widget builders last.

The plain functions (`neuron_grid`) are what tests and benchmarks call. The builders import
ipywidgets only when called, so importing this module works headless and without a kernel.
Every neuron here is the learner's own function, passed in: nothing in bpkit computes one.
"""
import base64
import io
import os

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bpkit.checks import describe_exception
from bpkit.plotting import plot_neuron_surface

__all__ = ["neuron_grid", "neuron_explorer"]

_NOT_WRITTEN = "Write {name} above first: this picture uses your own function."


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
    # Redraw when a slider is released: a render takes a few tenths of a second, so redrawing
    # on every step of a drag would queue up and lag behind the mouse.
    common = dict(min=-5.0, max=5.0, step=0.1, continuous_update=False)
    sliders = {
        "w1": widgets.FloatSlider(value=1.0, description="w1", **common),
        "w2": widgets.FloatSlider(value=-1.0, description="w2", **common),
        "b": widgets.FloatSlider(value=0.0, description="b", **common),
    }
    choice = widgets.Dropdown(options=list(neurons), description="activation")
    picture = widgets.Output()

    def redraw(change=None):
        name = choice.value
        values = {key: slider.value for key, slider in sliders.items()}
        # Replacing `outputs` in one step swaps the picture without flicker, like
        # clear_output(wait=True), and also works where no kernel captures output (tests).
        picture.outputs = _render(neurons[name], name, points=points, labels=labels, **values)

    for control in (choice, *sliders.values()):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([choice, *sliders.values(), picture])


def _render(neuron, name, w1, w2, b, points=None, labels=None):
    """Jupyter outputs for one state of the explorer: a PNG of the neuron, or a note to the learner.

    Returns a tuple of output dicts (nbformat), ready for an Output widget's `outputs`.
    """
    try:
        # A finer grid than the default: a rectifier's a = 0 edge is drawn through grid points,
        # and at 81 points its steps show; 161 costs a tenth more time and looks straight.
        grid = neuron_grid(neuron, w1, w2, b, n=161)
    except NotImplementedError:
        return (_stdout(_NOT_WRITTEN.format(name=name)),)
    except Exception as exc:  # the learner's bug: a widget callback would hide the traceback
        return (_stdout(f"The {name} neuron raised {describe_exception(exc)}"),)
    # A pyplot-free Figure: nothing is registered with pyplot, so nothing needs plt.close, no
    # figure leaks across redraws, and the inline backend does not show a stray copy.
    fig = Figure(figsize=(6.0, 4.8), layout="constrained")
    FigureCanvasAgg(fig)
    title = f"{name} neuron: w = ({w1:.1f}, {w2:.1f}), b = {b:.1f}"
    plot_neuron_surface(grid, points=points, labels=labels, ax=fig.add_subplot(), title=title)
    buffer = io.BytesIO()
    # fast PNG compression: the picture is redrawn on every slider release
    fig.savefig(buffer, format="png", dpi=96, pil_kwargs={"compress_level": 1})
    png = base64.b64encode(buffer.getvalue()).decode("ascii")
    return ({"output_type": "display_data", "metadata": {},
             "data": {"image/png": png, "text/plain": f"<{title}>"}},)


def _stdout(text):
    return {"output_type": "stream", "name": "stdout", "text": text + "\n"}
