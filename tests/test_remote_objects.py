"""Tests may use objects the learner's code returns (a `Value` of an autograd engine) and pass
functions into it (`numerical_gradient(f, x)`): both work through the sandbox, and a forged
object still cannot pass."""
import nbformat
import pytest

from conftest import course_notebook
from grader import runner, spec

VALUE = '''
class Value:
    def __init__(self, data, _prev=()):
        self.data, self.grad, self._prev, self._backward = float(data), 0.0, _prev, lambda: None

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other))
        def backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = backward
        return out

    __radd__ = __add__

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other))
        def backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = backward
        return out

    __rmul__ = __mul__

    def backward(self):
        order, seen = [], set()
        def visit(v):
            if id(v) not in seen:
                seen.add(id(v))
                for child in v._prev:
                    visit(child)
                order.append(v)
        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            v._backward()


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        plus = f(x)
        x[i] = old - h
        minus = f(x)
        x[i] = old
        grad[i] = (plus - minus) / (2 * h)
    return grad
'''

TEST_VALUE = '''"""Value: reused nodes accumulate gradients (1 point)."""
a = Value(3.0)
y = a * a + 2 * a + 1
y.backward()
compare_arrays(np.array([y.data, a.grad]), np.array([16.0, 8.0]), call="y = a*a + 2a + 1")
'''

# entries interact in f, so a step left in x shows in the values (the grader cannot look at the
# learner's x after the call: only the submission's own process could report that)
TEST_NUMGRAD = '''"""numerical_gradient: central differences, each at the right point (1 point)."""
x = np.array([[1.0, -2.0, 0.5]])
check_array(numerical_gradient, (portable("lambda x: np.sum(x) ** 3"), x),
            3 * np.sum(x) ** 2 * np.ones_like(x), arg_names=["f", "x"], rtol=1e-6)
'''


def notebook(solution, tmp_path):
    return course_notebook(tmp_path / "demo" / "demo.ipynb", [
        ("import numpy as np", "setup", "locked"), (solution, "answer", "solution"),
        (TEST_VALUE, "test_value", "test"), (TEST_NUMGRAD, "test_numgrad", "test")])


@pytest.mark.parametrize("change,expected", [
    (None, {"test_value": True, "test_numgrad": True}),
    (("self.grad += other.data * out.grad", "self.grad = other.data * out.grad"),
     {"test_value": False, "test_numgrad": True}),
    (("(plus - minus) / (2 * h)", "(plus - f(x)) / h"), {"test_value": True, "test_numgrad": False}),
    (("x[i] = old\n", "pass\n"), {"test_value": True, "test_numgrad": False}),
    (("        self.grad = 1.0", "        self.grad = 1.0\n        self.__eq__ = lambda o: True"),
     {"test_value": True, "test_numgrad": True}),
])
def test_objects_and_functions_cross_the_sandbox(tmp_path, change, expected):
    source = VALUE if change is None else VALUE.replace(*change)
    assert change is None or source != VALUE
    path = notebook(VALUE, tmp_path)
    nb_spec = spec.load_notebook_spec(path)
    submission = nbformat.read(path, as_version=4)
    submission.cells[1].source = source
    result = runner.grade_notebook(nb_spec, submission)
    assert {t.grade_id: t.passed for t in result.tests} == expected, \
        [(t.grade_id, t.message, t.detail) for t in result.tests]
