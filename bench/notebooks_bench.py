"""Benchmark: how long each solution notebook takes to run top to bottom in a real kernel.

    .venv-bench/bin/python bench/notebooks_bench.py [--repeat 3]

Runs every solutions/*/*.ipynb with nbclient (kernel python3, in the notebook's folder, with
BPKIT_HEADLESS unset so that the widgets are really built), --repeat times, and reports each
notebook's median wall time and its ratio to a baseline measured in the same run: a notebook
whose one cell is `import numpy, matplotlib.pyplot`, i.e. starting a kernel and importing. The
runs are interleaved (baseline, 01, 02, ..., then again) so that load from elsewhere hits them all
alike. Goals: at most 30 s per notebook and well under 3 minutes for the whole course, on a
2-core machine. Results go to bench/results/notebooks.json.
"""
import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import nbclient
import nbformat

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "baseline: kernel + `import numpy, matplotlib.pyplot`"
GOAL_NOTEBOOK_S = 30.0
GOAL_COURSE_S = 180.0


def solution_notebooks():
    return sorted(p for p in (ROOT / "solutions").glob("*/*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)


def baseline_notebook():
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import numpy, matplotlib.pyplot")])


def execution_seconds(nb, folder):
    """Wall time of nbclient running nb top to bottom, kernel start and shutdown included."""
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(folder)}})
    started = time.perf_counter()
    client.execute()
    return time.perf_counter() - started


def goal(seconds, limit):
    return f"{'PASS' if seconds <= limit else 'OVER'} (≤ {limit:.0f} s)"


def report(rows, args):
    base = rows[BASELINE]["median_s"]
    print(f"Solution notebooks run top to bottom by nbclient, median of {args.repeat}; "
          f"{os.cpu_count()} cores\n")
    print("| notebook | median s | × baseline | runs (s) | goal |")
    print("|---|---:|---:|---|---|")
    for name, row in rows.items():
        runs = ", ".join(f"{t:.1f}" for t in row["runs_s"])
        if row.get("error"):
            print(f"| {name} | – | – | {runs} | ERROR: {row['error']} |")
            continue
        verdict = "" if name == BASELINE else goal(row["median_s"], GOAL_NOTEBOOK_S)
        print(f"| {name} | {row['median_s']:.1f} | {row['median_s'] / base:.2f} | {runs} | "
              f"{verdict} |")
    course = sum(row["median_s"] for name, row in rows.items()
                 if name != BASELINE and not row.get("error"))
    print(f"| **whole course** (sum of medians) | **{course:.1f}** | {course / base:.2f} | | "
          f"{goal(course, GOAL_COURSE_S)} |")
    return course


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each notebook (median)")
    args = parser.parse_args()
    # The kernels inherit this process's environment; the widgets must not skip their drawing.
    os.environ.pop("BPKIT_HEADLESS", None)
    jobs = {BASELINE: (baseline_notebook, ROOT)}
    for path in solution_notebooks():
        jobs[path.stem] = (lambda path=path: nbformat.read(path, as_version=4), path.parent)
    rows = {name: {"runs_s": []} for name in jobs}
    for _ in range(args.repeat):
        for name, (load, folder) in jobs.items():
            if rows[name].get("error"):
                continue
            nb = load()
            try:
                rows[name]["runs_s"].append(execution_seconds(nb, folder))
            except Exception as error:  # a failing cell, a timeout, a dead kernel: say which
                print(f"{name} failed:\n{error}", file=sys.stderr)
                last = [line for line in str(error).splitlines() if line.strip()][-1:]
                rows[name]["error"] = f"{type(error).__name__}: {''.join(last)[:200]}"
    for row in rows.values():
        if row["runs_s"] and not row.get("error"):
            row["median_s"] = statistics.median(row["runs_s"])
    if rows[BASELINE].get("error"):
        raise SystemExit(f"the baseline notebook failed: {rows[BASELINE]['error']}")
    course = report(rows, args)
    base = rows[BASELINE]["median_s"]
    for row in rows.values():
        if "median_s" in row:
            row["ratio"] = row["median_s"] / base
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    figures = {"cores": os.cpu_count(), "repeat": args.repeat, "notebooks": rows,
               "course_s": course, "course_ratio": course / base,
               "goal_notebook_s": GOAL_NOTEBOOK_S, "goal_course_s": GOAL_COURSE_S}
    (out / "notebooks.json").write_text(json.dumps(figures, indent=1) + "\n")
    if any(row.get("error") for row in rows.values()):
        raise SystemExit("some notebooks failed to run; see the table")


if __name__ == "__main__":
    main()
