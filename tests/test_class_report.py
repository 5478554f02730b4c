"""The class report counts the mistakes the class made from the checks' messages, with the
students behind each count, and draws the score distribution and pass rates."""
from grader.class_report import mistake_key, summarise, write_class_report


def result(student, tests, status="graded"):
    points = [(g, 1.0 if ok else 0.0, message) for g, ok, message in tests]
    return {"student_id": student, "assignment": "01_forward_pass", "status": status,
            "score": sum(p for _, p, _ in points), "max_score": float(len(points)), "notes": [],
            "notebooks": [{"notebook": "01_forward_pass", "tests": [
                {"grade_id": g, "points": p, "max_points": 1.0, "passed": p == 1.0,
                 "message": m, "description": f"{g}: a check"} for g, p, m in points]}]}


AVERAGED = "db looks averaged over the batch: it is {} times the right one."
CLASS = [result("ann", [("test_dense", False, AVERAGED.format(0.25)), ("test_relu", True, "")]),
         result("ben", [("test_dense", False, AVERAGED.format(0.125)), ("test_relu", True, "")]),
         result("cy", [("test_dense", False, "dense is not written yet: replace ..."),
                       ("test_relu", False, "relu(z) returned float32; expected float64")]),
         result("dee", [("test_dense", True, ""), ("test_relu", True, "")]),
         result("eve", [("test_dense", False, "x.npynb is missing"),
                        ("test_relu", False, "missing")], status="missing")]


def test_the_same_mistake_with_other_numbers_counts_once_and_names_keep_their_digits():
    assert mistake_key(AVERAGED.format(0.25)) == mistake_key(AVERAGED.format(-1e-3))
    assert "float64" in mistake_key("returned float32; expected float64")


def test_mistakes_are_counted_with_their_students_and_unwritten_ones_apart():
    s = summarise(CLASS)
    assert s["n"] == 5 and s["missing"] == ["eve"]
    (students,) = s["mistakes"]["test_dense"].values()
    assert sorted(students) == ["ann", "ben"]  # cy did not write it, eve handed nothing in
    assert s["exercises"]["test_dense"]["attempted"] == 3
    assert s["exercises"]["test_relu"]["passed"] == 3


def test_the_pages_show_pictures_counts_and_students(tmp_path):
    index = write_class_report(tmp_path, CLASS)
    page = (tmp_path / "report" / "01_forward_pass.html").read_text()
    assert page.count("data:image/png;base64,") == 2
    assert "40% (2)" in page and "ann, ben" in page
    assert "1 did not hand in the notebook: eve" in page
    assert "01_forward_pass.html" in index.read_text()
