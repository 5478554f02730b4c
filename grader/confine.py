"""One control group per sandbox: the limits of a submission as a whole, kept by the kernel.

Per-process limits (rlimits) do not add up: a submission can fork, and its tmpfs home and /tmp
are memory no process is charged for. A cgroup holds every process of one sandbox, so the kernel
can bound its memory (page cache and tmpfs included), its number of processes and its share of
the CPU (one core at most: with one grading worker per core, a hog cannot slow its neighbours),
and the grader can read the CPU time of all its processes together and end them all at once.

Cgroups need root (or a delegated subtree). `Cgroup.create` returns None where they cannot be
made; the sandbox then falls back on per-process limits, and `available()` says which applies.
Both cgroup v2 and the older v1 hierarchy (one mount per controller) are supported.
"""
import functools
import os
import secrets
import signal
import time
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
PARENT = "bpgrader"
V1_CONTROLLERS = ("memory", "pids", "cpu", "cpuacct")


def _write(path, value):
    with open(path, "w") as handle:
        handle.write(str(value))


def _read(path):
    with open(path) as handle:
        return handle.read()


@functools.lru_cache(maxsize=None)
def version():
    """2 or 1 if this process can make cgroups with the controllers needed, else None."""
    if os.geteuid() != 0:
        return None
    if (ROOT / "cgroup.controllers").exists():
        needed = {"memory", "pids", "cpu"}
        if needed <= set(_read(ROOT / "cgroup.controllers").split()):
            try:
                (ROOT / PARENT).mkdir(exist_ok=True)
                _write(ROOT / "cgroup.subtree_control", "+memory +pids +cpu")
                _write(ROOT / PARENT / "cgroup.subtree_control", "+memory +pids +cpu")
                return 2
            except OSError:
                return None
        return None
    try:
        for controller in V1_CONTROLLERS:
            (ROOT / controller / PARENT).mkdir(exist_ok=True)
        return 1
    except OSError:
        return None


def available():
    return version() is not None


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@functools.lru_cache(maxsize=None)
def sweep():
    """Remove the empty cgroups that graders killed outright (SIGKILL) left behind."""
    for parent in [ROOT / PARENT] + [ROOT / c / PARENT for c in V1_CONTROLLERS]:
        for path in parent.glob("*-*") if parent.is_dir() else ():
            owner = path.name.split("-")[0]
            if owner.isdigit() and not alive(int(owner)):
                try:
                    path.rmdir()  # fails, harmlessly, while a task is still in it
                except OSError:
                    pass


class Cgroup:
    """The cgroup (v2) or the cgroups, one per controller (v1), of one sandbox."""

    def __init__(self, paths, version_):
        self.paths, self.version = paths, version_

    @classmethod
    def create(cls, memory, processes):
        """A new cgroup limited to `memory` bytes, `processes` tasks and one CPU, or None."""
        found = version()
        if found is None:
            return None
        sweep()
        name = f"{os.getpid()}-{secrets.token_hex(4)}"
        try:
            if found == 2:
                path = ROOT / PARENT / name
                path.mkdir()
                _write(path / "memory.max", memory)
                if (path / "memory.swap.max").exists():
                    _write(path / "memory.swap.max", 0)
                _write(path / "pids.max", processes)
                _write(path / "cpu.max", "100000 100000")
                return cls({"all": path}, 2)
            paths = {c: ROOT / c / PARENT / name for c in V1_CONTROLLERS}
            for path in paths.values():
                path.mkdir()
            _write(paths["memory"] / "memory.limit_in_bytes", memory)
            _write(paths["pids"] / "pids.max", processes)
            _write(paths["cpu"] / "cpu.cfs_period_us", 100000)
            _write(paths["cpu"] / "cpu.cfs_quota_us", 100000)
            return cls(paths, 1)
        except OSError:
            return None

    def procs_files(self):
        """The files a process writes its pid to, to join this cgroup."""
        return [str(p / "cgroup.procs") for p in self.paths.values()]

    def wrap(self, cmd):
        """cmd, started so that it joins this cgroup before it runs (and before it forks)."""
        files = self.procs_files()
        script = 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 111; ' \
                 'shift; n=$((n-1)); done; exec "$@"'
        return ["/bin/sh", "-c", script, "sh", str(len(files)), *files, *cmd]

    def pids(self):
        path = self.paths.get("all") or self.paths["pids"]
        try:
            return [int(p) for p in _read(path / "cgroup.procs").split()]
        except OSError:
            return []

    def count(self):
        """How many tasks are in the cgroup now (one file read: cheap enough for every cell)."""
        path = self.paths.get("all") or self.paths["pids"]
        try:
            return int(_read(path / "pids.current"))
        except (OSError, ValueError):
            return -1

    def cpu_seconds(self):
        """CPU time used by every process that ever ran in the cgroup."""
        try:
            if self.version == 2:
                for line in _read(self.paths["all"] / "cpu.stat").splitlines():
                    if line.startswith("usage_usec"):
                        return int(line.split()[1]) / 1e6
                return 0.0
            return int(_read(self.paths["cpuacct"] / "cpuacct.usage")) / 1e9
        except (OSError, ValueError):
            return 0.0

    def kill(self):
        """End every process in the cgroup (also those forked while it is being emptied)."""
        if self.version == 2 and (self.paths["all"] / "cgroup.kill").exists():
            try:
                _write(self.paths["all"] / "cgroup.kill", 1)
            except OSError:
                pass
        for attempt in range(400):
            pids = self.pids()
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            time.sleep(0.001 if attempt < 100 else 0.01)

    def remove(self):
        for path in self.paths.values():
            for attempt in range(400):  # the kernel lets go of a cgroup once its tasks are gone
                try:
                    path.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    self.kill()
                    time.sleep(0.001 if attempt < 100 else 0.01)
