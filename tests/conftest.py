"""Shared fixtures: the course's paths and a factory of submissions made from the reference."""
import json
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
NOTEBOOKS = ROOT / "notebooks"
sys.path.insert(0, str(ROOT))

NB01 = ("01_forward_pass", "01_forward_pass")


def solution_path(assignment, name):
    return SOLUTIONS / assignment / f"{name}.ipynb"


def release_path(assignment, name):
    return NOTEBOOKS / assignment / f"{name}.ipynb"


def replace_answers(nb, answers):
    """Replace the source of answer cells, by grade_id; unknown ids are an error in the test."""
    found = set()
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
            found.add(grade_id)
    missing = set(answers) - found
    assert not missing, f"no answer cells {missing} in the notebook"
    return nb


def nbgrader_course(root, course_id="backprop", **settings):
    """Write an nbgrader_config.py making root a course (solutions/ -> notebooks/, as this
    repository); settings: more lines, e.g. {"c.Exchange.root": path}. Returns root."""
    lines = ["c = get_config()", f"c.CourseDirectory.root = {str(root)!r}",
             f"c.CourseDirectory.course_id = {course_id!r}",
             'c.CourseDirectory.source_directory = "solutions"',
             'c.CourseDirectory.release_directory = "notebooks"',
             *(f"{key} = {value!r}" for key, value in settings.items())]
    (Path(root) / "nbgrader_config.py").write_text("\n".join(lines) + "\n")
    return root


def run_module(cwd, module, *args, env=None):
    """python -m module args in cwd, with this environment's bin first on PATH (nbgrader runs
    helper programs such as alembic from it); asserts success, returns the completed process."""
    import os
    import subprocess
    env = dict(env or os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    done = subprocess.run([sys.executable, "-m", module, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def course_notebook(path, cells):
    """Write a small source notebook of (source, grade_id, kind) cells, kind "locked",
    "solution" or "test" (1 point), with nbgrader's metadata; return its path."""
    def cell(source, grade_id, kind):
        made = nbformat.v4.new_code_cell(source)
        made.metadata["nbgrader"] = {"grade_id": grade_id, "solution": kind == "solution",
                                     "grade": kind == "test", "locked": kind != "solution",
                                     "points": 1 if kind == "test" else 0, "schema_version": 3}
        return made
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nbformat.v4.new_notebook(cells=[cell(*c) for c in cells]), path)
    return path


class SubmissionFolder:
    """A folder laid out as nbgrader's submitted/: <student>/<assignment>/<notebook>.ipynb."""

    def __init__(self, root):
        self.root = Path(root)

    def add(self, student, answers=None, assignment=NB01[0], name=NB01[1], base="solution",
            mutate=None, raw=None, setup=None):
        """Write one submission; setup(path of the notebook), if given, runs last (to add data
        files, links, fifos ...)."""
        folder = self.root / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.ipynb"
        if raw is not None:
            path.write_bytes(raw)
            if setup:
                setup(path)
            return path
        source = solution_path(assignment, name) if base == "solution" else \
            release_path(assignment, name)
        nb = nbformat.read(source, as_version=4)
        replace_answers(nb, answers or {})
        if mutate:
            nb = mutate(nb) or nb
        path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
        if setup:
            setup(path)
        return path


@pytest.fixture
def submissions(tmp_path):
    return SubmissionFolder(tmp_path / "submitted")


def find_widgets(widget, kind):
    """Every widget of type `kind` in an ipywidgets tree, depth first."""
    found = [widget] if isinstance(widget, kind) else []
    for child in getattr(widget, "children", ()):
        found += find_widgets(child, kind)
    return found


def find_picture(widget):
    """The one picture of an explorer (bpkit.frames.picture_widget): its `outputs` are the frame
    or the note last shown."""
    (picture,) = [w for w in find_widgets(widget, object) if type(w).__name__ == "Picture"]
    return picture


SUMMARY = []  # lines that tests report, printed at the end of the run (e.g. catch rates)


@pytest.fixture
def report_line():
    return SUMMARY.append


def pytest_terminal_summary(terminalreporter):
    if SUMMARY:
        terminalreporter.section("grader measurements")
        for line in SUMMARY:
            terminalreporter.write_line(line)
