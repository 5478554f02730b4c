"""Every module of bpkit, at once: none holds an answer to an exercise, none imports ipywidgets
when imported, and the code keeps its shape (no module imports another's private name, none
grows past about 300 lines).

The answer probe records every call the notebooks' visible checks make to an exercise (its
inputs and the reference solution's result), then calls every function of every bpkit module
with those inputs: none may return the reference's result. So a helper that computed a
sigmoid, a numerical gradient or a backward pass would be found, wherever it was put.
"""
import ast
import contextlib
import importlib
import inspect
import io
import pkgutil
import subprocess
import sys
import warnings

import matplotlib
import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest

import bpkit
from conftest import ROOT, SOLUTIONS
from grader.spec import load_notebook_spec, split_hidden

MODULES = sorted(m.name for m in pkgutil.walk_packages(bpkit.__path__, "bpkit."))
MAX_LINES = 300
# the one exception: the sandbox runs the worker as a single file, with nothing else to import
LONGER = {"grader/worker.py": 380}


def test_the_modules_are_found():
    assert {"bpkit.checks.values", "bpkit.checks.gradients", "bpkit.plots.descent",
            "bpkit.views.nudge", "bpkit.live", "bpkit.datasets"} <= set(MODULES)


def test_importing_any_module_leaves_ipywidgets_out():
    code = (f"import sys\nfor name in {MODULES!r}:\n    __import__(name)\n"
            "print('ipywidgets' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"


def python_files():
    return sorted(p for folder in ("bpkit", "grader") for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", python_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_imports_a_private_name_of_another_or_grows_too_long(path):
    tree = ast.parse(path.read_text())
    imported = {alias.asname or alias.name for node in ast.walk(tree)
                if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(
                ("bpkit", "grader")):
            assert not [a.name for a in node.names if a.name.startswith("_")], (path, node.lineno)
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in imported and node.attr.startswith("_")
                and not node.attr.startswith("__")):
            assert node.value.id in ("np", "numpy", "os", "sys", "socket", "util"), \
                (path, node.lineno, f"{node.value.id}.{node.attr}")
    limit = LONGER.get(str(path.relative_to(ROOT)), MAX_LINES)
    assert len(path.read_text().splitlines()) <= limit, path


def exercise_calls():
    """(exercise, args, reference result) for every call the visible checks make."""
    matplotlib.use("Agg")
    calls = []
    for path in sorted(SOLUTIONS.glob("*/*.ipynb")):
        spec = load_notebook_spec(path)
        namespace = {}
        cells = nbformat.read(path, as_version=4).cells
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for cell in cells:
                meta = cell.metadata.get("nbgrader", {})
                if cell.cell_type == "code" and (meta.get("solution") or meta.get("locked")) \
                        and not meta.get("grade"):
                    exec(cell.source, namespace)
            for name in spec.exercise_names:
                if callable(namespace.get(name)) and not inspect.isclass(namespace[name]):
                    namespace[name] = recorder(namespace[name], name, calls)
            for cell in cells:
                if cell.metadata.get("nbgrader", {}).get("grade"):
                    try:
                        exec(split_hidden(cell.source)[0], namespace)
                    except Exception:
                        pass
    return calls


CALLS_PER_EXERCISE = 50


def spread(calls, per_exercise=CALLS_PER_EXERCISE):
    """At most `per_exercise` calls of each exercise, evenly spread over the ones recorded: a
    training loop's thousands of sgd steps (5,308 of 5,964 calls) probe nothing that a few dozen
    do not, and calling every bpkit function with each took minutes."""
    by_exercise = {}
    for call in calls:
        by_exercise.setdefault(call[0], []).append(call)
    kept = []
    for recorded in by_exercise.values():
        picks = np.unique(np.linspace(0, len(recorded) - 1, per_exercise).round().astype(int))
        kept += [recorded[i] for i in picks]
    return kept


def recorder(fn, name, calls):
    def record(*args, **kwargs):
        result = fn(*args, **kwargs)
        arrays = [a for a in args if isinstance(a, (np.ndarray, dict))]
        if arrays and not kwargs and not any(callable(a) for a in args):
            calls.append((name, tuple(np.copy(a) if isinstance(a, np.ndarray) else a
                                      for a in args), result))
        return result
    record.__name__ = name
    return record


def same(got, want):
    """Whether a probe's result equals an exercise's answer (numbers, arrays, tuples, dicts)."""
    try:
        if isinstance(want, dict):
            return isinstance(got, dict) and set(got) == set(want) and all(
                same(got[k], want[k]) for k in want)
        if isinstance(want, (tuple, list)):
            return (isinstance(got, (tuple, list)) and len(got) == len(want) > 0
                    and all(same(g, w) for g, w in zip(got, want)))
        if isinstance(got, (bool, np.bool_)) or getattr(got, "dtype", None) == bool:
            return False  # a yes/no (e.g. "changed in place?") is no answer to an exercise
        want = np.asarray(want, dtype=float)
        got = np.asarray(got, dtype=float)
        # an all-zero answer tells nothing (any function may return zeros); others to 1e-6
        return got.shape == want.shape and bool(np.any(want != 0)) and bool(
            np.allclose(got, want, rtol=1e-6, atol=0.0))
    except (TypeError, ValueError):
        return False


def functions():
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name, value in list(vars(module).items()):
            if (inspect.isfunction(value) and value.__module__ == module_name
                    and not name.endswith("explorer")):
                yield f"{module_name}.{name}", value


def answers_returned(functions, calls):
    """(function name, exercise) for every call of `calls` whose answer a function returns."""
    probes = [(lambda v: float(np.sum(v ** 2)), np.array([[1.0, 2.0], [3.0, 4.0]]),
               np.array([[2.0, 4.0], [6.0, 8.0]]))]  # numerical_gradient(f, x) for f = sum x**2
    found = []
    for qualified, function in functions:
        for name, args, answer in calls + [("numerical_gradient", p[:2], p[2]) for p in probes]:
            with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
                warnings.simplefilter("ignore")
                try:
                    got = function(*args)
                except BaseException:
                    continue
            plt.close("all")
            if same(got, answer):
                found.append((qualified, name))
    return found


@pytest.fixture(scope="module")
def calls():
    recorded = spread(exercise_calls())
    assert len({name for name, _, _ in recorded}) >= 20, sorted({n for n, _, _ in recorded})
    return recorded


def test_no_function_of_bpkit_returns_an_exercise_answer(calls):
    assert answers_returned(functions(), calls) == []


def test_the_probe_finds_an_answer_planted_in_a_helper(calls):
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    def sgd(w, dw, config=None):  # 05's answer, as a helper might hold it
        config = {} if config is None else config
        config.setdefault("learning_rate", 1e-2)
        return w - config["learning_rate"] * dw, config
    found = answers_returned([("planted.sigmoid", sigmoid), ("planted.sgd", sgd),
                              ("planted.zeros", np.zeros_like)], calls)
    assert {"planted.sigmoid", "planted.sgd"} <= {function for function, _ in found}
    assert not any(function == "planted.zeros" for function, _ in found)
