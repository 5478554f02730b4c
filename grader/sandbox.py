"""Starting the worker in a sandbox and talking to it.

With bubblewrap (Linux), the worker sees a read-only system, the Python installation and bpkit,
a fresh size-limited home (the submission's data files, copied in by the worker itself before any
student code runs) and a private /tmp, and nothing else: not the course folder, the gradebook,
other submissions or the network. Without bubblewrap it runs as an ordinary process with resource
limits, and `isolation_warning()` says what that leaves open.

The grader never follows a link the submission could have made and never writes where the
submission can write: its own files (the staged data files, the worker's log) live in a private
folder that is never mounted into the sandbox, and the sandbox's home is a tmpfs that vanishes
with the worker.
"""
import functools
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from grader import wire
from grader.worker import MAX_FRAME, _HEADER

WORKER = Path(__file__).with_name("worker.py")
SANDBOX_WORKER = "/opt/bpgrader/worker.py"
SANDBOX_HOME = "/home/student"  # the worker's home and working folder inside the sandbox
SANDBOX_STAGE = "/opt/bpgrader/stage"  # the staged data files, read-only inside the sandbox

MiB = 1024 * 1024


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


class SandboxDied(Exception):
    """The worker process ended or stopped answering; the message says how, for the student."""


class SandboxUnavailable(Exception):
    """The worker could not even start: a fault of the grader or the machine, not the student."""


@dataclass
class Reply:
    ok: bool
    value: object = None
    error: str = ""
    warnings: list = field(default_factory=list)
    args_after: list = field(default_factory=list)
    stdout: str = ""
    stderr: str = ""
    timeout: bool = False


@functools.lru_cache(maxsize=None)
def bwrap_available():
    path = shutil.which("bwrap")
    if not path or not sys.platform.startswith("linux"):
        return None
    probe = subprocess.run([path, "--ro-bind", "/", "/", "--unshare-all", "true"],
                           capture_output=True)
    return path if probe.returncode == 0 else None


def isolation_warning():
    return ("WARNING: bubblewrap (bwrap) is not available, so submissions run as ordinary "
            "processes with resource limits only. Their code can read every file you can read "
            "(solutions, hidden tests, other submissions), write where you can write and use "
            "the network. Install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) "
            "before grading submissions you do not trust.")


NOBODY = 65534


@functools.lru_cache(maxsize=None)
def _matplotlib_font_cache():
    """This environment's matplotlib font list (built once), or None."""
    try:
        import matplotlib
        import matplotlib.font_manager  # noqa: F401 (builds the font list if missing)
    except ImportError:
        return None
    found = sorted(Path(matplotlib.get_cachedir()).glob("fontlist-*.json"))
    return found[-1] if found else None


def _write_stage(stage, files):
    """The grader's own copy of what the worker starts with: the data files and matplotlib's font
    list (without it every worker rebuilds the list: about a second per notebook)."""
    stage.mkdir(mode=0o755)
    for name, data in files.items():
        (stage / name).write_bytes(data)
        (stage / name).chmod(0o644)
    cache = _matplotlib_font_cache()
    if cache is not None:
        (stage / ".matplotlib").mkdir(mode=0o755, exist_ok=True)
        shutil.copyfile(cache, stage / ".matplotlib" / cache.name)
        (stage / ".matplotlib" / cache.name).chmod(0o644)


def _bwrap_command(bwrap, stage, limits, python):
    """Mount only what the worker needs; everything else does not exist inside."""
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
                   "--cap-add", "CAP_SETGID"]
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
    for tree in sorted({base_prefix, prefix, bpkit_dir}):
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
            "--perms", "0755", "--dir", "/home", "--perms", "0777",
            "--size", str(max(limits.disk, MiB)), "--tmpfs", SANDBOX_HOME,
            "--chdir", SANDBOX_HOME, "--"]
    return cmd + [python, "-I", SANDBOX_WORKER]


class Session:
    """One worker process, restartable, for one notebook of one submission.

    files: {name: bytes}, the submission's data files, which every (re)start begins with.
    Call close() when done: it stops the worker and removes the session's private folder.
    """

    def __init__(self, files=None, limits=None, isolation="auto"):
        self.files = dict(files or {})
        self.limits = limits or Limits()
        self.bwrap = bwrap_available() if isolation in ("auto", "bwrap") else None
        if isolation == "bwrap" and not self.bwrap:
            raise RuntimeError("bubblewrap was asked for but cannot run here")
        self.proc = None
        self.generation = 0
        self.seq = 0
        self.private = None  # the grader's own folder: stage/, worker.log and (unsandboxed) homes

    @property
    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def _prepare(self):
        """A fresh home for this start: in bubblewrap a new tmpfs that the worker fills from the
        read-only stage; without it a new folder that the grader fills before the worker runs."""
        if self.private is None:
            self.private = Path(tempfile.mkdtemp(prefix="bpgrade-"))
            _write_stage(self.private / "stage", self.files)
        if self.bwrap:
            return SANDBOX_HOME, SANDBOX_STAGE
        home = self.private / f"home-{self.generation}"
        shutil.copytree(self.private / "stage", home)
        return str(home), ""

    def close(self):
        self.stop()
        if self.private is not None:
            shutil.rmtree(self.private, ignore_errors=True)  # rmtree never follows links
            self.private = None

    def start(self):
        self.stop()
        home, stage = self._prepare()
        request_r, request_w = os.pipe()
        reply_r, reply_w = os.pipe()
        python = sys.executable
        rlimits = self.limits.rlimits()
        if self.bwrap and os.geteuid() == 0:
            rlimits["run_as"] = NOBODY
        argv = [str(request_r), str(reply_w), json.dumps(rlimits), stage]
        if self.bwrap:
            cmd = _bwrap_command(self.bwrap, self.private / "stage", self.limits, python) + argv
        else:
            cmd = [python, "-I", str(WORKER)] + argv
        env = {"PATH": "/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8",
               "MPLBACKEND": "Agg", "BPKIT_HEADLESS": "1", "MPLCONFIGDIR": f"{home}/.matplotlib",
               "IPYTHONDIR": f"{home}/.ipython", "PYTHONHASHSEED": "0",
               "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        # the log is the grader's file in the grader's folder, which the sandbox never sees
        log = open(self.private / "worker.log", "ab")
        try:
            self.proc = subprocess.Popen(cmd, cwd=home if not self.bwrap else self.private,
                                         env=env, stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=log, pass_fds=(request_r, reply_w),
                                         start_new_session=True)
        finally:
            log.close()
            os.close(request_r)
            os.close(reply_w)
        self.request_fd, self.reply_fd = request_w, reply_r
        self.generation += 1
        try:
            self._read(self.limits.startup_timeout, "starting the notebook's Python process")
        except SandboxDied as exc:
            # no student code has run yet: this is the grader's or the machine's fault
            log = (self.private / "worker.log").read_text(errors="replace")[-2000:]
            raise SandboxUnavailable(f"{exc}\n{log}") from None

    def stop(self):
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()
        for fd in (self.request_fd, self.reply_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        self.proc = None

    def _death_reason(self, doing):
        self.proc.wait()
        code = self.proc.returncode
        signum = -code if code < 0 else (code - 128 if code > 128 else 0)
        names = {signal.SIGKILL: "was killed (over the memory or CPU-time limit?)",
                 signal.SIGSEGV: "crashed with a segmentation fault",
                 signal.SIGXCPU: "ran out of CPU time", signal.SIGABRT: "aborted"}
        if signum:
            how = names.get(signum, f"was stopped by signal {signum}")
        else:
            how = f"exited with status {code} (os._exit or a hard exit in the code?)"
        return f"The notebook's Python process {how} while {doing}."

    def _read(self, timeout, doing):
        deadline = time.monotonic() + timeout
        data = b""
        need = _HEADER.size
        size = None
        while len(data) < need:
            remaining = deadline - time.monotonic()
            ready = select.select([self.reply_fd], [], [], max(remaining, 0))[0]
            if not ready:
                self.stop()
                raise SandboxDied(f"Timed out while {doing}: no answer within the time limit "
                                  "(an endless loop, or far too slow?).")
            chunk = os.read(self.reply_fd, min(need - len(data), 1 << 20))
            if not chunk:
                reason = self._death_reason(doing)
                self.stop()
                raise SandboxDied(reason)
            data += chunk
            if size is None and len(data) >= _HEADER.size:
                (size,) = _HEADER.unpack(data[:_HEADER.size])
                if size > MAX_FRAME:
                    self.stop()
                    raise SandboxDied(f"The notebook sent an oversized reply while {doing}.")
                need = _HEADER.size + size
        try:
            return json.loads(data[_HEADER.size:])
        except ValueError:
            self.stop()
            raise SandboxDied(f"The notebook sent a malformed reply while {doing}.") from None

    def send(self, message, doing):
        """Send one request and return the raw reply; SandboxDied if the worker is lost."""
        if not self.alive:
            raise SandboxDied(f"The notebook's Python process was not running while {doing}.")
        timeout = self.limits.cell_timeout
        self.seq += 1
        message = dict(message, timeout=timeout, seq=self.seq)
        try:
            from grader.worker import write_frame
            write_frame(self.request_fd, message)
        except OSError:
            reason = self._death_reason(doing)
            self.stop()
            raise SandboxDied(reason) from None
        # the worker interrupts itself at `timeout`; the grace period covers code that ignores it
        deadline = time.monotonic() + timeout + 5
        while True:
            raw = self._read(max(deadline - time.monotonic(), 0), doing)
            if not isinstance(raw, dict):
                self.stop()
                raise SandboxDied(f"The notebook sent a malformed reply while {doing}.")
            if raw.get("seq") == self.seq:
                return raw
            # a stale reply (e.g. from a process the student's code forked): not ours

    def execute(self, code, doing="running a cell"):
        raw = self.send({"op": "exec", "code": code}, doing)
        return Reply(ok=bool(raw.get("ok")), error=str(raw.get("error", ""))[:4000],
                     stdout=str(raw.get("stdout", ""))[:40000],
                     stderr=str(raw.get("stderr", ""))[:40000], timeout=bool(raw.get("timeout")))

    def evaluate(self, message, doing, return_args=False):
        """A call/getattr/operator request; the value decoded as plain data."""
        raw = self.send(dict(message, return_args=return_args), doing)
        reply = Reply(ok=bool(raw.get("ok")), error=str(raw.get("error", ""))[:4000],
                      timeout=bool(raw.get("timeout")))
        try:
            if reply.ok:
                reply.value = wire.decode(raw.get("value"), self)
                reply.args_after = wire.decode(raw.get("args_after", []), self)
            warnings = raw.get("warnings", [])
            reply.warnings = [str(w)[:500] for w in warnings][:20] if isinstance(warnings,
                                                                                 list) else []
        except wire.BadReply as exc:
            reply.ok, reply.error = False, f"returned a value the grader cannot read: {exc}"
        return reply

    def encode(self, value):
        return wire.encode(value)

    def request(self, message):
        """Used by RemoteObject: evaluate and return the value, raising on error."""
        reply = self.evaluate(message, "evaluating an object the code returned")
        if not reply.ok:
            raise RemoteError(reply.error)
        return reply.value

    def call(self, target, args, kwargs):
        reply = self.evaluate({"op": "call", "target": target,
                               "args": [wire.encode(a) for a in args],
                               "kwargs": {k: wire.encode(v) for k, v in kwargs.items()}},
                              "calling a function")
        if not reply.ok:
            raise RemoteError(reply.error)
        return reply.value


class RemoteError(Exception):
    """The submission's code raised an exception in the sandbox; the message is its own."""
