"""The process that runs a submission's code, inside the sandbox.

It executes notebook cells in an IPython shell and answers the grader's requests to call the
functions the cells defined. Everything it sends back is plain data: JSON, with numeric arrays as
their raw bytes, dtype and shape. The grader treats all of it as untrusted (this process runs the
student's code, so the student controls it); it never sends anything that could run code in the
grader.

The grader talks to it over one Unix socket. A "snapshot" request forks the worker: the child
serves the grader on a socket the grader passes along with the request, so that the tests of one
grade cell run in a copy of the notebook's state at that cell, while the worker goes on with the
next cells. What the worker reports about itself (warnings, what a call did to its arguments) is
never sent: only the values the student's functions return.

Run as: python -I worker.py SOCKET_FD LIMITS_JSON STAGE (STAGE: a read-only folder to copy into the
working folder before any student code runs, or ""). Only the standard library, numpy and IPython
are imported here: this file is also imported by the grader for the framing functions.
"""
import base64
import io
import json
import os
import struct
import sys

MAX_FRAME = 64 * 1024 * 1024
MAX_TEXT = 20_000
MAX_ITEMS = 100_000
HEADER = struct.Struct(">I")


def write_frame(fd, message):
    data = json.dumps(message, allow_nan=False).encode()
    payload = HEADER.pack(len(data)) + data
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view):]


def read_exact(fd, size):
    chunks, remaining = [], size
    while remaining:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise EOFError("the other side closed the channel")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_frame(fd, limit=MAX_FRAME):
    (size,) = HEADER.unpack(read_exact(fd, HEADER.size))
    if size > limit:
        raise ValueError(f"a message of {size} bytes is over the limit of {limit}")
    return json.loads(read_exact(fd, size))


class CappedText(io.TextIOBase):
    """A text stream that keeps the first MAX_TEXT characters and counts the rest."""

    def __init__(self):
        self.parts, self.kept, self.dropped = [], 0, 0

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        room = MAX_TEXT - self.kept
        self.parts.append(text[:room])
        self.kept += min(len(text), max(room, 0))
        self.dropped += max(len(text) - max(room, 0), 0)
        return len(text)

    def getvalue(self):
        tail = f"\n... ({self.dropped} more characters not kept)" if self.dropped else ""
        return "".join(self.parts) + tail


class CellTimeout(BaseException):
    """Raised in the student's code at its time limit (`except Exception` does not catch it)."""


class Worker:
    OPERATORS = {"add", "sub", "mul", "truediv", "pow", "neg", "matmul", "floordiv", "mod"}

    def __init__(self, shell):
        import numpy
        self.np = numpy
        self.shell = shell
        self.refs = {}

    # --- values -------------------------------------------------------------------------------
    def encode(self, value, depth=0):
        np = self.np
        if depth > 20:
            return self.ref(value)
        if value is None or type(value) in (bool, str):
            return value if type(value) is not str else value[:MAX_TEXT]
        if type(value) is int:
            return value if abs(value) < 2 ** 63 else {"$float": repr(float(value))}
        if type(value) is float:
            finite = value == value and abs(value) != float("inf")
            return value if finite else {"$float": repr(value)}
        if isinstance(value, np.ndarray) and value.dtype.kind in "biufc" and value.size <= 10**7:
            return self.array(value.view(np.ndarray))
        if isinstance(value, np.generic) and value.dtype.kind in "biufc":
            return dict(self.array(np.asarray(value)), **{"$scalar": 1})
        if type(value) in (list, tuple) and len(value) <= MAX_ITEMS:
            tag = "$list" if type(value) is list else "$tuple"
            return {tag: [self.encode(v, depth + 1) for v in value]}
        if type(value) is dict and len(value) <= MAX_ITEMS and all(type(k) is str for k in value):
            return {"$dict": [[k, self.encode(v, depth + 1)] for k, v in value.items()]}
        return self.ref(value)

    def array(self, array):
        """A numeric array as its raw bytes (C order), dtype and shape: no header to parse."""
        array = self.np.require(array, requirements="C")  # keeps 0-d arrays 0-d
        return {"$nd": base64.b64encode(array.tobytes()).decode(), "$dt": array.dtype.str,
                "$sh": list(array.shape)}

    def ref(self, value):
        key = id(value)
        self.refs[key] = value
        try:
            text = repr(value)[:200]
        except BaseException:
            text = "<repr failed>"
        return {"$ref": key, "$type": type(value).__name__[:100], "$repr": text}

    def decode(self, data):
        np = self.np
        if isinstance(data, list):
            return [self.decode(v) for v in data]
        if not isinstance(data, dict):
            return data
        if "$nd" in data:  # the grader's own test input
            array = np.frombuffer(base64.b64decode(data["$nd"]), dtype=np.dtype(data["$dt"]))
            array = array.reshape(data["$sh"]).copy()
            return array[()] if data.get("$scalar") else array
        if "$float" in data:
            return float(data["$float"])
        if "$ref" in data:
            return self.refs[data["$ref"]]
        if "$fn" in data:  # a function the test wrote as text (bpkit.checks.portable)
            import math
            return eval(data["$fn"], {"np": np, "math": math})
        if "$list" in data:
            return [self.decode(v) for v in data["$list"]]
        if "$tuple" in data:
            return tuple(self.decode(v) for v in data["$tuple"])
        if "$dict" in data:
            return {k: self.decode(v) for k, v in data["$dict"]}
        raise ValueError(f"unknown value tag in {sorted(data)}")

    def target(self, spec):
        if "ref" in spec:
            return self.refs[spec["ref"]]
        name = spec["name"]
        if name not in self.shell.user_ns:
            raise NameError(f"name '{name}' is not defined: was its cell run, or renamed?")
        return self.shell.user_ns[name]

    # --- requests -----------------------------------------------------------------------------
    def handle(self, request):
        op = request.get("op")
        if op == "ping":
            return {"ok": True}
        if op == "exec":
            return self.execute(request["code"])
        if op == "release":
            for key in request.get("refs", []):
                self.refs.pop(key, None)
            return {"ok": True}
        return self.evaluate(request)

    def execute(self, code):
        result = self.shell.run_cell(code, store_history=False)
        error = result.error_before_exec or result.error_in_exec
        return {"ok": error is None, "error": describe(error) if error else ""}

    def evaluate(self, request):
        import operator
        op = request["op"]
        try:
            if op == "call":
                fn = self.target(request["target"])
                args = [self.decode(a) for a in request.get("args", [])]
                kwargs = {k: self.decode(v) for k, v in request.get("kwargs", {}).items()}
                value = fn(*args, **kwargs)
            elif op == "getattr":
                value = getattr(self.target(request["target"]), request["attr"])
            elif op == "operator" and request["fn"] in self.OPERATORS:
                value = getattr(operator, request["fn"])(*[self.decode(a) for a in request["args"]])
            elif op == "expression":  # a test's expression on the student's Value: one request
                from bpkit.checks.expressions import run_expression  # the grader's, preloaded
                value = run_expression(self.target(request["target"]), *request["args"])
            else:
                return {"ok": False, "error": f"unknown request {op!r}"}
            return {"ok": True, "value": self.encode(value)}
        except Exception as exc:
            return {"ok": False, "error": describe(exc)}


def describe(error):
    """'TypeError: ... (in f, line 3: `code`)', with the frame of the student's code."""
    import traceback
    text = f"{type(error).__name__}: {error}".rstrip(": ")[:2000]
    ours = ("worker.py", os.path.join("checks", "expressions.py"), "<expression>")
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if "site-packages" not in f.filename and not f.filename.endswith(ours)]
    if frames:
        last = frames[-1]
        code = f": `{last.line.strip()[:200]}`" if last.line else ""
        where = "cell" if last.name == "<module>" else last.name
        text += f" (in {where}, line {last.lineno}{code})"
    return text


def drop_privileges(uid):
    """Become an unprivileged user before any student code runs (the grader ran as root)."""
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    if os.getuid() != uid or os.geteuid() != uid:
        raise SystemExit("could not drop privileges")


def apply_limits(limits):
    import resource
    import signal
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    limits = dict(limits)
    limits.pop("run_as", None)  # main() dropped privileges first: a non-root user cannot raise
    for name, value in limits.items():
        kind = getattr(resource, f"RLIMIT_{name.upper()}", None)
        if kind is not None and value is not None:
            try:
                resource.setrlimit(kind, (value, value))
            except (ValueError, OSError):
                pass  # a limit the platform lacks; the grader's timeouts still apply


def make_shell():
    """The IPython shell that runs a submission's cells. A zygote makes it before it forks any
    worker (forkserver.preload): each worker then gets it as new, without paying 30 ms for it."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    if InteractiveShell.initialized():
        return InteractiveShell.instance()
    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=config)
    # `%matplotlib inline` (or widget) tells a frontend how to show figures. None is shown here,
    # where figures stay on Agg: the line does nothing, where IPython's would fail the cell (and
    # every definition after it in the cell)
    shell.register_magic_function(lambda line="": None, "line", "matplotlib")
    return shell


def serve(fd):
    import signal

    worker = Worker(make_shell())

    def on_alarm(signum, frame):
        raise CellTimeout("the time limit for this step ran out (an endless loop?)")

    signal.signal(signal.SIGALRM, on_alarm)
    main_pid = os.getpid()
    while True:
        if os.getpid() != main_pid:
            os._exit(0)  # a process the student's code forked: only the worker answers
        try:
            request = read_frame(fd)
        except EOFError:
            return
        reap()
        if request.get("op") == "snapshot":
            try:
                child_fd, reply = snapshot(fd)
            except OSError as exc:  # out of processes (the student's own are still ending?)
                child_fd, reply = None, {"ok": False, "error": describe(exc)}
            if child_fd is not None:  # this is the new copy: it serves the grader on child_fd
                fd, main_pid = child_fd, os.getpid()
                continue
            reply["seq"] = request.get("seq")
            write_frame(fd, reply)
            continue
        out, err = CappedText(), CappedText()
        sys.stdout, sys.stderr = out, err
        signal.setitimer(signal.ITIMER_REAL, max(float(request.get("timeout", 0)), 0.001))
        try:
            reply = worker.handle(request)
        except CellTimeout as exc:
            reply = {"ok": False, "error": f"Timeout: {exc}", "timeout": True}
        except BaseException as exc:  # SystemExit, KeyboardInterrupt, a bad request
            reply = {"ok": False, "error": describe(exc)}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        if os.getpid() != main_pid:
            os._exit(0)
        reply["seq"] = request.get("seq")
        write_frame(fd, reply)


def reap():
    """Collect children that ended (the grader kills what a cell leaves running): a zombie would
    hold one of the submission's processes until its parent waits for it. Returns {pid: exit
    status, or -signal} of those collected."""
    ended = {}
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return ended
        if pid == 0:
            return ended
        ended[pid] = os.waitstatus_to_exitcode(status)


def snapshot(fd):
    """Fork; the child keeps the socket the grader sent with the request and drops this one.

    Returns (child's socket fd, None) in the child and (None, reply) in this process.
    """
    import socket
    with socket.socket(fileno=os.dup(fd)) as channel:
        _, fds, _, _ = socket.recv_fds(channel, 1, 1)
    if len(fds) != 1:
        return None, {"ok": False, "error": "no socket came with the snapshot request"}
    import gc
    import time
    # objects that exist now are moved out of the collector's reach: a collection in either
    # process would otherwise write to every one of them and copy the whole heap page by page
    gc.freeze()
    for attempt in range(50):
        try:
            pid = os.fork()
            break
        except BlockingIOError:  # the process limit: killed strays may not be reaped yet
            if attempt == 49:
                os.close(fds[0])
                raise
            time.sleep(0.01)
            reap()
    if pid == 0:
        os.close(fd)
        return fds[0], None
    os.close(fds[0])
    return None, {"ok": True, "pid": pid}


def unstage(stage):
    """Start from the submission's data files: the sandbox's home is a fresh, empty tmpfs."""
    import shutil
    for folder, _, names in os.walk(stage) if stage else ():
        target = os.path.relpath(folder, stage)
        os.makedirs(target, exist_ok=True)
        for name in names:  # contents only: the tmpfs root's own mode belongs to bwrap
            shutil.copyfile(os.path.join(folder, name), os.path.join(target, name))


def main(argv):
    if os.path.isdir("/opt/bpgrader/lib"):  # isolation.SANDBOX_LIB: the grader's own bpkit
        sys.path.insert(0, "/opt/bpgrader/lib")
    fd = int(argv[1])
    limits = json.loads(argv[2])
    if limits.get("run_as") is not None:
        drop_privileges(limits["run_as"])
    apply_limits(limits)
    unstage(argv[3] if len(argv) > 3 else "")
    write_frame(fd, {"ok": True, "ready": True, "pid": os.getpid()})
    serve(fd)


if __name__ == "__main__":
    main(sys.argv)
