"""The feedback page of one notebook, where `nbgrader release_feedback` sends it.

It shows what nbgrader's own `generate_feedback` shows, the scores in the gradebook (manual
grades, comments and the late penalty included) over the autograded notebook, and, first, each
exercise by name and section with its points and what its check said. It is written straight
from the gradebook and the autograded notebook, in a few milliseconds: nbgrader converts each
notebook with nbconvert's full HTML exporter (about half a second each), so pages are written as
each class is graded, and written again after manual grading (`python -m grader
generate-feedback`).

Everything the submission wrote is escaped; only the course's own markdown (a cell identical to
one of the released notebook) is rendered as HTML.
"""
import functools
import html
import os
from pathlib import Path

import nbformat

from grader import report
from grader.spec import grade_id as cell_grade_id, heading

MATHJAX = ("https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/MathJax.js"
           "?config=TeX-AMS_CHTML-full,Safe")
STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;
line-height:1.45}h1{font-size:1.5rem}.summary{border:1px solid #ccc;border-radius:6px;
padding:.6rem 1rem;background:#fafafa}.summary li{margin:.2rem 0}.ok{color:#176317}
.bad{color:#a61b1b}.wait{color:#8a5a00}.late{color:#a61b1b}
pre{background:#f6f6f6;padding:.5rem;white-space:pre-wrap;margin:.3rem 0;overflow-x:auto}
.cell{margin:1rem 0}.graded{border-left:4px solid #888;padding-left:.6rem}
.graded.passed{border-color:#2d8a2d}.graded.failed{border-color:#c33}
.label{font-size:.85rem;color:#555}.out{background:#fff;border:1px solid #eee}
.error{background:#fdeeee}img{max-width:100%}.comment{background:#eef4fd;padding:.4rem .6rem}
"""


def _points(value):
    return "?" if value is None else f"{round(float(value), 2)}"


def _markdown(source, trusted):
    """The course's own markdown as HTML (maths left to MathJax); anything else escaped."""
    return _course_markdown(source) if trusted else f"<pre>{html.escape(source)}</pre>"


@functools.lru_cache(maxsize=4096)
def _course_markdown(source):
    """Rendered once per process: every student's page shows the same course markdown."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune
    return markdown2html_mistune(source)


def _outputs(cell):
    e, parts = html.escape, []
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "stream":
            parts.append(f"<pre class='out'>{e(''.join(out.get('text', '')))}</pre>")
        elif kind == "error":
            parts.append(f"<pre class='out error'>{e(str(out.get('ename', '')))}: "
                         f"{e(str(out.get('evalue', '')))}</pre>")
        elif kind in ("display_data", "execute_result"):
            data = out.get("data", {})
            png = data.get("image/png")
            if isinstance(png, str) and png.replace("\n", "").isascii():
                parts.append(f"<img alt='a figure the cell drew' "
                             f"src='data:image/png;base64,{e(png.replace(chr(10), ''))}'>")
            elif "text/plain" in data:
                text = data["text/plain"]
                text = "".join(text) if isinstance(text, list) else str(text)
                parts.append(f"<pre class='out'>{e(text)}</pre>")
    return "".join(parts)


def page_html(nb, released_markdown, info):
    """The page: `nb` the autograded notebook, `released_markdown` the set of the course's own
    markdown sources, `info` what the gradebook holds (see gradebook_info)."""
    e = html.escape
    grades, comments = info["grades"], info["comments"]
    # each exercise by its name and section (JupyterLab shows no cell numbers), and what its
    # check said
    labels, said, section = {}, {}, None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            section = heading(cell.source) or section
        grade_id = cell_grade_id(cell)
        if grade_id in grades and grade_id not in labels:
            name = info["labels"].get(grade_id) or grade_id
            labels[grade_id] = name + (f" (section “{section}”)" if section else "")
            said[grade_id] = [str(o.get("evalue", "")) for o in cell.get("outputs", [])
                              if o.get("output_type") == "error"]
    order = [g for g in labels] + [g for g in grades if g not in labels]
    title = f"{info['assignment']} / {info['notebook']}"
    parts = ["<!doctype html><html><head><meta charset='utf-8'>",
             f"<title>Feedback: {e(title)}</title><style>{STYLE}</style>",
             f"<script async src='{MATHJAX}'></script></head><body>",
             f"<h1>{e(info['notebook'])} (Score: {_points(info['score'])} / "
             f"{_points(info['max_score'])})</h1>",
             f"<p>{e(info['assignment'])}, feedback for {e(info['student'])}.</p>",
             "<div class='summary'><ol>"]
    for grade_id in order:
        grade = grades[grade_id]
        if grade["score"] is None:
            state, verdict = "wait", "needs manual grading"
        elif grade["score"] >= grade["max_score"]:
            state, verdict = "ok", "full marks"
        else:
            state, verdict = "bad", "points missing"
        parts.append(f"<li><a href='#{e(grade_id)}'>{e(labels.get(grade_id, grade_id))}</a>: "
                     f"<span class='{state}'>{_points(grade['score'])} / "
                     f"{_points(grade['max_score'])}, {verdict}</span>"
                     + "".join(f"<br>{e(text)}" for text in said.get(grade_id, [])) + "</li>")
    if info["late_penalty"]:
        parts.append(f"<li class='late'>Late submission penalty (Score: "
                     f"-{_points(info['late_penalty'])})</li>")
    parts.append("</ol></div>")
    for cell in nb.cells:
        grade_id = cell_grade_id(cell)
        graded = grade_id in grades
        classes = "cell"
        if graded:
            score = grades[grade_id]["score"]
            classes += " graded " + ("" if score is None else
                                     "passed" if score >= grades[grade_id]["max_score"]
                                     else "failed")
        parts.append(f"<div class='{classes}'" + (f" id='{e(grade_id)}'>" if graded else ">"))
        if graded:
            grade = grades[grade_id]
            parts.append(f"<div class='label'>{e(labels.get(grade_id, grade_id))}: "
                         f"{_points(grade['score'])} / {_points(grade['max_score'])}</div>")
        if cell.cell_type == "markdown":
            parts.append(_markdown(cell.source, cell.source in released_markdown))
        else:
            parts.append(f"<pre>{e(cell.source)}</pre>{_outputs(cell)}")
        if graded and comments.get(grade_id):
            parts.append(f"<div class='comment'>Comment: {e(comments[grade_id])}</div>")
        parts.append("</div>")
    parts.append("</body></html>\n")
    return "".join(parts)


def labels(specs):
    """{notebook: {grade_id: what the exercise is}} of one assignment's specs."""
    return {name: {**{g: t.description for g, t in s.tests.items()},
                   **{g: m.description for g, m in s.manual.items()}}
            for name, s in specs.items()}


def loaded_grades(gb, notebook=None, submission=None):
    """The grades of a submitted notebook (its id) or of a whole submission, each with its cell,
    maximum and notebook, in one query (loaded lazily, one by one, the Recorder and the feedback
    made 13 and 20 queries a notebook on average over the course's; with this, 5 each)."""
    from nbgrader.api import Grade, SubmittedNotebook
    from sqlalchemy.orm import joinedload, undefer
    where = (Grade.notebook_id == notebook if submission is None
             else SubmittedNotebook.assignment_id == submission)
    return gb.db.query(Grade).join(Grade.notebook).filter(where).options(
        joinedload(Grade.cell), undefer(Grade.max_score),
        joinedload(Grade.notebook).joinedload(SubmittedNotebook.notebook)).all()


def gradebook_info(gb, student, assignment, notebook, labels):
    """The scores and comments of one notebook of one submission, as the gradebook has them;
    labels: {grade_id: what the exercise is} (the spec's descriptions)."""
    from nbgrader.api import Comment
    from sqlalchemy.orm import joinedload
    found = gb.find_submission_notebook(notebook, assignment, student)
    grades = {}
    for grade in loaded_grades(gb, notebook=found.id):
        grades[grade.name] = {"score": None if grade.needs_manual_grade else grade.score,
                              "max_score": grade.max_score}
    comments = {c.name: c.manual_comment or c.auto_comment for c in gb.db.query(Comment).filter(
                Comment.notebook_id == found.id).options(joinedload(Comment.cell)).all()
                if c.manual_comment or c.auto_comment}
    return {"student": student, "assignment": assignment, "notebook": notebook,
            "score": found.score, "max_score": found.max_score,
            "late_penalty": found.late_submission_penalty or 0.0, "grades": grades,
            "comments": comments, "labels": labels}


def write(course, gb, student, assignment, notebook, released, labels, nb=None):
    """Write feedback/<student>/<assignment>/<notebook>.html from autograded/ (or `nb`, the
    autograded notebook just written there) and the gradebook; released: the student version
    of the notebook (its markdown is the course's)."""
    course = Path(course)
    if nb is None:
        nb = nbformat.read(course / "autograded" / student / assignment / f"{notebook}.ipynb", 4)
    markdown = {c.source for c in released.cells if c.cell_type == "markdown"}
    info = gradebook_info(gb, student, assignment, notebook, labels)
    target = course / "feedback" / student / assignment / f"{notebook}.html"
    report.write_atomic(target, page_html(nb, markdown, info))
    os.chmod(target, 0o644)
    # as nbgrader's generate_feedback: release_feedback finds the submission by these
    for name in ("timestamp.txt", "submission_secret.txt"):
        source = course / "autograded" / student / assignment / name
        if source.is_file() and not source.is_symlink():
            report.write_atomic(target.parent / name, source.read_text(errors="replace"))
    return target
