"""A catalogue of answers to notebook 03: realistic mistakes and correct answers written
differently from the reference. The grader must catch every mistake (on the right exercise) and
accept every correct variant: tests/test_catalogues.py reports both rates.

Most wrong answers are the reference with one thing changed (`mutate`), so that each one holds
exactly one mistake; the correct variants are written from scratch.
"""
import nbformat

from catalogue_harness import catalogue_header, fn
from conftest import solution_path
from grader.spec import cell_source, nbgrader_meta

ASSIGNMENT, ALL, OTHERS = catalogue_header(__name__)  # from the notebook's own spec
REFERENCE = {nbgrader_meta(c)["grade_id"]: cell_source(c)
             for c in nbformat.read(solution_path(*ASSIGNMENT), as_version=4).cells
             if nbgrader_meta(c).get("solution")}


def mutate(grade_id, *changes):
    """The reference answer `grade_id` with each (old, new) text replaced; old must occur."""
    source = REFERENCE[grade_id]
    for old, new in changes:
        assert old in source, f"{old!r} is not in the reference {grade_id}"
        source = source.replace(old, new)
    return {grade_id: source}


def method(name, args, body):
    """A method's source, indented for a class body."""
    return "".join(f"    {line}\n" for line in fn(name, args, body).splitlines())


def with_backward(body, source=None):
    """The reference Value (or `source`) with backward() replaced by `body`."""
    source = source or REFERENCE["Value"]
    start = source.index("    def backward(self):")
    return {"Value": source[:start] + method("backward", "self", body)}


def without(*names):
    """The reference Value without the methods `names`."""
    source = REFERENCE["Value"]
    for name in names:
        start = source.index(f"    def {name}(")
        end = source.index("\n    def ", start + 1)
        source = source[:start] + source[end + 1:]
    return {"Value": source}


NOT_NG = ["test_numerical_gradient"]

# Wrong answers: (answers by grade_id, the tests that must fail, the tests that must pass).
# Tests not named in either list may go either way (a wrong division also breaks a later check).
WRONG = {
    # --- gradients assigned instead of accumulated
    "mul_grad_assigned": (mutate("Value", ("self.grad += other.data * out.grad",
                                           "self.grad = other.data * out.grad"),
                                 ("other.grad += self.data * out.grad",
                                  "other.grad = self.data * out.grad")),
                          ["test_value_accumulate"], OTHERS["test_value_accumulate"]),
    "add_grad_assigned": (mutate("Value", ("self.grad += 1.0 * out.grad", "self.grad = out.grad"),
                                 ("other.grad += 1.0 * out.grad", "other.grad = out.grad")),
                          ["test_value_accumulate"], OTHERS["test_value_accumulate"]),
    "every_grad_assigned": ({"Value": REFERENCE["Value"].replace(".grad += ", ".grad = ")
                             .replace("other.grad -= out.grad *", "other.grad = -out.grad *")
                             .replace("other.grad -= out.grad", "other.grad = -out.grad")},
                            ["test_value_accumulate"], OTHERS["test_value_accumulate"]),
    # --- backward() not in topological order
    "backward_plain_recursion": (
        with_backward("self.grad = 1.0\n\n"
                      "def push(node):\n"
                      "    node._backward()\n"
                      "    for child in node._prev:\n"
                      "        push(child)\n\n"
                      "push(self)"),
        ["test_value_accumulate"], OTHERS["test_value_accumulate"]),
    "backward_dfs_visited_preorder": (
        with_backward("self.grad = 1.0\nseen = set()\n\n"
                      "def push(node):\n"
                      "    if node in seen:\n"
                      "        return\n"
                      "    seen.add(node)\n"
                      "    node._backward()\n"
                      "    for child in node._prev:\n"
                      "        push(child)\n\n"
                      "push(self)"),
        ["test_value_accumulate"], OTHERS["test_value_accumulate"]),
    "backward_breadth_first": (
        with_backward("from collections import deque\n"
                      "self.grad = 1.0\n"
                      "queue, seen = deque([self]), {self}\n"
                      "while queue:\n"
                      "    node = queue.popleft()\n"
                      "    node._backward()\n"
                      "    for child in node._prev:\n"
                      "        if child not in seen:\n"
                      "            seen.add(child)\n"
                      "            queue.append(child)"),
        ["test_value_accumulate"], OTHERS["test_value_accumulate"]),
    "backward_order_not_reversed": (
        mutate("Value", ("for node in reversed(order):", "for node in order:")),
        ["test_value_backward", "test_value_accumulate", "test_value_functions"],
        NOT_NG + ["test_value_arithmetic"]),
    "backward_no_seed": (mutate("Value", ("        self.grad = 1.0\n", "")),
                         ["test_value_backward", "test_value_accumulate", "test_value_functions"],
                         NOT_NG + ["test_value_arithmetic"]),
    "backward_list_kept_between_calls": (  # a mutable default argument: graphs pile up
        mutate("Value", ("    def backward(self):",
                         "    def backward(self, order=[], visited=set()):"),
               ("        order, visited = [], set()\n", "")),
        ["test_value_accumulate"], OTHERS["test_value_accumulate"]),
    # --- reflected operations
    "rmul_missing": (without("__rmul__"), ["test_value_arithmetic"],
                     NOT_NG + ["test_value_accumulate", "test_value_functions"]),
    "reflected_all_missing": (without("__radd__", "__rsub__", "__rmul__", "__rtruediv__"),
                              ["test_value_arithmetic"],
                              NOT_NG + ["test_value_accumulate", "test_value_functions"]),
    "rsub_wrong_order": (mutate("Value", ("return Value(other).__sub__(self)",
                                          "return self.__sub__(other)")),
                         ["test_value_arithmetic"],
                         NOT_NG + ["test_value_accumulate", "test_value_functions"]),
    "rtruediv_wrong_order": (mutate("Value", ("return Value(other).__truediv__(self)",
                                              "return self.__truediv__(other)")),
                             ["test_value_arithmetic"],
                             NOT_NG + ["test_value_accumulate", "test_value_functions"]),
    "rsub_builds_no_graph": (mutate("Value", ("return Value(other).__sub__(self)",
                                              "return Value(other - self.data)")),
                             ["test_value_backward"], OTHERS["test_value_backward"]),
    # --- wrong local derivatives
    "tanh_derivative_is_tanh": (mutate("Value", ("(1.0 - out.data ** 2) * out.grad",
                                                 "out.data * out.grad")),
                                ["test_value_functions"], OTHERS["test_value_functions"]),
    "tanh_derivative_of_input": (mutate("Value", ("(1.0 - out.data ** 2) * out.grad",
                                                  "(1.0 - self.data ** 2) * out.grad")),
                                 ["test_value_functions"], OTHERS["test_value_functions"]),
    "relu_gradient_through_negatives": (
        mutate("Value", ("(1.0 if self.data > 0 else 0.0) * out.grad", "out.grad")),
        ["test_value_functions"], OTHERS["test_value_functions"]),
    "relu_forward_abs": (mutate("Value", ("self.data if self.data > 0 else 0.0",
                                          "abs(self.data)")),
                         ["test_value_functions"], OTHERS["test_value_functions"]),
    "pow_derivative_n_times_a": (mutate("Value", ("n * self.data ** (n - 1) * out.grad",
                                                  "n * self.data * out.grad")),
                                 ["test_value_functions"], OTHERS["test_value_functions"]),
    "pow_derivative_n_times_a_to_n": (mutate("Value", ("n * self.data ** (n - 1) * out.grad",
                                                       "n * self.data ** n * out.grad")),
                                      ["test_value_functions"], OTHERS["test_value_functions"]),
    "exp_derivative_one": (mutate("Value", ("self.grad += out.data * out.grad",
                                            "self.grad += out.grad")),
                           ["test_value_functions"], OTHERS["test_value_functions"]),
    "exp_derivative_input": (mutate("Value", ("self.grad += out.data * out.grad",
                                              "self.grad += self.data * out.grad")),
                             ["test_value_functions"], OTHERS["test_value_functions"]),
    "exp_forgets_out_grad": (mutate("Value", ("self.grad += out.data * out.grad",
                                              "self.grad += out.data")),
                             ["test_value_functions"], OTHERS["test_value_functions"]),
    "div_minus_sign_missing": (mutate("Value", ("other.grad -= out.grad * self.data",
                                                "other.grad += out.grad * self.data")),
                               ["test_value_backward"], OTHERS["test_value_backward"]),
    "div_derivative_minus_one_over_b2": (
        mutate("Value", ("other.grad -= out.grad * self.data / other.data ** 2",
                         "other.grad -= out.grad / other.data ** 2")),
        ["test_value_backward"], OTHERS["test_value_backward"]),
    "div_numerator_times_b": (mutate("Value", ("self.grad += out.grad / other.data",
                                               "self.grad += out.grad * other.data")),
                              ["test_value_backward"], OTHERS["test_value_backward"]),
    "sub_second_sign": (mutate("Value", ("other.grad -= out.grad\n", "other.grad += out.grad\n")),
                        ["test_value_backward"], OTHERS["test_value_backward"]),
    "mul_forgets_out_grad": (mutate("Value", ("self.grad += other.data * out.grad",
                                              "self.grad += other.data"),
                                    ("other.grad += self.data * out.grad",
                                     "other.grad += self.data")),
                             ["test_value_backward"], NOT_NG + ["test_value_arithmetic"]),
    # --- numerical_gradient
    "ng_forward_difference": (mutate("numerical_gradient",
                                     ("grad[index] = (f_plus - f_minus) / (2.0 * h)",
                                      "grad[index] = (f_plus - f(x)) / h")),
                              ["test_numerical_gradient"], OTHERS["test_numerical_gradient"]),
    "ng_x_not_restored": (mutate("numerical_gradient", ("        x[index] = saved\n", "")),
                          ["test_numerical_gradient"], OTHERS["test_numerical_gradient"]),
    "ng_restored_by_adding_h_back": (
        mutate("numerical_gradient", ("x[index] = saved + h", "x[index] += h"),
               ("x[index] = saved - h", "x[index] -= 2 * h"),
               ("        x[index] = saved\n", "        x[index] += h\n")),
        ["test_numerical_gradient"], OTHERS["test_numerical_gradient"]),
    "ng_divided_by_h": (mutate("numerical_gradient", ("(f_plus - f_minus) / (2.0 * h)",
                                                      "(f_plus - f_minus) / h")),
                        ["test_numerical_gradient"], OTHERS["test_numerical_gradient"]),
    "ng_precedence_half_times_h": (mutate("numerical_gradient", ("(f_plus - f_minus) / (2.0 * h)",
                                                                 "(f_plus - f_minus) / 2 * h")),
                                   ["test_numerical_gradient"], OTHERS["test_numerical_gradient"]),
    "ng_first_axis_only": (mutate("numerical_gradient",
                                  ("for index in np.ndindex(*x.shape):",
                                   "for index in range(len(x)):"),
                                  ("saved = x[index]", "saved = np.copy(x[index])")),
                           ["test_numerical_gradient"], OTHERS["test_numerical_gradient"]),
    "ng_first_axis_only_row_view": (  # x[i] is a view of a row: x is left changed too
        mutate("numerical_gradient", ("for index in np.ndindex(*x.shape):",
                                      "for index in range(len(x)):")),
        ["test_numerical_gradient"], OTHERS["test_numerical_gradient"]),
    "ng_one_dimensional_result": (
        {"numerical_gradient": fn("numerical_gradient", "f, x, h=1e-5",
                                  "grad = np.zeros(len(x))\n"
                                  "for i in range(len(x)):\n"
                                  "    old = x[i].copy() if np.ndim(x[i]) else x[i]\n"
                                  "    x[i] = old + h\n    plus = f(x)\n"
                                  "    x[i] = old - h\n    minus = f(x)\n    x[i] = old\n"
                                  "    grad[i] = np.sum(plus - minus) / (2 * h)\n"
                                  "return grad")},
        ["test_numerical_gradient"], OTHERS["test_numerical_gradient"]),
    "ng_returns_flat": (mutate("numerical_gradient",
                               ("    return grad", "    return grad.ravel()")),
                        ["test_numerical_gradient"], OTHERS["test_numerical_gradient"]),
    "ng_ignores_h": (mutate("numerical_gradient",
                            ("x[index] = saved + h", "x[index] = saved + 1e-5"),
                            ("x[index] = saved - h", "x[index] = saved - 1e-5"),
                            ("(2.0 * h)", "2e-5")),
                     ["test_numerical_gradient"], OTHERS["test_numerical_gradient"]),
}

# Correct answers written differently from the reference: full marks.
MICROGRAD = '''
class Value:
    def __init__(self, data, _children=(), _op=''):
        self.data = data
        self.grad = 0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), '+')
        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), '*')
        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, other):
        assert isinstance(other, (int, float)), "only supporting int/float powers for now"
        out = Value(self.data**other, (self,), f'**{other}')
        def _backward():
            self.grad += (other * self.data**(other-1)) * out.grad
        out._backward = _backward
        return out

    def relu(self):
        out = Value(0 if self.data < 0 else self.data, (self,), 'ReLU')
        def _backward():
            self.grad += (out.data > 0) * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,), 'tanh')
        def _backward():
            self.grad += (1 - t**2) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,), 'exp')
        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def backward(self):
        topo = []
        visited = set()
        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)
        build_topo(self)
        self.grad = 1
        for v in reversed(topo):
            v._backward()

    def __neg__(self): # -self
        return self * -1

    def __radd__(self, other): # other + self
        return self + other

    def __sub__(self, other): # self - other
        return self + (-other)

    def __rsub__(self, other): # other - self
        return other + (-self)

    def __rmul__(self, other): # other * self
        return self * other

    def __truediv__(self, other): # self / other
        return self * other**-1

    def __rtruediv__(self, other): # other / self
        return other * self**-1

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"
'''


def reference_with(*changes):
    return mutate("Value", *changes)["Value"]


ITERATIVE_TOPO = with_backward(
    "order, seen, stack = [], set(), [(self, False)]\n"
    "while stack:\n"
    "    node, done = stack.pop()\n"
    "    if done:\n"
    "        order.append(node)\n"
    "    elif node not in seen:\n"
    "        seen.add(node)\n"
    "        stack.append((node, True))\n"
    "        stack.extend((child, False) for child in node._prev)\n"
    "self.grad = 1.0\n"
    "for node in order[::-1]:\n"
    "    node._backward()")

KAHN_TOPO = with_backward(  # count each node's users, release a node when all have run
    "users, stack, seen = {}, [self], {self}\n"
    "while stack:\n"
    "    node = stack.pop()\n"
    "    for child in node._prev:\n"
    "        users[child] = users.get(child, 0) + 1\n"
    "        if child not in seen:\n"
    "            seen.add(child)\n"
    "            stack.append(child)\n"
    "self.grad = 1.0\n"
    "ready = [self]\n"
    "while ready:\n"
    "    node = ready.pop()\n"
    "    node._backward()\n"
    "    for child in node._prev:\n"
    "        users[child] -= 1\n"
    "        if users[child] == 0:\n"
    "            ready.append(child)")

CREATION_ORDER = with_backward(
    "nodes, stack = {self}, [self]\n"
    "while stack:\n"
    "    for child in stack.pop()._prev:\n"
    "        if child not in nodes:\n"
    "            nodes.add(child)\n"
    "            stack.append(child)\n"
    "self.grad = 1.0\n"
    "# a Value is always created after its inputs: newest first is a topological order\n"
    "for node in sorted(nodes, key=lambda v: v.birth, reverse=True):\n"
    "    node._backward()",
    source=reference_with(("        self._backward = lambda: None\n",
                           "        self._backward = lambda: None\n"
                           "        Value.created = getattr(Value, 'created', 0) + 1\n"
                           "        self.birth = Value.created\n")))

LOCAL_DERIVATIVES = '''
class Value:
    """Each node stores its inputs with the local derivatives, computed in the forward pass."""

    def __init__(self, data, _prev=(), _op="", _local=()):
        self.data = float(data)
        self.grad = 0.0
        self._prev = tuple(_prev)
        self._op = _op
        self._local = tuple(_local)

    def _backward(self):
        for child, derivative in zip(self._prev, self._local):
            child.grad += derivative * self.grad

    @staticmethod
    def lift(x):
        return x if isinstance(x, Value) else Value(x)

    def __add__(self, other):
        other = Value.lift(other)
        return Value(self.data + other.data, (self, other), "+", (1.0, 1.0))

    def __sub__(self, other):
        other = Value.lift(other)
        return Value(self.data - other.data, (self, other), "-", (1.0, -1.0))

    def __mul__(self, other):
        other = Value.lift(other)
        return Value(self.data * other.data, (self, other), "*", (other.data, self.data))

    def __truediv__(self, other):
        other = Value.lift(other)
        return Value(self.data / other.data, (self, other), "/",
                     (1 / other.data, -self.data / other.data ** 2))

    def __pow__(self, n):
        return Value(self.data ** n, (self,), f"**{n}", (n * self.data ** (n - 1),))

    def exp(self):
        e = math.exp(self.data)
        return Value(e, (self,), "exp", (e,))

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, (self,), "tanh", (1 - t * t,))

    def relu(self):
        return Value(max(self.data, 0.0), (self,), "relu", (float(self.data > 0),))

    def __radd__(self, other):
        return Value.lift(other) + self

    def __rsub__(self, other):
        return Value.lift(other) - self

    def __rmul__(self, other):
        return Value.lift(other) * self

    def __rtruediv__(self, other):
        return Value.lift(other) / self

    def backward(self):
        order, seen = [], set()

        def visit(node):
            if id(node) in seen:
                return
            seen.add(id(node))
            for child in node._prev:
                visit(child)
            order.append(node)

        visit(self)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()
'''

NUMPY_SCALARS = reference_with(  # data kept as numpy scalars, numpy's functions
    ("self.data = float(data)", "self.data = np.float64(data)"),
    ("Value(math.exp(self.data), (self,), \"exp\")", "Value(np.exp(self.data), (self,), \"exp\")"),
    ("Value(math.tanh(self.data), (self,), \"tanh\")",
     "Value((np.exp(2 * self.data) - 1) / (np.exp(2 * self.data) + 1), (self,), \"tanh\")"),
    ("self.data if self.data > 0 else 0.0", "np.maximum(self.data, 0.0)"),
    ("(1.0 if self.data > 0 else 0.0) * out.grad", "np.heaviside(self.data, 0.0) * out.grad"),
    ("n * self.data ** (n - 1) * out.grad", "n * np.power(self.data, n - 1) * out.grad"))

CLASS_ALIASES = reference_with(  # reflected operations as aliases and lambdas
    ("    def __radd__(self, other):",
     "    __radd__ = __add__\n\n    def _unused_radd(self, other):"),
    ("    def __rmul__(self, other):",
     "    __rmul__ = __mul__\n\n    def _unused_rmul(self, other):"),
    ("        return Value(other).__sub__(self)", "        return -self + other"),
    ("        return Value(other).__truediv__(self)", "        return self ** -1 * other"))

CORRECT = {
    "micrograd": {"Value": MICROGRAD},
    "iterative_topological_sort": ITERATIVE_TOPO,
    "kahn_topological_sort": KAHN_TOPO,
    "newest_first_by_creation_counter": CREATION_ORDER,
    "local_derivatives_stored_not_closures": {"Value": LOCAL_DERIVATIVES},
    "numpy_scalars_and_formulas": {"Value": NUMPY_SCALARS},
    "reflected_as_aliases": {"Value": CLASS_ALIASES},
    "ng_nditer": {"numerical_gradient": fn(
        "numerical_gradient", "f, x, h=1e-5",
        "grad = np.zeros_like(x, dtype=float)\n"
        "it = np.nditer(x, flags=['multi_index'], op_flags=['readwrite'])\n"
        "while not it.finished:\n"
        "    ix = it.multi_index\n"
        "    oldval = x[ix]\n"
        "    x[ix] = oldval + h\n"
        "    fxph = f(x)\n"
        "    x[ix] = oldval - h\n"
        "    fxmh = f(x)\n"
        "    x[ix] = oldval\n"
        "    grad[ix] = (fxph - fxmh) / (2 * h)\n"
        "    it.iternext()\n"
        "return grad")},
    "ng_flat_views": {"numerical_gradient": fn(
        "numerical_gradient", "f, x, h=1e-5",
        "flat = x.reshape(-1)  # a view: x is contiguous\n"
        "grad = np.empty(x.size)\n"
        "for k in range(x.size):\n"
        "    old = flat[k]\n"
        "    flat[k] = old + h\n"
        "    up = float(f(x))\n"
        "    flat[k] = old - h\n"
        "    down = float(f(x))\n"
        "    flat[k] = old\n"
        "    grad[k] = (up - down) / (2 * h)\n"
        "return grad.reshape(x.shape)")},
    "ng_copies_never_touch_x": {"numerical_gradient": fn(
        "numerical_gradient", "f, x, h=1e-5",
        "grad = np.zeros(x.shape)\n"
        "for i, _ in np.ndenumerate(x):\n"
        "    step = np.zeros_like(x)\n"
        "    step[i] = h\n"
        "    grad[i] = (f(x + step) - f(x - step)) / (2 * h)\n"
        "return grad")},
    "noisy_but_right": {"numerical_gradient": "import sys, warnings\n\n\n" + fn(
        "numerical_gradient", "f, x, h=1e-5",
        "print('checking', x.shape, file=sys.stderr)\n"
        "warnings.warn('slow on big arrays', UserWarning)\n"
        "grad = np.zeros(x.shape)\n"
        "for i in np.ndindex(x.shape):\n"
        "    x_plus, x_minus = x.copy(), x.copy()\n"
        "    x_plus[i] += h\n"
        "    x_minus[i] -= h\n"
        "    grad[i] = (f(x_plus) - f(x_minus)) / (2 * h)\n"
        "return grad")},
}


# Mistakes that only the learner's own process can see (x changed by a rounding error): the
# notebook's check names them, the grader cannot (catalogue_harness, TAUGHT).
TAUGHT = {name: (WRONG.pop(name)[0], grade_id, phrase) for name, grade_id, phrase in [
    ("ng_restored_by_adding_h_back", "test_numerical_gradient", "left x modified"),
]}


# What the grader's message says of each wrong answer: a phrase found in its messages, or
# (grade id, phrase) for the message of that exercise.
NAMED = {
    'mul_grad_assigned': 'assigned instead of accumulated',
    'add_grad_assigned': 'assigned instead of accumulated',
    'every_grad_assigned': 'assigned instead of accumulated',
    'backward_plain_recursion': 'reverse topological order',
    'backward_dfs_visited_preorder': 'reverse topological order',
    'backward_breadth_first': 'reverse topological order',
    'backward_no_seed': 'does not seed y.grad = 1',
    'backward_list_kept_between_calls': 'keeps nodes from an earlier call',
    'rmul_missing': 'a.__rmul__(2)',
    'reflected_all_missing': 'reflected method',
    'rsub_wrong_order': '__rsub__ computes a - 1 instead of 1 - a',
    'rtruediv_wrong_order': '__rtruediv__ computes a / 3 instead of 3 / a',
    'rsub_builds_no_graph': 'must build the graph too',
    'tanh_derivative_is_tanh': '1 - tanh(a)², not tanh(a)',
    'tanh_derivative_of_input': 'not 1 - a²',
    'relu_gradient_through_negatives': 'only where its input is positive',
    'pow_derivative_n_times_a': 'n * a**(n-1), not n * a.',
    'pow_derivative_n_times_a_to_n': 'n * a**(n-1), not n * a**n',
    'exp_derivative_one': 'exp(a) itself, not 1',
    'exp_derivative_input': 'exp(a) itself, not a',
    'exp_forgets_out_grad': 'not multiplied by out.grad',
    'mul_forgets_out_grad': 'not multiplied by out.grad',
    'div_minus_sign_missing': '-a/b²: the minus sign is missing',
    'div_derivative_minus_one_over_b2': '-a/b², not -1/b²',
    'div_numerator_times_b': 'd(a/b)/da is 1/b, not b',
    'sub_second_sign': 'd(a - b)/db is -1, not +1',
    'ng_forward_difference': 'forward differences',
    'ng_divided_by_h': 'divided by h instead of 2h',
    'ng_first_axis_only': 'x[i] is a whole row',
    'ng_one_dimensional_result': 'returned shape (2,); expected (2, 3)',
    'ng_returns_flat': 'returned shape (6,); expected (2, 3)',
    'ng_ignores_h': 'the step h passed in is ignored',
}

# Wrong answers the grader catches by their values, whose cause only the notebook's own check can
# see and name (x after the call): (grade id, phrase of the notebook's message).
NAMED_IN_NOTEBOOK = {
    "ng_x_not_restored": ("test_numerical_gradient", "left x modified"),
    "ng_first_axis_only_row_view": ("test_numerical_gradient", "left x modified"),
}
