"""What tests/test_catalogues.py does with each notebook's catalogue (tests/catalogue_nbNN.py):
grade the reference, the blank student copy, each wrong answer and each correct variant in one
parallel batch, then read points and messages back and measure the catch and false-rejection
rates.

A catalogue holds:
    WRONG      {name: (answers, grade ids that must fail, grade ids that must pass)}
    CORRECT    {name: answers}: correct, written differently from the reference: full marks
    TAUGHT     {name: (answers, grade id, phrase)}: a mistake only the learner's own process can
               see (a numpy warning, an input changed in place). The learner's notebook names it
               at that check; the grader, which sees only returned values, gives full marks.
    NAMED      {wrong name: phrase, or (grade id, phrase)}: what the grader's message says of it
    NAMED_IN_NOTEBOOK (optional) {wrong name: (grade id, phrase)}: caught by its values, its
               cause named by the notebook's own check only
Answers map an answer cell's grade id to its source (`fn` writes a function's). Points and grade
ids come from the notebook's spec, never typed here.
"""
import contextlib
import io
import re
from pathlib import Path

import matplotlib
import nbformat

from conftest import ROOT, SOLUTIONS, SubmissionFolder, replace_answers, solution_path
from grader import batch, sandbox
from grader.spec import load_notebook_spec, split_hidden


def fn(name, args, body):
    """The source of a function: def name(args): with body (lines) indented."""
    return f"def {name}({args}):\n" + "".join(f"    {line}\n" for line in body.splitlines())


def notebook_for(module_name):
    """(assignment, notebook name) of catalogue_nbNN: the solution whose folder starts NN_."""
    number = module_name.rsplit("nb", 1)[1]
    (path,) = sorted(SOLUTIONS.glob(f"{number}_*/*.ipynb"))
    return path.parent.name, path.stem


def max_points(assignment):
    """{grade id: points} of a notebook's tests, in order, from its spec."""
    spec = load_notebook_spec(solution_path(*assignment))
    return {grade_id: test.points for grade_id, test in spec.tests.items()}


def catalogue_header(module_name):
    """(assignment, grade ids of its tests, {grade id: every other grade id}) for a catalogue."""
    assignment = notebook_for(module_name)
    ids = list(max_points(assignment))
    return assignment, ids, {g: [t for t in ids if t != g] for g in ids}


def grade_catalogue(tmp_path_factory, assignment, wrong, correct, cell_timeout=10, extra=None,
                    taught=None):
    """Grade the catalogue of `assignment` (folder, notebook name); return ({student: result},
    results folder). extra(folder) may add more submissions."""
    folder = SubmissionFolder(tmp_path_factory.mktemp(assignment[0]) / "submitted")

    def add(student, answers=None, **kw):
        folder.add(student, answers, assignment=assignment[0], name=assignment[1], **kw)
    add("reference")
    add("blank", base="release")
    for name, (answers, _, _) in wrong.items():
        add(f"wrong-{name}", answers)
    for name, answers in correct.items():
        add(f"correct-{name}", answers)
    for name, (answers, _, _) in (taught or {}).items():
        add(f"taught-{name}", answers)
    if extra is not None:
        extra(folder)
    out = folder.root.parent / "results"
    results, _ = batch.autograde(folder.root, out, ROOT / "solutions", workers=2,
                                 limits=sandbox.Limits(cell_timeout=cell_timeout))
    return {r["student_id"]: r for r in results}, out


def points(result):
    return {t["grade_id"]: t["points"] for nb in result["notebooks"] for t in nb["tests"]}


def messages(result):
    return {t["grade_id"]: t["message"] for nb in result["notebooks"] for t in nb["tests"]}


def all_messages(graded, student):
    """Every message a submission's exercises got, in one string."""
    return " ".join(messages(graded[0][student]).values())


def assert_full_marks(graded, max_points, student, total=None):
    """The submission was graded and got every exercise's points (and `total` in all)."""
    result = graded[0][student]
    assert result["status"] == "graded"
    assert points(result) == max_points, messages(result)
    if total is not None:
        assert result["score"] == total  # the autograded points (hand-graded ones wait)


def hidden_test_lines(assignment, min_length):
    """The lines of the solution's hidden tests longer than min_length characters, but for
    those that the answer cells also hold (a learner's own code, quoted back in an error from
    their own cell, is no leak)."""
    path = ROOT / "solutions" / assignment[0] / f"{assignment[1]}.ipynb"
    cells = nbformat.read(path, as_version=4).cells
    answers = "\n".join(c.source for c in cells if c.metadata.get("nbgrader", {}).get("solution"))
    lines = []
    for cell in cells:
        for block in re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", cell.source,
                                re.S):
            lines += [line.strip() for line in block.splitlines()
                      if len(line.strip()) > min_length and line.strip() not in answers]
    return lines


def assert_feedback_hides(out, lines, expected_values=True):
    """No feedback page holds a hidden test's marker or any of `lines` (nor, with
    expected_values, the word "Expected" that introduces an expected value)."""
    pages = list(Path(out).glob("submissions/*/*/feedback.html"))
    assert pages and lines
    for path in pages:
        text = path.read_text()
        assert "BEGIN HIDDEN" not in text
        if expected_values:
            assert "Expected" not in text, path
        for line in lines:
            assert line not in text, (path, line)


def assert_loses_points_on_its_exercise(graded, wrong, max_points, name):
    _, must_fail, must_pass = wrong[name]
    result = graded[0][f"wrong-{name}"]
    got = points(result)
    for grade_id in must_fail:
        assert got[grade_id] == 0, f"{name}: {grade_id} should fail"
    for grade_id in must_pass:
        assert got[grade_id] == max_points[grade_id], \
            f"{name}: {grade_id} should pass: {messages(result)[grade_id]}"


def assert_rates(graded, wrong, correct, max_points, label, report_line, taught=None):
    """Report and check: every wrong answer caught (100%), no correct variant rejected (0%)."""
    caught = [name for name, (_, must_fail, _) in wrong.items()
              if all(points(graded[0][f"wrong-{name}"])[g] == 0 for g in must_fail)]
    rejected = [name for name in correct if points(graded[0][f"correct-{name}"]) != max_points]
    taught = f"; {len(taught)} more named in the notebook only" if taught else ""
    report_line(f"{label} catalogue: caught {len(caught)}/{len(wrong)} wrong answers "
                f"({len(caught) / len(wrong):.0%}){taught}; rejected {len(rejected)}/"
                f"{len(correct)} correct variants ({len(rejected) / len(correct):.0%})")
    assert len(wrong) >= 25 and len(correct) >= 10
    assert len(caught) == len(wrong), sorted(set(wrong) - set(caught))
    assert rejected == []


def visible_check_message(assignment, answers, grade_id):
    """What the learner's own notebook says at grade_id's check cell with these answers: the
    read-only and answer cells run in this process, as in Jupyter, then that cell's visible
    checks. Returns the failure's message, or "" when the checks pass."""
    matplotlib.use("Agg")
    nb = replace_answers(nbformat.read(solution_path(*assignment), as_version=4), answers)
    namespace = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type != "code" or not meta:
                continue
            if meta.get("grade_id") == grade_id:
                try:
                    exec(split_hidden(cell.source)[0], namespace)
                except AssertionError as failure:  # CheckFailed
                    return getattr(failure, "message", str(failure))
                return ""
            if meta.get("solution") or (meta.get("locked") and not meta.get("grade")):
                exec(cell.source, namespace)
    raise AssertionError(f"no grade cell {grade_id}")


def assert_taught_not_graded(graded, taught, max_points, assignment, name):
    """The mistake costs nothing in the grader and is named in the learner's notebook."""
    answers, grade_id, phrase = taught[name]
    assert_full_marks(graded, max_points, f"taught-{name}")
    message = visible_check_message(assignment, answers, grade_id)
    assert phrase in message, message
