"""The class report: one HTML page per assignment and an index, for the instructor after grading.

Each page shows the score distribution, each exercise's pass rate, and the mistakes the class
made: failed checks grouped by exercise and by the message the check gave (the named mistakes
of the checks: "db is averaged instead of summed over the batch"), counted, with the students
behind each count. Pictures are PNGs inside the page, so one file can be mailed or archived.
"""
import base64
import html
import io
import re
import statistics
from collections import defaultdict
from pathlib import Path

from grader.report import write_atomic

STYLE = """
body{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.35rem;
text-align:left;vertical-align:top}.bar{background:#c0392b;height:.8rem;display:inline-block}
details summary{cursor:pointer;color:#1f5fa8}.muted{color:#666}img{max-width:100%}
"""
NOT_WRITTEN = "is not written yet"


def mistake_key(message):
    """A failed check's message with the numbers taken out, so that the same mistake made by
    different students (with different values) counts once."""
    first = message.strip().split("\n", 1)[0]
    return re.sub(r"(?<![A-Za-z_\d])-?\d+(\.\d+)?(e[-+]?\d+)?", "#", first)[:300]


def summarise(results):
    """What one assignment's page shows, computed from its results."""
    graded = [r for r in results if r.get("status") in ("graded", "missing")]
    exercises, mistakes = {}, defaultdict(lambda: defaultdict(list))
    for r in graded:
        for nb in r["notebooks"]:
            for t in nb["tests"]:
                row = exercises.setdefault(t["grade_id"], {"description": t.get("description", ""),
                                                           "max": t["max_points"], "passed": 0,
                                                           "attempted": 0, "n": 0})
                row["n"] += 1
                row["passed"] += bool(t["passed"])
                not_written = NOT_WRITTEN in (t.get("message") or "")
                row["attempted"] += not not_written and r["status"] != "missing"
                if not t["passed"] and not not_written and r["status"] != "missing":
                    mistakes[t["grade_id"]][mistake_key(t.get("message") or "failed")].append(
                        r["student_id"])
    pending = sorted({r["student_id"] for r in graded for nb in r["notebooks"]
                      for m in nb.get("manual", []) if m["answered"]})
    return {"n": len(graded), "scores": [r["score"] for r in graded], "pending": pending,
            "max_score": max((r["max_score"] for r in graded), default=0.0),
            "missing": sorted(r["student_id"] for r in results if r.get("status") == "missing"),
            "errors": sorted(r["student_id"] for r in results
                             if r.get("status") == "grader-error"),
            "exercises": exercises, "mistakes": mistakes}


def _png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    return "<img alt='' src='data:image/png;base64," + \
        base64.b64encode(buffer.getvalue()).decode("ascii") + "'>"


def _figures(summary):
    from matplotlib.figure import Figure
    scores, top = summary["scores"], summary["max_score"] or 1.0
    fig = Figure(figsize=(6.4, 3.2), layout="constrained")
    ax = fig.add_subplot()
    ax.hist(scores, bins=[x - 0.5 for x in range(int(top) + 2)], color="#4a6fa5", rwidth=0.9)
    ax.set(title=f"Scores of {summary['n']} submissions", xlabel=f"score (out of {top:g})",
           ylabel="students")
    if scores:
        ax.axvline(statistics.median(scores), color="#c0392b", linestyle="--",
                   label=f"median {statistics.median(scores):g}")
        ax.legend()
    distribution = _png(fig)
    names = list(summary["exercises"])
    rates = [100.0 * e["passed"] / max(e["n"], 1) for e in summary["exercises"].values()]
    fig = Figure(figsize=(6.4, 0.45 * len(names) + 1.2), layout="constrained")
    ax = fig.add_subplot()
    ax.barh(names[::-1], rates[::-1], color="#6a9f58")
    ax.set(title="Pass rate of each exercise", xlabel="students who passed (%)", xlim=(0, 100))
    for y, rate in enumerate(rates[::-1]):
        ax.text(min(rate + 1, 88), y, f"{rate:.0f}%", va="center", fontsize=9)
    return distribution, _png(fig)


def assignment_page(assignment, results):
    """The HTML page of one assignment."""
    e, summary = html.escape, summarise(results)
    parts = ["<!doctype html><meta charset='utf-8'>",
             f"<title>{e(assignment)}: class report</title><style>{STYLE}</style>",
             f"<h1>{e(assignment)}: class report</h1>", "<p><a href='index.html'>all "
             "assignments</a></p>"]
    if summary["scores"]:
        mean = statistics.mean(summary["scores"])
        parts.append(f"<p>{summary['n']} submissions; mean {mean:.2f}, median "
                     f"{statistics.median(summary['scores']):g} of {summary['max_score']:g}.</p>")
    for label, who in (("need manual grading (scores above are the autograded points)",
                        summary["pending"]),
                       ("did not hand in the notebook", summary["missing"]),
                       ("could not be graded (rerun the batch)", summary["errors"])):
        if who:
            parts.append(f"<p>{len(who)} {label}: {e(', '.join(who))}</p>")
    if summary["n"]:
        parts += list(_figures(summary))
    parts.append("<h2>The mistakes the class made</h2><p class='muted'>Failed checks of students "
                 "who wrote the function, grouped by the check's message; numbers in messages "
                 "are shown as #.</p>")
    for grade_id, row in summary["exercises"].items():
        found = summary["mistakes"].get(grade_id, {})
        parts.append(f"<h3>{e(grade_id)}: {row['passed']} of {row['n']} passed "
                     f"<span class='muted'>({row['n'] - row['attempted']} did not write it)"
                     f"</span></h3><p class='muted'>{e(row['description'])}</p>")
        if not found:
            continue
        parts.append("<table><tr><th>share of the class</th><th>what the check said</th>"
                     "<th>students</th></tr>")
        for key, students in sorted(found.items(), key=lambda kv: -len(kv[1])):
            share = 100.0 * len(students) / max(summary["n"], 1)
            parts.append(f"<tr><td><span class='bar' style='width:{2 * share:.0f}px'></span> "
                         f"{share:.0f}% ({len(students)})</td><td>{e(key)}</td><td><details>"
                         f"<summary>who</summary>{e(', '.join(sorted(students)))}</details>"
                         "</td></tr>")
        parts.append("</table>")
    return "\n".join(parts) + "\n"


def index_page(by_assignment):
    e = html.escape
    rows = []
    for assignment, results in sorted(by_assignment.items()):
        s = summarise(results)
        mean = f"{statistics.mean(s['scores']):.2f}" if s["scores"] else "–"
        top = max(s["mistakes"].items(), key=lambda kv: max(map(len, kv[1].values())),
                  default=None)
        common = ""
        if top:
            key, students = max(top[1].items(), key=lambda kv: len(kv[1]))
            common = f"{e(top[0])}: {e(key)} ({len(students)})"
        rows.append(f"<tr><td><a href='{e(assignment)}.html'>{e(assignment)}</a></td>"
                    f"<td>{s['n']}</td><td>{mean} / {s['max_score']:g}</td>"
                    f"<td>{len(s['missing'])}</td><td>{common}</td></tr>")
    return (f"<!doctype html><meta charset='utf-8'><title>Class report</title>"
            f"<style>{STYLE}</style><h1>Class report</h1><table><tr><th>assignment</th>"
            "<th>submissions</th><th>mean</th><th>not handed in</th><th>most common mistake"
            "</th></tr>" + "".join(rows) + "</table>\n")


def write_class_report(out, results):
    """RESULTS/report/index.html and one page per assignment; returns the index's path."""
    by_assignment = defaultdict(list)
    for r in results:
        by_assignment[r["assignment"]].append(r)
    folder = Path(out) / "report"
    for assignment, group in by_assignment.items():
        write_atomic(folder / f"{assignment}.html", assignment_page(assignment, group))
    write_atomic(folder / "index.html", index_page(by_assignment))
    return folder / "index.html"
