"""Tests of bpkit.plots.graph_trace, bpkit.plots.graph and bpkit.views.graph: walking, labelling
and drawing the graphs a learner's Value builds.

Every Value class is defined here, in the test: bpkit has no autograd engine of its own.
"""
import inspect
import math
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from matplotlib.figure import Figure  # noqa: E402

from bpkit.plots.graph import draw_graph, expression_graph  # noqa: E402
from bpkit.plots.graph_trace import EXPRESSIONS, edge_gradients, trace_graph  # noqa: E402
from bpkit.views.graph import graph_explorer  # noqa: E402
from conftest import find_picture, find_widgets  # noqa: E402


class Value:
    """A small micrograd-style engine, as a learner would write it (tuple _prev)."""

    def __init__(self, data, _prev=(), _op=""):
        self.data, self.grad, self._prev, self._op = float(data), 0.0, tuple(_prev), _op
        self._backward = lambda: None

    def _make(self, data, prev, op, local):
        out = type(self)(data, prev, op)

        def backward():
            for child, derivative in zip(prev, local):
                child.grad += derivative * out.grad
        out._backward = backward
        return out

    def lift(self, x):
        return x if isinstance(x, Value) else type(self)(x)

    def __add__(self, other):
        other = self.lift(other)
        return self._make(self.data + other.data, (self, other), "+", (1.0, 1.0))

    def __mul__(self, other):
        other = self.lift(other)
        return self._make(self.data * other.data, (self, other), "*", (other.data, self.data))

    def __sub__(self, other):
        other = self.lift(other)
        return self._make(self.data - other.data, (self, other), "-", (1.0, -1.0))

    def __truediv__(self, other):
        other = self.lift(other)
        return self._make(self.data / other.data, (self, other), "/",
                          (1 / other.data, -self.data / other.data ** 2))

    def __pow__(self, n):
        return self._make(self.data ** n, (self,), f"**{n}", (n * self.data ** (n - 1),))

    def exp(self):
        return self._make(math.exp(self.data), (self,), "exp", (math.exp(self.data),))

    def tanh(self):
        t = math.tanh(self.data)
        return self._make(t, (self,), "tanh", (1 - t * t,))

    def relu(self):
        return self._make(max(self.data, 0.0), (self,), "relu", (float(self.data > 0),))

    __radd__ = __add__
    __rmul__ = __mul__

    def backward(self):
        order, seen = [], set()

        def visit(node):
            if node not in seen:
                seen.add(node)
                for child in node._prev:
                    visit(child)
                order.append(node)
        visit(self)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()


class SetValue(Value):
    """micrograd itself keeps _prev as a set: a * a then has one input, and order is lost."""

    def __init__(self, data, _prev=(), _op=""):
        super().__init__(data, _prev, _op)
        self._prev = set(_prev)


class AssigningValue(Value):
    """A buggy engine: every _backward assigns instead of adding."""

    def _make(self, data, prev, op, local):
        out = type(self)(data, prev, op)

        def backward():
            for child, derivative in zip(prev, local):
                child.grad = derivative * out.grad
        out._backward = backward
        return out


class Unwritten(Value):
    def __mul__(self, other):
        raise NotImplementedError()


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def built(cls, expression, **point):
    leaves = {name: cls(x) for name, x in point.items()}
    y = expression(**leaves)
    y.backward()
    return y, leaves


def test_bpkit_has_no_autograd_engine():
    import bpkit.plots.graph
    import bpkit.plots.graph_trace
    import bpkit.views.graph
    source = "".join(inspect.getsource(m) for m in (bpkit.plots.graph_trace, bpkit.plots.graph,
                                                     bpkit.views.graph))
    assert "_backward" not in source.replace("`_backward`", "")
    for word in ("math.exp", "math.tanh", "np.exp", ".grad +=", ".grad -=", ".grad ="):
        assert word not in source, word


def test_trace_graph_lists_nodes_in_topological_order_with_one_edge_per_use():
    y, leaves = built(Value, lambda a, b: a * b + a, a=2.0, b=-3.0)
    graph = trace_graph(y, leaves)
    nodes, edges = graph["nodes"], graph["edges"]
    assert [(n["label"] or n["op"], n["kind"]) for n in nodes] == \
        [("a", "input"), ("b", "input"), ("*", "op"), ("+", "op")]
    assert [(n["data"], n["grad"]) for n in nodes] == [(2.0, -2.0), (-3.0, 2.0), (-6.0, 1.0),
                                                        (-4.0, 1.0)]
    assert [(e["src"], e["dst"], e["value"]) for e in edges] == \
        [(0, 2, 2.0), (1, 2, -3.0), (2, 3, -6.0), (0, 3, 2.0)]
    assert all(e["grad"] is None for e in edges)
    assert [n["depth"] for n in nodes] == [0, 0, 1, 2]


def test_trace_graph_reads_only_data_grad_prev_and_op():
    class Node:  # nothing but the contract's fields: no methods, no _backward
        def __init__(self, data, grad, prev=(), op=""):
            self.data, self.grad, self._prev, self._op = data, grad, prev, op

    x = Node(1.5, 4.0)
    square = Node(2.25, 2.0, (x, x), "**2")
    graph = trace_graph(square, {"x": x})
    assert [n["label"] or n["op"] for n in graph["nodes"]] == ["x", "**2"]
    assert [(e["src"], e["dst"]) for e in graph["edges"]] == [(0, 1), (0, 1)]


def test_constants_are_labelled_by_value_and_sit_next_to_their_use():
    y, leaves = built(Value, lambda a: ((a * 2 + 1).tanh() * 3), a=0.5)
    graph = trace_graph(y, leaves)
    by_label = {n["label"] or n["op"]: n for n in graph["nodes"]}
    assert by_label["2"]["kind"] == "const" and by_label["2"]["depth"] == 0
    assert by_label["1"]["depth"] == 1 and by_label["3"]["depth"] == 3
    assert by_label["tanh"]["depth"] == 3 and by_label["a"]["depth"] == 0


def test_trace_graph_names_a_missing_field():
    class NoPrev:
        data, grad = 1.0, 0.0

    with pytest.raises(ValueError, match="_prev"):
        trace_graph(NoPrev())

    class BadData:
        data, grad, _prev = "one", 0.0, ()

    with pytest.raises(ValueError, match=r"\.data"):
        trace_graph(BadData())


def test_a_deep_graph_does_not_hit_the_recursion_limit():
    x = Value(0.5)
    y = x
    for _ in range(3 * sys.getrecursionlimit()):
        y = y + 0.001
    graph = trace_graph(y, {"x": x})
    assert len(graph["nodes"]) == 1 + 2 * 3 * sys.getrecursionlimit()


def test_edge_gradients_split_a_reused_value_into_the_shares_that_add_up():
    y, leaves = built(Value, lambda a, b: a * b + a, a=2.0, b=-3.0)
    graph = edge_gradients(Value, trace_graph(y, leaves))
    shares = {(e["src"], e["dst"]): e["grad"] for e in graph["edges"]}
    assert shares == {(0, 2): -3.0, (1, 2): 2.0, (2, 3): 1.0, (0, 3): 1.0}
    assert shares[(0, 2)] + shares[(0, 3)] == graph["nodes"][0]["grad"]


@pytest.mark.parametrize("expression,point", [
    (lambda a, b: (a + b) * (a - b), {"a": 1.0, "b": -0.5}),
    (lambda a, b: a.exp() / (a.exp() + b), {"a": 0.3, "b": 2.0}),
    (lambda a, b: (a * b).relu() + b ** 2 + b.tanh() * b, {"a": 1.5, "b": 0.7}),
    (lambda a, b: a * a * b - b / a, {"a": 1.5, "b": 0.7}),
    (lambda a, b: a ** -1 * a + b ** 0.5 * b + (a * b).relu() * a, {"a": -1.5, "b": 0.7}),
])
def test_the_shares_leaving_every_node_add_up_to_its_grad(expression, point):
    y, leaves = built(Value, expression, **point)
    graph = edge_gradients(Value, trace_graph(y, leaves))
    for i, node in enumerate(graph["nodes"][:-1]):
        shares = [e["grad"] for e in graph["edges"] if e["src"] == i]
        assert None not in shares
        assert sum(shares) == pytest.approx(node["grad"], rel=1e-12, abs=1e-12)


def test_edge_gradients_recover_the_order_of_a_set_prev():
    y, leaves = built(SetValue, lambda a, b: (b - a) * a, a=2.0, b=5.0)
    assert isinstance(y._prev, set)
    graph = edge_gradients(SetValue, trace_graph(y, leaves))
    a = next(i for i, n in enumerate(graph["nodes"]) if n["label"] == "a")
    shares = sorted(e["grad"] for e in graph["edges"] if e["src"] == a)
    assert shares == [-2.0, 3.0]  # through b - a: -a; through the product: b - a


def test_an_unknown_operation_leaves_its_shares_unlabelled():
    y, leaves = built(Value, lambda a: a * a + a, a=2.0)
    for node in (y, *y._prev):
        node._op = "mystery"
    graph = edge_gradients(Value, trace_graph(y, leaves))
    assert [e["grad"] for e in graph["edges"] if e["src"] == 0] == [None, None, None]


def test_a_buggy_engine_is_flagged_where_the_shares_do_not_add_up():
    graph = expression_graph(AssigningValue, lambda a, b: a * b + a, {"a": 2.0, "b": -3.0},
                                    draw=True)
    a = graph["nodes"][0]
    assert a["grad"] == -3.0  # the product's share overwrote the sum's
    texts = [t.get_text() for t in graph["figure"].axes[0].texts]
    assert "its edges bring -2" in texts


def test_draw_graph_has_a_box_per_node_a_title_and_an_explaining_label():
    y, leaves = built(Value, lambda a, b: (a * b).tanh() + b, a=0.5, b=-1.0)
    graph = edge_gradients(Value, trace_graph(y, leaves))
    fig = draw_graph(graph, title="my graph")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title() == "my graph"
    assert "value sent forward" in ax.get_xlabel() and "gradient sent back" in ax.get_xlabel()
    assert len(ax.patches) == len(graph["nodes"])
    texts = [t.get_text() for t in ax.texts]
    assert {"a", "b", "*", "tanh", "+"} <= set(texts)
    assert f"grad {graph['nodes'][0]['grad']:.4g}" in texts
    assert sum(t.startswith("← ") for t in texts) == len(graph["edges"])


def test_draw_graph_takes_a_graph_written_by_hand():
    graph = {"nodes": [{"label": "a", "data": 2.0, "grad": -2.0},
                       {"label": "b", "data": -3.0, "grad": 2.0},
                       {"op": "*", "data": -6.0, "grad": 1.0},
                       {"op": "+", "data": -4.0, "grad": 1.0}],
             "edges": [{"src": 0, "dst": 2, "grad": -3.0}, {"src": 1, "dst": 2, "grad": 2.0},
                       {"src": 2, "dst": 3, "grad": 1.0}, {"src": 0, "dst": 3, "grad": 1.0}]}
    fig = draw_graph(graph)
    assert fig.axes[0].get_title() == "Computational graph"
    assert [n["depth"] for n in graph["nodes"]] == [0, 0, 1, 2]
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "← -3" in texts and "-6" in texts  # a share, and the value the product sends on


def test_a_value_used_twice_by_one_operation_gets_two_arcs():
    graph = expression_graph(Value, lambda a: a * a, {"a": 3.0})
    assert [e["grad"] for e in graph["edges"]] == [3.0, 3.0]
    arrows = [t for t in graph["figure"].axes[0].texts if getattr(t, "arrow_patch", None)]
    assert len(arrows) == 2
    assert {a.arrow_patch.get_connectionstyle().rad for a in arrows} == {-0.25, 0.25}


def test_expression_graph_returns_the_output_and_can_skip_drawing():
    graph = expression_graph(Value, EXPRESSIONS["(a + b) * (a - b)"],
                                    {"a": 1.0, "b": 0.5}, draw=False)
    assert graph["output"] == pytest.approx(0.75) and graph["figure"] is None
    assert plt.get_fignums() == []


@pytest.mark.parametrize("name", sorted(EXPRESSIONS))
def test_every_widget_expression_draws_with_every_edge_labelled(name):
    graph = expression_graph(Value, EXPRESSIONS[name], {"a": 1.0, "b": -0.5})
    assert all(e["grad"] is not None for e in graph["edges"])
    assert graph["figure"].axes[0].get_title() == "Computational graph"


def test_graph_explorer_builds_controls_and_redraws_on_change():
    import ipywidgets

    box = graph_explorer(Value)
    assert isinstance(box, ipywidgets.VBox)
    (dropdown,) = find_widgets(box, ipywidgets.Dropdown)
    assert list(dropdown.options) == list(EXPRESSIONS)
    sliders = find_widgets(box, ipywidgets.FloatSlider)
    assert [s.description for s in sliders] == ["a", "b"]
    picture = find_picture(box)
    first = picture.outputs
    assert first[0]["data"]["image/png"] and "a = 1.0, b = -0.5" in first[0]["data"]["text/plain"]
    sliders[0].value = 2.0
    assert picture.outputs != first and "a = 2.0" in picture.outputs[0]["data"]["text/plain"]
    dropdown.value = "(2 * a + b).tanh()"
    assert "tanh" in picture.outputs[0]["data"]["text/plain"]
    assert plt.get_fignums() == []


def test_graph_explorer_asks_for_an_unwritten_value_and_reports_a_bug():
    import ipywidgets

    box = graph_explorer(Unwritten, {"a * b": lambda a, b: a * b})
    picture = find_picture(box)
    (output,) = picture.outputs
    assert output["text"].startswith("Write the Value class above first")

    def broken(a, b):
        return a.sigmoid()

    box = graph_explorer(Value, {"a.sigmoid()": broken})
    (output,) = find_picture(box).outputs
    assert "raised AttributeError" in output["text"]


def test_graph_explorer_is_skipped_when_headless(monkeypatch):
    monkeypatch.setenv("BPKIT_HEADLESS", "1")
    assert graph_explorer(Value) is None


def test_data_are_named_and_edge_labels_sit_beside_the_arrows_not_on_them():
    graph = expression_graph(Value, lambda w, b, x, t: ((w * x + b).tanh() - t) ** 2,
                             {"w": 0.3, "b": 0.2}, data={"x": 1.5, "t": 0.5})
    labels = {n["label"]: n["kind"] for n in graph["nodes"] if n["kind"] != "op"}
    assert labels == {"w": "input", "x": "const", "b": "input", "t": "const"}
    fig = graph["figure"]
    ax = fig.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    points = [p for line in ax.lines for p in ax.transData.transform(line.get_xydata())]
    for arrow in [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]:
        start, end = ax.transData.transform([arrow.xyann, arrow.xy])
        points += [start + (end - start) * f for f in np.linspace(0.0, 1.0, 60)]
    edge_labels = [t for t in ax.texts if t.get_fontsize() == 8 and not hasattr(t, "arrow_patch")]
    assert len(edge_labels) == 2 * len(graph["edges"])
    for text in edge_labels:
        box = text.get_window_extent(renderer).shrunk(0.9, 0.8)
        assert not any(box.contains(*p) for p in points), text.get_text()
