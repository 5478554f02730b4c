"""The zygote's side inside its sandbox: one Python that imports once and forks each
submission's worker (grader.zygote is the grader's side).

Run as: python -I forkserver.py STAGE CONTROL_FD, in a bubblewrap like a worker's that also
keeps the capabilities to make namespaces and mounts (isolation.bwrap_command(zygote=True)). It
runs no submission's code: each child confines itself with this file's code, then becomes a worker
(worker.serve) only after it has dropped every privilege.
"""
import os
import sys

sys.path[:0] = ["/opt/bpgrader/lib", "/opt/bpgrader"]  # the grader's bpkit; worker.py beside this

from worker import (apply_limits, describe, drop_privileges, make_shell, read_frame,  # noqa: E402
                    reap, serve, unstage, write_frame)

# Linux constants (sched.h, sys/mount.h, sys/prctl.h)
CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_DUMPABLE = 1, 4
NOBODY = 65534


def preload():
    """What every notebook of the course imports, imported once (in the zygote)."""
    import gc
    import pkgutil
    import IPython.core.interactiveshell  # noqa: F401
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401 (also loads the font list)
    import numpy  # noqa: F401
    import bpkit
    for module in pkgutil.walk_packages(bpkit.__path__, "bpkit."):
        try:
            __import__(module.name)
        except Exception:  # noqa: BLE001 (an optional part; the notebook imports it if it can)
            pass
    # the workers' shell, made (and its first cell compiled) here, before any submission: a
    # child gets it as a worker would make it, never touched by another submission's code
    make_shell().run_cell("pass", store_history=False)
    gc.collect()
    gc.freeze()  # what is loaded now is shared with every child, untouched by their collections


class Kernel:
    """The few system calls the zygote's children need to confine themselves (Linux, root)."""

    def __init__(self):
        import ctypes
        self.ctypes = ctypes
        self.libc = ctypes.CDLL(None, use_errno=True)

    def _check(self, result, what):
        if result != 0:
            errno = self.ctypes.get_errno()
            raise OSError(errno, f"{what}: {os.strerror(errno)}")

    def unshare(self, flags):
        self._check(self.libc.unshare(flags), "unshare")

    def mount(self, source, target, kind, flags, data=None):
        def text(value):
            return value.encode() if value is not None else None
        self._check(self.libc.mount(text(source), text(target), text(kind),
                                    self.ctypes.c_ulong(flags), text(data)), f"mount {target}")

    def prctl(self, option, value):
        self._check(self.libc.prctl(option, self.ctypes.c_ulong(value), 0, 0, 0), "prctl")


def zygote(fd):
    """Serve spawn requests from the grader on fd until it closes: each forks a worker confined
    as bubblewrap would confine a new one, so nothing of one submission reaches the next:
    its own mount, pid, IPC, UTS and network namespaces, a fresh tmpfs home and /tmp, its own
    cgroup (the grader's open files, passed with the request) and its own uid. The zygote runs
    no submission's code; a child runs only this file's code until it has dropped privileges."""
    import select
    import signal
    import socket
    preload()
    kernel = Kernel()
    kernel.prctl(PR_SET_DUMPABLE, 0)
    fontlist = {}
    for folder, _, names in os.walk(os.path.join(os.getcwd(), ".matplotlib")):
        for name in names:
            with open(os.path.join(folder, name), "rb") as handle:
                fontlist[os.path.relpath(os.path.join(folder, name))] = handle.read()
    control = socket.socket(fileno=fd)
    statuses = {}
    write_frame(fd, {"ok": True, "ready": True})
    while True:
        statuses.update(reap())  # the children that ended, with how they ended
        if not select.select([fd], [], [], 0.02)[0]:
            continue
        try:
            request = read_frame(fd)
        except (EOFError, ValueError):
            return
        if request.get("op") == "status":
            pid = request.get("pid")
            write_frame(fd, {"ok": True, "exit": statuses.pop(pid, None) if request.get(
                "forget") else statuses.get(pid)})
            continue
        if request.get("op") != "spawn":
            write_frame(fd, {"ok": False, "error": "unknown request"})
            continue
        _, fds, _, _ = socket.recv_fds(control, 1, 16)
        try:
            pid = os.fork()
        except OSError as exc:
            pid, error = None, describe(exc)
        if pid == 0:
            try:
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                confined_child(kernel, request, fds, fontlist, fd)
            finally:
                os._exit(111)
        for passed in fds:
            os.close(passed)
        write_frame(fd, {"ok": True, "pid": pid} if pid else {"ok": False, "error": error})


def confined_child(kernel, request, fds, fontlist, control):
    """In a child of the zygote: confine, then become the submission's worker. Never returns.

    The process stays outside the new namespaces and reports how its child, the namespace's
    first process, ended; that one reports the worker's end: exit status s, or 128 + signal."""
    if len(fds) < 3:
        raise SystemExit("the spawn request came without its sockets")
    channel, log, *cgroups = fds
    os.close(control)
    for cgroup in cgroups:  # the grader's open cgroup.procs files: "0" is this process
        os.write(cgroup, b"0")
        os.close(cgroup)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    null = os.open("/dev/null", os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.closerange(3, channel)
    os.closerange(channel + 1, 65536)
    os.setsid()
    kernel.prctl(PR_SET_PDEATHSIG, 9)  # the zygote gone: so is this submission
    kernel.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET)
    mirror(os.fork(), channel)
    # the new pid namespace's first process (its init): mounts, starts the worker, waits
    kernel.prctl(PR_SET_PDEATHSIG, 9)
    kernel.mount(None, "/", None, MS_REC | MS_PRIVATE)
    kernel.mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    disk = int(request["disk"])
    kernel.mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV,
                 f"size={max(disk // 4, 1 << 20)},mode=1777")
    kernel.mount("tmpfs", request["home"], "tmpfs", MS_NOSUID | MS_NODEV,
                 f"size={max(disk, 1 << 20)},mode=0777")
    os.chdir(request["home"])
    loopback_up()  # as in a new bubblewrap: a network of its own, with only loopback
    worker = os.fork()
    if worker:
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)  # all capabilities go with root
        mirror(worker, channel)
    limits = request["limits"]
    drop_privileges(limits["run_as"])
    apply_limits(limits)
    import base64
    files = {name: base64.b64decode(data) for name, data in request.get("files", {}).items()}
    for name, data in {**fontlist, **files}.items():
        folder = os.path.dirname(name)
        if folder:
            os.makedirs(folder, exist_ok=True)
        with open(name, "wb") as handle:
            handle.write(data)
    write_frame(channel, {"ok": True, "ready": True, "pid": os.getpid()})
    serve(channel)
    os._exit(0)


def loopback_up():
    import fcntl
    import socket
    import struct
    siocgifflags, siocsifflags, iff_up, ifreq = 0x8913, 0x8914, 0x1, "16sH22x"
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        flags = struct.unpack(ifreq, fcntl.ioctl(sock, siocgifflags,
                                                 struct.pack(ifreq, b"lo", 0)))[1]
        fcntl.ioctl(sock, siocsifflags, struct.pack(ifreq, b"lo", flags | iff_up))


def mirror(pid, channel):
    """In the parent after a fork (pid != 0): wait for the child and end as it ended."""
    if pid == 0:
        return
    os.close(channel)
    while True:
        try:
            waited, status = os.waitpid(-1, 0)
        except ChildProcessError:
            os._exit(1)
        if waited == pid:
            code = os.waitstatus_to_exitcode(status)
            os._exit(128 - code if code < 0 else code)


if __name__ == "__main__":
    unstage(sys.argv[1])
    zygote(int(sys.argv[2]))
