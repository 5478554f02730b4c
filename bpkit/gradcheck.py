"""Checking a backward pass: the learner's analytic gradients against slopes measured along random
directions (never entry by entry: that is notebook 03's exercise), calls
of the learner's layers for tests, a drawing of how `dout` flows back through a network, and a
weight to nudge while the loss follows (or leaves) its gradient's prediction.

Plain functions first (tests call them), plots next, the widget builder last. Every layer, loss
and gradient here is the learner's own, passed in: nothing in bpkit computes a backward pass.
matplotlib and ipywidgets are imported where they are used, so the checks import quickly.
"""
import os

import numpy as np

from bpkit.checks import CheckFailed, compare_arrays, describe_exception, fail, invoke, type_name
from bpkit.live import LiveFigure, stdout_output, unwritten_output

__all__ = ["grad_check", "grad_check_params", "call_learner", "check_parts", "check_grads",
           "nudge_curve", "plot_nudge", "plot_dout_flow", "NudgeView", "nudge_explorer"]


def _scalar(value, what):
    array = np.asarray(value, dtype=np.float64)
    if array.size != 1:
        raise ValueError(f"{what} must return one number (a loss); it returned shape "
                         f"{array.shape}.")
    return float(array.reshape(()))


def _directions(shape, count, seed):
    """count unit directions in the space of arrays shaped `shape`, the same ones every call."""
    rng = np.random.default_rng(seed)
    size = int(np.prod(shape, dtype=np.int64))
    if size == 1:  # one entry: both ways along its axis
        return [np.ones(shape), -np.ones(shape)][:count]
    directions = []
    for _ in range(count):
        v = rng.normal(size=shape)
        directions.append(v / np.linalg.norm(v))
    return directions


def _slope(f, x, v, h):
    """(f(x + h v) - f(x - h v)) / 2h: how fast f changes when x moves along v."""
    up = _scalar(f(x + h * v), "f")  # fresh arrays: an f that changes its input skews nothing
    down = _scalar(f(x - h * v), "f")
    return (up - down) / (2 * h)


def _factor_note(predicted, measured):
    """' Every slope is 0.333 times ...' when one factor explains the gap."""
    big = np.abs(measured) > 1e-3 * np.abs(measured).max(initial=0.0)
    if not big.any():
        return ""
    ratios = predicted[big] / measured[big]
    factor = float(np.median(ratios))
    if abs(factor - 1.0) < 1e-3 or not np.allclose(ratios, factor, rtol=1e-4):
        return ""
    if abs(factor + 1.0) < 1e-4:
        return " Every slope has the wrong sign: the gradient points downhill instead of uphill."
    return (f" Every slope is {factor:.4g} times the measured one: a factor is missing or "
            "extra (a 1/N, a 2, a sum where a mean belongs?).")


def grad_check(f, x, analytic, *, name="gradient", tol=1e-6, h=1e-5, directions=6, seed=0,
               quiet=False):
    """Check an analytic gradient of a scalar f at x along random directions; return the error.

    f: scalar function of an array shaped like x, e.g. `lambda x: np.sum(layer(x)[0] * dout)`.
    analytic: the gradient to check, shape of x. For each of `directions` random unit vectors v
    (fixed by `seed`), the slope the gradient predicts, analytic . v, is compared with the slope
    measured by central differences along v, (f(x + h v) - f(x - h v)) / 2h. A right gradient
    agrees along every direction; a wrong one, along almost none. The error is the largest
    |predicted - measured| / (|predicted| + |measured|), where a slope a hundred times smaller
    than |analytic| is measured against a hundredth of it so that near-zero slopes carry no
    rounding noise. Prints one ✓ line, or raises CheckFailed when the error exceeds tol.
    x itself is never modified. This never computes the gradient entry by entry: that is
    `numerical_gradient`, which you wrote in notebook 03.
    """
    x = np.array(x, dtype=np.float64)  # our own copy
    analytic = np.asarray(analytic, dtype=np.float64)
    if analytic.shape != x.shape:
        fail(f"{name} has shape {analytic.shape} but the input has shape {x.shape}: a gradient "
             "always has the shape of what it differentiates.",
             f"{name} does not have the shape of the input, {x.shape}: a gradient always has the "
             "shape of what it differentiates.")
    if not np.isfinite(analytic).all():
        fail(f"{name} contains nan or inf: an overflow in the backward pass?")
    vs = _directions(x.shape, directions, seed)
    predicted = np.array([float(np.sum(analytic * v)) for v in vs])
    measured = np.array([_slope(f, x, v, h) for v in vs])
    floor = max(1e-2 * float(np.linalg.norm(analytic)), 1e-12)
    errors = np.abs(predicted - measured) / np.maximum(np.abs(predicted) + np.abs(measured), floor)
    errors = np.where(np.isnan(errors), np.inf, errors)
    error = float(errors.max(initial=0.0))
    if not error <= tol:
        worst = int(np.argmax(errors))
        where = " To see which entries are wrong, compare with numerical_gradient from notebook 03."
        fail(f"{name} disagrees with the slopes measured by central differences: relative error "
             f"{error:.1e} > {tol:g}. Along random direction {worst + 1} of {len(vs)}, {name} "
             f"predicts a slope of {predicted[worst]:.6g} but f changes at {measured[worst]:.6g}."
             + _factor_note(predicted, measured) + where,
             f"{name} disagrees with the slopes measured by central differences." + where)
    if not quiet:
        print(f"✓ {name} matches central differences along {len(vs)} random directions: "
              f"relative error {error:.1e} (tolerance {tol:g})")
    return error


def grad_check_params(loss_fn, params, grads, *, tol=1e-6, h=1e-5, directions=6, quiet=False):
    """grad_check every parameter of a model: loss_fn(params) -> loss, grads keyed like params.

    Returns {name: relative error}. Raises CheckFailed for a missing key or a wrong gradient.
    """
    if not isinstance(grads, dict):
        fail(f"grads is a {type_name(grads)}; expected a dict keyed like params "
             f"({', '.join(params)}).", f"grads is not a dict keyed like params ({', '.join(params)}).")
    missing = [key for key in params if key not in grads]
    if missing:
        fail(f"grads is missing {', '.join(map(repr, missing))}: return one gradient per "
             f"parameter, keyed like params ({', '.join(params)}).")
    errors = {}
    for key in params:
        def f(value, key=key):
            return loss_fn({**{k: np.array(v) for k, v in params.items()}, key: value})
        errors[key] = grad_check(f, params[key], grads[key], name=f"grads[{key!r}]", tol=tol,
                                 h=h, directions=directions, quiet=quiet)
    return errors


def _not_written(error, name):
    # "NotImplementedError (in dense_forward, line 7: ...)": name the stub that raised it
    if "(in " in error:
        name = error.split("(in ", 1)[1].split(",", 1)[0]
    message = (f"{name} is not written yet: replace `raise NotImplementedError()` in its cell "
               "with your code, run that cell, then this one.")
    return CheckFailed(message, public="A function it calls is not written yet: replace `raise "
                                       "NotImplementedError()` with your code.")


def _changed(before, after):
    if isinstance(before, np.ndarray):
        try:
            after = np.asarray(after)
        except TypeError:  # an object that stayed in the grader's sandbox: not our array
            return True
        return after.shape != before.shape or not np.array_equal(after, before, equal_nan=True)
    if isinstance(before, dict):
        return not isinstance(after, dict) or any(_changed(v, after.get(k))
                                                  for k, v in before.items())
    return False


def call_learner(fn, args, *, arg_names, returns=("out", "cache"), call=None,
                 inputs_unchanged=True, error_hints=None):
    """Call the learner's fn(*args) for a check and return what it returned.

    returns: the names of the values fn must return as a tuple (the tuple is returned), or one
    name (the value is returned as is). Raises CheckFailed when fn is not written yet, raises
    (adding the advice of error_hints {text in the error: advice}), returns the wrong number of
    values, or (inputs_unchanged) changes an array or dict argument in place.
    """
    name = getattr(fn, "__name__", "the function")
    call = call or f"{name}({', '.join(arg_names)})"
    result = invoke(fn, *args)
    if result.error:
        if result.error.startswith("NotImplementedError"):
            raise _not_written(result.error, name)
        advice = next((text for key, text in (error_hints or {}).items() if key in result.error),
                      "")
        fail(f"{call} raised {result.error}" + (f". {advice}" if advice else ""),
             f"{call} raised an exception." + (f" {advice}" if advice else ""))
    if inputs_unchanged and result.args_after is not None:
        for before, after, arg_name in zip(args, result.args_after, arg_names):
            if _changed(before, after):
                fail(f"{call} changed its input {arg_name} in place (e.g. with `+=`, `*=` or "
                     "`x[mask] = 0`): compute a new array instead.")
    value = result.value
    if isinstance(returns, str):
        return value
    if not isinstance(value, (tuple, list)) or len(value) != len(returns):
        got = (f"a tuple of {len(value)} values" if isinstance(value, (tuple, list))
               else f"a {type_name(value)}")
        fail(f"{call} returned {got}; expected a tuple ({', '.join(returns)}).",
             f"{call} did not return a tuple ({', '.join(returns)}).")
    return tuple(value)


def check_parts(values, expected, *, call, rtol=1e-7, atol=1e-12, hints=None, quiet=False):
    """compare_arrays each of `values` with expected {name: value}, in order; one ✓ line.

    hints: {name: {description of a likely mistake: the value it gives}}. A value of shape (1,)
    counts as a number where a number is expected. Returns the largest relative error.
    """
    hints = hints or {}
    worst = 0.0
    for value, (part, want) in zip(values, expected.items()):
        if np.ndim(want) == 0 and isinstance(value, np.ndarray) and value.shape == (1,):
            # a numpy scalar (a loss) reaches the grader as shape (1,): read it as a number
            value = value.reshape(())
        if (isinstance(value, np.ndarray) and value.size == 1 and np.ndim(want) == 1
                and np.size(want) > 1):
            fail(f"{part} from {call} is a single number; expected shape {np.shape(want)}: did "
                 "np.sum or np.mean run over every axis? axis=0 sums over the batch and keeps "
                 "one value per column.")
        worst = max(worst, compare_arrays(value, want, call=f"{part} from {call}", rtol=rtol,
                                          atol=atol, hints=hints.get(part)))
    if not quiet:
        print(f"✓ {call}: {', '.join(expected)} correct, max relative error {worst:.1e} "
              f"(tolerance {rtol:g})")
    return worst


def check_grads(grads, expected, *, call, rtol=1e-7, atol=1e-12, hints=None, quiet=False):
    """Check a dict of gradients against expected {name: value}: keys, shapes, then values."""
    keys = ", ".join(expected)
    if not isinstance(grads, dict):
        fail(f"{call} returned grads as a {type_name(grads)}; expected a dict keyed like params "
             f"({keys}).", f"{call} did not return grads as a dict keyed like params ({keys}).")
    missing = [k for k in expected if k not in grads]
    if missing:
        extra = [k for k in grads if k not in expected]
        fail(f"grads from {call} is missing {', '.join(map(repr, missing))}"
             + (f" and has {', '.join(map(repr, extra))}: it is keyed wrong" if extra else "")
             + f"; key each gradient like its parameter in params ({keys}).",
             f"grads from {call} is missing {', '.join(map(repr, missing))}"
             + (": it is keyed wrong" if extra else "")
             + f"; key each gradient like its parameter in params ({keys}).")
    for key, want in expected.items():
        try:
            shape = np.shape(grads[key])
        except TypeError:
            continue  # not an array: compare_arrays below names what it is
        twin = next((k for k, v in expected.items() if k != key and np.shape(v) == shape), None)
        if shape != np.shape(want) and twin:
            fail(f"grads[{key!r}] from {call} has shape {shape}, the shape of params[{twin!r}]: "
                 f"the gradients are keyed wrong. grads[{key!r}] must have the shape of "
                 f"params[{key!r}], {np.shape(want)}.")
    return check_parts([grads[k] for k in expected],
                       {f"grads[{k!r}]": v for k, v in expected.items()}, call=call, rtol=rtol,
                       atol=atol, quiet=quiet,
                       hints={f"grads[{k!r}]": v for k, v in (hints or {}).items()})


def nudge_curve(loss_fn, params, x, y, name, index, deltas):
    """The loss as one parameter entry moves, next to its gradient's first-order prediction.

    loss_fn: the learner's two_layer_loss(params, x, y) -> (loss, grads).  name, index: the entry
    params[name][index].  deltas: (K,) nudges added to it.  Returns {"delta": (K,), "loss": (K,),
    "prediction": (K,) loss0 + grad * delta, "loss0": float, "grad": float, "name", "index"}.
    The learner's params are never modified.
    """
    if name not in params:
        raise ValueError(f"no parameter {name!r}: params has {', '.join(params)}.")
    base = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    index = tuple(int(i) for i in np.atleast_1d(index))
    if len(index) != base[name].ndim or not all(0 <= i < n for i, n in
                                                zip(index, base[name].shape)):
        raise ValueError(f"index {index} is not an entry of {name}, shape {base[name].shape}.")
    result = loss_fn({k: v.copy() for k, v in base.items()}, x, y)
    if not isinstance(result, tuple) or len(result) != 2 or not isinstance(result[1], dict):
        raise ValueError("the loss function must return (loss, grads) with grads a dict keyed "
                         "like params.")
    loss0, grads = _scalar(result[0], "the loss function"), result[1]
    if name not in grads or np.shape(grads[name]) != base[name].shape:
        raise ValueError(f"grads[{name!r}] is missing or not of shape {base[name].shape}.")
    grad = float(np.asarray(grads[name], dtype=np.float64)[index])
    deltas = np.asarray(deltas, dtype=np.float64)
    losses = np.empty_like(deltas)
    for k, delta in enumerate(deltas):
        nudged = {key: value.copy() for key, value in base.items()}
        nudged[name][index] += delta
        losses[k] = _scalar(loss_fn(nudged, x, y)[0], "the loss function")
    return {"delta": deltas, "loss": losses, "prediction": loss0 + grad * deltas,
            "loss0": loss0, "grad": grad, "name": name, "index": index}


def _entry(curve):
    return f"{curve['name']}[{', '.join(map(str, curve['index']))}]"


def plot_nudge(curve, delta=None, ax=None, ylabel="loss", title=None):
    """Draw a nudge_curve: the loss, the tangent line of the gradient and, at `delta`, both
    changes side by side. Returns the Figure."""
    fig, ax = _figure_and_axes(ax, figsize=(6.8, 4.2))
    entry = _entry(curve)
    ax.plot(curve["delta"], curve["loss"], color="tab:blue", linewidth=2,
            label="the loss after the nudge", gid="loss")
    ax.plot(curve["delta"], curve["prediction"], color="tab:red", linestyle="--", linewidth=1.5,
            label=_prediction_label(curve), gid="prediction")
    ax.plot([0.0], [curve["loss0"]], "o", color="black", markersize=5, label="no nudge: L0",
            gid="loss0")
    if delta is not None:
        _draw_delta(ax, curve, delta)
    ax.set(title=title or _nudge_title(entry), xlabel=f"nudge δ added to {entry}", ylabel=ylabel)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper right", fontsize="small", framealpha=0.9)
    return fig


def _prediction_label(curve):
    return f"the gradient's prediction L0 + g·δ (g = {curve['grad']:.3g})"


def _nudge_title(entry):
    return f"Nudging {entry}: the loss and its gradient's prediction"


def _draw_delta(ax, curve, delta):
    """The nudge δ on a nudge plot: a line, both losses, and the two changes written out."""
    k = int(np.argmin(np.abs(curve["delta"] - delta)))
    d, actual, predicted = curve["delta"][k], curve["loss"][k], curve["prediction"][k]
    return [
        ax.axvline(d, color="0.5", linewidth=0.8, zorder=0),
        *ax.plot([d], [actual], "o", color="tab:blue", markersize=7),
        *ax.plot([d], [predicted], "s", color="tab:red", markersize=6),
        ax.text(0.02, 0.04, f"δ = {d:+.2f}\nactual change     {actual - curve['loss0']:+.4f}\n"
                f"predicted g·δ     {predicted - curve['loss0']:+.4f}", transform=ax.transAxes,
                family="monospace", fontsize="small", va="bottom",
                bbox={"facecolor": "white", "edgecolor": "0.7", "alpha": 0.9})]


def _figure_and_axes(ax, figsize):
    if ax is None:
        import matplotlib.pyplot as plt
        return plt.subplots(figsize=figsize, layout="constrained")
    return ax.figure, ax


def plot_dout_flow(N, D, H, C, ax=None):
    """Diagram of x -> dense -> ReLU -> dense -> softmax-CE -> loss: the forward arrows with the
    shapes of what they carry, and the backward `dout` arrows with the gradients' shapes."""
    fig, ax = _figure_and_axes(ax, figsize=(12.0, 4.4))
    boxes = [(2.6, "dense\nW1, b1"), (5.6, "ReLU"), (8.6, "dense\nW2, b2"),
             (11.6, "softmax +\ncross-entropy")]
    ends = [0.3] + [x for x, _ in boxes] + [14.2]
    width, height = 1.7, 1.0
    for x, label in boxes:
        ax.add_patch(_box(x, width, height))
        ax.text(x, 0.0, label, ha="center", va="center", fontsize=11, weight="bold")
    ax.text(ends[0], 0.0, "x", ha="center", va="center", fontsize=15, style="italic")
    ax.text(ends[-1], 0.0, "L", ha="center", va="center", fontsize=15, style="italic")
    forward = [f"x: (N, D)\n({N}, {D})", f"z: (N, H)\n({N}, {H})", f"h: (N, H)\n({N}, {H})",
               f"scores: (N, C)\n({N}, {C})", "loss L\none number"]
    backward = ["dx: (N, D)\nnot needed", f"dz: (N, H)\n({N}, {H})", f"dh: (N, H)\n({N}, {H})",
                f"dscores: (N, C)\n({N}, {C})", "dL/dL\n= 1"]
    for k in range(5):
        left = ends[k] + (width / 2 if k else 0.25)
        right = ends[k + 1] - (width / 2 if k < 4 else 0.25)
        middle = (left + right) / 2
        ax.annotate("", xy=(right, 0.22), xytext=(left, 0.22),
                    arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.6})
        ax.text(middle, 0.34, forward[k], ha="center", va="bottom", fontsize=9)
        faded = k == 0  # nothing upstream of x needs its gradient
        ax.annotate("", xy=(left, -0.22), xytext=(right, -0.22),
                    arrowprops={"arrowstyle": "-|>", "color": "0.6" if faded else "tab:red",
                                "lw": 1.6, "linestyle": "--" if faded else "-"})
        ax.text(middle, -0.34, backward[k], ha="center", va="top", fontsize=9,
                color="0.45" if faded else "tab:red")
    for (x, _), grads in zip([boxes[0], boxes[2]],
                             [f"dW1: (D, H) = ({D}, {H})\ndb1: (H,) = ({H},)",
                              f"dW2: (H, C) = ({H}, {C})\ndb2: (C,) = ({C},)"]):
        ax.annotate("", xy=(x, -1.3), xytext=(x, -height / 2),
                    arrowprops={"arrowstyle": "-|>", "color": "tab:red", "lw": 1.6})
        ax.text(x, -1.36, grads, ha="center", va="top", fontsize=9.5, color="tab:red",
                weight="bold")
    ax.annotate("", xy=(boxes[3][0], height / 2), xytext=(boxes[3][0], 1.2),
                arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.2})
    ax.text(boxes[3][0], 1.25, f"labels y: (N,) = ({N},)", ha="center", va="bottom", fontsize=9)
    ax.text(10.6, -1.3, "black: forward pass, left to right\n"
            "red: backward pass, right to left;\neach red arrow carries dout, the\n"
            "gradient of L with respect to the\nblack arrow above it",
            ha="left", va="top", fontsize=9, color="0.25")
    ax.set_xlim(-0.1, 14.5)
    ax.set_ylim(-2.2, 1.7)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"How dout flows back through the network (N = {N} samples, D = {D} inputs, "
                 f"H = {H} hidden units, C = {C} classes)", fontsize=11)
    return fig


def _box(x, width, height):
    from matplotlib.patches import FancyBboxPatch
    return FancyBboxPatch((x - width / 2, -height / 2), width, height,
                          boxstyle="round,pad=0.02,rounding_size=0.12", facecolor="#eef3fb",
                          edgecolor="#4a6fa5", linewidth=1.5)


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
        self._marks = _draw_delta(ax, curve, delta)
        self._live.moving(*self._marks, ax.legend_)
        return self._live.outputs(f"<nudge of {_entry(curve)} by {delta:+.2f}>")

    def _replace_curve(self, curve):
        """Another entry: new data in the same lines, new limits, so the background is redrawn
        (but the figure, its layout and its artists are kept)."""
        ax = self._live.figure.axes[0]
        data = {"loss": (curve["delta"], curve["loss"]),
                "prediction": (curve["delta"], curve["prediction"]),
                "loss0": ([0.0], [curve["loss0"]])}
        for line in ax.lines:
            if line.get_gid() in data:
                line.set_data(*data[line.get_gid()])
        ax.legend_.get_texts()[1].set_text(_prediction_label(curve))
        entry = _entry(curve)
        ax.set(title=_nudge_title(entry), xlabel=f"nudge δ added to {entry}")
        ax.relim()
        ax.autoscale_view()
        self._live.invalidate(relayout=True)  # the new tick labels may be wider


def nudge_explorer(loss_fn, params, x, y, max_delta=1.0, ylabel="loss"):
    """Pick a parameter entry and nudge it with a slider: the learner's loss against its gradient.

    loss_fn: the learner's two_layer_loss(params, x, y) -> (loss, grads). Returns an ipywidgets
    VBox (None when BPKIT_HEADLESS=1).
    """
    if os.environ.get("BPKIT_HEADLESS") == "1":
        return None  # no one to show it to (the grader sets this): skip ipywidgets and renders
    import ipywidgets as widgets  # lazily: bpkit must import without a notebook frontend

    shapes = {k: np.shape(v) for k, v in params.items()}
    style = {"description_width": "80px"}
    common = dict(continuous_update=False, style=style)
    choice = widgets.Dropdown(options=list(params), description="parameter", style=style)
    row = widgets.IntSlider(value=0, min=0, max=1, description="row", **common)
    column = widgets.IntSlider(value=0, min=0, max=1, description="column", **common)
    nudge = widgets.FloatSlider(value=0.5, min=-max_delta, max=max_delta, step=max_delta / 20,
                                description="nudge δ", readout_format="+.2f", **common)
    picture = widgets.Output()
    view = NudgeView(ylabel)
    # the curve depends on the entry only: keep it while just δ moves
    deltas = np.linspace(-max_delta, max_delta, 81)
    memo = {}

    def fit_sliders(change=None):
        shape = shapes[choice.value]
        row.max = max(shape[0] - 1, 0)
        column.max = max(shape[1] - 1, 0) if len(shape) > 1 else 0
        column.disabled = len(shape) < 2

    def redraw(change=None):
        shape = shapes[choice.value]
        index = (row.value, column.value)[:len(shape)]
        key = (choice.value, index)
        if key not in memo:
            memo.clear()
            memo[key] = _nudge_outputs(loss_fn, params, x, y, choice.value, index, deltas)
        curve = memo[key]
        picture.outputs = curve if isinstance(curve, tuple) else view.update(curve, nudge.value)

    choice.observe(fit_sliders, names="value")
    fit_sliders()
    for control in (choice, row, column, nudge):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([choice, row, column, nudge, picture])


def _nudge_outputs(loss_fn, params, x, y, name, index, deltas):
    """The curve, or a tuple holding the one output to show instead (a note to the learner)."""
    try:
        return nudge_curve(loss_fn, params, x, y, name, index, deltas)
    except NotImplementedError:
        return (unwritten_output("two_layer_loss"),)
    except Exception as exc:  # the learner's bug: a widget callback would hide the traceback
        return (stdout_output(f"The loss function raised {describe_exception(exc)}"),)
