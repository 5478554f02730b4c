"""Computational graphs built by the learner's own scalar autograd `Value` class (notebook 03).

bpkit has no autograd engine. The walker only reads what the learner's objects record: the public
`data` and `grad`, and the graph fields of the notebook's contract, `_prev` (the Values a node was
computed from) and `_op` (a short string naming the operation). Every derivative comes from the
learner's `backward()`; the share of a gradient sent along one edge is found by running the
learner's class again on that one operation (see `edge_gradients`).
"""
import math
import operator
import re

__all__ = ["EXPRESSIONS", "trace_graph", "complete_graph", "edge_gradients"]


def _used_twice(c):
    return c * (c + 1)


# The widget's expressions: each takes two Values (or numbers) a and b.
EXPRESSIONS = {
    "a * b + a": lambda a, b: a * b + a,
    "(a + b) * (a - b)": lambda a, b: (a + b) * (a - b),
    "(2 * a + b).tanh()": lambda a, b: (2 * a + b).tanh(),
    "a.exp() / (a.exp() + b)": lambda a, b: a.exp() / (a.exp() + b),
    "(a * b).relu() + b ** 2": lambda a, b: (a * b).relu() + b ** 2,
    "c * (c + 1), c = a * b": lambda a, b: _used_twice(a * b),
}


def trace_graph(root, names=None, constants=None):
    """Walk the graph that ends at `root` through each node's `_prev`.

    names: {name: leaf Value} for the inputs; other leaves are drawn as constants, labelled
    with their name in `constants` ({name: leaf Value}, e.g. the data x1, x2, t) or their value.
    Returns {"nodes": [...], "edges": [...]} with nodes in topological order (inputs first):
    node {"label", "op", "data", "grad", "kind": "input"|"const"|"op", "depth"}, edge
    {"src", "dst", "value", "grad": None} with src/dst indices into nodes and one edge per entry
    of `_prev` (a value used twice by one operation gives two edges).
    """
    by_id = {id(leaf): name for name, leaf in (names or {}).items()}
    constant_names = {id(leaf): name for name, leaf in (constants or {}).items()}
    order, index, stack = [], {}, [(root, False)]
    while stack:  # iterative post-order: deep graphs do not hit the recursion limit
        node, expanded = stack.pop()
        if id(node) in index:
            continue
        if expanded:
            index[id(node)] = len(order)
            order.append(node)
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(_children(node)))
    nodes, edges = [], []
    for node in order:
        children = _children(node)
        kind = "op" if children else ("input" if id(node) in by_id else "const")
        data, grad = _number(node, "data"), _number(node, "grad")
        label = by_id.get(id(node)) or constant_names.get(id(node)) or (
            f"{data:.4g}" if kind == "const" else "")
        nodes.append({"label": label, "op": str(getattr(node, "_op", "") or ""), "data": data,
                      "grad": grad, "kind": kind, "depth": 0})
        for child in children:
            edges.append({"src": index[id(child)], "dst": len(nodes) - 1,
                          "value": _number(child, "data"), "grad": None})
    _assign_depths(nodes, edges)
    return {"nodes": nodes, "edges": edges}


def _children(node):
    try:
        prev = node._prev
    except AttributeError:
        raise ValueError(f"{type(node).__name__} has no `_prev`: each Value must record the Values "
                         "it was computed from (see the Value docstring).") from None
    return list(prev)


def _number(node, field):
    try:
        return float(getattr(node, field))
    except (AttributeError, TypeError, ValueError):
        raise ValueError(f"a node's `.{field}` is {getattr(node, field, 'missing')!r}; "
                         "expected a number") from None


def _assign_depths(nodes, edges):
    """An operation sits one column right of its deepest operation input; a leaf (input or
    constant) sits just left of its first use, so no edge runs from column 0 across the graph."""
    users = {i: [] for i in range(len(nodes))}
    inputs = {i: [] for i in range(len(nodes))}
    for edge in edges:
        inputs[edge["dst"]].append(edge["src"])
        users[edge["src"]].append(edge["dst"])
    depth = {i: 0 for i in range(len(nodes))}
    changed = True
    while changed:  # one pass when nodes come inputs first; a graph written by hand may not
        changed = False
        for i, node in enumerate(nodes):
            if node["kind"] == "op":
                new = 1 + max(depth[j] if nodes[j]["kind"] == "op" else 0 for j in inputs[i])
                changed, depth[i] = changed or new != depth[i], new
    for i, node in enumerate(nodes):
        if node["kind"] != "op" and users[i]:
            depth[i] = min(depth[j] for j in users[i]) - 1
        node["depth"] = depth[i]


def complete_graph(graph):
    """Fill in what a graph written by hand may leave out: kind, label, op, depth, edge value."""
    nodes, edges = graph["nodes"], graph["edges"]
    has_inputs = {edge["dst"] for edge in edges}
    for i, node in enumerate(nodes):
        node.setdefault("kind", "op" if i in has_inputs else "input")
        node.setdefault("label", "")
        node.setdefault("op", "")
    for edge in edges:
        edge.setdefault("value", nodes[edge["src"]]["data"])
        edge.setdefault("grad", None)
    if any("depth" not in node for node in nodes):
        _assign_depths(nodes, edges)
    return graph


# How to redo an operation named by `_op` with the learner's class: (function, number of inputs)
_BINARY = {"+": operator.add, "add": operator.add, "*": operator.mul, "mul": operator.mul,
           "-": operator.sub, "sub": operator.sub, "/": operator.truediv,
           "div": operator.truediv, "truediv": operator.truediv}


_UNARY = {"neg": operator.neg, "exp": lambda v: v.exp(), "tanh": lambda v: v.tanh(),
          "relu": lambda v: v.relu()}


_POWER = re.compile(r"^(?:\*\*|\^|pow)\s*\(?\s*([-+]?[0-9.]+(?:e[-+]?[0-9]+)?)\s*\)?$")


def _operation(op):
    """(function of Values, its number of inputs) for an `_op` string, or (None, 0)."""
    op = op.strip().lower()
    match = _POWER.match(op)
    if match:
        exponent = float(match.group(1))
        return (lambda v: v ** exponent), 1
    if op in _UNARY:
        return _UNARY[op], 1
    return _BINARY.get(op), 2


def edge_gradients(Value, graph):
    """Fill in each edge's "grad": the share of the output's gradient sent along that edge.

    An input used once receives all of its grad along its one edge. For a node used more than
    once, the share of edge (child -> p) is p.grad times the local derivative of p with respect to
    that child, which we get from the learner's own class: rebuild that single operation from
    fresh `Value`s holding the same data and call its `backward()`. Operations whose `_op` is not
    recognised keep grad None. Returns the graph, changed in place.
    """
    nodes, edges = graph["nodes"], graph["edges"]
    uses = {}
    for edge in edges:
        uses.setdefault(edge["src"], []).append(edge)
    for src, out_edges in uses.items():
        if len(out_edges) == 1:
            out_edges[0]["grad"] = nodes[src]["grad"]
    by_dst = {}
    for edge in edges:
        by_dst.setdefault(edge["dst"], []).append(edge)
    for dst, in_edges in by_dst.items():
        if all(e["grad"] is not None for e in in_edges):
            continue
        local = _local_derivatives(Value, nodes[dst], [nodes[e["src"]]["data"] for e in in_edges])
        for edge, derivative in zip(in_edges, local or ()):
            if edge["grad"] is None:
                edge["grad"] = nodes[dst]["grad"] * derivative
    return graph


def _local_derivatives(Value, node, inputs):
    """d node / d each input, by running the learner's Value on this one operation."""
    operation, arity = _operation(node["op"])
    if operation is None:
        return None
    orders = [inputs, inputs[::-1]] if len(inputs) == 2 else [inputs]
    for ordered in orders:
        try:
            leaves = [Value(x) for x in ordered]
            args = leaves * 2 if arity == 2 and len(leaves) == 1 else leaves  # x * x, one child
            if len(args) != arity:
                return None
            out = operation(*args)
            if not math.isclose(float(out.data), node["data"], rel_tol=1e-9, abs_tol=1e-12):
                continue  # a set _prev lost the order: try the other one
            out.backward()
            grads = [float(leaf.grad) for leaf in leaves]
        except Exception:  # the learner's class cannot redo this operation: leave it unlabelled
            return None
        return grads if ordered is inputs else grads[::-1]
    return None
