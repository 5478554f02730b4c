"""Broken and hostile submissions: the batch finishes, the fault costs only what it touched, and
the sandbox keeps the course's files out of reach."""
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT, SubmissionFolder
from grader import batch, sandbox

FULL = 10
SOLUTION = ROOT / "solutions" / "01_forward_pass" / "01_forward_pass.ipynb"


def insert_after(grade_id, source):
    """A mutation adding a student cell right after the cell with this grade_id."""
    def mutate(nb):
        index = next(i for i, c in enumerate(nb.cells)
                     if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
        nb.cells.insert(index + 1, nbformat.v4.new_code_cell(source))
    return mutate


CASES = {
    # name: (answers, mutation, expected score)
    "os_exit_in_added_cell": ({}, insert_after("sigmoid", "import os\nos._exit(3)"), FULL),
    "sys_exit_in_added_cell": ({}, insert_after("dense", "import sys\nsys.exit(1)"), FULL),
    "segfault_in_added_cell": ({}, insert_after("relu", "import ctypes\nctypes.string_at(0)"),
                               FULL),
    "memory_hog_in_added_cell": ({}, insert_after("tanh", "big = np.ones(10**11)"), FULL),
    "endless_relu": ({"relu": "def relu(z):\n    while True:\n        pass\n"}, None, FULL - 1),
    "endless_loop_that_swallows_the_interrupt": (
        {}, insert_after("relu", "while True:\n    try:\n        while True:\n            pass\n"
                                 "    except BaseException:\n        pass\n"), FULL),
    "output_flood": ({}, insert_after("sigmoid", "for _ in range(200000):\n"
                                                 "    print('spam' * 100)\n"), FULL),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("faults")
    folder = SubmissionFolder(base / "submitted")
    for name, (answers, mutate, _) in CASES.items():
        folder.add(name, answers, mutate=mutate)
    secret = str(SOLUTION)
    out = base / "results"
    folder.add("reads_the_solution", {"sigmoid": (
        "import json\n"
        f"nb = json.load(open({secret!r}))\n"
        "code = next(''.join(c['source']) for c in nb['cells']\n"
        "            if c.get('metadata', {}).get('nbgrader', {}).get('grade_id') == 'sigmoid')\n"
        "exec(code)\n")})
    folder.add("writes_outside_its_folder", mutate=insert_after("setup", (
        f"for target in [{str(out / 'forged.txt')!r}, {str(ROOT / 'forged.txt')!r},\n"
        f"               {str(folder.root / 'forged.txt')!r}]:\n"
        "    try:\n"
        "        open(target, 'w').write('x')\n"
        "    except OSError as exc:\n"
        "        print('blocked', exc)\n")))
    limits = sandbox.Limits(cell_timeout=3)
    results, _ = batch.autograde(folder.root, out, ROOT / "solutions", workers=2, limits=limits)
    return {r["student_id"]: r for r in results}, folder.root, out


@pytest.mark.parametrize("name", sorted(CASES))
def test_fault_costs_only_what_it_touched(graded, name):
    result = graded[0][name]
    assert result["status"] == "graded"
    assert result["score"] == CASES[name][2], result["notebooks"][0]["tests"]


def test_crash_reason_is_recorded_for_the_student(graded):
    errors = graded[0]["os_exit_in_added_cell"]["notebooks"][0]["cell_errors"]
    assert any("exited with status 3" in e["error"] for e in errors)
    errors = graded[0]["segfault_in_added_cell"]["notebooks"][0]["cell_errors"]
    assert any("segmentation fault" in e["error"] for e in errors)


def test_endless_function_fails_with_a_timeout_message(graded):
    tests = graded[0]["endless_relu"]["notebooks"][0]["tests"]
    relu = next(t for t in tests if t["grade_id"] == "test_relu")
    assert not relu["passed"] and "time limit" in relu["message"]


needs_bwrap = pytest.mark.skipif(not sandbox.bwrap_available(),
                                 reason="bubblewrap is not installed (.ci/run installs it)")


@needs_bwrap
def test_submission_cannot_read_the_solutions(graded):
    result = graded[0]["reads_the_solution"]
    tests = {t["grade_id"]: t for t in result["notebooks"][0]["tests"]}
    assert tests["test_sigmoid"]["points"] == 0
    errors = " ".join(e["error"] for e in result["notebooks"][0]["cell_errors"])
    assert "No such file or directory" in errors


@needs_bwrap
def test_submission_cannot_write_outside_its_scratch_folder(graded):
    _, submitted, out = graded
    assert graded[0]["writes_outside_its_folder"]["score"] == FULL
    for place in (out, ROOT, submitted):
        assert not (Path(place) / "forged.txt").exists()
