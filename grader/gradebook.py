"""The trusted grades in nbgrader's own gradebook, where instructors work.

As a batch grades the class, `Recorder` writes each graded submission into the course's
`gradebook.db` through `nbgrader.api.Gradebook`: the student, the submission with its
`timestamp.txt`, and each grade cell's score as the course's grader computed it. nbgrader's own
`AssignLatePenalties` sets late penalties with the plugin the course configures, and each notebook
goes to `autograded/<student>/<assignment>/` as nbgrader lays it out (grader.autograded builds
it), so that the formgrader, `nbgrader export`, `generate_feedback` and `release_feedback` show
exactly the grades of grades.csv.
"""
import contextlib
import os
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import nbformat

from grader import build, feedback, report, submission
from grader.autograded import autograded_notebook, notebook_json

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


def write_feedback(course, items, source_dir, released=None, merged=None, gb=None, labels=None):
    """The feedback page (grader.feedback) of each (student, assignment, notebook) in `items`,
    from `merged` {item: autograded notebook just written} or autograded/, and the gradebook
    `gb` (else opened here); `released` (see _released) and `labels` {assignment: ...} cache."""
    from grader import spec as spec_mod
    released = {} if released is None else released
    labels = {} if labels is None else labels
    with (contextlib.nullcontext(gb) if gb is not None else opened(course)) as gb:
        for student, assignment, notebook in items:
            if assignment not in labels:
                labels[assignment] = feedback.labels(
                    spec_mod.load_assignment(Path(source_dir) / assignment))
            feedback.write(course, gb, student, assignment, notebook,
                           _released(released, source_dir, assignment, notebook),
                           labels[assignment].get(notebook, {}),
                           (merged or {}).get((student, assignment, notebook)))


def _released(released, source_dir, assignment, notebook):
    """The student version of a notebook (in notebooks/), read once into `released`."""
    path = Path(source_dir).parent / build.RELEASE.name / assignment / f"{notebook}.ipynb"
    if path not in released:
        released[path] = nbformat.read(path, as_version=4)
    return released[path]


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


def recordable(result):
    """Whether a result goes to the gradebook ("missing": no notebook was handed in; nbgrader
    too gives such a submission 0). A submission whose grading failed keeps its earlier grade."""
    return result.get("status") in ("graded", "missing") and bool(result.get("notebooks"))


class Recorder:
    """Writes each graded result into the gradebook, autograded/ and feedback/ as the batch hands
    it over. `start` the assignments first: a gradebook that cannot take them fails before any
    grading. `notes`: what the instructor is told (results not written, and why)."""

    def __init__(self, course, submissions, source_dir):
        self.course, self.submissions = Path(course), Path(submissions)
        self.source_dir, self.specs, self.notes = Path(source_dir), {}, []
        self.released, self.labels, self.gb, self._stack = {}, {}, None, contextlib.ExitStack()
        self.done, self.config = set(), course_config(self.course)  # done: (student, assignment)

    def start(self, assignments):
        """Register the assignments not yet known, and open the gradebook (GradebookError)."""
        from grader import spec as spec_mod
        new = sorted(set(assignments) - set(self.specs))
        for assignment in new:  # the labels of its feedback pages from the same specs
            self.specs[assignment] = spec_mod.load_assignment(self.source_dir / assignment)
            self.labels[assignment] = feedback.labels(self.specs[assignment])
        if new:
            register(self.course, new, self.specs, self.source_dir)
        if self.gb is None:
            self.gb = self._stack.enter_context(opened(self.course))

    def close(self):
        self._stack.close()

    def add(self, result):
        """Record one result: its grades, nbgrader's late penalty, its autograded notebooks and
        their feedback pages (those release_feedback sends; written again after manual grading
        by generate_feedback)."""
        student, assignment = result.get("student_id"), result.get("assignment")
        self.done.add((student, assignment))
        if not recordable(result):
            self.notes.append(f"{student}/{assignment}: {result.get('status')}, not written to "
                              "the gradebook (its earlier grade, if any, stays)")
            return
        self.start([assignment])
        try:
            if self._grades(result):  # late: nbgrader's plugin sets the penalty
                _assign_late_penalties(self.course, result, self.config)
            merged = _write_autograded(self.course, result, self.submissions, self.source_dir,
                                       self.released)
            write_feedback(self.course, list(merged), self.source_dir, self.released, merged,
                           gb=self.gb, labels=self.labels)
        except Exception as exc:  # noqa: BLE001 (a full disk, a locked database: the batch goes on)
            self.gb.db.rollback()
            self.notes.append(f"{student}/{assignment}: not written to the gradebook "
                              f"({type(exc).__name__}: {exc}); run the same command again "
                              "(graded submissions are kept) to write it")

    def add_rest(self, results):
        """Record those of `results` not added yet (kept from an earlier run of the batch)."""
        for result in results:
            if (result.get("student_id"), result.get("assignment")) not in self.done:
                self.add(result)

    def _grades(self, result):
        """Write the result's scores into the gradebook; whether the submission is late."""
        gb, student, assignment = self.gb, result["student_id"], result["assignment"]
        gb.update_or_create_student(student)
        timestamp = read_timestamp(self.submissions / student / assignment)
        found = gb.update_or_create_submission(
            assignment, student, **({"timestamp": timestamp} if timestamp else {}))
        scores = {(nb["notebook"], t["grade_id"]): t["points"]
                  for nb in result["notebooks"] for t in nb["tests"]}
        answered = {(nb["notebook"], m["grade_id"]): m["answered"]
                    for nb in result["notebooks"] for m in nb.get("manual", [])}
        for grade in feedback.loaded_grades(gb, submission=found.id):
            name = grade.notebook.name
            spec = self.specs[assignment].get(name)
            if spec is not None and grade.name in spec.tests:  # autograded cells only
                grade.auto_score = scores.get((name, grade.name), 0.0)
                grade.needs_manual_grade = False
            elif spec is not None and grade.name in spec.manual:
                # as nbgrader: an unchanged stub scores 0; an answer waits for a person,
                # and a grade a person gave is never reset
                if answered.get((name, grade.name)):
                    grade.auto_score = None
                    grade.needs_manual_grade = grade.manual_score is None
                else:
                    grade.auto_score, grade.needs_manual_grade = 0.0, False
        late = found.total_seconds_late > 0
        if not late:  # what AssignLatePenalties does for a submission on time
            for notebook in found.notebooks:
                notebook.late_submission_penalty = None
        gb.db.commit()
        return late


def record(course, results, submissions, source_dir):
    """Write graded results into the course's gradebook, autograded/ and feedback/; returns
    notes for the instructor (see Recorder)."""
    recorder = Recorder(course, submissions, source_dir)
    try:
        recorder.start(sorted({r["assignment"] for r in results if recordable(r)}))
        recorder.add_rest(results)
    finally:
        recorder.close()
    return recorder.notes


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
    for nb in result["notebooks"]:
        student_nb, _ = submission.read_notebook(
            Path(submissions) / student / assignment / f"{nb['notebook']}.ipynb")
        merged = autograded_notebook(_released(released, source_dir, assignment, nb["notebook"]),
                                     student_nb, nb)
        report.write_atomic(target / f"{nb['notebook']}.ipynb", notebook_json(merged))
        written[student, assignment, nb["notebook"]] = merged
    # as nbgrader's autograde does: release_feedback finds the submission by its secret
    for name in ("timestamp.txt", "submission_secret.txt"):
        data, _ = submission.read_regular_file(Path(submissions) / student / assignment / name,
                                               TIMESTAMP_BYTES)
        if data is not None:
            report.write_atomic(target / name, data.decode("utf-8", errors="replace"))
    return written
