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


TEST_EXPRESSIONS = '''"""Value: expressions checked as notebook 03 checks them (1 point)."""
from bpkit.checks.expressions import expression_checker
check = expression_checker(Value)
for a, b in [(2.0, -3.0), (0.5, 4.0)]:
    check("y = a * b + a", {"a": a, "b": b}, [a * b + a, 1.0, b + 1.0, a])
    check("y = 2 * a + 1", {"a": a}, [2 * a + 1, 1.0, 2.0])
'''


def local_message(source):
    """What the same check says in the learner's notebook, where Value is their own class."""
    import numpy as np
    from bpkit.checks import CheckFailed, compare_arrays
    namespace = {"np": np, "compare_arrays": compare_arrays}
    exec(source, namespace)
    try:
        exec(TEST_EXPRESSIONS, namespace)
    except CheckFailed as failure:
        return failure.message
    return ""


@pytest.mark.parametrize("change,says,requests", [
    (None, "", 4),
    (("self.grad += other.data * out.grad", "self.grad = other.data * out.grad"),
     "[y.data, y.grad, a.grad, b.grad] for `y = a * b + a` at a = 2.0, b = -3.0", 1),
    (("    __rmul__ = __mul__", "    __rmul__ = lambda self, other: other * self.data"),
     "y in `y = 2 * a + 1` is a float, not a Value object", 2),
    (("self.data, self.grad", "raise NotImplementedError()\n        self.data, self.grad"),
     "Value is not finished: `y = a * b + a` uses a method that is not written yet", 1),
    (("    def backward(self):", "    def backward(self):\n        return 1 / 0"),
     "`y = a * b + a` raised ZeroDivisionError: division by zero (in backward, line", 1),
])
def test_an_expression_runs_in_the_sandbox_in_one_request(tmp_path, monkeypatch, change, says,
                                                          requests):
    """The autograd checks send each expression as one request, and give the verdict and the
    message they give in the learner's notebook, right or wrong."""
    from grader import channel
    source = VALUE if change is None else VALUE.replace(*change)
    assert change is None or source != VALUE
    path = course_notebook(tmp_path / "demo" / "demo.ipynb", [
        ("import numpy as np", "setup", "locked"), (VALUE, "answer", "solution"),
        (TEST_EXPRESSIONS, "test_expressions", "test")])
    submission = nbformat.read(path, as_version=4)
    submission.cells[1].source = source
    ops, send = [], channel.Channel.send
    monkeypatch.setattr(channel.Channel, "send", lambda self, message, *rest, **kw: (
        ops.append(message.get("op")), send(self, message, *rest, **kw))[1])
    result = runner.grade_notebook(spec.load_notebook_spec(path), submission)
    (test,) = result.tests
    assert test.passed == (not says), (test.message, test.detail)
    assert says in test.message
    # the same words as in the notebook (the sandbox adds where an exception was raised)
    assert test.message.split(" (")[0].rstrip(".") == local_message(source).split(" (")[0].rstrip(".")
    assert ops.count("expression") == requests  # up to the first failing expression
    assert not {"getattr", "operator"} & set(ops)  # no request per operation or attribute


# what a submission's own process may send back for an expression, in place of its values
FORGED_OUTCOMES = {
    "not a dict": "[1.0, 2.0]",
    "values not a list": "{'values': 'ok'}",
    "neither values nor plain": "{'passed': True}",
    "plain not a name": "{'plain': ['y'], 'type': 'float'}",
    "a type name too long to print": "{'plain': 'y', 'type': 'x' * 100000}",
    "values of the wrong length": "{'values': [1.0]}",
    "values that are not numbers": "{'values': [{'a': 1}, None, 'b', 1.0]}",
}


@pytest.mark.parametrize("name", FORGED_OUTCOMES)
def test_a_forged_expression_outcome_fails_the_test_with_a_reason(tmp_path, name):
    """The submission replaces, in its own process, the helper the expression request runs: what
    it sends back is read as plain data; a malformed answer fails the check, never the grader."""
    forged = (VALUE + "\nimport bpkit.checks.expressions as _e\n"
              f"_e.run_expression = lambda *args, **kwargs: {FORGED_OUTCOMES[name]}\n")
    path = course_notebook(tmp_path / "demo" / "demo.ipynb", [
        ("import numpy as np", "setup", "locked"), (VALUE, "answer", "solution"),
        (TEST_EXPRESSIONS, "test_expressions", "test")])
    submission = nbformat.read(path, as_version=4)
    submission.cells[1].source = forged
    result = runner.grade_notebook(spec.load_notebook_spec(path), submission)
    (test,) = result.tests
    assert not test.passed and "`y = a * b + a`" in test.message
    assert len(test.message) < 1000 and "Traceback" not in test.message
