"""`python3 course.py instructor` (and `lab`, which shares its launcher) opens JupyterLab on the
course folder, as root too, without the news prompt; Ctrl+C stops JupyterLab with it."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import ROOT


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid):
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as handle:
                if int(handle.read().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry))
        except (OSError, ValueError, IndexError):
            continue
    return found


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc to find JupyterLab")
def test_instructor_opens_the_course_and_ctrl_c_stops_jupyterlab():
    port = free_port()
    launcher = subprocess.Popen(
        [sys.executable, str(ROOT / "course.py"), "instructor", "--no-browser", f"--port={port}",
         "--ServerApp.token=", "--ServerApp.password="],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        # Ctrl+C as in a terminal, even when the tests run in a shell's background (which
        # starts them with SIGINT ignored, and an ignored signal stays ignored across exec)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                contents = urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents",
                                                  timeout=2).read().decode()
                break
            except OSError:
                assert launcher.poll() is None, launcher.stderr.read()
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start")
        assert '"solutions"' in contents and '"nbgrader_config.py"' in contents
        (lab,) = children(launcher.pid)
        launcher.send_signal(signal.SIGINT)  # Ctrl+C reaches course.py
        assert launcher.wait(timeout=60) is not None
        time.sleep(0.5)
        assert not os.path.exists(f"/proc/{lab}") or open(f"/proc/{lab}/stat").read().split()[2] == "Z"
    finally:
        if launcher.poll() is None:
            launcher.kill()
