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
from grader import batch, sandbox
from hostile_nb01 import CORPUS

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
    limits = sandbox.Limits(cell_timeout=3)
    batch.autograde(ctx.submitted, ctx.out, course / "solutions", workers=2, limits=limits)
    sentinel = (ctx.out / "submissions" / "sentinel" / NB01[0] / "result.json").read_bytes()
    before = {"gradebook": gradebook.read_bytes(), "solutions": digest(course / "solutions"),
              "host": {p.name: file_state(p) for p in sorted(host.iterdir())}}
    for name, case in CORPUS.items():
        if case.needs_bwrap and not HAVE_BWRAP:
            continue
        folder.add(name, **case.build(ctx))
    folder.add("missing_notebook", raw=b"{}", name="not_the_assignment")
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


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 30


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_case_gets_its_grade_and_a_reason(graded, name):
    case = CORPUS[name]
    if case.needs_bwrap and not HAVE_BWRAP:
        pytest.skip("needs bubblewrap (.ci/run installs it)")
    result = graded[0][name]
    assert result["status"] == "graded", result.get("error")
    assert result["max_score"] == 10
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
