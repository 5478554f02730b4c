#!/usr/bin/env python3
"""Set up and run the backpropagation course with nothing but Python 3.11+.

    python3 course.py lab     open the course in JupyterLab (your own copies, in my-work/)
    python3 course.py test    run the whole test suite

Both create the virtual environment .venv on first use and install requirements.txt and bpkit
into it; later runs reinstall only when those files change.
"""
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / "course-install.sha256"
WORK = ROOT / "my-work"
MIN_PYTHON = (3, 11)


def fail(message):
    print(f"course.py: {message}", file=sys.stderr)
    sys.exit(2)


def venv_python():
    sub = "Scripts/python.exe" if os.name == "nt" else "bin/python"
    return VENV / sub


def install_fingerprint():
    digest = hashlib.sha256()
    for name in ("requirements.txt", "pyproject.toml"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_venv():
    """Create .venv and install the course into it unless it is already up to date."""
    if sys.version_info < MIN_PYTHON:
        fail(f"Python {'.'.join(map(str, MIN_PYTHON))} or newer is needed; this is "
             f"{sys.version.split()[0]}. Run this file with a newer python3.")
    wanted = install_fingerprint()
    if STAMP.exists() and STAMP.read_text().strip() == wanted and venv_python().exists():
        return venv_python()
    if not venv_python().exists():
        print("course.py: creating the virtual environment .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    print("course.py: installing the course's requirements (first run takes a minute) ...",
          flush=True)
    py = str(venv_python())
    pip = [py, "-m", "pip", "install", "--disable-pip-version-check", "--quiet"]
    for step in (pip + ["--upgrade", "pip"],
                 pip + ["-r", str(ROOT / "requirements.txt"), "-e", str(ROOT)]):
        if subprocess.call(step, cwd=ROOT) != 0:
            fail("installing the requirements failed (see pip's message above). Check your "
                 "network connection, then run the same command again.")
    STAMP.write_text(wanted + "\n")
    return venv_python()


def copy_new_notebooks():
    """Copy each student notebook to my-work/ once; a learner's own copy is never overwritten."""
    for source in sorted((ROOT / "notebooks").rglob("*")):
        if source.is_dir() or ".ipynb_checkpoints" in source.parts:
            continue
        target = WORK / source.relative_to(ROOT / "notebooks")
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            print(f"course.py: new notebook {target.relative_to(ROOT)}")


def lab(args):
    py = ensure_venv()
    copy_new_notebooks()
    print("course.py: opening JupyterLab on my-work/ (stop it with Ctrl+C)", flush=True)
    cmd = [str(py), "-m", "jupyterlab", f"--ServerApp.root_dir={WORK}", *args]
    return subprocess.call(cmd, cwd=WORK)


def test(args):
    py = ensure_venv()
    return subprocess.call([str(py), "-m", "pytest", *args], cwd=ROOT)


COMMANDS = {"lab": lab, "test": test}


def main(argv):
    if not argv or argv[0] not in COMMANDS:
        print(__doc__.strip())
        return 0 if argv[:1] in ([], ["-h"], ["--help"]) else 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
