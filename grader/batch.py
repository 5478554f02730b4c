"""Autograding a whole class: find the submissions, grade them in parallel, write as they finish.

Worker processes only compute results; this process is the single writer. Each result is written
atomically as soon as it is known, so a batch killed half-way resumes where it stopped: a
submission whose result.json matches its fingerprint is not graded again.
"""
import concurrent.futures as cf
import os
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from grader import report, spec, submission


@dataclass
class Job:
    student_id: str
    assignment: str
    folder: Path


def layout_problem(submissions, only, known):
    """One line saying what is wrong with a submissions folder and what to give instead, or
    None: it must hold <student_id>/<assignment>/<notebook>.ipynb for a known assignment."""
    known = set(known)
    unknown = sorted(set(only or []) - known)
    if unknown:
        return (f"--assignment {', '.join(unknown)}: no such assignment in solutions/; the "
                f"course has {', '.join(sorted(known))}.")
    level1 = [p for p in submissions.iterdir() if p.is_dir()]
    level2 = [q for p in level1 for q in p.iterdir() if q.is_dir()]
    if any(q.name in known for q in level2):
        return None
    if not level1:
        return (f"{submissions} holds no student folders; expected "
                "<student_id>/<assignment>/<notebook>.ipynb inside it (nbgrader's submitted/).")
    if any(p.name in known for p in level1):
        return (f"{submissions} holds assignment folders directly: give the folder above it, "
                "laid out as <student_id>/<assignment>/<notebook>.ipynb.")
    level3 = [r for q in level2 for r in q.iterdir() if r.is_dir()]
    if any(r.name in known for r in level3):
        deeper = next(p for p in level1 if any(r.name in known for q in p.iterdir()
                                               if q.is_dir() for r in q.iterdir() if r.is_dir()))
        return (f"{submissions} is one level too high: the student folders are inside "
                f"{deeper}; give that folder.")
    return (f"no assignment of the course in {submissions}: expected "
            f"<student_id>/<assignment>/<notebook>.ipynb with an assignment among "
            f"{', '.join(sorted(known))}.")


def find_jobs(submissions, known_assignments, only=None):
    """Jobs for <submissions>/<student_id>/<assignment>/, plus notes on what was skipped."""
    jobs, skipped = [], []
    for student in sorted(p for p in Path(submissions).iterdir() if p.is_dir()):
        if student.is_symlink():
            skipped.append(f"{student.name}: a symbolic link, never followed")
            continue
        # a link in place of an assignment folder is graded: it scores zero, with the reason
        for folder in sorted(p for p in student.iterdir() if p.is_dir() or p.is_symlink()):
            if only and folder.name not in only:
                continue
            if folder.name not in known_assignments:
                skipped.append(f"{student.name}/{folder.name}: no such assignment in the course")
                continue
            jobs.append(Job(student.name, folder.name, folder))
    return jobs, skipped


def grade_job(job, specs, limits, isolation):
    """Grade one job; a failure of the grader itself becomes a recorded result, not a crash."""
    try:
        return submission.grade_submission(job.student_id, job.assignment, job.folder, specs,
                                           limits, isolation)
    except Exception:
        return {"student_id": job.student_id, "assignment": job.assignment, "score": 0.0,
                "max_score": sum(s.max_score for s in specs.values()), "status": "grader-error",
                "notes": ["The grader failed on this submission; it was not graded. "
                          "Rerun the batch after fixing the cause."],
                "error": traceback.format_exc(), "fingerprint": "", "notebooks": []}


def _progress(done, total, resumed, started, stream):
    if not total:
        return
    width = 30
    filled = int(width * done / total)
    elapsed = time.monotonic() - started
    rate = ""
    if done > resumed and elapsed > 0:
        per_second = (done - resumed) / elapsed
        rate = f", {per_second:.2f}/s, about {_duration((total - done) / per_second)} left"
    kept = f", {resumed} kept from an earlier run" if resumed else ""
    stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}{kept}{rate}  ")
    stream.flush()


def _duration(seconds):
    seconds = int(round(seconds))
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


def default_workers():
    """The cores this process may use, plus one: a grading process alternates between its own
    work (the tests, the records) and its sandbox's, so one more keeps every core busy (on 2
    cores, 3 graded the course's 400-notebook workflow 7 to 10% faster than 2). The wall-clock
    limits (60 s a cell) are far above a notebook's time; CPU budgets are CPU time."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return cores + 1


def autograde(submissions, out, source_dir, workers=None, limits=None, isolation="auto",
              only=None, force=False, executor=None, stream=sys.stderr, on_result=None):
    """Grade every submission; returns (results, skipped notes). on_result(result), if given,
    is called with each result as it is written (the gradebook fills while the class is
    graded)."""
    source_dir, out = Path(source_dir), Path(out)
    specs = {a: spec.load_assignment(source_dir / a) for a in
             sorted(p.name for p in source_dir.iterdir() if p.is_dir())}
    jobs, skipped = find_jobs(submissions, specs, only)
    done = {(r["student_id"], r["assignment"]): r for r in report.load_results(out)}
    todo = []
    for job in jobs:
        previous = done.get((job.student_id, job.assignment))
        if (force or previous is None or previous.get("status") not in ("graded", "missing")
                or previous.get("fingerprint") != submission.fingerprint(job.folder,
                                                                         specs[job.assignment])):
            todo.append(job)
    workers = workers or default_workers()
    started = time.monotonic()
    finished = resumed = len(jobs) - len(todo)
    _progress(finished, len(jobs), resumed, started, stream)
    own_pool = executor is None
    pool = executor or cf.ProcessPoolExecutor(max_workers=workers)
    wanted = {(j.student_id, j.assignment) for j in jobs}
    try:
        futures = {pool.submit(grade_job, job, specs[job.assignment], limits, isolation): job
                   for job in todo}
        for future in cf.as_completed(futures):
            result = future.result()
            report.write_result(out, result)
            if on_result is not None:
                on_result(result)
            finished += 1
            _progress(finished, len(jobs), resumed, started, stream)
    finally:
        if own_pool:
            pool.shutdown(cancel_futures=True)
        if jobs:
            stream.write("\n")
        # also when interrupted: grades.csv holds every submission graded so far
        results = [r for r in report.load_results(out)
                   if (r["student_id"], r["assignment"]) in wanted]
        report.write_grades_csv(out, results)
    return results, skipped
