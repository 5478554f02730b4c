"""Batches: a killed batch resumes where it stopped, grading is deterministic, and the same
pure grading function runs on a Dask distributed cluster."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from catalogue_nb01 import WRONG
from conftest import ROOT, SubmissionFolder
from grader import batch, sandbox

LIMITS = sandbox.Limits(cell_timeout=10)


def comparable(result):
    """A result without what may differ between two gradings of the same files."""
    result = json.loads(json.dumps(result))
    result.pop("student_id")
    for nb in result["notebooks"]:
        nb.pop("seconds")
    return result


def test_killed_batch_resumes_without_regrading(tmp_path):
    folder = SubmissionFolder(tmp_path / "submitted")
    for i in range(6):
        folder.add(f"s{i}")
    out = tmp_path / "results"
    cmd = [sys.executable, "-m", "grader", "autograde", str(folder.root), "--out", str(out),
           "--workers", "1"]
    proc = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while not list(out.glob("submissions/*/*/result.json")) and time.monotonic() < deadline:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    first = {p: p.read_bytes() for p in out.glob("submissions/*/*/result.json")}
    assert 1 <= len(first) < 6, "the kill should land half-way"
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "kept from an earlier run" in done.stderr
    results = list(out.glob("submissions/*/*/result.json"))
    assert len(results) == 6
    for path, data in first.items():
        assert path.read_bytes() == data, f"{path} was graded again"
    rows = (out / "grades.csv").read_text().splitlines()
    # 10 autograded points of 12 (the written answer is graded by hand)
    assert len(rows) == 7 and all(",10,12,graded" in r for r in rows[1:])


def test_grading_is_deterministic(tmp_path):
    folder = SubmissionFolder(tmp_path / "submitted")
    answers = {**WRONG["relu_mask_inverted"][0], **WRONG["dense_no_bias"][0]}
    for i in range(10):
        folder.add(f"same{i}", answers)
    results, _ = batch.autograde(folder.root, tmp_path / "results", ROOT / "solutions",
                                 workers=2, limits=LIMITS)
    assert len(results) == 10
    first = comparable(results[0])
    assert 0 < results[0]["score"] < 10
    for r in results[1:]:
        assert comparable(r) == first, f"{r['student_id']} graded differently from the first"


def test_grades_the_same_on_a_dask_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    folder = SubmissionFolder(tmp_path / "submitted")
    folder.add("good")
    folder.add("relu", WRONG["relu_abs"][0])
    folder.add("broken", raw=b"not json")
    local, _ = batch.autograde(folder.root, tmp_path / "local", ROOT / "solutions", workers=2,
                               limits=LIMITS)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        remote, _ = batch.autograde(folder.root, tmp_path / "dask", ROOT / "solutions",
                                    limits=LIMITS, executor=client.get_executor())
    key = lambda r: r["student_id"]  # noqa: E731
    assert [comparable(r) for r in sorted(remote, key=key)] == \
        [comparable(r) for r in sorted(local, key=key)]
    assert {r["student_id"]: r["score"] for r in remote} == {"good": 10, "relu": 9, "broken": 0}


def test_a_resubmission_replaces_a_grade_with_a_trace(tmp_path):
    folder = SubmissionFolder(tmp_path / "submitted")
    folder.add("alice", WRONG["relu_abs"][0])
    out = tmp_path / "results"
    (first,), _ = batch.autograde(folder.root, out, ROOT / "solutions", workers=1, limits=LIMITS)
    folder.add("alice")  # resubmitted, now right
    (second,), _ = batch.autograde(folder.root, out, ROOT / "solutions", workers=1,
                                   limits=LIMITS)
    assert first["score"] < second["score"] == 10.0
    kept = out / "submissions" / "alice" / "01_forward_pass" / "earlier" / "result-1.json"
    assert json.loads(kept.read_text())["score"] == first["score"]
    assert any(f"earlier grading ({first['score']:g} / 12)" in n for n in second["notes"])
    assert "earlier grading" in (out / "grades.csv").read_text()
    batch.autograde(folder.root, out, ROOT / "solutions", workers=1, limits=LIMITS)
    assert len(list(kept.parent.iterdir())) == 1  # unchanged: kept, not graded again


def test_a_folder_without_the_notebook_is_missing_not_graded_and_an_interrupted_batch_keeps_its_csv(
        tmp_path):
    folder = SubmissionFolder(tmp_path / "submitted")
    folder.add("alice")
    (folder.root / "bob" / "01_forward_pass").mkdir(parents=True)
    (folder.root / "bob" / "01_forward_pass" / "notes.txt").write_text("forgot it")
    out = tmp_path / "results"
    results, _ = batch.autograde(folder.root, out, ROOT / "solutions", workers=1, limits=LIMITS)
    status = {r["student_id"]: (r["status"], r["score"]) for r in results}
    assert status == {"alice": ("graded", 10.0), "bob": ("missing", 0.0)}
    (out / "grades.csv").unlink()

    class Interrupting:  # an executor whose first result is a Ctrl+C
        def submit(self, *args):
            raise KeyboardInterrupt

    folder.add("carol")
    with pytest.raises(KeyboardInterrupt):
        batch.autograde(folder.root, out, ROOT / "solutions", limits=LIMITS,
                        executor=Interrupting())
    rows = (out / "grades.csv").read_text().splitlines()
    assert len(rows) == 3 and rows[1].startswith("alice,") and ",missing," in rows[2]


def test_progress_shows_the_time_left_and_the_warning_for_none_names_the_choice():
    import io
    stream = io.StringIO()
    batch._progress(10, 70, 0, time.monotonic() - 20.0, stream)  # 0.5 per second: 2 min left
    assert "about 2 min 00 s left" in stream.getvalue()
    chosen = sandbox.isolation_warning(chosen=True)
    assert "--isolation none was chosen" in chosen and "not available" not in chosen
    assert "apt-get install bubblewrap" in sandbox.isolation_warning()
