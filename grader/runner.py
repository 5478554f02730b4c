"""Grading one notebook of one submission: a pure function of the submission and the spec.

The submission's answer cells and added cells run in the sandbox, in the trusted order of the
source notebook; read-only cells run from the trusted source. The grader runs each test in its own
process, against proxies for the exercise functions: the test's expected values and comparisons
never enter the sandbox, and only plain values come out of it.

Three phases keep the hidden tests' inputs out of everything the student sees:
1. every cell up to the last grade cell runs in the worker (what follows it cannot change a
   grade), and at each grade cell the worker is forked: the snapshot holds the notebook's state
   at that cell. All the student will see of their cells is recorded now,
   before any test has sent anything into the sandbox;
2. each grade cell's visible checks run against its snapshot (inputs the student can read);
3. then its hidden tests. What the student sees of a hidden test's failure is built from the
   test's own text only (see CheckFailed.public); values, errors and exit codes that the
   submission produced on hidden inputs go to the instructor's detail.
"""
import contextlib
import functools
import io
import math
import time
import traceback
from dataclasses import asdict, dataclass, field

import numpy as np

import bpkit.checks
from grader import sandbox, wire
from grader.channel import RemoteError, SandboxDied
from grader.spec import cell_source, heading, manual_answers
from grader.spec import grade_id as cell_grade_id

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
    manual: list = field(default_factory=list)  # answers graded by hand: {grade_id, ...}

    @property
    def score(self):
        return sum(t.points for t in self.tests)

    @property
    def max_score(self):
        return sum(t.max_points for t in self.tests) + sum(m["max_points"] for m in self.manual)

    def to_dict(self):
        data = asdict(self)
        data.update(score=self.score, max_score=self.max_score)
        return data


@dataclass(frozen=True)
class CodeStep:
    """A cell to run in the worker: the student's or a read-only one from the source."""
    source: str
    label: str    # where it is, for the student: "cell 12", "answer cell relu", ...


@dataclass(frozen=True)
class TestStep:
    """A grade cell: its tests run at this point of the notebook."""
    grade_id: str


class RemoteFunction:
    """Stands for a name in the submission's namespace, inside the grader's test code."""

    def __init__(self, channel, name):
        self._channel, self.__name__ = channel, name

    def __repr__(self):
        return f"<submission's {self.__name__}>"

    def __call__(self, *args, **kwargs):
        return self._channel.call({"name": self.__name__}, args, kwargs,
                                  f"calling {self.__name__}")

    def __bpkit_invoke__(self, args, kwargs):
        # only the value: warnings and what happened to the arguments are facts that only the
        # submission's process could report, and it is the student's (checks skip them: None)
        reply = self._channel.evaluate(
            {"op": "call", "target": {"name": self.__name__},
             "args": [wire.encode(a) for a in args],
             "kwargs": {k: wire.encode(v) for k, v in kwargs.items()}},
            f"calling {self.__name__}")
        return bpkit.checks.Invocation(value=reply.value, error=reply.error, warnings=None,
                                       args_after=None)

    def __bpkit_expression__(self, code, point, backward):  # run_expression, in one request
        return self._channel.request({"op": "expression", "target": {"name": self.__name__},
                                      "args": [code, point, backward]})


def plan_cells(spec, nb):
    """The steps to run, CodeStep and TestStep in the trusted order, plus notes."""
    notes = []
    trusted = {c.grade_id: c for c in spec.cells}
    visible_tests = {t.visible_source.strip(): gid for gid, t in spec.tests.items()}
    answers, attached, seen, where = {}, {None: []}, set(), {}
    anchor = section = None
    for cell in nb.get("cells", []):
        if isinstance(cell, dict) and cell.get("cell_type") == "markdown":
            section = heading(cell_source(cell)) or section
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell_source(cell)
        grade_id = cell_grade_id(cell)
        if grade_id not in trusted:
            grade_id = visible_tests.get(source.strip())
        if grade_id in trusted and grade_id not in seen:
            seen.add(grade_id)
            anchor = grade_id
            where[grade_id] = f" (section “{section}”)" if section else ""
            attached.setdefault(anchor, [])
            if trusted[grade_id].kind == "solution":
                answers[grade_id] = source
            continue
        # JupyterLab shows no cell numbers: name the section and the exercise it follows
        after = f", after the cell '{anchor}'" if anchor else ", before the first exercise"
        attached[anchor].append(
            (source, f"the cell{f' in section “{section}”' if section else ''}{after}"))
    if not seen and any(attached.values()):
        notes.append("None of the course's cells were recognised (was the notebook re-created "
                     "or its cell metadata removed?): all its cells run in their own order and "
                     "the tests run at the end.")
        return [CodeStep(s, label) for s, label in attached[None]] + \
               [TestStep(gid) for gid in spec.tests], notes
    steps = [CodeStep(s, label) for s, label in attached[None]]
    for cell in spec.cells:
        if cell.kind == "locked":
            steps.append(CodeStep(cell.source, f"the read-only cell '{cell.grade_id}'"
                                               f"{where.get(cell.grade_id, '')}"))
        elif cell.kind == "solution":
            if cell.grade_id in answers:
                steps.append(CodeStep(answers[cell.grade_id], f"your answer cell "
                                      f"'{cell.grade_id}'{where.get(cell.grade_id, '')}"))
            else:
                notes.append(f"The answer cell '{cell.grade_id}' is missing from the notebook.")
        else:
            steps.append(TestStep(cell.grade_id))
        steps += [CodeStep(s, label) for s, label in attached.get(cell.grade_id, [])]
    return without_tail(steps), notes


def without_tail(steps):
    """The steps up to the last grade cell: what runs after it cannot change a grade (each test
    runs on the snapshot taken at its own cell), so the demonstrations that end a notebook are
    not run when grading (2.6 s of the 8.0 s the course's other cells take). A plan without a
    test is kept whole."""
    last = max((i for i, step in enumerate(steps) if isinstance(step, TestStep)), default=None)
    return steps if last is None else steps[:last + 1]


HIDDEN_FAILURE = ("It fails on a hidden test (inputs you cannot see; what the code did with them "
                  "is not shown). The visible checks pass, so look for what they do not cover: "
                  "other shapes, N = 1, large or negative values.")


@functools.lru_cache(maxsize=256)
def compiled(source, label):
    """A test's code, compiled once per process (a batch grades the same tests many times)."""
    return compile(source, f"<test {label}>", "exec")


def run_part(source, namespace, label, hidden):
    """Run one part of a test in this process: (passed, message for the student, detail)."""
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(compiled(source, label), namespace)
    except bpkit.checks.CheckFailed as exc:
        if hidden:
            return False, exc.public or HIDDEN_FAILURE, f"{exc.message}\n{exc.detail}".strip()
        return False, exc.message, exc.detail
    except SandboxDied as exc:
        return False, HIDDEN_FAILURE if hidden else str(exc), str(exc)
    except (RemoteError, TypeError, ValueError, AssertionError) as exc:
        # the submission's value broke an operation of the test (wrong type, raised, ...)
        message = f"The test could not use what the code returned: {exc}"[:2000]
        return False, HIDDEN_FAILURE if hidden else message, \
            f"{message}\n{traceback.format_exc(limit=3)}"
    except Exception:
        return False, "The grader could not run this test (reported to the instructor).", \
            traceback.format_exc()
    return True, "", out.getvalue()[-4000:]


def run_cells(box, steps, result):
    """Phase 1: every cell in the worker, a snapshot at every test. Returns {grade_id: Channel
    or the reason there is none}."""
    snapshots, replay = {}, []  # replay: the steps done so far, to rebuild after a crash

    def ensure_running():
        if box.alive:
            return
        box.start()
        for done in replay:  # the state before this point, snapshots included
            if isinstance(done, CodeStep):
                box.execute(done.source, "re-running the cells before this point")
            else:
                snapshots[done.grade_id] = box.snapshot("re-running the cells before this point")

    for step in steps:
        try:
            ensure_running()
            if isinstance(step, CodeStep):
                reply = box.execute(step.source, f"running {step.label}")
                replay.append(step)
                if not reply.ok:
                    result.cell_errors.append({"cell": step.label, "error": reply.error})
            else:
                snapshots[step.grade_id] = box.snapshot(
                    f"copying the notebook's state at {step.grade_id}")
                replay.append(step)
        except SandboxDied as exc:
            if isinstance(step, CodeStep):
                result.cell_errors.append({"cell": step.label, "error": str(exc)})
            else:
                snapshots[step.grade_id] = str(exc)
    return snapshots


def run_tests(spec, steps, snapshots, names):
    """Phases 2 and 3: the visible checks of every test, then the hidden tests."""
    outcomes, namespaces = {}, {}
    order = [step.grade_id for step in steps if isinstance(step, TestStep)]
    for grade_id in order:
        test, channel = spec.tests[grade_id], snapshots.get(grade_id)
        if not isinstance(channel, sandbox.Channel):
            outcomes[grade_id] = (False, channel or "The test did not run.", "")
            continue
        namespace = dict(TEST_PREAMBLE, __builtins__=__builtins__)
        namespace.update({n: RemoteFunction(channel, n) for n in names})
        namespaces[grade_id] = namespace
        outcomes[grade_id] = run_part(test.checks, namespace, grade_id, hidden=False)
    for grade_id in order:
        test = spec.tests[grade_id]
        if grade_id in namespaces and outcomes[grade_id][0] and test.hidden.strip():
            passed, message, detail = run_part(test.hidden, namespaces[grade_id], grade_id,
                                               hidden=True)
            outcomes[grade_id] = (passed, message, (outcomes[grade_id][2] + detail)[-4000:])
        channel = snapshots.get(grade_id)
        if isinstance(channel, sandbox.Channel):
            channel.close()  # the snapshot reads the end of its channel and exits
    return outcomes


def grade_notebook(spec, nb, files=None, limits=None, isolation="auto"):
    """Grade one parsed submission notebook against its spec. Never raises for a bad submission.

    files: {name: bytes}, the data files that came with the notebook (see submission.read_folder).
    """
    limits = limits or sandbox.Limits()
    result = NotebookResult(spec.assignment, spec.name)
    started = time.monotonic()
    steps, result.notes = plan_cells(spec, nb)
    box = sandbox.Sandbox(files, limits, isolation)
    box.deadline = started + limits.notebook_timeout
    try:
        snapshots = run_cells(box, steps, result)
        outcomes = run_tests(spec, steps, snapshots, spec.exercise_names)
    finally:
        box.close()
    if time.monotonic() >= box.deadline:
        result.notes.append(f"The notebook's time cap of {limits.notebook_timeout:g} s was "
                            "reached; what had not run by then scored nothing.")
    for step in steps:
        if isinstance(step, TestStep):
            test = spec.tests[step.grade_id]
            passed, message, detail = outcomes[step.grade_id]
            result.tests.append(TestResult(
                grade_id=test.grade_id, description=test.description,
                points=test.points if passed else 0.0, max_points=test.points, passed=passed,
                message=message, detail=detail))
    result.manual = manual_answers(spec, nb)
    result.seconds = round(time.monotonic() - started, 3)
    return result
