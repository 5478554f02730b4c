#!/usr/bin/env python3
"""Set up and run the backpropagation course with nothing but Python 3.11+.

    python3 course.py lab            open the course in JupyterLab (your own copies, in my-work/)
    python3 course.py instructor     JupyterLab on the course folder itself, with nbgrader's
                                     formgrader and gradebook (for instructors)
    python3 course.py test           run the whole test suite
    python3 course.py bench [NAME]   run the benchmarks bench/*_bench.py (all, or those named:
                                     notebooks, torch, grader, ...) and report ratios

lab and test create the virtual environment .venv on first use and install requirements.txt and
bpkit into it; bench does the same in .venv-bench with bench/requirements.txt (the course's
requirements plus PyTorch, which the course itself never needs). Later runs reinstall only when
those files change.
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
BENCH_VENV = ROOT / ".venv-bench"
STAMP_NAME = "course-install.sha256"
WORK = ROOT / "my-work"
MIN_PYTHON = (3, 11)


def fail(message):
    print(f"course.py: {message}", file=sys.stderr)
    sys.exit(2)


def venv_python(env=VENV):
    sub = "Scripts/python.exe" if os.name == "nt" else "bin/python"
    return env / sub


def install_fingerprint(requirements="requirements.txt"):
    digest = hashlib.sha256()
    # dict.fromkeys: each file once, in this order, so .venv's fingerprint is what it always was
    for name in dict.fromkeys(("requirements.txt", requirements, "pyproject.toml")):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_venv(env=VENV, requirements="requirements.txt"):
    """Create env and install requirements and the course into it unless it is up to date."""
    if sys.version_info < MIN_PYTHON:
        fail(f"Python {'.'.join(map(str, MIN_PYTHON))} or newer is needed; this is "
             f"{sys.version.split()[0]}. Run this file with a newer python3.")
    wanted = install_fingerprint(requirements)
    stamp = env / STAMP_NAME
    if stamp.exists() and stamp.read_text().strip() == wanted and venv_python(env).exists():
        return venv_python(env)
    if not venv_python(env).exists():
        print(f"course.py: creating the virtual environment {env.name} ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(env)
    print(f"course.py: installing {requirements} into {env.name} (first run takes a minute) ...",
          flush=True)
    py = str(venv_python(env))
    pip = [py, "-m", "pip", "install", "--disable-pip-version-check", "--quiet"]
    for what, step in ((f"upgrading pip in {env.name}", pip + ["--upgrade", "pip"]),
                       (f"installing {requirements} and the course into {env.name}",
                        pip + ["-r", str(ROOT / requirements), "-e", str(ROOT)])):
        if subprocess.call(step, cwd=ROOT) != 0:
            fail(f"{what} failed (see pip's message above). Check your network connection, "
                 "then run the same command again.")
    stamp.write_text(wanted + "\n")
    return venv_python(env)


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


def jupyterlab(py, root, args):
    """Run JupyterLab on root until Ctrl+C, then stop it (it would otherwise ask whether to shut
    down, and outlive this script). No news prompt; as root (containers), --allow-root."""
    quiet = ["--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    root_flag = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    env = dict(os.environ, PATH=str(Path(py).parent) + os.pathsep + os.environ.get("PATH", ""))
    proc = subprocess.Popen([str(py), "-m", "jupyterlab", f"--ServerApp.root_dir={root}",
                             *quiet, *root_flag, *args], cwd=root, env=env)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            return proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()


def lab(args):
    py = ensure_venv()
    copy_new_notebooks()
    print("course.py: opening JupyterLab on my-work/ (stop it with Ctrl+C)", flush=True)
    return jupyterlab(py, WORK, args)


def instructor(args):
    py = ensure_venv()
    print("course.py: opening JupyterLab on the course folder, with nbgrader's formgrader "
          "(Nbgrader menu > Formgrader; stop it with Ctrl+C)", flush=True)
    return jupyterlab(py, ROOT, args)


def test(args):
    py = ensure_venv()
    return subprocess.call([str(py), "-m", "pytest", *args], cwd=ROOT)


def bench_scripts():
    """bench/*_bench.py in the order they run: these first, then the others by name."""
    first = ["notebooks", "torch", "grader"]
    found = {p.name.removesuffix("_bench.py"): p for p in (ROOT / "bench").glob("*_bench.py")}
    order = [n for n in first if n in found] + sorted(n for n in found if n not in first)
    return {name: found[name] for name in order}


def bench(args):
    scripts = bench_scripts()
    unknown = [name for name in args if name not in scripts]
    if unknown:
        fail(f"no benchmark named {', '.join(unknown)}; there are: {', '.join(scripts)}.")
    py = ensure_venv(BENCH_VENV, "bench/requirements.txt")
    failed = []
    for name, script in scripts.items():
        if args and name not in args:
            continue
        extra = ["--n", "20"] if name == "grader" else []
        print(f"\ncourse.py: bench/{script.name} {' '.join(extra)}".rstrip(), flush=True)
        if subprocess.call([str(py), str(script), *extra], cwd=ROOT) != 0:
            failed.append(script.name)
    if failed:
        print(f"course.py: these benchmarks failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


COMMANDS = {"lab": lab, "instructor": instructor, "test": test, "bench": bench}


def main(argv):
    if not argv or argv[0] not in COMMANDS:
        print(__doc__.strip())
        return 0 if argv[:1] in ([], ["-h"], ["--help"]) else 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
