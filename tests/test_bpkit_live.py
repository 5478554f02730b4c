"""bpkit.live and the widgets' views: a frame redrawn by blitting after slider moves must show what
a fresh figure of the same state shows. The learner functions are the tests' own."""
import base64
import io
import math

import numpy as np
import pytest
from PIL import Image

from bpkit.plots import colour_range  # noqa: E402
from bpkit.plots.backprop import nudge_curve  # noqa: E402
from bpkit.views.descent import DescentView  # noqa: E402
from bpkit.views.graph import GraphView  # noqa: E402
from bpkit.views.losses import LossView  # noqa: E402
from bpkit.views.neuron import NeuronView  # noqa: E402
from bpkit.views.nudge import NudgeView  # noqa: E402
from bpkit.live import LiveFigure
from test_bpkit_gradients import two_layer_loss  # the tests' own network
from test_bpkit_graph import Value  # the tests' own scalar autograd


def pixels(outputs):
    (output,) = [o for o in outputs if "image/png" in o.get("data", {})]
    png = base64.b64decode(output["data"]["image/png"])
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def assert_same_picture(moved, fresh):
    a, b = pixels(moved), pixels(fresh)
    assert a.shape == b.shape
    differing = np.mean(np.any(a != b, axis=-1))
    # identical but for antialiasing where a moving artist crosses a background line
    assert differing < 0.01, f"{differing:.1%} of the pixels differ from a fresh drawing"


# --- LiveFigure ---------------------------------------------------------------------------------
def test_live_figure_redraws_only_what_moves_and_matches_a_full_draw():
    live = LiveFigure(figsize=(4, 3))
    ax = live.figure.add_subplot()
    x = np.linspace(0, 1, 50)
    ax.set(xlim=(0, 1), ylim=(-1, 1))
    (line,) = ax.plot(x, np.sin(6 * x))
    live.moving(line)
    first = pixels(live.outputs("first"))
    line.set_ydata(np.cos(6 * x))
    moved = live.outputs("moved")
    assert np.any(first != pixels(moved)), "the moving line did not move"
    other = LiveFigure(figsize=(4, 3))
    ax2 = other.figure.add_subplot()
    ax2.set(xlim=(0, 1), ylim=(-1, 1))
    ax2.plot(x, np.cos(6 * x))
    assert_same_picture(moved, other.outputs("fresh"))


def test_live_figure_forgets_removed_artists_and_redraws_an_invalidated_background():
    live = LiveFigure(figsize=(4, 3))
    ax = live.figure.add_subplot()
    ax.set(xlim=(0, 1), ylim=(0, 1))
    (dot,) = ax.plot([0.5], [0.5], "o", markersize=30)
    live.moving(dot)
    with_dot = pixels(live.outputs("dot"))
    live.forget(dot)
    without = pixels(live.outputs("none"))
    assert np.any(with_dot != without) and dot.axes is None
    ax.set_ylim(0, 10)  # a background change: ignored until invalidated
    assert np.array_equal(pixels(live.outputs("stale")), without)
    live.invalidate(relayout=True)
    assert not np.array_equal(pixels(live.outputs("fresh")), without)


@pytest.mark.parametrize("shape", [(1, 1, 3), (7, 13, 3), (40, 30, 3)])
def test_encode_png_gives_the_same_pixels_back(shape):
    from bpkit.live import encode_png
    rgb = np.random.default_rng(0).integers(0, 256, size=shape, dtype=np.uint8)
    decoded = Image.open(io.BytesIO(encode_png(rgb)))
    assert decoded.format == "PNG" and decoded.mode == "RGB"
    assert np.array_equal(np.asarray(decoded), rgb)


def test_an_invalidated_background_keeps_its_layout_unless_it_no_longer_fits():
    live = LiveFigure(figsize=(4, 3))
    ax = live.figure.add_subplot()
    ax.set(ylim=(0, 1), ylabel="loss")
    live.outputs("first")
    left = ax.get_position().x0
    ax.set_ylim(1, 2)  # tick labels as wide as before: the layout stays
    live.invalidate()
    live.outputs("narrow")
    assert ax.get_position().x0 == left
    ax.set_ylim(0, 123456)  # much wider tick labels (0 to 120000): they would be cut off
    live.invalidate()
    live.outputs("wide")
    box = ax.get_tightbbox(live.canvas.get_renderer())
    assert box.x0 >= 0 and ax.get_position().x0 > left


def test_an_overlay_is_drawn_once_over_the_moving_artists_and_matches_a_full_draw():
    def figure(height):
        live = LiveFigure(figsize=(4, 3))
        ax = live.figure.add_subplot()
        ax.set(xlim=(0, 1), ylim=(0, 1))
        # inside the spines (a moving artist is drawn over them, a full draw under them)
        area = ax.fill_between([0.02, 0.98], 0.1, height, color="tab:red", label="an area")
        ax.legend(loc="upper left", framealpha=0.6)  # half-transparent, over the area
        return live, ax, area
    live, ax, area = figure(0.2)
    live.moving(area)
    live.overlay(ax.get_legend())
    live.outputs("first")
    live.forget(area)
    live.moving(ax.fill_between([0.02, 0.98], 0.1, 0.95, color="tab:red"))  # under the legend
    moved = live.outputs("moved")
    # the pasted legend blends with the area as a full draw does, to a rounding
    difference = np.abs(pixels(moved) - pixels(figure(0.95)[0].outputs("fresh")))
    assert difference.max() <= 2, f"the overlay differs by up to {difference.max()} levels"
    ax.get_legend().get_texts()[0].set_text("another name")  # never drawn again
    assert np.array_equal(pixels(live.outputs("same")), pixels(moved))


def test_drawer_draws_the_newest_request_in_a_thread_and_a_failure_as_a_note():
    import threading
    from bpkit.frames import Drawer
    started, release, shown = threading.Event(), threading.Event(), []
    done = threading.Event()

    def draw(values):
        if values == 1:
            started.set()
            release.wait(10)
        if values == "broken":
            raise ValueError("no picture")
        return values

    def show(outputs):
        shown.append(outputs)
        if outputs in (5, "broken") or isinstance(outputs, tuple):
            done.set()
    drawer = Drawer(draw, show, lambda exc: (f"could not be drawn: {exc!r}",), idle=0.2)
    drawer.request(1)
    assert started.wait(10)
    for value in (2, 3, 4, 5):  # while 1 is drawn: only the newest is drawn next
        drawer.request(value)
    release.set()
    assert done.wait(10)
    assert shown == [1, 5]
    done.clear()
    drawer.request("broken")
    assert done.wait(10)
    assert shown[-1] == ("could not be drawn: ValueError('no picture')",)
    drawer.show(7)  # drawn now, in this thread
    assert shown[-1] == 7


def test_picture_sends_a_frame_as_raw_png_bytes_and_a_note_as_text():
    ipywidgets = pytest.importorskip("ipywidgets")
    from bpkit.frames import picture_widget
    from bpkit.live import stdout_output
    live = LiveFigure(figsize=(2, 2))
    live.figure.add_subplot().plot([0, 1], [0, 1])
    picture = picture_widget(ipywidgets)
    image, note = picture.children
    frame = live.outputs("frame")
    picture.outputs = frame
    # an Image widget: one binary buffer, no base64 text in the message
    assert image.value == base64.b64decode(frame[0]["data"]["image/png"])
    assert image.layout.display is None and note.outputs == () and picture.outputs == frame
    picture.outputs = (stdout_output("Write sigmoid above first"),)
    assert image.layout.display == "none"
    assert note.outputs[0]["text"] == "Write sigmoid above first\n"
    picture.outputs = frame  # back to a picture: the note goes
    assert image.layout.display is None and note.outputs == ()


def test_frame_memo_draws_each_values_once_and_forgets_the_least_recently_shown():
    from bpkit.frames import FrameMemo
    drawn = []

    def draw(values):
        drawn.append(values["x"])
        return (f"frame {values['x']}",)
    kept = FrameMemo(draw, size=2)
    assert kept({"x": 1, "kind": "a"}) == ("frame 1",)
    assert kept({"kind": "a", "x": 1}) == ("frame 1",)  # the same values in another order
    kept({"x": 2, "kind": "a"})
    kept({"x": 1, "kind": "a"})  # shown again: now the most recent
    kept({"x": 3, "kind": "a"})  # over the size: 2, the least recently shown, goes
    kept({"x": 1, "kind": "a"})
    kept({"x": 2, "kind": "a"})
    assert drawn == [1, 2, 3, 2]
    kept({"x": [1, 2], "kind": "a"})  # not a key: drawn every time
    kept({"x": [1, 2], "kind": "a"})
    assert drawn[-2:] == [[1, 2], [1, 2]]


def test_explorer_draws_a_value_seen_before_from_memory():
    pytest.importorskip("ipywidgets")
    from bpkit.live import explorer, stdout_output
    drawn = []

    def draw(values):
        drawn.append(values["x"])
        return (stdout_output(f"x = {values['x']}"),)
    box = explorer(lambda widgets: {"x": widgets.IntSlider(value=0, min=0, max=5)}, draw)
    slider, picture = box.children
    for x in (1, 2, 1, 0, 2):
        slider.value = x
    assert drawn == [0, 1, 2] and picture.outputs[0]["text"] == "x = 2\n"


# --- the views ----------------------------------------------------------------------------------
def sigmoid_neuron(x, w, b):
    return 1.0 / (1.0 + np.exp(-(x @ w + b)))


def relu_neuron(x, w, b):
    return np.maximum(x @ w + b, 0.0)


@pytest.mark.parametrize("neuron,name", [(sigmoid_neuron, "sigmoid"), (relu_neuron, "relu")])
def test_neuron_view_after_moves_shows_what_a_fresh_view_shows(neuron, name):
    points = np.random.default_rng(0).normal(size=(20, 2))
    labels = (points[:, 0] > 0).astype(int)
    view = NeuronView(points, labels)
    for w1 in (1.0, -2.0, 0.4, 1.3):
        moved = view.update(neuron, name, w1, -1.0, 0.5)
    fresh = NeuronView(points, labels).update(neuron, name, 1.3, -1.0, 0.5)
    assert_same_picture(moved, fresh)


def test_neuron_view_keeps_relu_colours_steady_and_notes_an_unwritten_neuron():
    a = np.array([[0.0, 3.7], [1.0, 2.0]])
    steady = lambda a, level: colour_range(a, level, None, None, steady=True)  # noqa: E731
    assert steady(a, 0.0) == (0.0, 5.0)
    assert steady(a * 3, 0.0) == (0.0, 20.0)
    assert steady(np.array([[-0.3, 0.2]]), 0.5) == (0.0, 1.0)

    def unwritten(x, w, b):
        raise NotImplementedError()
    (note,) = NeuronView().update(unwritten, "tanh", 1.0, 1.0, 0.0)
    assert "Write tanh above first" in note["text"]


def mse(y_hat, y):
    return np.mean((y_hat - y) ** 2)


def bce(p, y):
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def test_loss_view_after_moves_shows_what_a_fresh_view_shows():
    losses = {"MSE": mse, "BCE": bce}
    view = LossView(losses)
    for p in (0.3, 0.9, 0.1, 0.55):
        moved = view.update(p, 1.0)
    assert "p = 0.55" in moved[0]["data"]["text/plain"]
    assert_same_picture(moved, LossView(losses).update(0.55, 1.0))
    view.update(0.55, 0.0)  # another target: new curves
    assert_same_picture(view.update(0.2, 0.0), LossView(losses).update(0.2, 0.0))


def test_graph_view_after_moves_shows_what_a_fresh_view_shows():
    expression = lambda a, b: a * b + a  # noqa: E731
    view = GraphView(Value)
    for a in (1.0, -2.0, 0.5):
        moved = view.update(expression, "a * b + a", {"a": a, "b": -0.5})
    fresh = GraphView(Value).update(expression, "a * b + a", {"a": 0.5, "b": -0.5})
    assert_same_picture(moved, fresh)


def test_nudge_view_after_moves_and_another_weight_shows_what_a_fresh_view_shows():
    rng = np.random.default_rng(1)
    params = {"W1": rng.normal(size=(2, 5)), "b1": np.zeros(5), "W2": rng.normal(size=(5, 2)),
              "b2": np.zeros(2)}
    x, y = rng.normal(size=(12, 2)), rng.integers(0, 2, size=12)
    deltas = np.linspace(-1, 1, 41)
    first = nudge_curve(two_layer_loss, params, x, y, "W1", (0, 0), deltas)
    other = nudge_curve(two_layer_loss, params, x, y, "W2", (3, 1), deltas)
    view = NudgeView("loss")
    for delta in (0.5, -0.25):
        view.update(first, delta)
    moved = view.update(other, 0.75)
    assert "W2[3, 1] by +0.75" in moved[0]["data"]["text/plain"]
    assert_same_picture(moved, NudgeView("loss").update(other, 0.75))


def bowl_loss(w):
    w = np.asarray(w, dtype=np.float64)
    return 0.5 * w[..., 0] ** 2 + 5.0 * w[..., 1] ** 2


def bowl_grad(w):
    return np.array([w[0], 10.0 * w[1]])


def step(w, dw, config=None):
    config = config or {}
    config.setdefault("learning_rate", 1e-2)
    return w - config["learning_rate"] * dw, config


def test_descent_view_after_moves_shows_what_a_fresh_view_shows():
    w0 = np.array([-4.0, 2.0])
    view = DescentView(bowl_loss)
    for rate in (0.05, 0.19, 0.01, 0.12):
        moved = view.update(bowl_grad, step, w0, rate, 30)
    assert "learning rate 0.12" in moved[0]["data"]["text/plain"]
    assert_same_picture(moved, DescentView(bowl_loss).update(bowl_grad, step, w0, 0.12, 30))
    # another step count moves the step axis only: still what a fresh view shows
    view.update(bowl_grad, step, w0, 0.12, 90)
    moved = view.update(bowl_grad, step, w0, 0.12, 7)
    assert_same_picture(moved, DescentView(bowl_loss).update(bowl_grad, step, w0, 0.12, 7))
    diverged = view.update(bowl_grad, step, w0, 0.3, 30)
    assert "diverged" in diverged[0]["data"]["text/plain"]
    assert math.isfinite(pixels(diverged).mean())
