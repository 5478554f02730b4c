"""Resuming never keeps a grade computed by other code or another spec: the fingerprint covers
every file of grader/ and bpkit/ (the trusted tests import bpkit.checks, bpkit.datasets, ...)
and the whole spec read from solutions/ (tests, points, read-only cells)."""
import json
import shutil

import pytest

from conftest import ROOT, SubmissionFolder
from grader import batch, sandbox, submission

LIMITS = sandbox.Limits(cell_timeout=20)
CODE = sorted(p.relative_to(ROOT) for folder in ("grader", "bpkit")
              for p in (ROOT / folder).rglob("*.py"))


@pytest.fixture(scope="module")
def copy_of_the_code(tmp_path_factory):
    base = tmp_path_factory.mktemp("code")
    for folder in ("grader", "bpkit"):
        shutil.copytree(ROOT / folder, base / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    return base


def test_the_fingerprint_covers_every_module_the_tests_can_import():
    assert {"bpkit/checks/core.py", "bpkit/checks/gradients.py", "bpkit/datasets.py",
            "grader/runner.py"} <= {str(p) for p in CODE}
    assert submission.GRADER_VERSION == submission.code_version()


@pytest.mark.parametrize("module", CODE, ids=str)
def test_editing_any_module_changes_the_code_version(copy_of_the_code, module):
    roots = [copy_of_the_code / "grader", copy_of_the_code / "bpkit"]
    before = submission.code_version(roots)
    path = copy_of_the_code / module
    original = path.read_bytes()
    try:
        path.write_bytes(original + b"\n# an edit\n")
        assert submission.code_version(roots) != before
    finally:
        path.write_bytes(original)
    assert submission.code_version(roots) == before


def results(out):
    return {p.parts[-3]: json.loads(p.read_text())
            for p in out.glob("submissions/*/*/result.json")}


def test_a_resumed_batch_regrades_what_other_code_or_another_spec_graded(tmp_path, monkeypatch):
    folder = SubmissionFolder(tmp_path / "submitted")
    folder.add("ada")
    folder.add("bob", assignment="04_backward_pass", name="04_backward_pass")
    course = tmp_path / "course"
    shutil.copytree(ROOT / "solutions", course)
    out = tmp_path / "results"
    batch.autograde(folder.root, out, course, workers=2, limits=LIMITS)
    first = results(out)
    batch.autograde(folder.root, out, course, workers=2, limits=LIMITS)
    assert results(out) == first  # nothing changed: nothing regraded
    # a change in a read-only cell of 04 (its set-up) regrades bob's submission only
    nb = course / "04_backward_pass" / "04_backward_pass.ipynb"
    nb.write_text(nb.read_text().replace('"import numpy as np', '"import math\\nimport numpy as np', 1))
    batch.autograde(folder.root, out, course, workers=2, limits=LIMITS)
    second = results(out)
    assert second["ada"] == first["ada"]
    assert second["bob"]["fingerprint"] != first["bob"]["fingerprint"]
    # other grading code (as when bpkit's gradient checks are edited) regrades everyone
    monkeypatch.setattr(submission, "GRADER_VERSION", "edited " + submission.GRADER_VERSION)
    batch.autograde(folder.root, out, course, workers=2, limits=LIMITS)
    third = results(out)
    assert all(third[s]["fingerprint"] != second[s]["fingerprint"] for s in ("ada", "bob"))
    assert [r["score"] for r in third.values()] == [r["score"] for r in second.values()]
