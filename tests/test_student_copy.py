"""The untouched student copy, run top to bottom in a real kernel: every error a learner meets is
one friendly line that says what to do, never a traceback."""
import nbclient
import nbformat
import pytest

from conftest import NOTEBOOKS


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.rglob("*.ipynb")), ids=lambda p: p.name)
def test_blank_notebook_errors_are_friendly_one_liners(path):
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, allow_errors=True,
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    errors = {}
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                errors[index] = output
    grade_cells = [i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade")
                   and c.cell_type == "code"]  # a written answer is graded by hand
    assert set(grade_cells) <= set(errors), "every check should fail on the blank copy"
    for index, output in errors.items():
        assert len(output.traceback) == 1, f"cell {index} shows a traceback: {output.traceback}"
        assert "not written yet" in output.traceback[0], output.traceback[0]
