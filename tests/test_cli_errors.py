"""Bad input to `python -m grader autograde` ends in one line naming what is wrong and what to
give instead, with exit status 2: never a traceback, and nothing graded."""
import pytest

from grader.__main__ import main


def layout(root, *folders):
    for folder in folders:
        (root / folder).mkdir(parents=True)
    return root


CASES = {
    "empty": ((), "holds no student folders"),
    "one level too high": (("submitted/alice/01_forward_pass",), "one level too high"),
    "assignments directly": (("01_forward_pass",), "holds assignment folders directly"),
    "unknown assignments only": (("alice/hw1",), "no assignment of the course"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_wrongly_laid_out_folder_is_named_in_one_line(tmp_path, capsys, case):
    folders, phrase = CASES[case]
    root = layout(tmp_path / "given", *folders) if folders else (tmp_path / "given")
    root.mkdir(exist_ok=True)
    assert main(["autograde", str(root), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and phrase in err[0] and "Traceback" not in err[0], err
    assert not (tmp_path / "out").exists()


def test_an_unknown_assignment_is_named_with_the_known_ones(tmp_path, capsys):
    root = layout(tmp_path / "given", "alice/01_forward_pass")
    assert main(["autograde", str(root), "--out", str(tmp_path / "out"),
                 "--assignment", "09_nope"]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "09_nope" in line and "01_forward_pass" in line


def test_a_well_laid_out_folder_passes_the_check(tmp_path):
    from grader.batch import layout_problem
    root = layout(tmp_path / "given", "alice/01_forward_pass", "bob/hw1")
    assert layout_problem(root, None, ["01_forward_pass"]) is None


def test_a_gradebook_that_cannot_take_the_assignment_stops_before_any_grading(tmp_path, capsys):
    """The gradebook is checked first, and it fills as the class is graded: when nbgrader
    cannot record the assignment (its grade cells changed after students submitted), the
    instructor is told in one line before a single notebook is graded."""
    from nbgrader.api import GradeCell, Notebook
    from conftest import NB01, SubmissionFolder, nbgrader_course
    from grader.gradebook import opened
    course = tmp_path / "course"
    course.mkdir()
    nbgrader_course(course)
    with opened(course) as gb:
        assignment = gb.add_assignment(NB01[0])
        notebook = Notebook(name=NB01[1], assignment=assignment)
        gb.db.add(GradeCell(name="a_cell_since_removed", max_score=5.0, cell_type="code",
                            notebook=notebook))
        gb.db.commit()
        gb.add_student("zed")
        gb.add_submission(NB01[0], "zed")
    SubmissionFolder(course / "submitted").add("alice")
    assert main(["autograde", str(course / "submitted"), "--out", str(tmp_path / "out"),
                 "--gradebook", "--course", str(course)]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "could not record 01_forward_pass" in line and "Traceback" not in line, line
    assert not list((tmp_path / "out").glob("submissions/*/*/result.json"))
