"""Drawings of a computational graph traced from the learner's `Value` (notebook 03): each node
with its data and grad, each edge with the gradient it carries back."""
import math

from matplotlib.patches import FancyBboxPatch

from bpkit.plots.graph_trace import complete_graph, edge_gradients, trace_graph

__all__ = ["draw_graph", "figure_size", "expression_graph"]


_DX, _DY = 2.8, 1.6  # distance between columns and between rows


_W, _H = 1.5, 1.0  # a node's box


_FILL = {"input": "#dbe9f6", "const": "#eeeeee", "op": "#ffffff"}


_VALUE_COLOR, _GRAD_COLOR = "#1f5fa8", "#c0392b"


def _layout(nodes, edges):
    """Where to draw: {node: (x, y)} and {edge: [(x, y), ...] points it bends through}.

    x is the node's depth. An edge that skips columns goes through a free slot of its own in each
    column it crosses, so it never runs behind a box. In each column the slots are ordered so
    that edges cross little: a few sweeps that sort each column by the mean height of the slots
    it is connected to (the barycentre heuristic).
    """
    columns, links = {}, {}
    for i, node in enumerate(nodes):
        columns.setdefault(node["depth"], []).append(("node", i))
    route = {}
    for k, edge in enumerate(edges):
        start, end = nodes[edge["src"]]["depth"], nodes[edge["dst"]]["depth"]
        route[k] = [("edge", k, d) for d in range(start + 1, end)]
        for slot in route[k]:
            columns[slot[2]].append(slot)
        path = [("node", edge["src"]), *route[k], ("node", edge["dst"])]
        for a, b in zip(path, path[1:]):
            links.setdefault(b, ([], []))[0].append(a)
            links.setdefault(a, ([], []))[1].append(b)
    height = {}

    def place(column):
        for rank, slot in enumerate(column):
            height[slot] = rank - (len(column) - 1) / 2

    for depth in columns:
        place(columns[depth])
    for sweep in range(4):
        backwards = sweep % 2 == 1
        for depth in sorted(columns, reverse=backwards):
            def key(slot):
                near = links.get(slot, ([], []))[1 if backwards else 0]
                return sum(height[s] for s in near) / len(near) if near else height[slot]
            columns[depth].sort(key=key)  # stable: ties keep their order
            place(columns[depth])
    position = {i: (_DX * node["depth"], -_DY * height[("node", i)])
                for i, node in enumerate(nodes)}
    points = {k: [(_DX * slot[2], -_DY * height[slot]) for slot in slots]
              for k, slots in route.items()}
    return position, points


def draw_graph(graph, ax=None, title=None):
    """Draw a graph from `trace_graph`: a box per node (operation, value, grad), an arrow per
    edge labelled with the value sent forward (blue) and the gradient sent back (red).

    A graph written by hand needs only nodes [{"label" or "op", "data", "grad"}] and edges
    [{"src", "dst", "grad"}] (indices into nodes); the rest is filled in.

    A node whose edges' gradients do not add up to its grad gets a red border. Returns the Figure.
    """
    nodes, edges = complete_graph(graph)["nodes"], graph["edges"]
    position, bends = _layout(nodes, edges)
    if ax is None:
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=figure_size(graph), layout="constrained")
    arrows, pairs = [], {}
    for k, edge in enumerate(edges):
        pairs.setdefault((edge["src"], edge["dst"]), []).append(k)
    for (src, dst), same in pairs.items():
        (xs, ys), (xt, yt) = position[src], position[dst]
        for n, k in enumerate(same):  # a value used twice by one operation: two arcs
            bend = 0.0 if len(same) == 1 or bends[k] else (n - (len(same) - 1) / 2) * 0.5
            arrows.append((edges[k], [(xs + _W / 2, ys), *bends[k], (xt - _W / 2, yt)], bend))
    for _, path, bend in arrows:
        for (x0, y0), (x1, y1) in zip(path[:-2], path[1:-1]):
            ax.plot([x0, x1], [y0, y1], color="0.35", lw=1.1, zorder=2)
        ax.annotate("", xy=path[-1], xytext=path[-2], zorder=2,
                    arrowprops={"arrowstyle": "-|>", "color": "0.35", "lw": 1.1, "shrinkA": 0,
                                "shrinkB": 0, "connectionstyle": f"arc3,rad={bend}"})
    taken = [_rect(position[i], _W + 0.1, _H + 0.1) for i in range(len(nodes))]
    lines = [_samples(path, bend) for _, path, bend in arrows]
    xs = [p[0] for p in position.values()]
    ys = [p[1] for p in position.values()]
    frame = (min(xs) - _W / 2 - 0.2, min(ys) - 1.0, max(xs) + _W / 2 + 0.2, max(ys) + 1.1)
    for k in sorted(range(len(arrows)), key=lambda k: len(arrows[k][1])):
        edge, path, bend = arrows[k]
        others = [p for j, line in enumerate(lines) if j != k for p in line]
        _label_edge(ax, edge, _label_spots(path, bend), taken, others + lines[k], frame)
    for i, node in enumerate(nodes):
        _draw_node(ax, position[i], node, _mismatch(i, node, edges))
    ax.set_xlim(frame[0], frame[2])
    ax.set_ylim(frame[1], frame[3])
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(title or "Computational graph")
    ax.set_xlabel("computation order: inputs → output   (blue: value sent forward, "
                  "red: gradient sent back)", fontsize=9)
    return ax.figure


def _rect(centre, width, height):
    return (centre[0] - width / 2, centre[1] - height / 2,
            centre[0] + width / 2, centre[1] + height / 2)


def _overlap(a, b):
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _bezier(start, end, bend, ts):
    """Points at fractions ts of an arrow, straight or bent as matplotlib's arc3 bends it."""
    (x0, y0), (x1, y1) = start, end
    cx, cy = (x0 + x1) / 2 + bend * (y1 - y0), (y0 + y1) / 2 - bend * (x1 - x0)
    return [((1 - t) ** 2 * x0 + 2 * t * (1 - t) * cx + t * t * x1,
             (1 - t) ** 2 * y0 + 2 * t * (1 - t) * cy + t * t * y1) for t in ts]


def _samples(path, bend):
    """Points every ~0.1 along an arrow: a label should not hide another arrow."""
    points = []
    for start, end in zip(path, path[1:]):
        n = max(2, int(math.dist(start, end) / 0.1))
        points += _bezier(start, end, bend if len(path) == 2 else 0.0,
                          [i / n for i in range(n + 1)])
    return points


def _label_spots(path, bend):
    """(point on the arrow, its direction) where a label may go: the bends of a routed arrow,
    or fractions of a straight or arced one, middle first."""
    if len(path) > 2:
        return [(path[i], (path[i + 1][0] - path[i - 1][0], path[i + 1][1] - path[i - 1][1]))
                for i in range(1, len(path) - 1)]
    spots = []
    for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8):
        before, at, after = _bezier(path[0], path[1], bend, (t - 0.01, t, t + 0.01))
        spots.append((at, (after[0] - before[0], after[1] - before[1])))
    return spots


def _label_edge(ax, edge, spots, taken, lines, frame):
    """Write the edge's value (above) and gradient (below) beside its arrow, at the spot and on
    the side where the label hides the least of the boxes and labels `taken` and of the arrows'
    points `lines` (its own arrow included: a label never sits on a line), inside `frame`."""
    grad = "?" if edge["grad"] is None else f"{edge['grad']:.4g}"
    texts = (f"{edge['value']:.4g}", f"← {grad}")
    width, height = 0.075 * max(len(t) for t in texts) + 0.15, 0.5

    def centres(spot, direction):
        length = math.hypot(*direction) or 1.0
        nx, ny = -direction[1] / length, direction[0] / length  # the arrow's normal
        # far enough along the normal that the label's box clears the arrow's line
        reach = width / 2 * abs(nx) + height / 2 * abs(ny) + 0.04
        return [(spot[0] + side * reach * nx, spot[1] + side * reach * ny) for side in (1, -1)]

    def cost(centre):
        x0, y0, x1, y1 = rect = _rect(centre, width, height)
        hidden = sum(x0 <= x <= x1 and y0 <= y <= y1 for x, y in lines)
        outside = width * height - _overlap(rect, frame)
        return sum(_overlap(rect, r) for r in taken) + 0.02 * hidden + 10.0 * outside

    candidates = [c for spot, direction in spots for c in centres(spot, direction)]
    costs = [cost(c) for c in candidates]
    spot = candidates[costs.index(min(costs))]
    taken.append(_rect(spot, width, height))
    box = {"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}
    ax.text(spot[0], spot[1] + 0.02, texts[0], ha="center", va="bottom", fontsize=8,
            color=_VALUE_COLOR, bbox=box, zorder=5)
    ax.text(spot[0], spot[1] - 0.02, texts[1], ha="center", va="top", fontsize=8,
            color=_GRAD_COLOR, bbox=box, zorder=5)


def figure_size(graph):
    """(width, height) in inches that fits the graph's columns and rows."""
    complete_graph(graph)
    depths = [n["depth"] for n in graph["nodes"]]
    for edge in graph["edges"]:  # an edge that skips columns takes a row in each
        depths += range(depths[edge["src"]] + 1, depths[edge["dst"]])
    rows = max(depths.count(d) for d in set(depths))
    return max(6.0, 2.2 * (1 + max(depths)) + 0.6), max(3.2, 1.35 * rows + 1.4)


def _mismatch(i, node, edges):
    shares = [e["grad"] for e in edges if e["src"] == i]
    if not shares or any(s is None for s in shares):
        return None
    total = sum(shares)
    return None if math.isclose(total, node["grad"], rel_tol=1e-6, abs_tol=1e-9) else total


def _draw_node(ax, xy, node, mismatch):
    x, y = xy
    flagged = mismatch is not None
    ax.add_patch(FancyBboxPatch((x - _W / 2, y - _H / 2), _W, _H,
                                boxstyle="round,pad=0.02,rounding_size=0.12",
                                facecolor=_FILL[node["kind"]],
                                edgecolor=_GRAD_COLOR if flagged else "0.25",
                                linewidth=2.0 if flagged else 1.0, zorder=3))
    head = node["label"] if node["kind"] != "op" else node["op"] or "?"
    ax.text(x, y + 0.24, head, ha="center", va="center", fontsize=10, fontweight="bold",
            zorder=4)
    ax.text(x, y - 0.02, f"data {node['data']:.4g}", ha="center", va="center", fontsize=8.5,
            color=_VALUE_COLOR, zorder=4)
    ax.text(x, y - 0.27, f"grad {node['grad']:.4g}", ha="center", va="center", fontsize=8.5,
            color=_GRAD_COLOR, zorder=4)
    if flagged:
        ax.text(x, y - _H / 2 - 0.08, f"its edges bring {mismatch:.4g}", ha="center",
                va="top", fontsize=7.5, color=_GRAD_COLOR, zorder=4)


def expression_graph(Value, expression, point, title=None, draw=True, ax=None, data=None):
    """Build `expression` from the learner's Values at `point`, run its backward(), trace it.

    Value: the learner's class.  expression: a function of the inputs, e.g. lambda a, b: a * b + a.
    point: {input name: number}.  data: {name: number} of fixed data the expression also takes
    by name (x1, x2, t): drawn as constants, named rather than shown as bare numbers.
    Returns the graph of `trace_graph` with edge gradients, plus "output" (the root's data) and
    "figure" (None unless draw).
    """
    leaves = {name: Value(float(x)) for name, x in point.items()}
    fixed = {name: Value(float(x)) for name, x in (data or {}).items()}
    y = expression(**leaves, **fixed)
    if not hasattr(y, "_prev"):
        raise ValueError(f"the expression gave a {type(y).__name__}, not a Value")
    y.backward()
    graph = edge_gradients(Value, trace_graph(y, leaves, fixed))
    graph["output"] = graph["nodes"][-1]["data"]
    graph["figure"] = draw_graph(graph, ax=ax, title=title) if draw else None
    return graph
