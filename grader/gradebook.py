"""The trusted grades in nbgrader's own gradebook, where instructors work.

After a batch, `record` writes every graded submission into the course's `gradebook.db` through
`nbgrader.api.Gradebook`: the student, the submission with its `timestamp.txt`, and each grade
cell's score as the course's grader computed it. Late penalties are then assigned by nbgrader's
own `AssignLatePenalties` with the plugin the course configures, and each notebook is written to
`autograded/<student>/<assignment>/` as nbgrader lays it out, so that the formgrader, `nbgrader
export`, `generate_feedback` and `release_feedback` show exactly the grades of grades.csv.

The autograded notebook is the student's own cells (answers and cells they added) with nbgrader's
read-only and grade cells restored from the student version (never the hidden tests), and under
each grade cell the public message of its check: what the student sees in the feedback.
"""
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import nbformat
from nbformat.corpus.words import generate_corpus_id as random_cell_id

from grader import build, report, submission
from grader.spec import grade_id as cell_grade_id

ROOT = build.ROOT
TIMESTAMP_BYTES = 4096


class GradebookError(Exception):
    """Something the instructor must fix before grades can reach the gradebook."""


def db_url(course):
    return f"sqlite:///{Path(course).resolve() / 'gradebook.db'}"


def course_config(course):
    """The traitlets Config of the course's nbgrader_config.py (empty when it has none)."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader
    if not (Path(course) / "nbgrader_config.py").is_file():
        return Config()
    return PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()


def _registered(gb, assignment, specs):
    """Whether the gradebook knows the assignment with exactly these notebooks and grade cells."""
    from nbgrader.api import MissingEntry
    try:
        known = gb.find_assignment(assignment)
    except MissingEntry:
        return False
    cells = {(nb.name, cell.name, float(cell.max_score)) for nb in known.notebooks
             for cell in nb.grade_cells}
    wanted = {(name, grade_id, float(cell.points)) for name, spec in specs.items()
              for grade_id, cell in [*spec.tests.items(), *spec.manual.items()]}
    return cells == wanted


def _bin_first(path):
    """PATH with this environment's bin folder first: nbgrader runs `alembic` from PATH."""
    bin_dir = os.path.dirname(sys.executable)
    parts = path.split(os.pathsep) if path else []
    return path if bin_dir in parts else os.pathsep.join([bin_dir, *parts])


def _nbgrader(cwd, *args):
    """`python -m nbgrader args` in cwd; returns the finished process and its last error line."""
    env = dict(os.environ, PATH=_bin_first(os.environ.get("PATH", "")))
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)
    return done, (done.stderr.strip().splitlines() or ["(no message)"])[-1]


@contextlib.contextmanager
def opened(course):
    """nbgrader's Gradebook of the course. A new gradebook is set up by the `alembic` command
    of this environment; nbgrader's own session warnings (SAWarning) are not the instructor's."""
    from nbgrader.api import Gradebook
    from sqlalchemy.exc import SAWarning
    os.environ["PATH"] = _bin_first(os.environ.get("PATH", ""))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)
        with Gradebook(db_url(course)) as gb:
            yield gb


def register(course, assignments, specs_by_assignment, source_dir):
    """Make the gradebook know each assignment's notebooks and cells, as `nbgrader
    generate_assignment` records them (it is what runs, into a scratch release folder)."""
    with opened(course) as gb:
        todo = [a for a in assignments if not _registered(gb, a, specs_by_assignment[a])]
    for assignment in todo:
        with tempfile.TemporaryDirectory(prefix="bp-release-") as scratch:
            # from the course's folder: its nbgrader_config.py (the stubs) applies
            done, last = _nbgrader(
                Path(source_dir).parent, "generate_assignment", assignment, "--force",
                "--log-level=ERROR", f"--CourseDirectory.root={Path(source_dir).parent}",
                f"--CourseDirectory.source_directory={Path(source_dir).name}",
                f"--CourseDirectory.release_directory={scratch}",
                f"--CourseDirectory.db_url={db_url(course)}")
        if done.returncode != 0:
            raise GradebookError(
                f"nbgrader could not record {assignment} in {Path(course) / 'gradebook.db'}: "
                f"{last} If the assignment's grade cells changed after students submitted, "
                "grade into a new gradebook or remove those submissions first (nbgrader db).")


def generate_feedback(course, assignments=None, source_dir=None):
    """Write again the feedback page of every autograded notebook (of `assignments`) with the
    gradebook's scores now (hand grades, comments). {assignment: pages}, or GradebookError."""
    course = Path(course).resolve()
    graded = sorted({p.name for p in course.glob("autograded/*/*") if p.is_dir()})
    if not graded:
        raise GradebookError(f"nothing autograded in {course / 'autograded'}; run `python -m "
                             "grader autograde submitted --out results --gradebook` first.")
    unknown = sorted(set(assignments or ()) - set(graded))
    if unknown:
        raise GradebookError(f"no autograded submissions of {', '.join(unknown)} in "
                             f"{course / 'autograded'} (graded: {', '.join(graded)}).")
    todo = list(assignments or graded)
    items = [(p.parent.parent.name, a, p.stem) for a in todo
             for p in sorted(course.glob(f"autograded/*/{a}/*.ipynb"))]
    write_feedback(course, items, Path(source_dir or build.SOURCE))
    return {a: sum(1 for item in items if item[1] == a) for a in todo}


def write_feedback(course, items, source_dir, released=None, merged=None):
    """The feedback page of each (student, assignment, notebook) in `items`, from autograded/
    and the gradebook (grader.feedback); released: {path: student version}, read once;
    merged: {item: autograded notebook} just written (the others are read from autograded/)."""
    from grader import feedback, spec as spec_mod
    released, labels = {} if released is None else released, {}
    with opened(course) as gb:
        for student, assignment, notebook in items:
            if assignment not in labels:
                labels[assignment] = feedback.labels(
                    spec_mod.load_assignment(Path(source_dir) / assignment))
            path = Path(source_dir).parent / build.RELEASE.name / assignment / f"{notebook}.ipynb"
            if path not in released:
                released[path] = nbformat.read(path, as_version=4)
            feedback.write(course, gb, student, assignment, notebook, released[path],
                           labels[assignment].get(notebook, {}),
                           (merged or {}).get((student, assignment, notebook)))


def read_timestamp(folder):
    """The submission's timestamp.txt as nbgrader parses it, or None (absent or unreadable)."""
    from nbgrader.utils import parse_utc
    data, _ = submission.read_regular_file(Path(folder) / "timestamp.txt", TIMESTAMP_BYTES)
    if data is None:
        return None
    try:
        return parse_utc(data.decode("utf-8").strip())
    except (UnicodeDecodeError, ValueError, OverflowError, TypeError):
        return None


def record(course, results, submissions, source_dir):
    """Write graded results into the course's gradebook and autograded/; returns notes for the
    instructor (submissions whose grading failed are left as they were, and named)."""
    from grader import spec as spec_mod
    course, submissions = Path(course), Path(submissions)
    # "missing": no notebook was handed in; nbgrader too gives such a submission 0
    def recordable(r):
        return r.get("status") in ("graded", "missing") and bool(r.get("notebooks"))

    graded = [r for r in results if recordable(r)]
    notes = [f"{r['student_id']}/{r['assignment']}: {r.get('status')}, not written to the "
             "gradebook (its earlier grade, if any, stays)" for r in results if not recordable(r)]
    names = sorted({r["assignment"] for r in graded})
    specs = {a: spec_mod.load_assignment(Path(source_dir) / a) for a in names}
    register(course, names, specs, source_dir)
    late = []  # submissions after their due date: nbgrader's plugin sets their penalty
    with opened(course) as gb:
        for result in graded:
            student, assignment = result["student_id"], result["assignment"]
            folder = submissions / student / assignment
            gb.update_or_create_student(student)
            timestamp = read_timestamp(folder)
            found = gb.update_or_create_submission(
                assignment, student, **({"timestamp": timestamp} if timestamp else {}))
            scores = {(nb["notebook"], t["grade_id"]): t["points"]
                      for nb in result["notebooks"] for t in nb["tests"]}
            answered = {(nb["notebook"], m["grade_id"]): m["answered"]
                        for nb in result["notebooks"] for m in nb.get("manual", [])}
            for notebook in found.notebooks:
                spec = specs[assignment].get(notebook.name)
                for grade in notebook.grades:
                    if spec is not None and grade.name in spec.tests:  # autograded cells only
                        grade.auto_score = scores.get((notebook.name, grade.name), 0.0)
                        grade.needs_manual_grade = False
                    elif spec is not None and grade.name in spec.manual:
                        # as nbgrader: an unchanged stub scores 0; an answer waits for a
                        # person, and a grade a person gave is never reset
                        if answered.get((notebook.name, grade.name)):
                            grade.auto_score = None
                            grade.needs_manual_grade = grade.manual_score is None
                        else:
                            grade.auto_score, grade.needs_manual_grade = 0.0, False
            if found.total_seconds_late > 0:
                late.append(result)
            else:  # what AssignLatePenalties does for a submission on time
                for notebook in found.notebooks:
                    notebook.late_submission_penalty = None
            gb.db.commit()
    config, released, merged = course_config(course), {}, {}  # each student version read once
    for result in late:
        _assign_late_penalties(course, result, config)
    for result in graded:
        merged.update(_write_autograded(course, result, submissions, source_dir, released))
    # the pages release_feedback sends, as the class is graded (written again after manual
    # grading by generate_feedback)
    write_feedback(course, [(r["student_id"], r["assignment"], nb["notebook"]) for r in graded
                            for nb in r["notebooks"]], source_dir, released, merged)
    return notes


def _assign_late_penalties(course, result, config):
    """nbgrader's own AssignLatePenalties, with the plugin the course configures."""
    from nbgrader.preprocessors import AssignLatePenalties
    for nb in result["notebooks"]:
        resources = {"nbgrader": {"notebook": nb["notebook"], "assignment": result["assignment"],
                                  "student": result["student_id"], "db_url": db_url(course)}}
        AssignLatePenalties(config=config).preprocess(nbformat.v4.new_notebook(), resources)


def _write_autograded(course, result, submissions, source_dir, released):
    """Write the submission's autograded notebooks; {(student, assignment, notebook): it}."""
    student, assignment, written = result["student_id"], result["assignment"], {}
    target = Path(course) / "autograded" / student / assignment
    release = Path(source_dir).parent / build.RELEASE.name / assignment
    for nb in result["notebooks"]:
        student_nb, _ = submission.read_notebook(
            Path(submissions) / student / assignment / f"{nb['notebook']}.ipynb")
        path = release / f"{nb['notebook']}.ipynb"
        if path not in released:
            released[path] = nbformat.read(path, as_version=4)
        merged = autograded_notebook(released[path], student_nb, nb)
        report.write_atomic(target / f"{nb['notebook']}.ipynb", nbformat.writes(merged))
        written[student, assignment, nb["notebook"]] = merged
    # as nbgrader's autograde does: release_feedback finds the submission by its secret
    for name in ("timestamp.txt", "submission_secret.txt"):
        data, _ = submission.read_regular_file(Path(submissions) / student / assignment / name,
                                               TIMESTAMP_BYTES)
        if data is not None:
            report.write_atomic(target / name, data.decode("utf-8", errors="replace"))
    return written


def _source(cell):
    source = cell.get("source", "")
    return "".join(s for s in source if isinstance(s, str)) if isinstance(source, list) \
        else source if isinstance(source, str) else ""


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
            cells.append(_new_cell(cell["cell_type"], _source(cell)))
    for grade_id, cell in cells_by_id.items():  # a graded cell the student deleted
        if grade_id not in used:
            cells.append(_trusted_cell(cell, None, tests.get(grade_id)))
    merged = nbformat.v4.new_notebook(metadata=released.metadata)
    merged.cells = cells
    return merged


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
        cell.source = _source(student_cell)
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
