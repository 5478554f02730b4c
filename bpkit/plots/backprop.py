"""The backward pass made visible (notebook 04): a diagram of how `dout` flows back through a
network, and one weight nudged while the loss follows (or leaves) its gradient's prediction.

Every loss and gradient here is the learner's own, passed in.
"""
import numpy as np

from bpkit.checks.gradients import as_scalar
from bpkit.plots import figure_and_axes

__all__ = ["nudge_curve", "plot_nudge", "draw_delta", "entry_name", "prediction_label",
           "nudge_title", "plot_dout_flow"]


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
    loss0, grads = as_scalar(result[0], "the loss function"), result[1]
    if name not in grads or np.shape(grads[name]) != base[name].shape:
        raise ValueError(f"grads[{name!r}] is missing or not of shape {base[name].shape}.")
    grad = float(np.asarray(grads[name], dtype=np.float64)[index])
    deltas = np.asarray(deltas, dtype=np.float64)
    losses = np.empty_like(deltas)
    for k, delta in enumerate(deltas):
        nudged = {key: value.copy() for key, value in base.items()}
        nudged[name][index] += delta
        losses[k] = as_scalar(loss_fn(nudged, x, y)[0], "the loss function")
    return {"delta": deltas, "loss": losses, "prediction": loss0 + grad * deltas,
            "loss0": loss0, "grad": grad, "name": name, "index": index}


def entry_name(curve):
    return f"{curve['name']}[{', '.join(map(str, curve['index']))}]"


def plot_nudge(curve, delta=None, ax=None, ylabel="loss", title=None):
    """Draw a nudge_curve: the loss, the tangent line of the gradient and, at `delta`, both
    changes side by side. Returns the Figure."""
    fig, ax = figure_and_axes(ax, figsize=(6.8, 4.2))
    entry = entry_name(curve)
    ax.plot(curve["delta"], curve["loss"], color="tab:blue", linewidth=2,
            label="the loss after the nudge", gid="loss")
    ax.plot(curve["delta"], curve["prediction"], color="tab:red", linestyle="--", linewidth=1.5,
            label=prediction_label(curve), gid="prediction")
    ax.plot([0.0], [curve["loss0"]], "o", color="black", markersize=5, label="no nudge: L0",
            gid="loss0")
    if delta is not None:
        draw_delta(ax, curve, delta)
    ax.set(title=title or nudge_title(entry), xlabel=f"nudge δ added to {entry}", ylabel=ylabel)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper right", fontsize="small", framealpha=0.9)
    return fig


def prediction_label(curve):
    return f"the gradient's prediction L0 + g·δ (g = {curve['grad']:.3g})"


def nudge_title(entry):
    return f"Nudging {entry}: the loss and its gradient's prediction"


def draw_delta(ax, curve, delta):
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


def plot_dout_flow(N, D, H, C, ax=None):
    """Diagram of x -> dense -> ReLU -> dense -> softmax-CE -> loss: the forward arrows with the
    shapes of what they carry, and the backward `dout` arrows with the gradients' shapes."""
    for name, size in {"N": N, "D": D, "H": H, "C": C}.items():
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
            raise ValueError(f"{name} must be a positive whole number (a size), got {size!r}")
    fig, ax = figure_and_axes(ax, figsize=(12.0, 4.4))
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
