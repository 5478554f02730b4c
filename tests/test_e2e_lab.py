"""End to end, as a learner meets the course: JupyterLab in a real (headless) Chromium.

For every solution notebook: open it, run all cells through the UI, no error output, each widget
experiment renders as live widgets and redraws when a slider moves. The blank student copy shows
its stubs and a friendly message at its first check. The formgrader lists the assignments.
Screenshots go to test-artifacts/e2e/. Needs Debian's chromium (.ci/run installs it).
"""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import NOTEBOOKS, ROOT, SOLUTIONS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                "(.ci/run installs Debian's chromium)")

CONFIG = """c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = "backprop"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on loopback, serving a copy of the course (solutions, notebooks, gradebook)."""
    course = tmp_path_factory.mktemp("lab-course")
    shutil.copytree(SOLUTIONS, course / "solutions")
    shutil.copytree(NOTEBOOKS, course / "notebooks")
    (course / "nbgrader_config.py").write_text(CONFIG.format(root=str(course)))
    settings = course / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"],
               JUPYTER_CONFIG_DIR=str(course / ".jupyter"), HOME=str(course),
               JUPYTERLAB_SETTINGS_DIR=str(course / ".jupyter" / "lab" / "user-settings"))
    for assignment in sorted(p.name for p in SOLUTIONS.iterdir() if p.is_dir()):
        subprocess.run([sys.executable, "-m", "nbgrader", "db", "assignment", "add", assignment],
                       cwd=course, env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         "--ServerApp.token=", "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True",
         f"--ServerApp.root_dir={course}", "--allow-root",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--LabApp.expose_app_in_browser=True"],
        cwd=course, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/api/status", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("JupyterLab did not start")
    yield url
    server.terminate()
    server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_and_run_all(browser, url, path, until_error=False):
    """Open a notebook in Lab and run all its cells; return the page when they ran (or, with
    until_error, when the first error stopped Run All and the kernel is idle)."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    # a workspace of its own, so that no other notebook is restored beside this one
    page.goto(f"{url}/lab/workspaces/{Path(path).stem}-{time.monotonic_ns()}/tree/{path}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    page.wait_for_function("window.jupyterapp && window.jupyterapp.commands"
                           ".isEnabled('notebook:run-all-cells')", timeout=90_000)
    time.sleep(2)  # the kernel connects
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    # done when the kernel is idle and every code cell of the model has run (the DOM only holds
    # the cells on screen, so the model is asked, not the page)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        pending = pending_cells(page)  # +1000 while the kernel is busy
        if pending == 0 or (until_error and pending < 1000 and model_errors(page)):
            break
        time.sleep(1)
    return page


PENDING = """() => {
  const widget = window.jupyterapp.shell.currentWidget;
  const cells = widget.content.model.cells;
  let pending = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type === 'code' && cell.executionCount == null) pending++;
  }
  const kernel = widget.sessionContext.session && widget.sessionContext.session.kernel;
  return (kernel && kernel.status === 'idle') ? pending : pending + 1000;
}"""


def pending_cells(page):
    """Code cells not run yet (+1000 while the kernel is busy)."""
    return page.evaluate(PENDING)


ERRORS = """() => {
  const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
  const found = [];
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type !== 'code') continue;
    for (const output of cell.outputs.toJSON()) {
      if (output.output_type === 'error') {
        found.push(`cell ${i}: ${output.ename}: ${output.evalue}\\n` + output.traceback.join('\\n'));
      }
    }
  }
  return found;
}"""


def model_errors(page):
    """Every error output in the notebook, read from its model (the DOM holds only some cells)."""
    return page.evaluate(ERRORS)


def solution_paths():
    return sorted(p.relative_to(SOLUTIONS) for p in SOLUTIONS.rglob("*.ipynb"))


@pytest.mark.parametrize("relative", solution_paths(), ids=lambda p: p.stem)
def test_solution_runs_in_lab_and_widgets_are_live(lab, browser, relative):
    page = open_and_run_all(browser, lab, f"solutions/{relative}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        assert model_errors(page) == []
        # cells not run (the kernel may be busy again: a widget's first sync reaches it)
        assert pending_cells(page) % 1000 == 0, "some cells did not run (did an error stop Run All?)"
        sliders = page.locator(".widget-slider")
        assert sliders.count() >= 1, "no live slider: the widgets rendered as text?"
        assert page.get_by_text("VBox(children=").count() == 0
        box = first_widget(page)
        before = box.screenshot(path=str(ARTIFACTS / f"{relative.stem}-widget-before.png"))
        sliders.first.locator(".noUi-handle").first.focus()
        for _ in range(10):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Tab")
        time.sleep(3)
        after = box.screenshot(path=str(ARTIFACTS / f"{relative.stem}-widget-after.png"))
        assert before != after, "moving a slider did not change the picture"
        assert_follows_a_drag(page, box, relative.stem)
    finally:
        page.screenshot(path=str(ARTIFACTS / f"{relative.stem}.png"))
        page.close()


def first_widget(page):
    """The box of the page's first widget (controls and picture), scrolled into view."""
    box = page.locator(".widget-slider").first.locator(
        "xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
    box.scroll_into_view_if_needed()
    time.sleep(1)
    return box


def assert_follows_a_drag(page, box, name):
    """The picture follows a drag of the widest slider itself, not only its release (a slider
    that updates on release shows no frame before the mouse is up). The frames, the values the
    slider passed through (its readout's changes: a slider of a few options cannot show more
    frames than that) and the seconds are printed (-s) for bench/lab_bench.py and the README; a
    wall-clock limit here would fail on a loaded machine."""
    frames, values, seconds = frames_of_a_drag(page, box, widest_slider(box))
    print(f"{name}: a drag showed {frames} frames in {seconds:.1f} s, "
          f"passing {values} slider values")
    assert values >= 2, f"the drag moved the slider through {values} values"
    assert frames >= 3, f"a {seconds:.1f} s drag showed {frames} frames while the slider " \
        f"passed {values} values"


COUNT_FRAMES = """(box) => {
  // a frame is a new image in the widget's output, or a new source for its Image widget
  window.__frames = 0;
  new MutationObserver(changes => {
    for (const change of changes) {
      if (change.type === 'attributes' && change.target.tagName === 'IMG') window.__frames++;
      for (const node of change.addedNodes)
        if (node.nodeType === 1 && (node.tagName === 'IMG' || node.querySelector('img')))
          window.__frames++;
    }
  }).observe(box, {childList: true, subtree: true, attributes: true, attributeFilter: ['src']});
}"""

COUNT_VALUES = """(readout) => {
  // a value is a new text in the dragged slider's readout
  window.__values = 0;
  let last = readout.textContent;
  new MutationObserver(() => {
    if (readout.textContent !== last) { last = readout.textContent; window.__values++; }
  }).observe(readout, {childList: true, subtree: true, characterData: true});
}"""


def widest_slider(box):
    """The slider of a widget box with the widest range (a drag across it changes the value at
    most moves: 04's first sliders pick a row or column among two)."""
    sliders = box.locator(".widget-slider")
    def span(i):
        handle = sliders.nth(i).locator(".noUi-handle").first
        low, high = (float(handle.get_attribute(a) or 0) for a in ("aria-valuemin",
                                                                    "aria-valuemax"))
        return high - low
    return sliders.nth(max(range(sliders.count()), key=span))


def frames_of_a_drag(page, box, slider, seconds=3.0, moves=180):
    """Drag the slider's handle across its track for `seconds` like a hand would; return the
    pictures the widget showed before the mouse was released (new images in its output), the
    values the slider passed through, and the seconds the drag took."""
    box.evaluate(COUNT_FRAMES)
    slider.locator(".widget-readout").first.evaluate(COUNT_VALUES)
    handle = slider.locator(".noUi-handle").first
    track = slider.locator(".noUi-target").first.bounding_box()
    start = handle.bounding_box()
    y = start["y"] + start["height"] / 2
    page.mouse.move(start["x"] + start["width"] / 2, y)
    page.mouse.down()
    began = time.monotonic()
    for i in range(1, moves + 1):
        # there and back across the track: every move changes the value
        fraction = 1.0 - abs(1.0 - 2.0 * i / moves)
        page.mouse.move(track["x"] + track["width"] * (0.1 + 0.8 * fraction), y)
        time.sleep(max(0.0, began + seconds * i / moves - time.monotonic()))
    frames, values = page.evaluate("[window.__frames, window.__values]")
    elapsed = time.monotonic() - began
    page.mouse.up()
    return frames, values, elapsed


BLANK_WIDGET = """from bpkit.live import LiveFigure, explorer
live = LiveFigure(figsize=(6.4, 4.0))
ax = live.figure.add_subplot()
ax.set(xlim=(0, 1), ylim=(0, 1), title="a blank frame: the round trip's floor")
(dot,) = ax.plot([0.5], [0.5], "o")
live.moving(dot)

def draw(values):
    dot.set_xdata([values["x"]])
    return live.outputs(f"x = {values['x']:.2f}")

explorer(lambda widgets: {"x": widgets.FloatSlider(value=0.5, min=0, max=1, step=0.01,
                                                   continuous_update=True)}, draw)
"""


def test_a_blank_widget_follows_a_drag(lab, browser):
    """The baseline of the drag rates the notebooks' tests print: a widget whose frame costs
    almost nothing to draw, so its rate is the round trip's (bench/lab_bench.py divides by it)."""
    import json
    import nbformat
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(BLANK_WIDGET)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    body = json.dumps({"type": "notebook", "content": json.loads(nbformat.writes(nb))}).encode()
    request = urllib.request.Request(f"{lab}/api/contents/blank_widget.ipynb", data=body,
                                     method="PUT", headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=30)
    page = open_and_run_all(browser, lab, "blank_widget.ipynb")
    try:
        assert model_errors(page) == []
        assert_follows_a_drag(page, first_widget(page), "blank_widget")
    finally:
        page.close()


def test_student_copy_shows_stubs_and_friendly_checks(lab, browser):
    relative = sorted(p.relative_to(NOTEBOOKS) for p in NOTEBOOKS.rglob("*.ipynb"))[0]
    page = open_and_run_all(browser, lab, f"notebooks/{relative}", until_error=True)
    try:
        assert page.get_by_text("raise NotImplementedError()").count() >= 1
        errors = model_errors(page)
        assert errors, "running the student copy raised nothing: are the stubs missing?"
        # what the learner sees is the traceback field, which _render_traceback_ makes one line
        shown = errors[0].split("\n", 1)[1]
        assert "not written yet" in shown and "Traceback" not in shown, shown
        # and on screen: scrolled to, the first error output says the same
        index = int(errors[0].split(":", 1)[0].removeprefix("cell "))
        page.evaluate(f"window.jupyterapp.shell.currentWidget.content.scrollToItem({index})")
        page.get_by_text("not written yet").first.wait_for(timeout=30_000)
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"student-{relative.stem}.png"))
        page.close()


def test_formgrader_lists_the_assignments(lab, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(f"{lab}/formgrader")
        for assignment in sorted(p.name for p in SOLUTIONS.iterdir() if p.is_dir()):
            page.get_by_text(assignment).first.wait_for(timeout=60_000)
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "formgrader.png"))
        page.close()
