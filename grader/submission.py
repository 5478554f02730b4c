"""Grading one student's submission of one assignment (every notebook in it).

`grade_submission` is a pure function of its inputs (the spec and the submission's files): it can
run in a pool of processes or on a distributed engine, and grading twice gives the same result.
"""
import hashlib
import json
import shutil
import tempfile
from pathlib import Path

import nbformat

from grader import runner

MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024


def _code_version():
    """A hash of the code that decides grades: upgrading it regrades on the next run."""
    import bpkit.checks
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")) + [Path(bpkit.checks.__file__)]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


GRADER_VERSION = _code_version()


def read_notebook(path):
    """(notebook dict, "") or (None, reason) for a file that cannot be graded."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, f"{path.name} could not be read ({exc.strerror})."
    if not raw.strip():
        return None, f"{path.name} is empty."
    if len(raw) > MAX_NOTEBOOK_BYTES:
        return None, f"{path.name} is larger than {MAX_NOTEBOOK_BYTES // 2**20} MiB."
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return None, f"{path.name} is not UTF-8 text (bad byte at position {exc.start})."
    except ValueError as exc:
        return None, f"{path.name} is not valid notebook JSON ({exc})."
    if not isinstance(data, dict) or not isinstance(data.get("cells", []), list):
        return None, f"{path.name} is JSON but not a notebook (no list of cells)."
    major = data.get("nbformat")
    if major == 3:
        try:
            data = nbformat.convert(nbformat.from_dict(data), 4)
        except Exception:
            return None, f"{path.name} is an nbformat 3 notebook that could not be converted."
    elif major != 4:
        return None, f"{path.name} has nbformat version {major!r}; expected 4."
    if not isinstance(data.get("cells"), list):
        return None, f"{path.name} has no list of cells."
    return data, ""


def fingerprint(submission_dir, specs):
    """Changes when the submission's notebooks or the tests change: the key for resuming."""
    digest = hashlib.sha256(GRADER_VERSION.encode())
    for name in sorted(specs):
        digest.update(repr([(t.grade_id, t.points, t.source)
                            for t in specs[name].tests.values()]).encode())
        path = Path(submission_dir) / f"{name}.ipynb"
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()


def _missing_result(spec, reason):
    result = runner.NotebookResult(spec.assignment, spec.name, notes=[reason])
    for test in spec.tests.values():
        result.tests.append(runner.TestResult(test.grade_id, test.description, 0.0, test.points,
                                              False, message=reason))
    return result


def grade_submission(student_id, assignment, submission_dir, specs, limits=None,
                     isolation="auto"):
    """Grade every notebook of `specs` found in submission_dir; returns a JSON-ready dict."""
    submission_dir = Path(submission_dir)
    notebooks, notes = [], []
    present = {p.stem for p in submission_dir.glob("*.ipynb")} if submission_dir.is_dir() else set()
    extra = sorted(present - set(specs))
    if extra:
        notes.append("Not part of the assignment, not graded: "
                     + ", ".join(f"{n}.ipynb" for n in extra))
    for name, spec in sorted(specs.items()):
        path = submission_dir / f"{name}.ipynb"
        if not path.is_file():
            notebooks.append(_missing_result(spec, f"{name}.ipynb is missing from the submission."))
            continue
        nb, reason = read_notebook(path)
        if nb is None:
            notebooks.append(_missing_result(spec, reason + " Nothing in it could be graded."))
            continue
        scratch = Path(tempfile.mkdtemp(prefix="bpgrade-"))
        try:
            for item in submission_dir.iterdir():  # the student's data files, never the notebook
                if item.is_file() and item.suffix != ".ipynb" and item.stat().st_size < 2**26:
                    shutil.copy(item, scratch / item.name)
            notebooks.append(runner.grade_notebook(spec, nb, scratch, limits, isolation))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    score = sum(n.score for n in notebooks)
    max_score = sum(n.max_score for n in notebooks)
    return {"student_id": student_id, "assignment": assignment, "score": score,
            "max_score": max_score, "status": "graded", "notes": notes,
            "fingerprint": fingerprint(submission_dir, specs),
            "notebooks": [n.to_dict() for n in notebooks]}
