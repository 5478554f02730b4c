"""Workers forked from the zygote (grader.zygote) are confined as a new bubblewrap confines one:
nothing one submission leaves (files, IPC objects, processes) reaches the next started from the
same zygote, the worker keeps no privilege, and a zygote that dies is replaced. Where the
zygote cannot run (not root, no bubblewrap or cgroups), workers start as before: skipped."""
import os
import signal

import pytest

from grader import confine, sandbox, zygote

pytestmark = pytest.mark.skipif(
    not (sandbox.bwrap_available() and confine.available() and zygote.wanted()),
    reason="the zygote needs root, bubblewrap and cgroups (.ci/run runs as root)")

# what a submission leaves behind: a file in its home and in /tmp, a SysV shared-memory segment
# and message queue (ctypes: no module needed); what a cell starts ends with the cell
LEAVE = '''import ctypes, os
open("left-in-home", "w").write("secret")
open("/tmp/left-in-tmp", "w").write("secret")
libc = ctypes.CDLL(None, use_errno=True)
assert libc.shmget(0x5EC2E7, 4096, 0o1666) >= 0
assert libc.msgget(0x5EC2E7, 0o1666) >= 0
'''

FIND = '''import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
FOUND = sorted(name for name, seen in [
    ("home", os.path.exists("left-in-home")), ("tmp", os.path.exists("/tmp/left-in-tmp")),
    ("shm", libc.shmget(0x5EC2E7, 0, 0o666) >= 0),
    ("msg", libc.msgget(0x5EC2E7, 0o666) >= 0)] if seen)
'''

FACTS = '''import os, socket
status = dict(line.split(":\\t") for line in open("/proc/self/status").read().splitlines()
              if ":\\t" in line)
try:
    socket.create_connection(("127.0.0.1", 9), timeout=1)
    net = "connected"
except OSError as exc:
    net = type(exc).__name__
FACTS = {"uid": os.getuid(), "cap": status["CapEff"].strip(), "prm": status["CapPrm"].strip(),
         "nnp": status["NoNewPrivs"].strip(), "pids": sorted(int(p) for p in os.listdir("/proc")
                                                          if p.isdigit()),
         "home": sorted(os.listdir(".")), "net": net}
'''


def value(box, code, name):
    assert box.execute(code).ok, box.execute(code).error
    box.execute(f"def _get():\n    return {name}")
    return box.main.call({"name": "_get"}, [], {})


@pytest.fixture
def boxes():
    made = []

    def make(files=None):
        box = sandbox.Sandbox(files)
        box.start()
        made.append(box)
        return box
    yield make
    for box in made:
        box.close()


def test_a_forked_worker_is_confined_as_a_new_bubblewrap(boxes):
    first = boxes({"data.csv": b"1,2\n"})
    assert isinstance(first.proc, zygote.Child)  # it came from the zygote
    facts = value(first, FACTS, "FACTS")
    assert facts["cap"] == facts["prm"] == "0000000000000000" and facts["nnp"] == "1"
    assert facts["uid"] >= 1_000_000_000  # a uid of its own, no account's
    assert facts["pids"] == [1, 2]  # its own pid namespace: its init and itself
    assert "data.csv" in facts["home"] and ".matplotlib" in facts["home"]
    assert facts["net"] == "ConnectionRefusedError"  # loopback only, nothing listening
    second = boxes()
    assert value(second, FACTS, "FACTS")["uid"] != facts["uid"]


def test_nothing_one_submission_leaves_reaches_the_next(boxes):
    first = boxes()
    forked_by = first.proc.zygote
    assert first.execute(LEAVE).ok
    # in the same submission, the check sees everything it left: it can fail
    assert value(first, FIND, "FOUND") == ["home", "msg", "shm", "tmp"]
    first.close()
    second = boxes()
    assert isinstance(second.proc, zygote.Child)
    assert second.proc.zygote is forked_by  # the same zygote forked both
    assert value(second, FIND, "FOUND") == []


def test_bubblewrap_per_worker_when_the_zygote_is_turned_off(boxes, monkeypatch):
    monkeypatch.setenv("BPGRADER_ZYGOTE", "0")
    box = boxes()
    assert not isinstance(box.proc, zygote.Child)
    assert value(box, FACTS, "FACTS")["pids"] == [1, 2]  # bwrap's init and the worker


def test_a_dead_zygote_is_replaced_and_its_workers_end(boxes):
    first = boxes()
    old = first.proc.zygote
    os.kill(old.proc.pid, signal.SIGKILL)  # bubblewrap of the zygote: the zygote goes with it
    old.proc.wait()
    # the worker it forked dies with it (its parent-death signals), and says so
    with pytest.raises(sandbox.SandboxDied, match="was killed"):
        first.execute("x = 1")
    second = boxes()
    assert isinstance(second.proc, zygote.Child) and second.proc.zygote is not old
    assert second.execute("y = 2").ok


def test_a_worker_killed_reports_how_it_ended(boxes):
    box = boxes()
    with pytest.raises(sandbox.SandboxDied, match="exited with status 3"):
        box.execute("import os\nos._exit(3)")
    box = boxes()
    with pytest.raises(sandbox.SandboxDied, match="segmentation fault"):
        box.execute("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)")
