"""Benchmark: our grader against stock `nbgrader autograde`, on the same submissions, in one run.

    .venv/bin/python bench/grader_bench.py [--n 40] [--scale 200] [--class-size 200]
    .venv/bin/python bench/grader_bench.py --workflow 40 [--full-class 200]

Reports, as ratios against stock serial nbgrader measured in the same run: throughput with
isolation on (2 workers and 1), and the grader's overhead per notebook beyond the notebook's own
execution time (a plain kernel running it top to bottom). --scale N also times N submissions
of notebook 01; --class-size N grades N students x every notebook.
Fairness: honest submissions graded beside resource hogs (CPU burners that fork, fill their
memory and disk) against the same submissions graded alone, as a ratio of their grading times.
Results go to bench/results/grader.json.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import nbclient  # noqa: E402
import nbformat  # noqa: E402

from catalogue_nb01 import WRONG  # noqa: E402
from conftest import NB01, SOLUTIONS, replace_answers  # noqa: E402
from grader import sandbox  # noqa: E402

CONFIG = """c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
"""


def run(cmd, cwd, **extra_env):
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"],
               **extra_env)
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - started


def make_course(base, n):
    """An nbgrader course with n submissions: half the reference, half realistic mistakes."""
    (base / "nbgrader_config.py").write_text(CONFIG.format(root=str(base)))
    shutil.copytree(SOLUTIONS, base / "solutions")
    run([sys.executable, "-m", "nbgrader", "generate_assignment", NB01[0]], base)
    source = nbformat.read(SOLUTIONS / NB01[0] / f"{NB01[1]}.ipynb", as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    mistakes = [a for a, _, _ in WRONG.values()]
    for i in range(n):
        nb = nbformat.read(base / "notebooks" / NB01[0] / f"{NB01[1]}.ipynb", as_version=4)
        replace_answers(nb, {**answers, **(mistakes[i % len(mistakes)] if i % 2 else {})})
        folder = base / "submitted" / f"student{i:03d}" / NB01[0]
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{NB01[1]}.ipynb")
        (folder / "timestamp.txt").write_text("2026-11-23 10:00:00.000000 UTC")


HOG = """import os, numpy as np
open('fill', 'wb').write(b'x' * (400 << 20))
keep = np.ones(150_000_000)
for _ in range(12):
    if os.fork() == 0:
        while True:
            pass
while True:
    pass
"""


def make_class(base, n):
    """n students, each submitting every notebook: the reference, or (every other student) one
    of that notebook's catalogued mistakes."""
    import importlib
    for assignment in sorted(p.name for p in SOLUTIONS.iterdir() if p.is_dir()):
        catalogue = importlib.import_module(f"catalogue_nb{assignment[:2]}")
        mistakes = [a for a, _, _ in catalogue.WRONG.values()]
        for i in range(n):
            nb = nbformat.read(SOLUTIONS / assignment / f"{assignment}.ipynb", as_version=4)
            if i % 2:
                replace_answers(nb, mistakes[(i // 2) % len(mistakes)])
            folder = base / "submitted" / f"student{i:03d}" / assignment
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / f"{assignment}.ipynb")


def whole_class(n):
    """Seconds to grade n students x every notebook with 2 workers, and per notebook."""
    base = Path(tempfile.mkdtemp(prefix="bp-bench-class-"))
    make_class(base, n)
    seconds = run([sys.executable, "-m", "grader", "autograde", str(base / "submitted"),
                   "--out", str(base / "r"), "--workers", "2"], ROOT)
    per = {}
    for path in (base / "r").glob("submissions/*/*/result.json"):
        for nb in json.loads(path.read_text())["notebooks"]:
            per.setdefault(nb["notebook"], []).append(nb["seconds"])
    shutil.rmtree(base, ignore_errors=True)
    return {f"class_{n}_seconds": seconds, f"class_{n}_projected_200_s": seconds * 200 / n,
            "class_median_s_per_notebook": {k: sorted(v)[len(v) // 2] for k, v in sorted(per.items())}}


def nbgrader_course(n, assignments):
    """A released nbgrader course whose submitted/ holds n students x every notebook (make_class),
    and the seconds the release (generate_assignment) took."""
    base = Path(tempfile.mkdtemp(prefix="bp-bench-workflow-"))
    (base / "nbgrader_config.py").write_text(CONFIG.format(root=str(base)))
    shutil.copytree(SOLUTIONS, base / "solutions")
    release = sum(run([sys.executable, "-m", "nbgrader", "generate_assignment", a], base)
                  for a in assignments)
    make_class(base, n)
    return base, release


def workflow(n, full=0):
    """The instructor's whole pipeline on an nbgrader course of n students x every notebook,
    in seconds per step: release (generate_assignment); the trusted autograde into the gradebook
    (the default workers: cores + 1), which also writes the feedback pages, with each worker
    forked from the zygote and, as the baseline, each in a bubblewrap of its own
    (BPGRADER_ZYGOTE=0); the feedback
    pages by nbgrader's generate_feedback, one assignment after another (the baseline), and
    written again by `python -m grader generate-feedback` (after manual grading).
    full: then grade a whole class of that many students the same way (ours only), timed, not
    projected: the baselines' cost per notebook comes from the n."""
    assignments = sorted(p.name for p in SOLUTIONS.iterdir() if p.is_dir())
    base, release = nbgrader_course(n, assignments)
    steps = {"release_s": release}

    def grade(course, out):  # the default workers
        return [sys.executable, "-m", "grader", "autograde", str(course / "submitted"),
                "--gradebook", "--course", str(course), "--force", "--out", str(course / out)]

    steps["autograde_gradebook_no_zygote_s"] = run(grade(base, "results-baseline"), ROOT,
                                                   BPGRADER_ZYGOTE="0")
    shutil.rmtree(base / "feedback")
    steps["autograde_gradebook_s"] = run(grade(base, "results"), ROOT)
    pages = len(list(base.glob("feedback/*/*/*.html")))
    steps["nbgrader_generate_feedback_serial_s"] = sum(
        run([sys.executable, "-m", "nbgrader", "generate_feedback", a, "--force"], base)
        for a in assignments)
    steps["generate_feedback_s"] = run(
        [sys.executable, "-m", "grader", "generate-feedback", "--course", str(base)], ROOT)
    shutil.rmtree(base, ignore_errors=True)
    total = steps["autograde_gradebook_s"]
    from grader.batch import default_workers
    figures = {f"workflow_{n}_students": n, f"workflow_{n}_notebooks": n * len(assignments),
               "cores": os.cpu_count(), "workers": default_workers(),
               f"workflow_{n}_feedback_pages_written_by_autograde": pages,
               **{f"workflow_{n}_{k}": v for k, v in steps.items()},
               f"workflow_{n}_zygote_speedup": steps["autograde_gradebook_no_zygote_s"] / total,
               f"workflow_{n}_feedback_speedup": steps["nbgrader_generate_feedback_serial_s"]
               / steps["generate_feedback_s"],
               f"workflow_{n}_grade_and_feedback_s": total,
               f"workflow_{n}_projected_200_min": total * 200 / n / 60}
    if full:
        base, _ = nbgrader_course(full, assignments)
        seconds = run(grade(base, "results"), ROOT)
        notebooks = full * len(assignments)
        graded = sum(len(json.loads(path.read_text())["notebooks"])
                     for path in (base / "results").glob("submissions/*/*/result.json"))
        figures.update({
            f"class_{full}_notebooks": notebooks, f"class_{full}_notebooks_graded": graded,
            f"class_{full}_feedback_pages_written_by_autograde":
                len(list(base.glob("feedback/*/*/*.html"))),
            f"class_{full}_grade_and_feedback_s": seconds,
            f"class_{full}_grade_and_feedback_min": seconds / 60,
            # per notebook, against the no-zygote baseline of the n-student run
            f"class_{full}_speedup_per_notebook_vs_no_zygote":
                steps["autograde_gradebook_no_zygote_s"] / (n * len(assignments))
                / (seconds / notebooks),
            f"class_{full}_generate_feedback_s": run(
                [sys.executable, "-m", "grader", "generate-feedback", "--course", str(base)],
                ROOT)})
        shutil.rmtree(base, ignore_errors=True)
    return figures


def add_hogs(base, count):
    """Submissions whose first cell forks CPU burners, fills its home and holds memory, then
    spins until the cell's time limit."""
    for i in range(count):
        nb = nbformat.read(SOLUTIONS / NB01[0] / f"{NB01[1]}.ipynb", as_version=4)
        nb.cells.insert(2, nbformat.v4.new_code_cell(HOG))
        folder = base / "submitted" / f"hog{i}" / NB01[0]
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{NB01[1]}.ipynb")


def honest_seconds(results):
    """The grading time of each honest submission, from its result."""
    times = []
    for path in Path(results).glob("submissions/student*/*/result.json"):
        times += [nb["seconds"] for nb in json.loads(path.read_text())["notebooks"]]
    return sorted(times)


def fairness(n=12, hogs=2):
    """Median grading time of honest submissions beside `hogs` hogs over the same alone."""
    base = Path(tempfile.mkdtemp(prefix="bp-bench-fair-"))
    make_course(base, n)
    ours = [sys.executable, "-m", "grader", "autograde", str(base / "submitted"),
            "--workers", "2", "--cell-timeout", "20"]
    run(ours + ["--out", str(base / "alone")], ROOT)
    add_hogs(base, hogs)
    run(ours + ["--out", str(base / "beside")], ROOT)
    alone, beside = honest_seconds(base / "alone"), honest_seconds(base / "beside")
    grades = {}
    for name in ("alone", "beside"):
        rows = (base / name / "grades.csv").read_text().splitlines()[1:]
        grades[name] = sorted(r.split(",")[:3] for r in rows if r.startswith("student"))
    shutil.rmtree(base, ignore_errors=True)
    return {"honest_alone_median_s": alone[len(alone) // 2],
            "honest_beside_hogs_median_s": beside[len(beside) // 2],
            "honest_beside_hogs_max_s": beside[-1],
            "slowdown_beside_hogs": beside[len(beside) // 2] / alone[len(alone) // 2],
            "same_grades_beside_hogs": grades["alone"] == grades["beside"]}


def own_execution_seconds(path, repeats=3):
    """How long a plain kernel takes to run the notebook top to bottom (no grading)."""
    times = []
    for _ in range(repeats):
        nb = nbformat.read(path, as_version=4)
        started = time.perf_counter()
        nbclient.NotebookClient(nb, timeout=300, allow_errors=True,
                                resources={"metadata": {"path": str(path.parent)}}).execute()
        times.append(time.perf_counter() - started)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="submissions graded by both")
    parser.add_argument("--scale", type=int, default=0, help="also time ours on this many")
    parser.add_argument("--fairness-only", action="store_true",
                        help="only measure honest submissions beside resource hogs")
    parser.add_argument("--workflow", type=int, default=0, metavar="N",
                        help="only time the instructor's whole pipeline for N students x every "
                             "notebook (autograde --gradebook, then nbgrader generate_feedback)")
    parser.add_argument("--full-class", type=int, default=0, metavar="M",
                        help="with --workflow: then grade a whole class of M students x every "
                             "notebook, timed (ours only; the baselines are the N's)")
    parser.add_argument("--class-size", type=int, default=0,
                        help="also grade this many students x every notebook (2 workers)")
    args = parser.parse_args()
    if args.workflow:
        figures = workflow(args.workflow, args.full_class)
        print(json.dumps(figures, indent=1))
        out = ROOT / "bench" / "results"
        out.mkdir(parents=True, exist_ok=True)
        (out / "workflow.json").write_text(json.dumps(figures, indent=1) + "\n")
        return
    if args.fairness_only:
        figures = fairness()
        print(json.dumps(figures, indent=1))
        return
    isolation = "bubblewrap" if sandbox.bwrap_available() else "process limits only"
    base = Path(tempfile.mkdtemp(prefix="bp-bench-"))
    make_course(base, args.n)
    ours = [sys.executable, "-m", "grader", "autograde", str(base / "submitted")]
    figures = {"submissions": args.n, "cores": os.cpu_count(), "isolation": isolation}
    figures["stock_serial_s"] = run([sys.executable, "-m", "nbgrader", "autograde", NB01[0],
                                     "--create"], base)
    figures["ours_1_worker_s"] = run(ours + ["--out", str(base / "r1"), "--workers", "1"], ROOT)
    figures["ours_2_workers_s"] = run(ours + ["--out", str(base / "r2"), "--workers", "2"], ROOT)
    own = own_execution_seconds(base / "submitted" / "student000" / NB01[0] / f"{NB01[1]}.ipynb")
    figures["own_execution_s"] = own
    per_nb_stock = figures["stock_serial_s"] / args.n
    per_nb_ours = figures["ours_1_worker_s"] / args.n
    figures["throughput_ratio_2_workers"] = figures["stock_serial_s"] / figures["ours_2_workers_s"]
    figures["throughput_ratio_1_worker"] = figures["stock_serial_s"] / figures["ours_1_worker_s"]
    figures["overhead_ratio_ours"] = per_nb_ours / own
    figures["overhead_ratio_stock"] = per_nb_stock / own
    if args.scale:
        scale_base = Path(tempfile.mkdtemp(prefix="bp-bench-scale-"))
        make_course(scale_base, args.scale)
        figures[f"ours_2_workers_{args.scale}_s"] = run(
            [sys.executable, "-m", "grader", "autograde", str(scale_base / "submitted"),
             "--out", str(scale_base / "r"), "--workers", "2"], ROOT)
        shutil.rmtree(scale_base, ignore_errors=True)
    shutil.rmtree(base, ignore_errors=True)
    figures.update(fairness())
    if args.class_size:
        figures.update(whole_class(args.class_size))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "grader.json").write_text(json.dumps(figures, indent=1) + "\n")
    print(f"{args.n} submissions of notebook 01, {figures['cores']} cores, isolation: {isolation}")
    print(f"  stock nbgrader autograde (serial): {figures['stock_serial_s']:7.1f} s  (1.00x)")
    for key, label in (("1_worker", "1 worker "), ("2_workers", "2 workers")):
        print(f"  ours, {label}:                    {figures[f'ours_{key}_s']:7.1f} s  "
              f"({figures[f'throughput_ratio_{key}']:.2f}x stock's throughput)")
    print(f"  per notebook, relative to its own execution in a plain kernel ({own:.2f} s = 1.00): "
          f"ours {figures['overhead_ratio_ours']:.2f}, stock {figures['overhead_ratio_stock']:.2f}")
    if args.scale:
        print(f"  ours, 2 workers, {args.scale} submissions: "
              f"{figures[f'ours_2_workers_{args.scale}_s']:.1f} s")
    if args.class_size:
        n = args.class_size
        print(f"  {n} students x every notebook, 2 workers: {figures[f'class_{n}_seconds']:.0f} s "
              f"(200 students: {figures[f'class_{n}_projected_200_s'] / 60:.1f} min projected; "
              f"goal <= 15 min); median s per notebook: "
              + ", ".join(f"{k[:2]} {v:.2f}" for k, v in figures["class_median_s_per_notebook"].items()))
    print(f"  honest submissions beside 2 resource hogs: median {figures['slowdown_beside_hogs']:.2f}x "
          f"their time alone ({figures['honest_beside_hogs_median_s']:.2f} s vs "
          f"{figures['honest_alone_median_s']:.2f} s; slowest {figures['honest_beside_hogs_max_s']:.2f} s), "
          f"grades {'unchanged' if figures['same_grades_beside_hogs'] else 'CHANGED'}")


if __name__ == "__main__":
    main()
