"""The whole JupyterHub round trip on a local exchange folder, with nbgrader's own exchange:
release -> fetch -> submit (two students) -> collect -> the course's autograde into the gradebook
-> generate and release feedback -> fetch feedback. The page each student fetches holds the
trusted score and the messages of the checks, never a hidden test."""
import os
import shutil
import subprocess
import sys

import nbformat
import pytest

from conftest import NB01, NOTEBOOKS, ROOT, SOLUTIONS, nbgrader_course, replace_answers
from grader.spec import load_notebook_spec

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="nbgrader's exchange is POSIX")

# JupyterHub runs each student's server as its own user; here one OS user plays both students,
# so the student's nbgrader is told its user name the way nbgrader reads it on a hub (as
# "jovyan", with JUPYTERHUB_USER) and gets a home of its own. The rest is nbgrader's exchange.
AS_STUDENT = ("import sys, nbgrader.utils as u; u.get_osusername = lambda: 'jovyan'; "
              "from nbgrader.apps.nbgraderapp import main; sys.argv[0] = 'nbgrader'; main()")


def nbgrader(cwd, *args, student=None, exchange=None):
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
    if student:  # each student's own home, as on a hub: nbgrader keeps its cache there
        env.update(JUPYTERHUB_USER=student, HOME=str(cwd))
        cmd = [sys.executable, "-c", AS_STUDENT, *args, "--course", "backprop",
               f"--Exchange.root={exchange}"]
    else:
        cmd = [sys.executable, "-m", "nbgrader", *args]
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_release_fetch_submit_collect_grade_and_feed_back(tmp_path):
    course, exchange = tmp_path / "course", tmp_path / "exchange"
    course.mkdir()
    exchange.mkdir()
    os.chmod(exchange, 0o777)
    nbgrader_course(course, **{"c.Exchange.root": str(exchange)})
    shutil.copytree(SOLUTIONS / NB01[0], course / "solutions" / NB01[0])
    shutil.copytree(NOTEBOOKS / NB01[0], course / "notebooks" / NB01[0])
    nbgrader(course, "db", "assignment", "add", NB01[0])
    nbgrader(course, "release_assignment", NB01[0])

    reference = nbformat.read(SOLUTIONS / NB01[0] / f"{NB01[1]}.ipynb", 4)
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in reference.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    for student, answered in (("alice", answers), ("bob", {})):
        home = tmp_path / student
        home.mkdir()
        nbgrader(home, "fetch_assignment", NB01[0], student=student, exchange=exchange)
        path = home / NB01[0] / f"{NB01[1]}.ipynb"
        nbformat.write(replace_answers(nbformat.read(path, 4), answered), path)
        nbgrader(home, "submit", NB01[0], student=student, exchange=exchange)

    nbgrader(course, "collect", NB01[0])
    assert sorted(p.name for p in (course / "submitted").iterdir()) == ["alice", "bob"]
    done = subprocess.run([sys.executable, "-m", "grader", "autograde", str(course / "submitted"),
                           "--out", str(course / "results"), "--gradebook"], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    done = subprocess.run([sys.executable, "-m", "grader", "generate-feedback", "--course",
                           str(course)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    nbgrader(course, "release_feedback", NB01[0])

    spec = load_notebook_spec(SOLUTIONS / NB01[0] / f"{NB01[1]}.ipynb")
    hidden = [line.strip() for t in spec.tests.values() for line in t.hidden.splitlines()
              if len(line.strip()) > 30 and line.strip() not in t.visible_source]
    for student, score, message in (("alice", "10.0", "passed"),
                                     ("bob", "0.0", "sigmoid is not written yet")):
        home = tmp_path / student
        nbgrader(home, "fetch_feedback", NB01[0], student=student, exchange=exchange)
        (page,) = (home / NB01[0] / "feedback").glob(f"*/{NB01[1]}.html")
        text = page.read_text()
        assert f"Score: {score} / 12.0)" in text  # the written answer (2) waits for a person
        assert message in text
        assert not [line for line in hidden if line in text], student
