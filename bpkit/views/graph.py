"""A computational graph with its gradients, redrawn as its inputs move (notebook 03)."""
from bpkit.live import LiveFigure, explorer, guarded
from bpkit.plots.graph import draw_graph, expression_graph, figure_size
from bpkit.plots.graph_trace import EXPRESSIONS

__all__ = ["GraphView", "graph_explorer"]


class GraphView:
    """The picture behind graph_explorer, kept across slider moves: `update(...)` -> outputs.

    One figure per expression: moving a slider redraws the boxes and labels into the same axes,
    with the layout of the first frame (bpkit.live), instead of building a new figure.
    """

    def __init__(self, Value):
        self.Value = Value
        self._live = None
        self._expression = None

    def update(self, expression, name, point):
        """Jupyter outputs (a tuple of nbformat dicts): the graph, or a note to the learner."""
        title = f"y = {name}   at " + ", ".join(f"{k} = {v:.1f}" for k, v in point.items())
        graph, note = guarded("the Value class",
                              lambda: expression_graph(self.Value, expression, point, draw=False),
                              who=f"Building y = {name}")
        if note:
            return note
        if self._live is None or expression is not self._expression:
            self._live, self._expression = LiveFigure(figsize=figure_size(graph)), expression
            ax = self._live.figure.add_subplot()
        else:
            ax = self._live.figure.axes[0]
            for artist in [*ax.lines, *ax.patches, *ax.texts]:
                self._live.forget(artist)
        draw_graph(graph, ax=ax, title=title)
        self._live.moving_contents(ax)
        return self._live.outputs(f"<{title}>")


def graph_explorer(Value, expressions=None):
    """A dropdown of expressions and sliders for a and b, above the live graph.

    Value: the learner's class.  expressions: {name: function of a and b}, default EXPRESSIONS.
    Returns the ipywidgets VBox (None when headless, as in the grader).
    """
    expressions = expressions or EXPRESSIONS
    view = GraphView(Value)

    def controls(widgets):
        common = dict(min=-2.0, max=2.0, step=0.1, continuous_update=True)
        return {"expression": widgets.Dropdown(options=list(expressions), description="expression",
                                               layout=widgets.Layout(width="360px")),
                "a": widgets.FloatSlider(value=1.0, description="a", **common),
                "b": widgets.FloatSlider(value=-0.5, description="b", **common)}

    def draw(values):
        name = values["expression"]
        return view.update(expressions[name], name, {"a": values["a"], "b": values["b"]})

    return explorer(controls, draw)
