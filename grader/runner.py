"""Grading one notebook of one submission: a pure function of the submission and the spec.

The submission's answer cells and added cells run in the sandbox, in the trusted order of the
source notebook; read-only cells run from the trusted source. At each test cell the grader runs
that test in its own process, against proxies for the exercise functions: the test's expected
values and comparisons never enter the sandbox, and only plain values come out of it.
"""
import contextlib
import io
import math
import time
import traceback
from dataclasses import asdict, dataclass, field

import numpy as np

import bpkit.checks
from grader import sandbox, wire
from grader.spec import cell_source, nbgrader_meta

TEST_PREAMBLE = {"np": np, "numpy": np, "math": math,
                 **{name: getattr(bpkit.checks, name) for name in bpkit.checks.__all__}}


@dataclass
class TestResult:
    grade_id: str
    description: str
    points: float
    max_points: float
    passed: bool
    message: str = ""     # for the student: never holds expected values or hidden test code
    detail: str = ""      # for the instructor only


@dataclass
class NotebookResult:
    assignment: str
    notebook: str
    tests: list = field(default_factory=list)
    notes: list = field(default_factory=list)        # what happened, for student and instructor
    cell_errors: list = field(default_factory=list)  # errors in the student's cells
    seconds: float = 0.0

    @property
    def score(self):
        return sum(t.points for t in self.tests)

    @property
    def max_score(self):
        return sum(t.max_points for t in self.tests)

    def to_dict(self):
        data = asdict(self)
        data.update(score=self.score, max_score=self.max_score)
        return data


class RemoteFunction:
    """Stands for a name in the submission's namespace, inside the grader's test code."""

    def __init__(self, session, name):
        self._session, self.__name__ = session, name

    def __repr__(self):
        return f"<submission's {self.__name__}>"

    def __call__(self, *args, **kwargs):
        return self._session.call({"name": self.__name__}, args, kwargs)

    def __bpkit_invoke__(self, args, kwargs):
        reply = self._session.evaluate(
            {"op": "call", "target": {"name": self.__name__},
             "args": [wire.encode(a) for a in args],
             "kwargs": {k: wire.encode(v) for k, v in kwargs.items()}},
            f"calling {self.__name__}", return_args=True)
        return bpkit.checks.Invocation(value=reply.value, warnings=reply.warnings,
                                       error=reply.error, args_after=tuple(reply.args_after))


def plan_cells(spec, nb):
    """The steps to run: ("code", source, label) and ("test", grade_id), plus notes."""
    notes = []
    trusted = {c.grade_id: c for c in spec.cells}
    visible_tests = {t.visible_source.strip(): gid for gid, t in spec.tests.items()}
    answers, attached, seen = {}, {None: []}, set()
    anchor = None
    for position, cell in enumerate(nb.get("cells", [])):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell_source(cell)
        grade_id = nbgrader_meta(cell).get("grade_id")
        grade_id = grade_id if isinstance(grade_id, str) else None
        if grade_id not in trusted:
            grade_id = visible_tests.get(source.strip())
        if grade_id in trusted and grade_id not in seen:
            seen.add(grade_id)
            anchor = grade_id
            attached.setdefault(anchor, [])
            if trusted[grade_id].kind == "solution":
                answers[grade_id] = source
            continue
        attached[anchor].append((source, f"cell {position + 1}"))
    if not seen and any(attached.values()):
        notes.append("None of the course's cells were recognised (was the notebook re-created "
                     "or its cell metadata removed?): all its cells run in their own order and "
                     "the tests run at the end.")
        return [("code", s, label) for s, label in attached[None]] + \
               [("test", gid) for gid in spec.tests], notes
    steps = [("code", s, label) for s, label in attached[None]]
    for cell in spec.cells:
        if cell.kind == "locked":
            steps.append(("code", cell.source, f"read-only cell {cell.grade_id}"))
        elif cell.kind == "solution":
            if cell.grade_id in answers:
                steps.append(("code", answers[cell.grade_id], f"answer cell {cell.grade_id}"))
            else:
                notes.append(f"The answer cell '{cell.grade_id}' is missing from the notebook.")
        else:
            steps.append(("test", cell.grade_id))
        steps += [("code", s, label) for s, label in attached.get(cell.grade_id, [])]
    return steps, notes


def run_test(test, session, names):
    """Run one test in this process; the exercise names resolve to the sandbox."""
    namespace = dict(TEST_PREAMBLE)
    namespace.update({n: RemoteFunction(session, n) for n in names})
    namespace["__builtins__"] = __builtins__
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(test.source, f"<test {test.grade_id}>", "exec"), namespace)
    except bpkit.checks.CheckFailed as exc:
        return False, exc.message, exc.detail
    except sandbox.SandboxDied as exc:
        return False, str(exc), ""
    except (sandbox.RemoteError, TypeError, ValueError, AssertionError) as exc:
        # the submission's value broke an operation of the test (wrong type, raised, ...)
        return False, f"The test could not use what the code returned: {exc}"[:2000], \
            traceback.format_exc(limit=3)
    except Exception:
        return False, "The grader could not run this test (reported to the instructor).", \
            traceback.format_exc()
    return True, "", out.getvalue()[-4000:]


def grade_notebook(spec, nb, files=None, limits=None, isolation="auto"):
    """Grade one parsed submission notebook against its spec. Never raises for a bad submission.

    files: {name: bytes}, the data files that came with the notebook (see submission.read_folder).
    """
    limits = limits or sandbox.Limits()
    result = NotebookResult(spec.assignment, spec.name)
    started = time.monotonic()
    steps, result.notes = plan_cells(spec, nb)
    session = sandbox.Session(files, limits, isolation)
    replay, failed_reason = [], ""

    def ensure_running():
        if session.alive:
            return
        session.start()
        for source in replay:
            session.execute(source, "re-running the cells before this point")

    try:
        for step in steps:
            if time.monotonic() - started > limits.notebook_timeout:
                failed_reason = (f"The notebook's time cap of {limits.notebook_timeout:g} s was "
                                 "reached; the remaining steps were not run.")
            if step[0] == "code":
                _, source, label = step
                if failed_reason:
                    continue
                try:
                    ensure_running()
                    reply = session.execute(source, f"running {label}")
                except sandbox.SandboxDied as exc:
                    result.cell_errors.append({"cell": label, "error": str(exc)})
                    continue
                replay.append(source)
                if not reply.ok:
                    result.cell_errors.append({"cell": label, "error": reply.error})
                continue
            test = spec.tests[step[1]]
            if failed_reason:
                passed, message, detail = False, failed_reason, ""
            else:
                try:
                    ensure_running()
                    passed, message, detail = run_test(test, session, spec.exercise_names)
                except sandbox.SandboxDied as exc:
                    passed, message, detail = False, str(exc), ""
            result.tests.append(TestResult(
                grade_id=test.grade_id, description=test.description,
                points=test.points if passed else 0.0, max_points=test.points, passed=passed,
                message=message, detail=detail))
    finally:
        session.close()
    result.seconds = round(time.monotonic() - started, 3)
    return result
