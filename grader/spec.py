"""The trusted definition of an assignment, read from its source notebooks.

The grader takes the tests, their points and every read-only cell from here, never from a
submission: a submission contributes only the code of its answer cells and any cells it added.
"""
import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

HIDDEN_MARKERS = re.compile(r"^\s*### (BEGIN|END) HIDDEN TESTS\s*$", re.MULTILINE)


@dataclass
class Test:
    grade_id: str
    points: float
    source: str            # visible and hidden tests, markers removed: run by the grader only
    visible_source: str    # what the student's copy shows
    description: str
    checks: str = ""       # the part before the hidden tests: inputs the student can see
    hidden: str = ""       # from the first hidden-test marker on, markers removed


def split_hidden(source):
    """(the visible checks, the hidden tests) of a grade cell's source."""
    match = re.search(r"^\s*### BEGIN HIDDEN TESTS", source, re.MULTILINE)
    if not match:
        return source, ""
    return source[:match.start()], HIDDEN_MARKERS.sub("", source[match.start():])


@dataclass
class Cell:
    grade_id: str
    kind: str              # "solution", "test" or "locked"
    source: str


@dataclass
class Manual:
    """An answer an instructor grades by hand (nbgrader: a grade cell that is also a solution
    cell, or a task): its points count in the maximum, the grader gives none of them."""
    grade_id: str
    points: float
    description: str


@dataclass
class NotebookSpec:
    assignment: str
    name: str
    cells: list                              # the graded and read-only code cells, in order
    tests: dict = field(default_factory=dict)
    exercise_names: list = field(default_factory=list)
    manual: dict = field(default_factory=dict)

    @property
    def auto_score(self):
        """The points the grader gives: the tests'."""
        return sum(t.points for t in self.tests.values())

    @property
    def max_score(self):
        return self.auto_score + sum(m.points for m in self.manual.values())


def nbgrader_meta(cell):
    """The cell's nbgrader metadata, or {} (whatever a submission put in its metadata)."""
    meta = cell.get("metadata") if isinstance(cell, dict) else None
    meta = meta.get("nbgrader") if isinstance(meta, dict) else None
    return meta if isinstance(meta, dict) else {}


def grade_id(cell):
    """The cell's nbgrader grade_id, or None (whatever a submission put in its metadata)."""
    found = nbgrader_meta(cell).get("grade_id")
    return found if isinstance(found, str) else None


def cell_source(cell):
    """The cell's text: its source, a string or a list of strings. Whatever else a submission
    put there (numbers, null, a dict) counts as no text."""
    source = cell.get("source", "") if isinstance(cell, dict) else ""
    if isinstance(source, list):
        return "".join(line for line in source if isinstance(line, str))
    return source if isinstance(source, str) else ""


def student_version(source):
    """A grade cell as nbgrader's generate_assignment shows it to students: the lines from each
    BEGIN to END HIDDEN TESTS dropped, as nbgrader drops them (grade cells hold no solution;
    tests/test_build.py compares with nbgrader's own copy)."""
    kept, hidden = [], False
    for line in source.split("\n"):
        if "BEGIN HIDDEN TESTS" in line:
            hidden = True
        elif "END HIDDEN TESTS" in line:
            hidden = False
        elif not hidden:
            kept.append(line)
    return "\n".join(kept)


def defined_names(source):
    """Top-level names a cell binds (functions, classes, assignments)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names


def docstring(source):
    try:
        text = ast.get_docstring(ast.parse(source))
    except SyntaxError:
        text = None
    return (text or "").strip().splitlines()[0] if text else ""


def load_notebook_spec(path, assignment=None):
    """Read a source notebook (nbgrader markers) into a NotebookSpec."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    spec = NotebookSpec(assignment=assignment or path.parent.name, name=path.stem, cells=[])
    question = ""
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        grade_id = meta.get("grade_id")
        if cell.cell_type == "markdown" and not meta.get("solution"):
            question = cell_source(cell)
        if grade_id and (meta.get("task") or (meta.get("grade") and meta.get("solution"))):
            spec.manual[grade_id] = Manual(grade_id, float(meta.get("points", 0)),
                                           _question(question) or grade_id)
        if cell.cell_type != "code" or not grade_id:
            continue
        source = cell_source(cell)
        if meta.get("grade") and not meta.get("solution"):
            kind = "test"
            checks, hidden = split_hidden(source)
            spec.tests[grade_id] = Test(
                grade_id=grade_id, points=float(meta.get("points", 0)),
                source=HIDDEN_MARKERS.sub("", source), visible_source=student_version(source),
                description=docstring(source) or grade_id, checks=checks, hidden=hidden)
        elif meta.get("solution"):
            kind = "solution"
            spec.exercise_names += [n for n in defined_names(source)
                                    if n not in spec.exercise_names]
        elif meta.get("locked"):
            kind = "locked"
        else:
            continue
        spec.cells.append(Cell(grade_id=grade_id, kind=kind, source=source))
    return spec


def _question(markdown):
    """The question of a written answer: the bold line of the cell above it (**...**), else
    its last line that is not empty."""
    lines = [line.strip().lstrip("#").strip() for line in markdown.splitlines() if line.strip()]
    bold = [line.strip("*").strip() for line in lines if line.startswith("**")]
    text = bold[0] if bold else (lines[-1] if lines else "")
    return text[:200] + ("…" if len(text) > 200 else "")


def heading(markdown):
    """The text of a markdown cell's first heading line ("3. Tanh and ReLU"), or None."""
    for line in markdown.splitlines():
        if line.startswith("#"):
            text = line.lstrip("#").strip()
            return text[:80] + ("…" if len(text) > 80 else "") if text else None
    return None


STUBS = ("YOUR ANSWER HERE", "raise NotImplementedError()")


def manual_answers(spec, nb):
    """[{grade_id, description, max_points, answered}] for the answers graded by hand: answered
    when the student's cell holds more than the stub (as nbgrader decides, by its text)."""
    given = {}
    for cell in (nb or {}).get("cells", []):
        if isinstance(cell, dict):
            grade_id = nbgrader_meta(cell).get("grade_id")
            if isinstance(grade_id, str) and grade_id in spec.manual:
                given.setdefault(grade_id, cell_source(cell).strip())
    return [{"grade_id": m.grade_id, "description": m.description, "max_points": m.points,
             "answered": bool(given.get(m.grade_id)) and not any(
                 stub in given[m.grade_id] for stub in STUBS)}
            for m in spec.manual.values()]


def load_assignment(source_dir):
    """{notebook name: NotebookSpec} for every notebook of one assignment folder."""
    source_dir = Path(source_dir)
    return {p.stem: load_notebook_spec(p, source_dir.name)
            for p in sorted(source_dir.glob("*.ipynb"))}


def find_source(notebook, source, release):
    """(the trusted notebook for a student's copy, whether it holds the hidden tests): the one
    of the same assignment and name in `source` (solutions/), else in `release` (notebooks/),
    else one of the same name in any assignment; (None, False) if there is none."""
    name, assignment = Path(notebook).stem, Path(notebook).parent.name
    for base in (source, release):
        candidate = Path(base) / assignment / f"{name}.ipynb"
        if candidate.is_file():
            return candidate, base == source
    for base in (source, release):
        matches = sorted(Path(base).glob(f"*/{name}.ipynb"))
        if matches:
            return matches[0], base == source
    return None, False
