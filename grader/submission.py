"""Grading one student's submission of one assignment (every notebook in it).

`grade_submission` is a pure function of its inputs (the spec and the submission's files): it can
run in a pool of processes or on a distributed engine, and grading twice gives the same result.
"""
import hashlib
import json
import os
import stat
from pathlib import Path

import nbformat

from grader import runner
from grader import spec as spec_mod

MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024
MAX_DATA_BYTES = 64 * 1024 * 1024        # one data file that comes with a notebook
MAX_DATA_TOTAL = 128 * 1024 * 1024       # all of them


def code_version(roots=None):
    """A hash of all the code that decides grades: every file of grader/ and of bpkit/, which the
    trusted tests import (bpkit.checks, bpkit.datasets, ...) and the sandbox runs. Changing any
    of them regrades every submission on the next run."""
    if roots is None:
        import bpkit
        roots = [Path(__file__).parent, Path(bpkit.__file__).parent]
    digest = hashlib.sha256()
    for root in map(Path, roots):
        for path in sorted(root.rglob("*.py")):
            digest.update(f"{path.relative_to(root)}\0".encode() + path.read_bytes())
    return digest.hexdigest()


GRADER_VERSION = code_version()


def read_regular_file(path, limit):
    """(bytes, "") for a regular file of at most `limit` bytes, or (None, reason).

    Never follows a symbolic link and never opens anything but a regular file: a submission (an
    archive keeps links, fifos and devices) must not bring the grader's files into the sandbox.
    """
    path = Path(path)
    try:
        info = os.lstat(path)
    except OSError as exc:
        return None, f"{path.name} could not be read ({exc.strerror})."
    if stat.S_ISLNK(info.st_mode):
        return None, (f"{path.name} is a symbolic link: the grader never follows links and "
                      "takes only regular files.")
    if not stat.S_ISREG(info.st_mode):
        return None, f"{path.name} is not a regular file (a folder, fifo or device?)."
    if info.st_size > limit:
        return None, f"{path.name} is larger than {limit // 2**20} MiB."
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        return None, f"{path.name} could not be read ({exc.strerror})."
    with os.fdopen(fd, "rb") as handle:
        opened = os.fstat(handle.fileno())
        if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
            return None, f"{path.name} changed while it was being read."
        data = handle.read(limit + 1)
    if len(data) > limit:
        return None, f"{path.name} is larger than {limit // 2**20} MiB."
    return data, ""


def read_data_files(folder):
    """({name: bytes}, notes): the regular files that came with the notebooks, which the worker
    starts with. Links, folders and special files are left out, each with a note saying why."""
    files, notes, total = {}, [], 0
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name.endswith(".ipynb"):
                continue
            if entry.is_dir(follow_symlinks=False):
                continue  # folders were never copied; only a link is worth a note
            data, reason = read_regular_file(entry.path, MAX_DATA_BYTES)
            if data is None:
                notes.append(f"Not copied into the sandbox: {reason}")
            elif total + len(data) > MAX_DATA_TOTAL:
                notes.append(f"Not copied into the sandbox: {entry.name} (the data files "
                             f"together may hold at most {MAX_DATA_TOTAL // 2**20} MiB).")
            else:
                files[entry.name] = data
                total += len(data)
    return files, notes


def read_notebook(path):
    """(notebook dict, "") or (None, reason) for a file that cannot be graded."""
    path = Path(path)
    raw, reason = read_regular_file(path, MAX_NOTEBOOK_BYTES)
    if raw is None:
        return None, reason
    if not raw.strip():
        return None, f"{path.name} is empty."
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
    """Changes when the submission's notebooks, the grader's code or the assignment's spec (its
    tests, points and read-only cells, from solutions/) change: the key for resuming."""
    digest = hashlib.sha256(GRADER_VERSION.encode())
    for name in sorted(specs):
        digest.update(repr([(t.grade_id, t.points, t.source)
                            for t in specs[name].tests.values()]).encode())
        digest.update(repr([(c.grade_id, c.kind, c.source) for c in specs[name].cells]).encode())
        data, reason = read_regular_file(Path(submission_dir) / f"{name}.ipynb",
                                         MAX_NOTEBOOK_BYTES)
        digest.update(data if data is not None else f"<{reason}>".encode())
    return digest.hexdigest()


def _missing_result(spec, reason):
    result = runner.NotebookResult(spec.assignment, spec.name, notes=[reason])
    for test in spec.tests.values():
        result.tests.append(runner.TestResult(test.grade_id, test.description, 0.0, test.points,
                                              False, message=reason))
    result.manual = spec_mod.manual_answers(spec, None)
    return result


def grade_submission(student_id, assignment, submission_dir, specs, limits=None,
                     isolation="auto"):
    """Grade every notebook of `specs` found in submission_dir; returns a JSON-ready dict."""
    submission_dir = Path(submission_dir)
    notebooks, notes = [], []
    is_folder = submission_dir.is_dir() and not submission_dir.is_symlink()
    present = {p.stem for p in submission_dir.glob("*.ipynb")} if is_folder else set()
    extra = sorted(present - set(specs))
    if extra:
        notes.append("Not part of the assignment, not graded: "
                     + ", ".join(f"{n}.ipynb" for n in extra))
    files, file_notes = read_data_files(submission_dir) if is_folder else ({}, [])
    notes += file_notes
    if submission_dir.is_symlink():
        notes.append(f"{submission_dir.name} is a symbolic link: the grader never follows links.")
    for name, spec in sorted(specs.items()):
        path = submission_dir / f"{name}.ipynb"
        if not is_folder or not os.path.lexists(path):
            notebooks.append(_missing_result(spec, f"{name}.ipynb is missing from the submission."))
            continue
        nb, reason = read_notebook(path)
        if nb is None:
            notebooks.append(_missing_result(spec, reason + " Nothing in it could be graded."))
            continue
        notebooks.append(runner.grade_notebook(spec, nb, files, limits, isolation))
    score = sum(n.score for n in notebooks)
    max_score = sum(n.max_score for n in notebooks)
    # no notebook of the assignment at all: nothing was graded, say so rather than "graded"
    handed_in = any(os.path.lexists(submission_dir / f"{n}.ipynb") for n in specs)
    status = "missing" if is_folder and not handed_in else "graded"
    return {"student_id": student_id, "assignment": assignment, "score": score,
            "max_score": max_score, "status": status, "notes": notes,
            "fingerprint": fingerprint(submission_dir, specs),
            "notebooks": [n.to_dict() for n in notebooks]}
