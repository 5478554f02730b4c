"""python -m grader: build the student notebooks, self-check, autograde a class, feedback, export.

    python -m grader build [--check] [--record-outputs]
    python -m grader check NOTEBOOK
    python -m grader autograde SUBMISSIONS --out RESULTS [--workers N] [--assignment A ...]
                               [--gradebook [--course DIR]]
    python -m grader feedback RESULTS
    python -m grader generate-feedback [--course DIR] [--assignment A ...]
    python -m grader report RESULTS
    python -m grader export RESULTS [--to FILE] [--format long|canvas] [--roster F] [--course D]
"""
import argparse
import sys
from pathlib import Path

from grader import build as build_mod
from grader import report, sandbox
from grader.options import add_limits, limits_from, warn_isolation

ROOT = build_mod.ROOT


def fail(message):
    print(f"grader: {message}", file=sys.stderr)
    return 2


def cmd_build(args):
    if args.record_outputs:
        for path in sorted(build_mod.SOURCE.glob("*/*.ipynb")):
            if args.assignment and path.parent.name not in args.assignment:
                continue
            build_mod.record_outputs(path)
            print(f"recorded the checked outputs of {path.relative_to(ROOT)}")
    drift = build_mod.build(check=args.check, only=args.assignment)
    if args.check:
        if drift:
            print("notebooks/ is out of date with solutions/; run `python -m grader build`. "
                  "Differs: " + ", ".join(drift))
            return 1
        print("notebooks/ matches solutions/.")
        return 0
    print(f"built {len(args.assignment or build_mod.assignments())} assignment(s) into notebooks/"
          + (f"; changed: {', '.join(drift)}" if drift else "; nothing changed"))
    return 0


def cmd_check(args):
    from grader import spec, submission
    notebook = Path(args.notebook)
    if not notebook.is_file():
        return fail(f"{notebook} does not exist. Give the path of your .ipynb file.")
    source, hidden = spec.find_source(notebook, build_mod.SOURCE, build_mod.RELEASE)
    if source is None:
        return fail(f"{notebook.name} is not a notebook of this course (no {notebook.stem}.ipynb "
                    "in solutions/ or notebooks/).")
    if not warn_isolation(args):
        return 2
    nb_spec = spec.load_notebook_spec(source, source.parent.name)
    nb, reason = submission.read_notebook(notebook)
    if nb is None:
        return fail(reason)
    from grader import runner
    files, notes = submission.read_data_files(notebook.parent)
    try:
        result = runner.grade_notebook(nb_spec, nb, files, limits_from(args), args.isolation)
    except sandbox.SandboxUnavailable as exc:
        return fail(f"the grader could not start Python for your notebook: {exc}")
    result.notes = notes + result.notes
    print(f"{notebook.name}: {result.score:g} / {result.max_score:g} points"
          + ("" if hidden else " (visible checks only: hidden tests are not on this machine)"))
    for note in result.notes:
        print(f"  note: {note}")
    for t in result.tests:
        mark = "✓" if t.passed else "✗"
        print(f"  {mark} {t.points:g}/{t.max_points:g}  {t.description}")
        if not t.passed:
            print(f"      {t.message}")
    for m in result.manual:
        state = "written: your instructor grades it" if m["answered"] else "not written yet"
        print(f"  … ?/{m['max_points']:g}  {m['description']} ({state})")
    for err in result.cell_errors:
        print(f"  error in {err['cell']}: {err['error'].splitlines()[0]}")
    return 0


def cmd_autograde(args):
    from grader import batch, gradebook
    submissions = Path(args.submissions)
    if not submissions.is_dir():
        return fail(f"{submissions} is not a folder. Give the folder laid out as nbgrader's "
                    "submitted/: <student_id>/<assignment>/<notebook>.ipynb")
    problem = batch.layout_problem(submissions, args.assignment, build_mod.assignments())
    if problem:
        return fail(problem)
    if not warn_isolation(args):
        return 2
    executor = None
    if args.scheduler:
        from distributed import Client
        try:
            executor = Client(args.scheduler, timeout=30).get_executor()
        except OSError as exc:
            return fail(f"cannot reach the Dask scheduler at {args.scheduler} ({exc}).")
    recorder, course = None, Path(args.course or submissions.resolve().parent)
    if args.gradebook:  # the gradebook fills as the class is graded
        jobs, _ = batch.find_jobs(submissions.resolve(), set(build_mod.assignments()),
                                  args.assignment)
        recorder = gradebook.Recorder(course, submissions.resolve(), build_mod.SOURCE)
    try:
        if recorder:
            recorder.start(sorted({job.assignment for job in jobs}))
        results, skipped = batch.autograde(
            submissions.resolve(), Path(args.out), build_mod.SOURCE, workers=args.workers,
            limits=limits_from(args), isolation=args.isolation, only=args.assignment,
            force=args.force, executor=executor, on_result=recorder.add if recorder else None)
        if recorder:
            recorder.add_rest(results)  # those kept from an earlier run
    except gradebook.GradebookError as exc:
        return fail(str(exc))
    finally:
        if recorder:
            recorder.close()
    for note in skipped:
        print(f"skipped {note}", file=sys.stderr)
    errors = [r for r in results if r["status"] == "grader-error"]
    print(f"graded {len(results)} submission(s) into {args.out}/grades.csv"
          + (f"; {len(errors)} could not be graded (status grader-error)" if errors else ""))
    if results:
        from grader.class_report import write_class_report
        print(f"class report: {write_class_report(args.out, results)}")
    if recorder:
        for note in recorder.notes:
            print(f"gradebook: {note}", file=sys.stderr)
        print(f"wrote the trusted grades into {course / 'gradebook.db'} and the graded "
              f"notebooks into {course / 'autograded'}/ (the formgrader's view)")
    return 1 if errors else 0


def cmd_feedback(args):
    results = report.load_results(args.results)
    if not results:
        return fail(f"no results under {args.results}; run `python -m grader autograde` first.")
    for result in results:
        report.write_result(args.results, result)
    print(f"wrote {len(results)} feedback page(s) under {args.results}/submissions/")
    return 0


def cmd_generate_feedback(args):
    from grader import gradebook
    course = Path(args.course)
    if not (course / "gradebook.db").is_file():
        return fail(f"--course {course}: no gradebook.db there. Give the nbgrader course folder "
                    "(run from it, or pass --course).")
    try:
        pages = gradebook.generate_feedback(course, args.assignment)
    except gradebook.GradebookError as exc:
        return fail(str(exc))
    print(f"wrote {sum(pages.values())} feedback page(s) under {course / 'feedback'}/ ("
          + ", ".join(f"{a}: {n}" for a, n in pages.items())
          + "); `nbgrader release_feedback ASSIGNMENT` sends them to the students")
    return 0


def cmd_report(args):
    from grader.class_report import write_class_report
    results = report.load_results(args.results)
    if not results:
        return fail(f"no results under {args.results}; run `python -m grader autograde` first.")
    print(f"wrote {write_class_report(args.results, results)}")
    return 0


def cmd_export(args):
    results = report.load_results(args.results)
    if not results:
        return fail(f"no results under {args.results}; run `python -m grader autograde` first.")
    roster = []
    if args.roster:
        if not Path(args.roster).is_file():
            return fail(f"--roster {args.roster}: no such file. Give a CSV with a student_id "
                        "column, or a text file with one student id per line.")
        roster += report.read_roster(args.roster)
    if args.course:
        from grader import gradebook
        if not (Path(args.course) / "gradebook.db").is_file():
            return fail(f"--course {args.course}: no gradebook.db there. Give the nbgrader "
                        "course folder (where `nbgrader db student import` keeps the roster).")
        with gradebook.opened(Path(args.course)) as gb:
            roster += [student.id for student in gb.students]
    max_scores = {r["assignment"]: r["max_score"] for r in results
                  if r["status"] in ("graded", "missing")}
    results = report.with_roster(results, roster, max_scores)
    if args.format == "canvas":
        target = report.write_canvas_csv(results, Path(args.to or Path(args.results) /
                                                       "canvas.csv"))
    else:
        target = report.write_export_csv(results, Path(args.to or Path(args.results) /
                                                       "export.csv"))
    unsubmitted = sum(r["status"] == "not submitted" for r in results)
    print(f"wrote {target}" + (f" ({unsubmitted} not submitted, 0 points)" if unsubmitted
                               else ""))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="regenerate notebooks/ from solutions/ with nbgrader")
    p.add_argument("--check", action="store_true", help="only report whether notebooks/ is stale")
    p.add_argument("--record-outputs", action="store_true",
                   help="first run each solution and store the outputs nbval compares")
    p.add_argument("--assignment", action="append",
                   help="only this assignment (repeatable); default: all of solutions/")
    p.set_defaults(run=cmd_build)
    p = sub.add_parser("check", help="grade your own notebook and show what to fix")
    p.add_argument("notebook")
    add_limits(p)
    p.set_defaults(run=cmd_check)
    p = sub.add_parser("autograde", help="grade a folder of submissions in parallel")
    p.add_argument("submissions", help="folder laid out as <student_id>/<assignment>/*.ipynb")
    p.add_argument("--out", required=True, help="folder for grades.csv, results and feedback")
    p.add_argument("--workers", type=int, default=None, help="parallel gradings (default: cores + 1)")
    p.add_argument("--assignment", action="append", help="grade only this assignment")
    p.add_argument("--force", action="store_true", help="regrade even unchanged submissions")
    p.add_argument("--scheduler", help="grade on a Dask distributed cluster at this address "
                                       "(e.g. tcp://10.0.0.5:8786); the workers need this "
                                       "course installed and the submissions folder mounted")
    p.add_argument("--gradebook", action="store_true",
                   help="also write the grades into nbgrader's gradebook.db and autograded/ of "
                        "the course, for the formgrader, nbgrader export and feedback")
    p.add_argument("--course", help="the nbgrader course folder for --gradebook (default: the "
                                    "folder holding SUBMISSIONS, as nbgrader lays it out)")
    add_limits(p)
    p.set_defaults(run=cmd_autograde)
    p = sub.add_parser("feedback", help="rewrite the feedback pages from the results")
    p.add_argument("results")
    p.set_defaults(run=cmd_feedback)
    p = sub.add_parser("generate-feedback",
                       help="write the feedback pages again from the gradebook (after "
                            "manual grading: its grades and comments), for release_feedback")
    p.add_argument("--course", default=".", help="the nbgrader course folder (default: here)")
    p.add_argument("--assignment", action="append", help="only this assignment")
    p.set_defaults(run=cmd_generate_feedback)
    p = sub.add_parser("report", help="the class report: score distribution, pass rates and "
                                      "the mistakes the class made (RESULTS/report/)")
    p.add_argument("results")
    p.set_defaults(run=cmd_report)
    p = sub.add_parser("export", help="one CSV row per submission with points per exercise")
    p.add_argument("results")
    p.add_argument("--to", help="CSV file to write (default RESULTS/export.csv, or "
                                "RESULTS/canvas.csv)")
    p.add_argument("--format", choices=["long", "canvas"], default="long",
                   help="long (default): a row per student and assignment, a column per "
                        "exercise; canvas: Canvas's gradebook import, a row per student")
    p.add_argument("--roster", help="students of the class (CSV with a student_id column, or "
                                    "one id per line): who did not submit gets 0, "
                                    "'not submitted'")
    p.add_argument("--course", help="an nbgrader course folder: its gradebook's students are "
                                    "the roster")
    p.set_defaults(run=cmd_export)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return fail("interrupted; results written so far are kept, rerun to resume.")


if __name__ == "__main__":
    sys.exit(main())
