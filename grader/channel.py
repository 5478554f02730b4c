"""One conversation with a process in the sandbox: framed JSON over a Unix socket.

Every read has a deadline that the grader keeps itself: a process that never answers, floods the
socket with frames of the wrong sequence number, or sends a frame too large or too deeply nested
to decode, loses its channel at the deadline (or at once), and the grader goes on. Nothing it
sends is trusted: values are decoded as plain data (`wire.decode`).
"""
import json
import select
import time
from dataclasses import dataclass

from grader import wire
from grader.worker import HEADER, MAX_FRAME, write_frame

GRACE = 2.0  # seconds a process gets, after its own alarm, to report a timeout


class SandboxDied(Exception):
    """The process ended or stopped answering; the message says how, for the student."""


class RemoteError(Exception):
    """The submission's code raised an exception in the sandbox; the message is its own."""


@dataclass
class Reply:
    ok: bool
    value: object = None
    error: str = ""
    timeout: bool = False


class Channel:
    """Requests to one process: the worker that runs the cells, or a snapshot serving a test.

    clock(doing) gives (seconds the process may take, absolute deadline) for the next request, or
    raises SandboxDied when no time is left; watch() is called about once a second while waiting
    and returns a reason to give up (the sandbox out of CPU time), or "";
    on_lost(channel) is called once when the channel is given up, before SandboxDied is raised;
    death_reason(doing), if given, says how the process ended (the worker's exit status).
    """

    def __init__(self, sock, clock, on_lost, death_reason=None, watch=None):
        self.sock, self.clock, self.on_lost = sock, clock, on_lost
        self._death_reason, self.watch = death_reason, watch or (lambda: "")
        self.seq = 0
        self.buffer = bytearray()
        self.lost = ""

    @property
    def alive(self):
        return not self.lost

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def lose(self, reason):
        if not self.lost:
            self.lost = reason
            self.close()
            self.on_lost(self)
        raise SandboxDied(self.lost)

    def _frame(self):
        """The next complete frame in the buffer, or None."""
        if len(self.buffer) < HEADER.size:
            return None
        (size,) = HEADER.unpack_from(self.buffer)
        if size > MAX_FRAME:
            raise ValueError("oversized")
        if len(self.buffer) < HEADER.size + size:
            return None
        data = bytes(self.buffer[HEADER.size:HEADER.size + size])
        del self.buffer[:HEADER.size + size]
        return json.loads(data)

    def receive(self, deadline, doing):
        """The next frame, or SandboxDied at the deadline, at the end of the stream or on a frame
        that cannot be decoded."""
        while True:
            try:
                frame = self._frame()
            except (ValueError, RecursionError):
                self.lose(f"The notebook sent a malformed reply while {doing}.")
            if frame is not None:
                return frame
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.lose(f"Timed out while {doing}: no answer within the time limit "
                          "(an endless loop, or far too slow?).")
            if not select.select([self.sock], [], [], min(remaining, 1.0))[0]:
                reason = self.watch()
                if reason:
                    self.lose(f"{reason} while {doing}.")
                continue
            try:
                chunk = self.sock.recv(1 << 20)
            except OSError:
                chunk = b""
            if not chunk:
                self.lose(self.death_reason(doing))
            self.buffer += chunk

    def death_reason(self, doing):
        if self._death_reason is not None:
            return self._death_reason(doing)
        return (f"The notebook's Python process stopped while {doing} (it crashed, exited, or "
                "was killed at a memory or CPU-time limit).")

    def send(self, message, doing, fds=()):
        """Send one request; return the reply with its sequence number (others are dropped)."""
        if not self.alive:
            raise SandboxDied(self.lost)
        seconds, deadline = self.clock(doing)
        self.seq += 1
        try:
            write_frame(self.sock.fileno(), dict(message, timeout=seconds, seq=self.seq))
            if fds:
                import socket
                socket.send_fds(self.sock, [b"F"], list(fds))
        except OSError:
            self.lose(self.death_reason(doing))
        while True:
            raw = self.receive(deadline + GRACE, doing)
            if not isinstance(raw, dict):
                self.lose(f"The notebook sent a malformed reply while {doing}.")
            if raw.get("seq") == self.seq:
                return raw

    def execute(self, code, doing="running a cell"):
        raw = self.send({"op": "exec", "code": code}, doing)
        return Reply(ok=bool(raw.get("ok")), error=str(raw.get("error", ""))[:4000],
                     timeout=bool(raw.get("timeout")))

    def evaluate(self, message, doing):
        """A call/getattr/operator request; the value decoded as plain data."""
        raw = self.send(message, doing)
        reply = Reply(ok=bool(raw.get("ok")), error=str(raw.get("error", ""))[:4000],
                      timeout=bool(raw.get("timeout")))
        if reply.ok:
            try:
                reply.value = wire.decode(raw.get("value"), self)
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

    def call(self, target, args, kwargs, doing="calling a function"):
        reply = self.evaluate({"op": "call", "target": target,
                               "args": [wire.encode(a) for a in args],
                               "kwargs": {k: wire.encode(v) for k, v in kwargs.items()}}, doing)
        if not reply.ok:
            raise RemoteError(reply.error)
        return reply.value
