"""The notebook the formgrader and the feedback page show for one graded submission.

It is the student's own cells (answers and cells they added) in their order, with nbgrader's
read-only and grade cells restored from the student version (never the hidden tests), and under
each grade cell the public message of its check: what the student sees in the feedback.
"""
import copy
import json

import nbformat
from nbformat.corpus.words import generate_corpus_id as random_cell_id
from nbformat.v4.nbjson import BytesEncoder
from nbformat.v4.rwbase import split_lines, strip_transient

from grader.spec import cell_source
from grader.spec import grade_id as cell_grade_id


def autograded_notebook(released, student_nb, graded):
    """The notebook the formgrader and the feedback show: the student's cells in their order,
    read-only and grade cells from the student version `released`, answers from the student,
    and each grade cell's public message as its output. student_nb may be None (unreadable)."""
    cells_by_id = {cell_grade_id(c): c for c in released.cells if cell_grade_id(c)}
    tests = {t["grade_id"]: t for t in graded["tests"]}
    used, cells = set(), []
    for cell in (student_nb or {}).get("cells", []):
        if not isinstance(cell, dict):
            continue
        grade_id = cell_grade_id(cell)
        if grade_id in cells_by_id and grade_id not in used:
            used.add(grade_id)
            cells.append(_trusted_cell(cells_by_id[grade_id], cell, tests.get(grade_id)))
        elif cell.get("cell_type") in ("code", "markdown"):
            # a cell the student added (or a copy of a graded one): shown, never graded
            cells.append(_new_cell(cell["cell_type"], cell_source(cell)))
    for grade_id, cell in cells_by_id.items():  # a graded cell the student deleted
        if grade_id not in used:
            cells.append(_trusted_cell(cell, None, tests.get(grade_id)))
    merged = nbformat.v4.new_notebook(metadata=released.metadata)
    merged.cells = cells
    return merged


def notebook_json(nb):
    """The notebook as nbformat.writes gives it, without the indent: nbformat.writes always
    indents (it overrides an indent=None), and an indent makes json take its pure-Python encoder,
    2.5 times slower on a course notebook."""
    return json.dumps(strip_transient(split_lines(copy.deepcopy(nb))), cls=BytesEncoder,
                      sort_keys=True, ensure_ascii=False)


def _new_cell(kind, source):
    """A cell as nbformat.v4.new_*_cell makes it, without validating each (the notebook is
    validated once, when it is written)."""
    extra = {"execution_count": None, "outputs": []} if kind == "code" else {}
    return nbformat.from_dict({"cell_type": kind, "id": random_cell_id(), "metadata": {},
                               "source": source, **extra})


def _trusted_cell(released_cell, student_cell, test):
    cell = nbformat.from_dict(json.loads(json.dumps(released_cell)))
    if cell.metadata.nbgrader.get("solution") and student_cell is not None \
            and student_cell.get("cell_type") == cell.cell_type:
        cell.source = cell_source(student_cell)
    if cell.cell_type == "code":
        cell.outputs, cell.execution_count = [], None
        if test is not None:
            cell.outputs = [_message_output(test)]
    return cell


def _message_output(test):
    """The grade cell's output in the autograded notebook: its public message, never a test."""
    points = f"{test['points']:g} / {test['max_points']:g} points"
    if test["passed"]:
        return nbformat.from_dict({"output_type": "stream", "name": "stdout",
                                   "text": f"✓ passed ({points})\n"})
    message = test.get("message") or "failed"
    return nbformat.from_dict({"output_type": "error", "ename": "Not yet",
                               "evalue": f"{message} ({points})",
                               "traceback": [f"{message} ({points})"]})
