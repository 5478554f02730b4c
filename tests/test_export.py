"""Exports an instructor imports elsewhere: exercises of different notebooks in different
columns, a row for every student of the roster (0, "not submitted"), Canvas's gradebook CSV,
and a clear one-line error for a roster that is not there."""
import csv
import io
import json

from grader import report
from grader.__main__ import main


def result(student, assignment, tests, status="graded"):
    return {"student_id": student, "assignment": assignment, "status": status, "notes": [],
            "score": float(sum(p for _, p, _ in tests)),
            "max_score": float(sum(m for _, _, m in tests)),
            "notebooks": [{"notebook": assignment, "notes": [], "cell_errors": [],
                           "score": float(sum(p for _, p, _ in tests)),
                           "max_score": float(sum(m for _, _, m in tests)), "tests": [
                {"grade_id": g, "points": float(p), "max_points": float(m), "passed": p == m,
                 "description": g, "message": "", "detail": ""} for g, p, m in tests]}]}


RESULTS = [result("alice", "01_forward_pass", [("test_sigmoid", 2, 2), ("test_relu", 1, 1)]),
           result("alice", "04_backward_pass", [("test_relu", 0, 1), ("test_dense", 2, 2)]),
           result("bob", "01_forward_pass", [("test_sigmoid", 0, 2), ("test_relu", 1, 1)])]


def read(path):
    return list(csv.reader(io.StringIO(path.read_text())))


def test_exercises_of_different_notebooks_keep_apart_in_the_notebooks_order(tmp_path):
    rows = read(report.write_export_csv(RESULTS, tmp_path / "export.csv"))
    assert rows[0][5:] == ["01_forward_pass:test_sigmoid", "01_forward_pass:test_relu",
                           "04_backward_pass:test_relu", "04_backward_pass:test_dense"]
    alice_01 = rows[1]
    assert alice_01[:5] == ["alice", "01_forward_pass", "3", "3", "graded"]
    assert alice_01[5:] == ["2", "1", "", ""]


def test_roster_students_without_a_submission_get_zero_not_submitted(tmp_path):
    full = report.with_roster(RESULTS, ["alice", "bob", "carol"],
                              {"01_forward_pass": 3.0, "04_backward_pass": 3.0})
    rows = {(r[0], r[1]): r for r in read(report.write_export_csv(full, tmp_path / "e.csv"))[1:]}
    assert len(rows) == 6  # 3 students x 2 assignments
    assert rows[("carol", "04_backward_pass")][2:5] == ["0", "3", "not submitted"]
    assert rows[("bob", "04_backward_pass")][4] == "not submitted"
    assert rows[("alice", "04_backward_pass")][4] == "graded"


def test_canvas_csv_has_points_possible_and_one_row_per_student(tmp_path):
    full = report.with_roster(RESULTS, ["bob", "carol"], {"01_forward_pass": 3.0,
                                                   "04_backward_pass": 3.0})
    rows = read(report.write_canvas_csv(full, tmp_path / "canvas.csv"))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                       "01_forward_pass", "04_backward_pass"]
    assert rows[1] == ["    Points Possible", "", "", "", "", "3", "3"]
    assert rows[2] == ["alice", "", "", "alice", "", "3", "2"]
    assert rows[3] == ["bob", "", "", "bob", "", "1", "0"]
    assert rows[4] == ["carol", "", "", "carol", "", "0", "0"]


def test_export_reads_a_roster_file_and_names_a_missing_one(tmp_path, capsys):
    out = tmp_path / "results"
    for r in RESULTS:
        report.write_result(out, r)
    (tmp_path / "roster.csv").write_text("name,student_id\nDan,dan\nAlice,alice\n")
    assert main(["export", str(out), "--roster", str(tmp_path / "roster.csv")]) == 0
    rows = read(out / "export.csv")
    assert {(r[0], r[4]) for r in rows[1:] if r[0] == "dan"} == {
        ("dan", "not submitted")}
    assert main(["export", str(out), "--roster", str(tmp_path / "nope.csv")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nope.csv" in err[0] and "Traceback" not in err[0]
