"""Starting a submission's worker in its sandbox, and the processes that serve its tests.

A Sandbox holds the worker that runs the student's cells (restartable) and the snapshots forked
from it that serve the tests; every request to them has a deadline the grader keeps (Channel).
How the sandbox is built and emptied is in grader.isolation; its budgets in grader.confine.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bpkit.checks.core import call_seconds
from grader import zygote
from grader.channel import Channel, RemoteError, SandboxDied  # noqa: F401 (re-exported)
from grader.confine import Cgroup
from grader.isolation import (SANDBOX_HOME, SANDBOX_STAGE, WORKER, MiB, bwrap_available,
                              isolation_warning)  # noqa: F401 (re-exported)
from grader.isolation import (bwrap_command, closing, finish_at_exit, finish_closing, kill,
                              process_tree, sandbox_uid, sweep_private_folders, worker_environment,
                              write_stage)


@dataclass
class Limits:
    """Resource limits for one submission's process (all configurable from the command line)."""
    memory: int = 2048 * MiB         # address space, bytes
    cpu_seconds: int = 300           # CPU time of the whole process
    processes: int = 64              # only enforced for non-root users
    file_size: int = 64 * MiB        # largest file it may write
    disk: int = 512 * MiB            # its home (a tmpfs, in memory); its /tmp gets a quarter
    open_files: int = 256
    cell_timeout: float = 60.0       # wall-clock seconds for one cell or one call
    startup_timeout: float = 60.0
    notebook_timeout: float = 600.0  # wall-clock cap for a whole notebook, replays included

    def rlimits(self):
        return {"as": self.memory, "cpu": self.cpu_seconds, "nproc": self.processes,
                "fsize": self.file_size, "nofile": self.open_files, "core": 0}


class SandboxUnavailable(Exception):
    """The worker could not even start: a fault of the grader or the machine, not the student."""


class Sandbox:
    """The processes of one notebook of one submission: the worker that runs the student's cells
    (`main`, restartable), and the snapshots forked from it that serve the tests.

    files: {name: bytes}, the submission's data files, which every (re)start begins with.
    deadline: an absolute time.monotonic() after which no request is sent (the notebook's cap).
    Call close() when done: it kills every process and removes the sandbox's private folder.
    """

    def __init__(self, files=None, limits=None, isolation="auto"):
        self.files = dict(files or {})
        self.limits = limits or Limits()
        self.bwrap = bwrap_available() if isolation in ("auto", "bwrap") else None
        if isolation == "bwrap" and not self.bwrap:
            raise RuntimeError("bubblewrap was asked for but cannot run here")
        self.deadline = float("inf")
        self.exhausted = ""  # why nothing more may run (all its CPU time used)
        self.cgroup = None   # every process of the sandbox, where the machine allows cgroups
        self.proc = self.main = None
        self.snapshots = []
        self.known = set()   # sandbox pids of the worker and its snapshots (as they say)
        self.generation = 0
        self.private = None  # the grader's own folder: stage/, worker.log and (unsandboxed) homes

    @property
    def alive(self):
        return self.main is not None and self.main.alive and self.proc.poll() is None

    def clock(self, doing):
        """(seconds the next request may take, the absolute time it must be answered by): the
        limit for a cell or call, shorter inside a test's bpkit.checks.time_limit block."""
        if self.exhausted:
            raise SandboxDied(f"{self.exhausted}; nothing more ran, from {doing} on.")
        now = time.monotonic()
        seconds = min(self.limits.cell_timeout, self.deadline - now,
                      call_seconds() or self.limits.cell_timeout)
        if seconds <= 0:
            raise SandboxDied(f"The notebook's time cap was reached before {doing}.")
        return seconds, now + seconds

    def watch(self):
        """Called while waiting: ends the sandbox once all its processes together have used
        their CPU time (a cgroup counts them all, the dead ones too)."""
        if self.cgroup is not None and not self.exhausted:
            used = self.cgroup.cpu_seconds()
            if used > self.limits.cpu_seconds:
                self.exhausted = (f"The notebook's processes used {used:.0f} s of CPU time in all, "
                                  f"over the limit of {self.limits.cpu_seconds:g} s")
                self.stop()
        return self.exhausted

    def _private_folder(self):
        """The grader's own folder for this sandbox (the log, the stage), made on first use."""
        if self.private is None:
            sweep_private_folders()
            self.private = Path(tempfile.mkdtemp(prefix=f"bpgrade-{os.getpid()}-"))
        return self.private

    def _prepare(self):
        """A fresh home for this start: in bubblewrap a new tmpfs that the worker fills from the
        read-only stage; without it a new folder that the grader fills before the worker runs."""
        if not (self._private_folder() / "stage").exists():
            write_stage(self.private / "stage", self.files)
        if self.bwrap:
            return SANDBOX_HOME, SANDBOX_STAGE
        home = self.private / f"home-{self.generation}"
        shutil.copytree(self.private / "stage", home)
        return str(home), ""

    def start(self):
        self.stop()
        if self.cgroup is None and self.generation == 0:
            # the whole submission's memory (its tmpfs too), processes and one CPU at most
            self.cgroup = Cgroup.create(self.limits.memory, self.limits.processes)
        if self._start_forked():
            return
        home, stage = self._prepare()
        ours, theirs = socket.socketpair()
        rlimits = self.limits.rlimits()
        if self.bwrap and os.geteuid() == 0:
            rlimits["run_as"] = sandbox_uid()
        argv = [str(theirs.fileno()), json.dumps(rlimits), stage]
        python = sys.executable
        if self.bwrap:
            cmd = bwrap_command(self.bwrap, self.private / "stage", self.limits, python) + argv
        else:
            cmd = [python, "-I", str(WORKER)] + argv
        if self.cgroup is not None:
            cmd = self.cgroup.wrap(cmd)
        env = worker_environment(home)
        # the log is the grader's file in the grader's folder, which the sandbox never sees
        with open(self.private / "worker.log", "ab") as log:
            try:
                self.proc = subprocess.Popen(
                    cmd, cwd=self.private if self.bwrap else home, env=env,
                    stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                    pass_fds=(theirs.fileno(),), start_new_session=True)
            finally:
                theirs.close()
        self._connect(ours)

    def _start_forked(self):
        """Start the worker as a child of this process's zygote (grader.zygote), confined as
        a new bubblewrap would confine it; False where there is no zygote."""
        if not (self.bwrap and self.cgroup is not None and zygote.wanted()
                and sum(len(data) for data in self.files.values()) <= zygote.MAX_FILES):
            return False
        found = zygote.get(self.bwrap, self.limits)
        if found is None:
            return False
        self._private_folder()  # for the log only: the data files go with the request
        ours, theirs = socket.socketpair()
        rlimits = dict(self.limits.rlimits(), run_as=sandbox_uid())
        with open(self.private / "worker.log", "ab") as log:
            try:
                inner = found.spawn(theirs.fileno(), log.fileno(), self.cgroup.procs_files(),
                                    self.files, self.limits, rlimits)
            except zygote.ZygoteFailed:
                ours.close()
                return False
            finally:
                theirs.close()
        self.proc = zygote.Child(found, inner, self.cgroup)
        self._connect(ours)
        return True

    def _connect(self, ours):
        """The channel to the worker just started, once it says it is ready."""
        self.generation += 1
        self.main = Channel(ours, self.clock, self._main_lost, self._death_reason, self.watch)
        try:
            ready = self.main.receive(time.monotonic() + self.limits.startup_timeout,
                                      "starting the notebook's Python process")
        except SandboxDied as exc:
            # no student code has run yet: this is the grader's or the machine's fault
            log = (self.private / "worker.log").read_text(errors="replace")[-2000:]
            raise SandboxUnavailable(f"{exc}\n{log}") from None
        self.known = {ready.get("pid")} if isinstance(ready, dict) else set()

    def execute(self, code, doing="running a cell"):
        """Run a cell in the worker; then end any process the cell left behind."""
        try:
            return self.main.execute(code, doing)
        finally:
            if self.alive:
                self.end_strays()

    def snapshot(self, doing):
        """A Channel to a copy of the worker as it is now (forked), which will serve a test."""
        ours, theirs = socket.socketpair()
        try:
            raw = self.main.send({"op": "snapshot"}, doing, fds=[theirs.fileno()])
        finally:
            theirs.close()
        if not raw.get("ok"):
            ours.close()
            raise SandboxDied(f"The notebook's state could not be copied while {doing}.")
        channel = Channel(ours, self.clock, self._snapshot_lost, watch=self.watch)
        channel.pid = raw.get("pid")
        self.known.add(channel.pid)
        self.snapshots.append(channel)
        return channel

    def end_strays(self):
        """Kill every process in the sandbox but bwrap, the worker and the snapshots: what a cell
        started ends with it."""
        expected = len(self.known) + (2 if self.bwrap else 0)  # + bwrap and its init
        if self.cgroup is not None and self.cgroup.count() == expected:
            return  # nothing was left running (the usual case): no need to look through /proc
        keep = set(self.known) | ({1} if self.bwrap else set())
        tree = process_tree(self.proc.pid)
        kill(host for host, inside in tree.items() if host != self.proc.pid and inside not in keep)

    def _snapshot_lost(self, channel):
        if self.proc is not None and self.proc.poll() is None:
            kill(host for host, inside in process_tree(self.proc.pid).items()
                 if inside == channel.pid and host != self.proc.pid)
        self.known.discard(channel.pid)

    def _main_lost(self, channel):
        self.stop()

    def _death_reason(self, doing):
        try:
            code = self.proc.wait(timeout=GRACE_EXIT)
        except subprocess.TimeoutExpired:
            return (f"The notebook's Python process stopped answering while {doing} (it closed "
                    "the grader's channel).")
        signum = -code if code < 0 else (code - 128 if code > 128 else 0)
        names = {signal.SIGKILL: "was killed (over the memory or CPU-time limit?)",
                 signal.SIGSEGV: "crashed with a segmentation fault",
                 signal.SIGXCPU: "ran out of CPU time", signal.SIGABRT: "aborted"}
        if signum:
            how = names.get(signum, f"was stopped by signal {signum}")
        else:
            how = f"exited with status {code} (os._exit or a hard exit in the code?)"
        return f"The notebook's Python process {how} while {doing}."

    def stop(self):
        """Kill every process of the sandbox (the worker, its snapshots, anything they started)."""
        for channel in [self.main, *self.snapshots]:
            if channel is not None:
                channel.close()
        self.snapshots, self.known = [], set()
        if self.proc is None:
            return
        self._kill_worker()
        self.proc.wait()  # bwrap's pid namespace ends with it: its processes go too
        if self.cgroup is not None:
            self.cgroup.kill()  # and anything that was outside it (no bubblewrap)

    def _kill_worker(self):
        if self.proc.pid is not None:
            kill(process_tree(self.proc.pid))
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if isinstance(self.proc, zygote.Child):
            self.cgroup.kill()  # the zygote reaps the outermost process when it is gone

    def close(self):
        """Kill every process now; remove the cgroup and the private folder once they are gone,
        which the next sandbox's close (or this process's exit) finishes without waiting."""
        for channel in [self.main, *self.snapshots]:
            if channel is not None:
                channel.close()
        if self.proc is not None:
            self._kill_worker()
        finish_closing()
        finish_at_exit()
        closing.append((self.proc, self.cgroup, self.private))
        self.proc = self.main = self.cgroup = self.private = None
        self.snapshots, self.known = [], set()


GRACE_EXIT = 2.0  # seconds to wait for the exit status of a worker that closed its channel
