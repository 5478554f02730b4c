"""Keeping a submission's processes in their place: the bubblewrap command that builds the
sandbox, the folder the worker starts from, the processes of a sandbox and their cleanup.

With bubblewrap (Linux), the worker sees a read-only system, the Python installation and bpkit,
a fresh size-limited home (the submission's data files, copied in by the worker itself before any
student code runs) and a private /tmp, and nothing else: not the course folder, the gradebook,
other submissions or the network. The grader never follows a link the submission could have made
and never writes where the submission can write: its own files (the staged data files, the
worker's log) live in a private folder that is never mounted into the sandbox.
"""
import atexit
import functools
import itertools
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

from grader import confine

WORKER = Path(__file__).with_name("worker.py")
SANDBOX_WORKER = "/opt/bpgrader/worker.py"
FORKSERVER = Path(__file__).with_name("forkserver.py")  # the zygote's side (grader.zygote)
SANDBOX_FORKSERVER = "/opt/bpgrader/forkserver.py"
SANDBOX_HOME = "/home/student"  # the worker's home and working folder inside the sandbox
SANDBOX_STAGE = "/opt/bpgrader/stage"  # the staged data files, read-only inside the sandbox
SANDBOX_LIB = "/opt/bpgrader/lib"  # holds the grader's own bpkit, first on the worker's path
MiB = 1024 * 1024


@functools.lru_cache(maxsize=None)
def bwrap_available():
    path = shutil.which("bwrap")
    if not path or not sys.platform.startswith("linux"):
        return None
    probe = subprocess.run([path, "--ro-bind", "/", "/", "--unshare-all", "true"],
                           capture_output=True)
    return path if probe.returncode == 0 else None


def isolation_warning(chosen=False):
    """What running without bubblewrap leaves open; chosen: --isolation none was asked for."""
    why = "--isolation none was chosen" if chosen else "bubblewrap (bwrap) is not available"
    fix = ("Leave out --isolation none" if chosen else
           "Install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap)")
    return (f"WARNING: {why}, so submissions run as ordinary processes with resource limits "
            "only. Their code can read every file you can read (solutions, hidden tests, other "
            f"submissions), write where you can write and use the network. {fix} before grading "
            "submissions you do not trust.")


# As root, each sandbox runs as a uid of its own (no account has it), so that the process-count
# limit counts one submission's processes only: 10**9 + (grading process id, a counter)
_counter = itertools.count()


def sandbox_uid():
    return 1_000_000_000 + ((os.getpid() & 0x3FFFFF) << 8) + (next(_counter) & 0xFF)


def parent_pid(pid):
    """The parent of a process, from /proc/PID/stat, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            data = handle.read()
        return int(data[data.rindex(b")") + 2:].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def process_tree(root):
    """{host pid: pid inside the sandbox's pid namespace} of `root` and all its descendants."""
    parents = {}
    for name in os.listdir("/proc"):
        parent = parent_pid(name) if name.isdigit() else None
        if parent is not None:
            parents.setdefault(parent, []).append(int(name))
    tree, todo = {}, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/status") as handle:
                nspid = next(line for line in handle if line.startswith("NSpid:"))
            tree[pid] = int(nspid.split()[-1])
        except (OSError, StopIteration, ValueError):
            continue
        todo += parents.get(pid, [])
    return tree


def kill(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


@functools.lru_cache(maxsize=None)
def matplotlib_font_cache():
    """This environment's matplotlib font list (built once), or None."""
    try:
        import matplotlib
        import matplotlib.font_manager  # noqa: F401 (builds the font list if missing)
    except ImportError:
        return None
    found = sorted(Path(matplotlib.get_cachedir()).glob("fontlist-*.json"))
    return found[-1] if found else None


def write_stage(stage, files):
    """The grader's own copy of what the worker starts with: the data files and matplotlib's font
    list (without it every worker rebuilds the list: about a second per notebook)."""
    stage.mkdir(mode=0o755)
    for name, data in files.items():
        (stage / name).write_bytes(data)
        (stage / name).chmod(0o644)
    cache = matplotlib_font_cache()
    if cache is not None:
        (stage / ".matplotlib").mkdir(mode=0o755, exist_ok=True)
        shutil.copyfile(cache, stage / ".matplotlib" / cache.name)
        (stage / ".matplotlib" / cache.name).chmod(0o644)


def worker_environment(home):
    """The whole environment of a worker (or zygote): nothing of the grader's own."""
    return {"PATH": "/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8",
            "MPLBACKEND": "Agg", "BPKIT_HEADLESS": "1", "MPLCONFIGDIR": f"{home}/.matplotlib",
            "IPYTHONDIR": f"{home}/.ipython", "PYTHONHASHSEED": "0",
            "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def bwrap_command(bwrap, stage, limits, python, zygote=False):
    """Mount only what the worker needs; everything else does not exist inside.

    zygote: the command of a zygote (grader.zygote), which keeps, besides, the capability to
    make the namespaces and mounts of each child (root only)."""
    prefix = Path(sys.prefix).resolve()
    base_prefix = Path(sys.base_prefix).resolve()
    import bpkit
    bpkit_dir = Path(bpkit.__file__).resolve().parent
    if os.geteuid() == 0:
        # As root: no user namespace, so that the worker can become the real user `nobody`
        # (then the process-count limit applies, and root's files are out of reach); it keeps
        # only the capabilities to do that, and drops them with its uid.
        isolate = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                   "--unshare-cgroup-try", "--cap-drop", "ALL", "--cap-add", "CAP_SETUID",
                   "--cap-add", "CAP_SETGID"] + (
            ["--cap-add", "CAP_SYS_ADMIN", "--cap-add", "CAP_NET_ADMIN"] if zygote else [])
    else:
        isolate = ["--unshare-all", "--cap-drop", "ALL"]
    cmd = [bwrap, *isolate, "--die-with-parent", "--new-session", "--proc", "/proc",
           "--dev", "/dev", "--perms", "1777", "--size", str(max(limits.disk // 4, MiB)),
           "--tmpfs", "/tmp"]
    system = [d for d in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc")
              if os.path.exists(d)]
    for system_dir in system:
        cmd += ["--ro-bind", system_dir, system_dir]
    made = set()
    for tree in sorted({base_prefix, prefix}):
        # bwrap copies the host's modes for the folders above a mount (/root is 0700): make
        # them traversable so that the unprivileged worker can reach Python and bpkit
        for parent in reversed(tree.parents):
            if str(parent) == "/" or parent in made or any(
                    parent == Path(d) or Path(d) in parent.parents for d in system):
                continue
            cmd += ["--perms", "0755", "--dir", str(parent)]
            made.add(parent)
        cmd += ["--ro-bind", str(tree), str(tree)]
    # the home is a tmpfs: its size is bounded, and nothing the submission leaves in it (a link,
    # a fifo) is ever seen by the grader, which reads and writes none of it
    cmd += ["--perms", "0755", "--dir", str(Path(SANDBOX_WORKER).parent),
            "--ro-bind", str(WORKER), SANDBOX_WORKER, "--ro-bind", str(stage), SANDBOX_STAGE,
            # the bpkit the grader imported (a worktree's, say), not the one an editable
            # install's path hook names, and without the folder around it (solutions/)
            "--perms", "0755", "--dir", SANDBOX_LIB, "--ro-bind", str(bpkit_dir),
            f"{SANDBOX_LIB}/bpkit",
            "--perms", "0755", "--dir", "/home", "--perms", "0777",
            "--size", str(max(limits.disk, MiB)), "--tmpfs", SANDBOX_HOME,
            "--chdir", SANDBOX_HOME]
    if zygote:
        cmd += ["--ro-bind", str(FORKSERVER), SANDBOX_FORKSERVER]
    return cmd + ["--", python, "-I", SANDBOX_FORKSERVER if zygote else SANDBOX_WORKER]


closing = []  # (process, cgroup, private folder) of sandboxes killed, not yet cleaned up


@functools.lru_cache(maxsize=None)
def sweep_private_folders():
    """Remove the private folders of graders that were killed outright (SIGKILL). Another
    grader may be removing the same ones: whatever is gone already is simply skipped."""
    for folder in Path(tempfile.gettempdir()).glob("bpgrade-*-*"):
        owner = folder.name.split("-")[1]
        try:
            info = folder.lstat()
        except OSError:
            continue
        if (owner.isdigit() and not confine.alive(int(owner)) and stat.S_ISDIR(info.st_mode)
                and info.st_uid == os.geteuid()):
            shutil.rmtree(folder, ignore_errors=True)


def finish_closing():
    """Reap the killed sandboxes, remove their cgroups and private folders."""
    while closing:
        proc, cgroup, private = closing.pop()
        if proc is not None:
            proc.wait()
        if cgroup is not None:
            cgroup.remove()
        if private is not None:
            shutil.rmtree(private, ignore_errors=True)  # rmtree never follows links


@functools.lru_cache(maxsize=None)
def _registered(pid):
    # a worker of a process pool ends without atexit, and multiprocessing clears the finalisers
    # it inherits: register in each process, its own finaliser and atexit both
    from multiprocessing import util
    util.Finalize(None, finish_closing, exitpriority=10)
    atexit.register(finish_closing)


def finish_at_exit():
    _registered(os.getpid())
