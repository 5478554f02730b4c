"""The hostile-submission corpus: every case gets exactly its expected grade with a recorded
reason, the batch finishes, and nothing outside the submissions' own results changes: not the
course's gradebook, not the solutions, not a student graded before."""
import hashlib
import os
import shutil
import socket
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import NB01, ROOT, SubmissionFolder
from grader import batch, sandbox, spec
from hostile_nb01 import CORPUS as CORPUS_NB01
from hostile_others import CORPUS as CORPUS_OTHERS

CORPUS = {**CORPUS_NB01, **CORPUS_OTHERS}

HAVE_BWRAP = bool(sandbox.bwrap_available())


@dataclass
class Context:
    course: Path
    gradebook: Path
    submitted: Path
    out: Path
    port: int
    tmp_marker: Path
    host_file: Path     # outside the course, world-readable: never changed or re-owned
    root_only: Path     # outside the course, readable by its owner only: never read either


SECRET = "ROOT-ONLY-bp-7f3a9c"
FORMULA_ID = '=HYPERLINK("evil.example","grade")'  # no slash: it names one folder


def file_state(path):
    info = os.lstat(path)
    return path.read_bytes(), info.st_uid, info.st_gid, info.st_mode


def digest(folder):
    h = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return h.hexdigest()


def listening_socket():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    received = []

    def accept():
        server.settimeout(120)
        try:
            conn, _ = server.accept()
            received.append(conn.recv(100))
        except OSError:
            pass
    threading.Thread(target=accept, daemon=True).start()
    return server, received


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    course = base / "course"
    shutil.copytree(ROOT / "solutions", course / "solutions")
    gradebook = course / "gradebook.db"
    with sqlite3.connect(gradebook) as db:
        db.execute("CREATE TABLE grade (student TEXT, manual_score REAL)")
        db.execute("INSERT INTO grade VALUES ('earlier', 7.0)")
    server, received = listening_socket()
    host = base / "host"
    host.mkdir()
    (host / "host-file.txt").write_text("the host's own file\n")
    (host / "root-only.txt").write_text(SECRET + "\n")
    (host / "root-only.txt").chmod(0o600)
    ctx = Context(course, gradebook, base / "submitted", base / "results",
                  server.getsockname()[1], Path("/tmp") / f"bp-hostile-{base.name}",
                  host / "host-file.txt", host / "root-only.txt")
    folder = SubmissionFolder(ctx.submitted)
    # a student graded before the hostile ones: their result must not change
    folder.add("sentinel")
    # 04's hidden test of a 203,530-parameter network needs a little more than 3 s when loaded
    limits = sandbox.Limits(cell_timeout=5, notebook_timeout=30)
    batch.autograde(ctx.submitted, ctx.out, course / "solutions", workers=2, limits=limits)
    sentinel = (ctx.out / "submissions" / "sentinel" / NB01[0] / "result.json").read_bytes()
    before = {"gradebook": gradebook.read_bytes(), "solutions": digest(course / "solutions"),
              "host": {p.name: file_state(p) for p in sorted(host.iterdir())}}
    for name, case in CORPUS.items():
        if case.needs_bwrap and not HAVE_BWRAP:
            continue
        folder.add(name, assignment=case.notebook[0], name=case.notebook[1], **case.build(ctx))
    folder.add("missing_notebook", raw=b"{}", name="not_the_assignment")
    folder.add(FORMULA_ID)
    results, _ = batch.autograde(ctx.submitted, ctx.out, course / "solutions", workers=2,
                                 limits=limits)
    server.close()
    after = {"gradebook": gradebook.read_bytes(), "solutions": digest(course / "solutions"),
             "sentinel": (ctx.out / "submissions" / "sentinel" / NB01[0] / "result.json")
             .read_bytes(), "host": {p.name: file_state(p) for p in sorted(host.iterdir())}}
    return {r["student_id"]: r for r in results}, before, after, sentinel, ctx, received


def recorded(result):
    texts = list(result.get("notes", []))
    for nb in result["notebooks"]:
        texts += nb["notes"] + [e["error"] for e in nb["cell_errors"]]
        texts += [t["message"] for t in nb["tests"]]
    return " ".join(texts)


MAX_SCORE = {nb: spec.load_notebook_spec(ROOT / "solutions" / nb[0] / f"{nb[1]}.ipynb").max_score
             for nb in {case.notebook for case in CORPUS.values()}}


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 60 and len(MAX_SCORE) == 5


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_case_gets_its_grade_and_a_reason(graded, name):
    case = CORPUS[name]
    if case.needs_bwrap and not HAVE_BWRAP:
        pytest.skip("needs bubblewrap (.ci/run installs it)")
    result = graded[0][name]
    assert result["status"] == "graded", result.get("error")
    assert result["max_score"] == MAX_SCORE[case.notebook]
    assert result["score"] == case.score, [(t["grade_id"], t["points"], t["message"][:80])
                                           for nb in result["notebooks"] for t in nb["tests"]]
    assert case.phrase in recorded(result)


def test_missing_and_extra_notebooks_are_named(graded):
    result = graded[0]["missing_notebook"]
    assert result["score"] == 0 and "01_forward_pass.ipynb is missing" in recorded(result)
    assert "not_the_assignment.ipynb" in recorded(result)


def test_nothing_outside_the_results_changed(graded):
    _, before, after, sentinel, _, _ = graded
    assert after["gradebook"] == before["gradebook"]
    assert after["solutions"] == before["solutions"]
    assert after["sentinel"] == sentinel
    # bytes, owner, group and mode of the host's files; no file appeared beside them
    assert after["host"] == before["host"]


def test_no_result_holds_a_host_secret_or_the_solution(graded):
    _, _, _, _, ctx, _ = graded
    solution = (ctx.course / "solutions" / NB01[0] / f"{NB01[1]}.ipynb").read_text()
    hidden_line = next(line for line in solution.splitlines() if "expit(z)" in line).strip()
    for path in ctx.out.rglob("*"):
        if path.is_file():
            text = path.read_text(errors="replace")
            assert SECRET not in text, path
            assert hidden_line not in text, path


@pytest.mark.skipif(not HAVE_BWRAP, reason="needs bubblewrap")
def test_no_file_escaped_and_no_byte_reached_the_network(graded):
    _, _, _, _, ctx, received = graded
    for place in (ctx.out, ctx.course, ctx.submitted, ctx.course / "solutions"):
        assert not (place / "forged.txt").exists()
    assert not ctx.tmp_marker.exists()
    assert received == []


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"),
                    reason="run as root: it reruns the corpus as an unprivileged user")
def test_corpus_holds_for_an_unprivileged_grader():
    """The same corpus, graded by a user without privileges (bubblewrap in a user namespace, no
    switch to another uid): every case gets the same grade and the host's files stay intact."""
    import subprocess
    import sys
    import tempfile
    user = 4242
    base = Path(tempfile.mkdtemp(prefix="bp-unprivileged-"))
    try:
        os.chown(base, user, user)
        done = subprocess.run(
            ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", "env",
             f"HOME={base}", sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
             f"--basetemp={base / 'run'}", "-k", "not unprivileged",
             "tests/test_hostile_corpus.py"],
            cwd=ROOT, capture_output=True, text=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "skipped" not in done.stdout.splitlines()[-1]


def hidden_inputs(grade_id):
    """Every array a grade cell's hidden tests pass to the learner's functions."""
    from grader import spec
    test = spec.load_notebook_spec(ROOT / "solutions" / NB01[0] / f"{NB01[1]}.ipynb").tests[grade_id]
    seen = []

    def record(fn, args, *rest, **kwargs):
        seen.extend(a for a in args if hasattr(a, "shape"))
    import numpy as np
    exec(test.hidden, {"np": np, "check_array": record, "relu": None})
    assert seen
    return seen


def forms(value):
    """Ways a leaked number could be written out (precise enough never to occur by chance)."""
    value = float(value)
    return {repr(value), f"{value:.6g}", repr(value).replace(".", "_").replace("-", "m"),
            f"({int(abs(value) * 1000) % 997 + 1}, 1)"}


@pytest.mark.skipif(not HAVE_BWRAP, reason="needs bubblewrap")
def test_no_hidden_input_reaches_what_the_student_sees(graded):
    from grader import report
    leaked = {name: result for name, result in graded[0].items()
              if name in CORPUS_NB01 and "leak" in CORPUS[name].tags}
    assert len(leaked) >= 6
    secrets = {form for array in hidden_inputs("test_relu") for v in array.ravel()[:3]
               for form in forms(v) if len(form) >= 4}
    for name, result in leaked.items():
        shown = report.feedback_html(result)
        assert "LEAK" in shown  # the last cell's error is shown: it found nothing to leak
        for secret in secrets:
            assert secret not in shown, (name, secret)


def test_a_student_id_cannot_inject_a_spreadsheet_formula(graded):
    import csv
    from grader.__main__ import main
    out = graded[4].out
    assert main(["export", str(out)]) == 0
    for name in ("grades.csv", "export.csv"):
        with open(out / name, newline="") as handle:
            ids = [row["student_id"] for row in csv.DictReader(handle)]
        assert "'" + FORMULA_ID in ids and FORMULA_ID not in ids
        assert not any(i[:1] in "=+-@" for i in ids)


def test_other_notebooks_hidden_tests_stay_hidden(graded):
    """03: the hidden test's own function (its names: arange, cos); 04: a shape built from a
    hidden y_hat. (The notebook's own cells call the functions too: those inputs are public.)"""
    from grader import report
    page = report.feedback_html(graded[0]["nb03_gradient_leaks_the_test_function"])
    assert "arange" not in page and "cos" not in page
    page = report.feedback_html(graded[0]["nb04_shape_leaks_a_hidden_input"])
    assert "returned shape" not in page and "an array of the wrong shape" in page
