"""The hostile-submission corpus for notebook 01, built by mutating the reference notebook.

Each case is a function `build(ctx) -> dict(answers=..., mutate=..., raw=..., setup=...)` for
SubmissionFolder.add, plus the score it must get (out of 10) and, optionally, a phrase that must
appear in what the grader recorded (notes or cell errors). `ctx` knows the paths of the run: the
course folder (solutions and a gradebook the submissions must not reach), the results folder,
a TCP port listening on loopback, and two files outside the course (one world-readable, one
readable by its owner only) that no submission may change, re-own or read.
"""
import json
import os
from dataclasses import dataclass, field

import nbformat

from catalogue_harness import fn, max_points

FULL = 10.0
# a wrong (or missing) sigmoid also fails tanh and two_layer_forward, which are built on it:
# what is left is relu's and dense's points, read from the spec
SIGMOID_WRONG = float(sum(points for grade_id, points in
                          max_points(("01_forward_pass", "01_forward_pass")).items()
                          if grade_id in ("test_relu", "test_dense")))


@dataclass
class Case:
    build: object
    score: float
    phrase: str = ""
    needs_bwrap: bool = False
    tags: list = field(default_factory=list)
    notebook: tuple = ("01_forward_pass", "01_forward_pass")  # (assignment, notebook name)


def insert_after(grade_id, source):
    """A mutation adding a student cell right after the cell with this grade_id."""
    def mutate(nb):
        index = next(i for i, c in enumerate(nb.cells)
                     if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
        nb.cells.insert(index + 1, nbformat.v4.new_code_cell(source))
    return mutate


def meta_of(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def added(grade_id, source):
    return lambda ctx: {"mutate": insert_after(grade_id, source)}


def answers(**sources):
    return lambda ctx: {"answers": sources}


def raw(data):
    return lambda ctx: {"raw": data}


def mutated(fn_):
    return lambda ctx: {"mutate": fn_}


WRONG_SIGMOID = fn("sigmoid", "z", "return np.zeros_like(z)")
WRONG_RELU = fn("relu", "z", "return np.abs(z)")


def _reflag(nb):
    meta_of(nb, "test_relu").metadata["nbgrader"].update(solution=True, grade=False, points=100)


def _inflate_points(nb):
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            meta["points"] = 1000


def _edit_test(nb):
    meta_of(nb, "relu").source = WRONG_RELU
    meta_of(nb, "test_relu").source = "pass"


def _delete_tests(nb):
    nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")]


def _reverse(nb):
    nb.cells.reverse()


def _same_ids(nb):
    for cell in nb.cells:
        cell["id"] = "same"


def _strip_metadata(nb):
    for cell in nb.cells:
        cell.metadata.pop("nbgrader", None)


def _rename_answer(nb):
    meta_of(nb, "dense").metadata["nbgrader"]["grade_id"] = "my_dense"


def _duplicate_wrong_copy(nb):
    index = nb.cells.index(meta_of(nb, "relu"))
    copy = nbformat.from_dict(json.loads(json.dumps(nb.cells[index])))
    copy.source = WRONG_RELU
    nb.cells.insert(index + 1, copy)


def _malformed_cells(nb):
    """Cells that no editor writes, after the answers: a source of numbers and null, a dict as a
    source, metadata that is a list or a string, a cell with no type, and items that are no
    cells at all. The answers still count; the broken cells are shown as text or left out."""
    index = nb.cells.index(meta_of(nb, "test_dense"))
    nb.cells[index:index] = [
        {"cell_type": "code", "metadata": {}, "source": [1, None, "x_malformed = 1\n"],
         "outputs": [], "execution_count": None},
        {"cell_type": "markdown", "metadata": {}, "source": {"not": "text"}},
        {"cell_type": "code", "metadata": [1, 2], "source": "y_malformed = 2", "outputs": []},
        {"cell_type": "code", "metadata": {"nbgrader": "test_dense"}, "source": 3},
        {"metadata": {}, "source": "z_malformed = 3"}, 42, None, ["not", "a", "cell"]]


def _huge_outputs(nb):
    meta_of(nb, "sigmoid").outputs = [nbformat.v4.new_output("stream", text="x" * 5_000_000)]


def _other_notebook(nb):
    nb.cells = [nbformat.v4.new_markdown_cell("# My other homework"),
                nbformat.v4.new_code_cell("print('hello')")]


def _nbformat3(ctx):
    from conftest import NB01, SOLUTIONS
    nb = nbformat.read(SOLUTIONS / NB01[0] / f"{NB01[1]}.ipynb", as_version=4)
    return {"raw": json.dumps(nbformat.convert(nb, 3)).encode()}


def _gradebook_attack(ctx):
    return {"mutate": insert_after("setup", (
        "import sqlite3\n"
        "blocked = []\n"
        f"for path in [{str(ctx.gradebook)!r}, '../../../gradebook.db', '../gradebook.db']:\n"
        "    try:\n"
        "        db = sqlite3.connect(path)\n"
        "        db.execute('UPDATE grade SET manual_score = 999')\n"
        "        db.commit()\n"
        "    except Exception as exc:\n"
        "        blocked.append(str(exc))\n"
        "raise RuntimeError(f'blocked: {blocked}')\n"))}


def _write_attack(ctx):
    targets = [ctx.out / "forged.txt", ctx.course / "forged.txt", ctx.submitted / "forged.txt",
               ctx.course / "solutions" / "forged.txt"]
    return {"mutate": insert_after("setup", (
        "blocked = []\n"
        f"for target in {[str(t) for t in targets]!r}:\n"
        "    try:\n"
        "        open(target, 'w').write('x')\n"
        "    except OSError as exc:\n"
        "        blocked.append(str(exc))\n"
        "raise RuntimeError(f'blocked: {blocked}')\n"))}


def _read_attack(ctx):
    secret = ctx.course / "solutions" / "01_forward_pass" / "01_forward_pass.ipynb"
    return {"answers": {"sigmoid": (
        "import json\n"
        f"nb = json.load(open({str(secret)!r}))\n"
        "exec(next(''.join(c['source']) for c in nb['cells']\n"
        "          if c.get('metadata', {}).get('nbgrader', {}).get('grade_id') == 'sigmoid'))\n")}}


def _network_attack(ctx):
    return {"mutate": insert_after("setup", (
        "import socket\n"
        f"socket.create_connection(('127.0.0.1', {ctx.port}), timeout=2).sendall(b'leak')\n"))}


def _tmp_attack(ctx):
    return {"mutate": insert_after("setup", f"open({str(ctx.tmp_marker)!r}, 'w').write('x')\n")}


def _links_then_crash(ctx):
    """Leave links to the host's files where the grader used to write (its log, matplotlib's
    cache) and to chown, a dangling one, then crash so that the grader restarts the worker."""
    return {"mutate": insert_after("relu", (
        "import os\n"
        f"for name, target in [('.worker.log', {str(ctx.host_file)!r}), "
        f"('.matplotlib', {str(ctx.host_file.parent)!r}), ('host', {str(ctx.root_only)!r}), "
        "('dangling', '/nonexistent/bp')]:\n"
        "    if os.path.lexists(name):\n"
        "        os.remove(name) if not os.path.isdir(name) or os.path.islink(name) else "
        "__import__('shutil').rmtree(name)\n"
        "    os.symlink(target, name)\n"
        "os._exit(3)\n"))}


def _shipped_links(ctx):
    """Links shipped in the submission folder (an archive keeps them) to the solution and to a
    root-only file; the notebook reads them and raises what it read, to see it in its feedback."""
    solution = ctx.course / "solutions" / "01_forward_pass" / "01_forward_pass.ipynb"

    def setup(path):
        os.symlink(solution, path.parent / "data.json")
        os.symlink(ctx.root_only, path.parent / "secret.txt")
        os.symlink("../../..", path.parent / "up")
    return {"setup": setup, "mutate": insert_after("setup", (
        "found = []\n"
        "for name in ['data.json', 'secret.txt', 'up/solutions']:\n"
        "    try:\n"
        "        found.append(open(name).read()[:200])\n"
        "    except OSError as exc:\n"
        "        found.append(type(exc).__name__)\n"
        "raise RuntimeError(f'read: {found}')\n"))}


def _notebook_is_a_link(ctx):
    solution = ctx.course / "solutions" / "01_forward_pass" / "01_forward_pass.ipynb"

    def setup(path):
        path.unlink()
        os.symlink(solution, path)
    return {"setup": setup}


def _folder_is_a_link(ctx):
    def setup(path):
        folder = path.parent
        for item in folder.iterdir():
            item.unlink()
        folder.rmdir()
        os.symlink(ctx.course / "solutions" / "01_forward_pass", folder)
    return {"setup": setup}


def _fifo(ctx):
    return {"setup": lambda path: os.mkfifo(path.parent / "data.csv")}


def _fills_its_disk(ctx):
    return {"mutate": insert_after("setup", (
        "blocked = []\n"
        "for folder in ['.', '/tmp']:\n"
        "    try:\n"
        "        for i in range(1000):\n"
        "            with open(f'{folder}/fill{i}', 'wb') as f:\n"
        "                f.write(b'x' * (16 << 20))\n"
        "    except OSError as exc:\n"
        "        blocked.append(f'{folder}: {exc.strerror} after {i * 16} MiB')\n"
        "raise RuntimeError(f'blocked: {blocked}')\n"))}


# --- hidden tests' inputs must not reach anything the student sees -----------------------------
RECORDING_RELU = (
    "import json, os, sys\n"
    "SEEN = []\n"
    "def relu(z):\n"
    "    z = np.asarray(z)\n"
    "    SEEN.append(z.tolist())\n"
    "    for name in ('seen.json', '/tmp/seen.json'):\n"
    "        with open(name, 'a') as f:\n"
    "            f.write(json.dumps(z.tolist()) + '\\n')\n"
    "    if z.shape != (2, 3):  # not the visible check's input: a hidden test's\n"
    "        {leak}\n"
    "    return np.maximum(z, 0.0)\n")
SHOW_RECORDINGS = (
    "import json\n"
    "found = [open(name).read() for name in ('seen.json', '/tmp/seen.json')\n"
    "         if __import__('os').path.exists(name)]\n"
    "raise RuntimeError('LEAK ' + json.dumps(SEEN) + ' '.join(found))\n")


def _leak(how):
    """relu records every input and, on a hidden test's, leaks it `how`; a cell after relu's
    test raises all that was recorded (before the last grade cell: what follows it is not run)."""
    return lambda ctx: {"answers": {"relu": RECORDING_RELU.replace("{leak}", how)},
                        "mutate": insert_after("test_dense", SHOW_RECORDINGS)}


LEAKS = {
    "in_an_exception": "raise ValueError('LEAK ' + json.dumps(z.tolist()))",
    "in_its_exit_status": "os._exit(int(abs(z.flat[0]) * 100) % 256)",
    "in_a_shape": "return np.zeros((int(abs(z.flat[0]) * 1000) % 997 + 1, 1))",
    "in_a_dtype_and_value": "return np.full(z.shape, abs(z.flat[0]), dtype=np.float32)",
    "in_a_type_name": "return type('LEAK_' + str(z.flat[0]).replace('.', '_').replace('-', 'm'), "
                      "(), {})()",
    "by_killing_itself": "os.kill(os.getpid(), int(abs(z.flat[0]) * 10) % 30 + 1)",
}


# --- limits the grader enforces from outside --------------------------------------------------
SOCKETS = ("import os\n"
           "def sockets():\n"
           "    found = []\n"
           "    for fd in os.listdir('/proc/self/fd'):\n"
           "        try:\n"
           "            if os.readlink(f'/proc/self/fd/{fd}').startswith('socket:'):\n"
           "                found.append(int(fd))\n"
           "        except OSError:\n"
           "            pass\n"
           "    return found\n")
FLOOD = (SOCKETS + "import json, struct, signal\n"
         "def relu(z):\n"
         "    signal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
         "    frame = json.dumps({'seq': -1, 'ok': True}).encode()\n"
         "    frame = struct.pack('>I', len(frame)) + frame\n"
         "    fds = sockets()\n"
         "    while True:\n"
         "        for fd in fds:\n"
         "            try:\n"
         "                os.write(fd, frame)\n"
         "            except OSError:\n"
         "                pass\n")
DEEP = (SOCKETS + "import struct\n"
        "def relu(z):\n"
        "    frame = b'[' * 100_000 + b']' * 100_000\n"
        "    for fd in sockets():\n"
        "        os.write(fd, struct.pack('>I', len(frame)) + frame)\n"
        "    return np.maximum(z, 0.0)\n")
SLOW = {name: f"import time\ndef {name}({args}):\n    time.sleep(4.9)\n    return {body}\n"
        for name, args, body in [
        ("sigmoid", "z", "np.exp(-np.logaddexp(0.0, -z))"), ("tanh", "z", "np.tanh(z)"),
        ("relu", "z", "np.maximum(z, 0.0)"), ("dense", "x, W, b", "x @ W + b"),
        ("two_layer_forward", "x, params",
         "dense(sigmoid(dense(x, params['W1'], params['b1'])), params['W2'], params['b2'])")]}
STRAYS = ("import os, time\n"
          "pids = []\n"
          "for _ in range(8):\n"
          "    r, w = os.pipe()\n"
          "    if os.fork() == 0:\n"
          "        os.setsid()\n"
          "        if os.fork() == 0:\n"
          "            os.write(w, str(os.getpid()).encode())\n"
          "            while True:\n"
          "                pass\n"
          "        os._exit(0)\n"
          "    pids.append(int(os.read(r, 20)))\n")
# a killed process is a zombie until it is reaped, which a loaded machine may take a moment to
# do: only processes that still run count, within two seconds
STRAYS_CHECK = ("import os, time\n"
                "def running(pid):\n"
                "    try:\n"
                "        with open(f'/proc/{pid}/stat') as f:\n"
                "            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'\n"
                "    except OSError:\n"
                "        return False\n"
                "for _ in range(40):\n"
                "    alive = [pid for pid in pids if running(pid)]\n"
                "    if not alive:\n"
                "        break\n"
                "    time.sleep(0.05)\n"
                "raise RuntimeError(f'{len(pids)} started, {len(alive)} still running')\n")


def _strays(nb):
    insert_after("setup", STRAYS)(nb)
    insert_after("sigmoid", STRAYS_CHECK)(nb)


CORPUS = {
    # --- forged verdicts -----------------------------------------------------------------
    "patched_allclose": Case(answers(sigmoid=WRONG_SIGMOID + "\nnp.allclose = lambda *a, **k: True\n"
                                     "np.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), bool)\n"
                                     "np.testing.assert_allclose = lambda *a, **k: None\n"),
                             SIGMOID_WRONG),
    "forged_equality": Case(answers(sigmoid="class Anything:\n"
                                    "    def __eq__(self, other): return True\n"
                                    "    __array_priority__ = 1000\n"
                                    + fn("sigmoid", "z", "return Anything()")), SIGMOID_WRONG,
                            "Anything"),
    "forged_ndarray_subclass": Case(answers(sigmoid="class Liar(np.ndarray):\n"
                                            "    def __eq__(self, other): return np.ones(self.shape, bool)\n"
                                            + fn("sigmoid", "z", "return np.zeros_like(z).view(Liar)")),
                                    SIGMOID_WRONG),
    "object_array": Case(answers(relu=fn("relu", "z", "return np.array(list(z.ravel()) + ['x'], "
                                                      "dtype=object)")), FULL - 1),
    "input_transformer_blanks_later_cells": Case(answers(
        sigmoid=WRONG_SIGMOID + "\nget_ipython().input_transformers_cleanup"
                                ".append(lambda lines: ['pass\\n'])\n"), 0.0),
    "edited_grade_cell": Case(mutated(_edit_test), FULL - 1),
    "reflagged_grade_cell": Case(mutated(_reflag), FULL),
    "inflated_points": Case(mutated(_inflate_points), FULL),
    "deleted_grade_cells": Case(mutated(_delete_tests), FULL),
    # --- isolation -------------------------------------------------------------------------
    "reads_the_solution": Case(_read_attack, SIGMOID_WRONG, "No such file", needs_bwrap=True),
    "writes_outside_its_folder": Case(_write_attack, FULL, "blocked", needs_bwrap=True),
    "rewrites_the_gradebook": Case(_gradebook_attack, FULL, "blocked", needs_bwrap=True),
    "uses_the_network": Case(_network_attack, FULL, "Connection refused", needs_bwrap=True),
    "writes_to_shared_tmp": Case(_tmp_attack, FULL, needs_bwrap=True),
    # --- what a hidden test sends in stays out of what the student sees --------------------------
    # (test_hostile_corpus checks that none of test_relu's hidden inputs shows, in any form)
    **{f"leaks_hidden_inputs_{how}": Case(_leak(code), FULL - 1, "LEAK", needs_bwrap=True,
                                          tags=["leak"])
       for how, code in LEAKS.items()},
    # --- limits kept from outside -----------------------------------------------------------
    "floods_wrong_sequence_numbers": Case(answers(relu=FLOOD), FULL - 1, "Timed out"),
    "hundred_thousand_deep_reply": Case(answers(relu=DEEP), FULL - 1, "malformed reply"),
    # every call sleeps 4.9 s of its 5 s: the 30 s cap ends it during the visible checks
    "sleeps_just_under_the_limit": Case(answers(**SLOW), 0.0, "time cap"),
    "stray_processes_burn_cpu": Case(lambda ctx: {"mutate": _strays}, FULL,
                                     "8 started, 0 still running", needs_bwrap=True),
    "links_in_its_home_then_crashes": Case(_links_then_crash, FULL, "exited with status 3",
                                           needs_bwrap=True),
    "ships_links_to_host_files": Case(_shipped_links, FULL, "is a symbolic link",
                                      needs_bwrap=True),
    "notebook_is_a_link_to_the_solution": Case(_notebook_is_a_link, 0.0, "is a symbolic link"),
    "assignment_folder_is_a_link": Case(_folder_is_a_link, 0.0, "is a symbolic link"),
    "ships_a_fifo": Case(_fifo, FULL, "not a regular file"),
    "fills_its_disk": Case(_fills_its_disk, FULL, "No space left on device", needs_bwrap=True),
    "kills_its_parent": Case(added("setup", "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"),
                             FULL, needs_bwrap=True),
    # --- faults ----------------------------------------------------------------------------
    "os_exit": Case(added("sigmoid", "import os\nos._exit(3)"), FULL, "exited with status 3"),
    "sys_exit": Case(added("dense", "import sys\nsys.exit(1)"), FULL),
    "segfault": Case(added("relu", "import ctypes\nctypes.string_at(0)"), FULL,
                     "segmentation fault"),
    "memory_hog": Case(added("tanh", "big = np.ones(10**11)"), FULL, "MemoryError"),
    # needs the sandbox: without it, as root, no process limit applies and the host would suffer
    "fork_bomb": Case(added("relu", "import os\nwhile True:\n    os.fork()"), FULL,
                      needs_bwrap=True),
    "recursion": Case(added("relu", "def f(n):\n    return f(n + 1)\nf(0)"), FULL, "RecursionError"),
    "deep_recursion_crash": Case(added("relu", "import sys\nsys.setrecursionlimit(10**7)\n"
                                               "def f(n):\n    return f(n + 1)\nf(0)"), FULL),
    "endless_function": Case(answers(relu="def relu(z):\n    while True:\n        pass\n"),
                             FULL - 1),
    "endless_loop_swallows_interrupt": Case(added("relu", (
        "while True:\n    try:\n        while True:\n            pass\n"
        "    except BaseException:\n        pass\n")), FULL),
    "ignores_the_alarm": Case(answers(relu="import signal\n"
                                           "signal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
                                           "def relu(z):\n    while True:\n        pass\n"),
                              FULL - 1),
    "output_flood": Case(added("sigmoid", "for _ in range(200000):\n    print('spam' * 100)\n"),
                         FULL),
    "closes_the_grader_channel": Case(added("relu", "import os\nos.closerange(3, 256)"), FULL),
    # --- bad files -------------------------------------------------------------------------
    "empty_file": Case(raw(b""), 0.0, "is empty"),
    "malformed_json": Case(raw(b'{"cells": [ this is not json'), 0.0, "not valid notebook JSON"),
    "not_utf8": Case(raw('{"cells": [], "x": "é"}'.encode("latin-1")), 0.0, "not UTF-8"),
    "json_but_not_a_notebook": Case(raw(b"[1, 2, 3]"), 0.0, "not a notebook"),
    "future_nbformat": Case(raw(b'{"nbformat": 5, "cells": []}'), 0.0, "nbformat version 5"),
    "old_nbformat_3": Case(_nbformat3, FULL),
    "another_notebook": Case(mutated(_other_notebook), 0.0, "were recognised"),
    "duplicated_cell_ids": Case(mutated(_same_ids), FULL),
    "reordered_cells": Case(mutated(_reverse), FULL),
    "metadata_stripped": Case(mutated(_strip_metadata), FULL, "were recognised"),
    "renamed_answer_cell": Case(mutated(_rename_answer), FULL),
    "wrong_copy_after_answer": Case(mutated(_duplicate_wrong_copy), FULL - 1),
    "huge_stored_outputs": Case(mutated(_huge_outputs), FULL),
    "malformed_cells": Case(mutated(_malformed_cells), FULL),
}
