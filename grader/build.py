"""Generating the student notebooks (notebooks/) from the single source (solutions/), with
nbgrader."""
import filecmp
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "solutions"
RELEASE = ROOT / "notebooks"


def assignments(source=SOURCE):
    return sorted(p.name for p in Path(source).iterdir()
                  if p.is_dir() and any(p.glob("*.ipynb")))


def generate(out_dir, only=None):
    """Run nbgrader's generate_assignment for every assignment (or `only`), into out_dir."""
    for assignment in only or assignments():
        cmd = [sys.executable, "-m", "nbgrader", "generate_assignment", assignment,
               "--force", "--no-db", "--log-level=WARN",
               f"--CourseDirectory.release_directory={out_dir}"]
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"nbgrader generate_assignment {assignment} failed:\n"
                               f"{done.stdout}{done.stderr}")


def differences(a, b):
    """Relative paths that differ between two folder trees (missing on either side included)."""
    a, b = Path(a), Path(b)
    files = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    files |= {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    return sorted(str(f) for f in files
                  if not ((a / f).is_file() and (b / f).is_file()
                          and filecmp.cmp(a / f, b / f, shallow=False)))


def build(check=False, only=None):
    """Regenerate notebooks/ (or only some assignments); with check=True only report drift.

    Returns the paths that differ, relative to notebooks/.
    """
    names = only or assignments()
    with tempfile.TemporaryDirectory(prefix="bp-build-") as tmp:
        generate(tmp, names)
        drift = []
        for name in names:
            drift += [f"{name}/{d}" for d in differences(Path(tmp) / name, RELEASE / name)]
        if not only:  # a student copy whose source is gone is drift too
            stale = {p.name for p in RELEASE.iterdir() if p.is_dir()} - set(names) \
                if RELEASE.exists() else set()
            drift += sorted(f"{name}/" for name in stale)
        if not check:
            for name in names:
                if (RELEASE / name).exists():
                    shutil.rmtree(RELEASE / name)
                shutil.copytree(Path(tmp) / name, RELEASE / name)
            if not only:
                for name in stale:
                    shutil.rmtree(RELEASE / name)
    return drift


CHECKED_TAG = "nbval-check-output"


def record_outputs(path):
    """Execute a source notebook and keep the outputs of its cells tagged nbval-check-output.

    Those outputs are what the nbval test compares on every run; all other outputs are dropped
    so that the source stays small and its diffs readable.
    """
    import nbclient
    import nbformat
    nb = nbformat.read(path, as_version=4)
    executed = nbclient.NotebookClient(nbformat.from_dict(nb), timeout=300,
                                       resources={"metadata": {"path": str(Path(path).parent)}})
    executed.execute()
    for cell, run in zip(nb.cells, executed.nb.cells):
        if cell.cell_type != "code":
            continue
        keep = CHECKED_TAG in cell.metadata.get("tags", [])
        # nbval compares only cells that were run (execution_count set) and have outputs
        cell.outputs = run.outputs if keep else []
        cell.execution_count = run.execution_count if keep else None
    nbformat.write(nb, path)
