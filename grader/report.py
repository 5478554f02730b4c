"""What the grader writes: grades.csv, one result JSON and one feedback page per submission.

The JSON is for the instructor (it includes the detail of failures and the grader's own log); the
feedback HTML is for the student and holds only test descriptions, points and messages, never
hidden-test code or expected values.
"""
import csv
import html
import io
import json
import os
from pathlib import Path

CSV_COLUMNS = ["student_id", "assignment", "score", "max_score", "status", "notes"]


def result_dir(out, student_id, assignment):
    return Path(out) / "submissions" / student_id / assignment


def write_atomic(path, text):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="")
    os.replace(tmp, path)


def write_result(out, result):
    """Write a submission's result and feedback page. A result it replaces (a resubmission, or
    other tests or grader code) is kept in earlier/, and the new result says so."""
    folder = result_dir(out, result["student_id"], result["assignment"])
    previous = folder / "result.json"
    if previous.is_file():
        try:
            old = json.loads(previous.read_text(encoding="utf-8"))
        except ValueError:
            old = None
        if old is not None and old.get("fingerprint") != result.get("fingerprint"):
            kept = folder / "earlier" / f"result-{len(list(folder.glob('earlier/*.json'))) + 1}.json"
            write_atomic(kept, previous.read_text(encoding="utf-8"))
            result.setdefault("notes", []).append(
                f"Graded again: this replaces an earlier grading ({old.get('score', 0):g} / "
                f"{old.get('max_score', 0):g}), kept in {kept.relative_to(Path(out))}.")
    write_atomic(folder / "feedback.html", feedback_html(result))
    # the JSON last: its presence marks the submission as done when a batch resumes
    write_atomic(folder / "result.json", json.dumps(result, indent=1, sort_keys=True))


def load_results(out):
    results = []
    for path in sorted(Path(out).glob("submissions/*/*/result.json")):
        try:
            results.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue  # a torn file from a killed run: that submission is graded again
    return results


def csv_text(value):
    """A text cell that a spreadsheet shows as text: one starting with =, +, -, @, a tab or a
    carriage return would be read as a formula (a student id such as =HYPERLINK(...))."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_text(rows, columns):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def write_grades_csv(out, results):
    """grades.csv: one row per submission, written atomically."""
    rows = []
    for r in sorted(results, key=lambda r: (r["assignment"], r["student_id"])):
        exercises = "; ".join(
            [f"{t['grade_id']}={t['points']:g}/{t['max_points']:g}"
             for nb in r.get("notebooks", []) for t in nb["tests"]]
            + [f"{m['grade_id']}=" + ("needs manual grading" if m["answered"] else "0") +
               f"/{m['max_points']:g}" for nb in r.get("notebooks", [])
               for m in nb.get("manual", [])])
        notes = [*r.get("notes", []), *(n for nb in r.get("notebooks", [])
                                        for n in nb.get("notes", []))]
        pending = sum(m["max_points"] for nb in r.get("notebooks", [])
                      for m in nb.get("manual", []) if m["answered"])
        if pending:
            notes.append(f"needs manual grading: {pending:g} points (the formgrader)")
        rows.append([csv_text(r["student_id"]), csv_text(r["assignment"]), f"{r['score']:g}",
                     f"{r['max_score']:g}", r["status"], csv_text(" | ".join(notes)),
                     csv_text(exercises)])
    path = Path(out) / "grades.csv"
    write_atomic(path, _csv_text(rows, CSV_COLUMNS + ["exercises"]))
    return path


def read_roster(path):
    """Student ids from a file: a CSV with a student_id (or id) column, or one id per line."""
    lines = [line for line in Path(path).read_text(encoding="utf-8-sig").splitlines()
             if line.strip()]
    header = [h.strip().lower() for h in next(csv.reader(lines[:1]), [])]
    for column in ("student_id", "id", "sis login id"):
        if column in header:
            at = header.index(column)
            return [row[at].strip() for row in csv.reader(lines[1:]) if len(row) > at
                    and row[at].strip()]
    return [line.strip() for line in lines]


def with_roster(results, roster, max_scores):
    """results plus a "not submitted" row (0 points) for each roster student without a result
    for an assignment. roster: student ids.  max_scores: {assignment: max score}."""
    have = {(r["student_id"], r["assignment"]) for r in results}
    missing = [{"student_id": student, "assignment": assignment, "score": 0.0,
                "max_score": max_score, "status": "not submitted", "notes": [], "notebooks": []}
               for student in sorted(set(roster)) for assignment, max_score in max_scores.items()
               if (student, assignment) not in have]
    return list(results) + missing


def write_export_csv(results, target):
    """One row per student and assignment, one column per exercise (`assignment:grade id`, so
    notebooks that share an exercise name keep apart), written atomically."""
    columns = list(dict.fromkeys(  # each assignment's exercises in the notebook's order
        (r["assignment"], t["grade_id"]) for r in sorted(results, key=lambda r: r["assignment"])
        for nb in r["notebooks"] for t in nb["tests"]))
    rows = []
    for r in sorted(results, key=lambda r: (r["assignment"], r["student_id"])):
        points = {(r["assignment"], t["grade_id"]): t["points"]
                  for nb in r["notebooks"] for t in nb["tests"]}
        rows.append([csv_text(r["student_id"]), csv_text(r["assignment"]), f"{r['score']:g}",
                     f"{r['max_score']:g}", r["status"],
                     *(_points(points.get(c), r) for c in columns)])
    write_atomic(target, _csv_text(rows, ["student_id", "assignment", "score", "max_score",
                                          "status", *(f"{a}:{g}" for a, g in columns)]))
    return target


def _points(value, result):
    if value is not None:
        return f"{value:g}"
    return "0" if result["status"] == "not submitted" else ""


def write_canvas_csv(results, target):
    """Canvas's gradebook import: one row per student, one column per assignment, and the
    "Points Possible" row Canvas reads the maximum from. Students are matched on SIS Login ID."""
    assignments = sorted({r["assignment"] for r in results})
    max_scores = {r["assignment"]: r["max_score"] for r in results}
    by_student = {}
    for r in results:
        by_student.setdefault(r["student_id"], {})[r["assignment"]] = r["score"]
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *assignments]
    rows = [["    Points Possible", "", "", "", "", *(f"{max_scores[a]:g}" for a in assignments)]]
    for student, scores in sorted(by_student.items()):
        rows.append([csv_text(student), "", "", csv_text(student), "",
                     *(f"{scores[a]:g}" if a in scores else "" for a in assignments)])
    write_atomic(target, _csv_text(rows, header))
    return target


STYLE = """
body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;
text-align:left;vertical-align:top}.ok{color:#176317}.bad{color:#a61b1b}
.score{font-size:1.4rem}pre{background:#f6f6f6;padding:.5rem;white-space:pre-wrap}
"""


def feedback_html(result):
    e = html.escape
    parts = [f"<!doctype html><meta charset='utf-8'><title>Feedback: {e(result['assignment'])}"
             f"</title><style>{STYLE}</style>",
             f"<h1>{e(result['assignment'])}: feedback for {e(result['student_id'])}</h1>",
             f"<p class='score'>Score: <b>{result['score']:g} / {result['max_score']:g}</b></p>"]
    for note in result.get("notes", []):
        parts.append(f"<p>{e(note)}</p>")
    for nb in result.get("notebooks", []):
        parts.append(f"<h2>{e(nb['notebook'])}.ipynb: {nb['score']:g} / {nb['max_score']:g}</h2>")
        for note in nb.get("notes", []):
            parts.append(f"<p>{e(note)}</p>")
        parts.append("<table><tr><th>check</th><th>points</th><th>result</th></tr>")
        for t in nb["tests"]:
            verdict = ("<span class='ok'>passed</span>" if t["passed"] else
                       f"<span class='bad'>failed</span>: {e(t['message'])}")
            parts.append(f"<tr><td>{e(t['description'])}</td>"
                         f"<td>{t['points']:g} / {t['max_points']:g}</td><td>{verdict}</td></tr>")
        for m in nb.get("manual", []):
            verdict = "graded by your instructor" if m["answered"] else "no answer written"
            parts.append(f"<tr><td>{e(m['description'])}</td><td>? / {m['max_points']:g}</td>"
                         f"<td>{verdict}</td></tr>")
        parts.append("</table>")
        if nb.get("cell_errors"):
            parts.append("<h3>Errors in your cells</h3>")
            for err in nb["cell_errors"]:
                where = err["cell"][:1].upper() + err["cell"][1:]
                parts.append(f"<p>{e(where)}:</p><pre>{e(err['error'])}</pre>")
    return "\n".join(parts) + "\n"
