"""Starting workers by forking a Python that has already imported what notebooks import.

A new Python in a new bubblewrap spends about half a second importing numpy, matplotlib, IPython
and bpkit before a light notebook's first cell can run: a third of its grading. The zygote is one
such Python per grading process, started once in its own bubblewrap (it sees what a worker sees,
and nothing of any submission), which has imported all of that and then only forks: each child
confines itself before any submission's code runs, as a new bubblewrap would (forkserver.py),
and joins the cgroup the grader made for that submission through files the grader opened.

Used where it can be as strict as a new bubblewrap: as root, with bubblewrap and cgroups. Set
BPGRADER_ZYGOTE=0 to start every worker in its own bubblewrap instead (for comparison).
"""
import base64
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader import isolation
from grader.worker import read_frame, write_frame

MAX_FILES = 32 * 1024 * 1024  # data files sent with a spawn request; more: a bubblewrap of its own


def wanted():
    return os.environ.get("BPGRADER_ZYGOTE", "1") != "0" and os.geteuid() == 0


class ZygoteFailed(Exception):
    """The zygote could not start or fork: the grader's or the machine's fault."""


class Zygote:
    """The zygote process of this grading process and the channel to it (trusted: it runs only
    the grader's code)."""

    def __init__(self, bwrap, limits):
        self.private = Path(tempfile.mkdtemp(prefix=f"bpgrade-{os.getpid()}-"))
        isolation.write_stage(self.private / "stage", {})
        ours, theirs = socket.socketpair()
        cmd = isolation.bwrap_command(bwrap, self.private / "stage", limits, sys.executable,
                                      zygote=True)
        cmd += [isolation.SANDBOX_STAGE, str(theirs.fileno())]
        env = isolation.worker_environment(isolation.SANDBOX_HOME)
        with open(self.private / "zygote.log", "ab") as log:
            try:
                self.proc = subprocess.Popen(cmd, cwd=self.private, env=env,
                                             stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                             pass_fds=(theirs.fileno(),), start_new_session=True)
            finally:
                theirs.close()
        self.sock = ours
        try:
            if not select.select([ours], [], [], limits.startup_timeout)[0]:
                raise OSError("no answer in time")
            ready = read_frame(self.sock.fileno())
        except (OSError, EOFError, ValueError) as exc:
            self.close()
            raise ZygoteFailed(f"the zygote did not start: {exc}") from None
        if not ready.get("ready"):
            self.close()
            raise ZygoteFailed("the zygote did not start")

    @property
    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def _ask(self, message, fds=()):
        try:
            write_frame(self.sock.fileno(), message)
            if fds:
                socket.send_fds(self.sock, [b"F"], list(fds))
            reply = read_frame(self.sock.fileno())
        except (OSError, EOFError, ValueError) as exc:
            self.close()
            raise ZygoteFailed(f"the zygote stopped answering: {exc}") from None
        if not reply.get("ok"):
            raise ZygoteFailed(f"the zygote could not do it: {reply.get('error')}")
        return reply

    def spawn(self, channel_fd, log_fd, cgroup_files, files, limits, rlimits):
        """Fork a confined worker that serves channel_fd; returns its outer process's pid in the
        zygote's namespace (see Child)."""
        procs = [os.open(path, os.O_WRONLY) for path in cgroup_files]
        try:
            request = {"op": "spawn", "limits": rlimits, "disk": limits.disk,
                       "home": isolation.SANDBOX_HOME,
                       "files": {name: base64.b64encode(data).decode()
                                 for name, data in files.items()}}
            return self._ask(request, [channel_fd, log_fd, *procs])["pid"]
        finally:
            for fd in procs:
                os.close(fd)

    def status(self, pid, forget=False):
        """How the child ended (exit status, or 128 + signal), or None while it runs."""
        if not self.alive:
            return -9
        return self._ask({"op": "status", "pid": pid, "forget": forget})["exit"]

    def close(self):
        if self.proc is not None:
            self.sock.close()
            isolation.kill(isolation.process_tree(self.proc.pid))
            self.proc.wait()
            self.proc = None
        shutil.rmtree(self.private, ignore_errors=True)


class Child:
    """A worker forked by the zygote, as the sandbox sees it: in place of the bubblewrap process
    (`pid` is its outermost process, on this side; it ends as the worker ended)."""

    def __init__(self, zygote, inner_pid, cgroup):
        self.zygote, self.inner_pid, self.cgroup = zygote, inner_pid, cgroup
        self.returncode = None
        self._pid = None

    @property
    def pid(self):
        """The outermost process on this side, once it has joined its cgroup (else None)."""
        if self._pid is None:
            self._pid = outer_pid(self.cgroup.pids())
        return self._pid

    def poll(self):
        if self.returncode is None:
            try:
                code = self.zygote.status(self.inner_pid)
            except ZygoteFailed:
                code = -9
            if code is not None:
                self.returncode = code if code <= 128 else -(code - 128)
        return self.returncode

    def wait(self, timeout=None):
        ends = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if ends is not None and time.monotonic() > ends:
                raise subprocess.TimeoutExpired(f"worker {self.pid}", timeout)
            time.sleep(0.002)
        try:
            self.zygote.status(self.inner_pid, forget=True)
        except ZygoteFailed:
            pass
        return self.returncode


_zygotes = {}  # {(this process's pid, bwrap): Zygote}, one per grading process


def get(bwrap, limits):
    """This process's zygote (started on first use, again if it died), or None if it cannot
    start here."""
    key = (os.getpid(), bwrap)
    found = _zygotes.get(key)
    if found is False:
        return None
    if found is not None and found.alive:
        return found
    try:
        _zygotes[key] = Zygote(bwrap, limits)
    except (ZygoteFailed, OSError) as exc:
        print(f"grader: workers start without a zygote here ({exc})", file=sys.stderr)
        _zygotes[key] = False
        return None
    return _zygotes[key]


def outer_pid(cgroup_pids):
    """The outermost process of a child that just started: the one of the cgroup's processes
    whose parent is not in it."""
    members = set(cgroup_pids)
    for pid in members:
        parent = isolation.parent_pid(pid)
        if parent is not None and parent not in members:
            return pid
    return None
