"""notebooks/ is exactly what nbgrader generates from solutions/, and gives nothing away."""
import re

import nbformat
import pytest

from conftest import NOTEBOOKS, SOLUTIONS
from grader import build, spec


def test_committed_notebooks_match_a_fresh_build():
    drift = build.build(check=True)
    assert drift == [], f"run `python -m grader build`; stale: {drift}"


def pairs():
    return [(s, NOTEBOOKS / s.relative_to(SOLUTIONS)) for s in sorted(SOLUTIONS.rglob("*.ipynb"))]


@pytest.mark.parametrize("source,release", pairs(), ids=lambda p: p.name)
def test_student_copy_holds_no_solution_or_hidden_test(source, release):
    solution_nb = nbformat.read(source, as_version=4)
    student_text = release.read_text()
    student_nb = nbformat.read(release, as_version=4)
    secret, public = [], []
    block_pattern = r"### BEGIN (?:SOLUTION|HIDDEN TESTS)\n(.*?)### END"
    for cell in solution_nb.cells:
        text = spec.cell_source(cell)
        for block in re.findall(block_pattern, text, re.S):
            secret += [line.strip() for line in block.splitlines() if len(line.strip()) > 12]
        public.append(re.sub(block_pattern, "", text, flags=re.S))
    assert secret, "the source should have solutions and hidden tests to hide"
    public = "\n".join(public)
    # a line the source also shows outside its hidden blocks (a hint in the prose, a helper in a
    # given cell) is not a leak
    for line in (line for line in secret if line not in public):
        assert line not in student_text, f"leaked into {release.name}: {line!r}"
    assert "BEGIN SOLUTION" not in student_text and "HIDDEN TESTS" not in student_text
    stubs = [c for c in student_nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
    assert stubs and all(("raise NotImplementedError()" if c.cell_type == "code" else
                          "YOUR ANSWER HERE") in c.source for c in stubs)


@pytest.mark.parametrize("source,release", pairs(), ids=lambda p: p.name)
def test_student_copy_is_stored_without_outputs(source, release):
    nb = nbformat.read(release, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_grade_cells_have_points_and_a_docstring():
    for path, _ in pairs():
        nb_spec = spec.load_notebook_spec(path)
        assert nb_spec.tests, path
        for test in nb_spec.tests.values():
            assert test.points > 0, test.grade_id
            assert test.description != test.grade_id, f"{test.grade_id} needs a docstring"


@pytest.mark.parametrize("source,release", pairs(), ids=lambda p: p.name)
def test_the_grader_sees_each_grade_cell_as_nbgrader_shows_it(source, release):
    # the spec recognises a grade cell stripped of its metadata by its student text: that text
    # must be exactly nbgrader's, and a grade cell must hold no solution (nothing to stub)
    shown = {c.metadata["nbgrader"]["grade_id"]: spec.cell_source(c)
             for c in nbformat.read(release, as_version=4).cells
             if c.metadata.get("nbgrader", {}).get("grade")}
    nb_spec = spec.load_notebook_spec(source)
    tests = nb_spec.tests
    assert set(shown) == set(tests) | set(nb_spec.manual)  # written answers: graded by hand
    for grade_id, test in tests.items():
        assert test.visible_source == shown[grade_id], grade_id
        assert "BEGIN SOLUTION" not in test.source, grade_id


def test_the_grader_names_cells_by_section_and_exercise_never_by_number():
    """JupyterLab shows no cell numbers: an error is located by the notebook's section."""
    import json
    import re
    from grader.runner import CodeStep, plan_cells
    from grader.spec import load_notebook_spec
    for source, release in pairs():
        spec = load_notebook_spec(source)
        steps, _ = plan_cells(spec, json.loads(release.read_text()))
        labels = [s.label for s in steps if isinstance(s, CodeStep)]
        assert labels and not [l for l in labels if re.search(r"\bcell \d", l)], release.name
        assert all("section “" in l for l in labels if not l.startswith("the read-only")), \
            [l for l in labels if "section" not in l][:3]
