"""How a widget's frames reach the learner: drawn away from the kernel's message loop
(`Drawer`), remembered by the values they show (`FrameMemo`), and sent as raw image bytes
(`picture_widget`). bpkit.live.explorer puts them together; nothing here imports ipywidgets.
"""
import base64
import threading

__all__ = ["in_kernel", "Drawer", "FRAMES_KEPT", "FrameMemo", "picture_widget"]


def in_kernel():
    """True inside a Jupyter kernel (where a widget's moves arrive as messages)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return getattr(get_ipython(), "kernel", None) is not None


class Drawer:
    """Draws frames away from the kernel's message loop: `request(values)` returns at once and a
    thread draws the latest values requested, then `show`s them; values requested while a frame
    is drawn replace each other (only the newest is drawn next). `show(values)` draws now.
    failed(exception) -> the outputs shown when draw raises.
    The thread ends after `idle` seconds without a request and starts again on the next."""

    def __init__(self, draw, show, failed, idle=60.0):
        self._draw, self._show, self._failed, self._idle = draw, show, failed, idle
        self._lock = threading.Condition()
        self._latest, self._thread = None, None

    def show(self, values):
        self._show(self._frame(values))

    def request(self, values):
        with self._lock:
            self._latest = values
            self._lock.notify()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, daemon=True,
                                                name="bpkit-drawer")
                self._thread.start()

    def _run(self):
        while True:
            with self._lock:
                if self._latest is None:
                    self._lock.wait(self._idle)
                if self._latest is None:  # idle: this thread ends
                    self._thread = None
                    return
                values, self._latest = self._latest, None
            self.show(values)

    def _frame(self, values):
        try:
            return self._draw(values)
        except Exception as exc:  # drawn in a thread: nobody else would see it
            return self._failed(exc)


FRAMES_KEPT = 128  # about 100 kB each


class FrameMemo:
    """draw(values) remembered for the last `size` values it was called with (least recently
    shown forgotten first); values that cannot be a key (a list, an array) are drawn each time."""

    def __init__(self, draw, size=FRAMES_KEPT):
        self.draw, self.size, self.frames = draw, size, {}

    def __call__(self, values):
        try:
            key = tuple(sorted(values.items()))
            hash(key)
        except TypeError:
            return self.draw(values)
        frame = self.frames.pop(key, None)
        if frame is None:
            frame = self.draw(values)
        self.frames[key] = frame  # now the most recent
        while len(self.frames) > self.size:
            del self.frames[next(iter(self.frames))]
        return frame


def picture_widget(widgets):
    """A widget showing outputs (as for an Output widget's `outputs`): a lone PNG goes to an
    Image widget as raw bytes, anything else (a note, a message) to an Output widget.

    A frame as an Image is one binary message that the browser shows by swapping the image's
    source; as an Output it is base64 text in JSON that JupyterLab renders into a new element.
    `picture.outputs` holds the outputs last shown (the tests read it).
    """
    class Picture(widgets.VBox):
        _shown = ()

        @property
        def outputs(self):
            return self._shown

        @outputs.setter
        def outputs(self, outputs):
            outputs = tuple(outputs)
            self._shown = outputs
            if len(outputs) == 1 and "image/png" in outputs[0].get("data", {}):
                image.value = base64.b64decode(outputs[0]["data"]["image/png"])
                note.outputs = ()
                image.layout.display = None
            else:
                note.outputs = outputs
                image.layout.display = "none"

    image = widgets.Image(format="png", layout=widgets.Layout(display="none"))
    note = widgets.Output()
    return Picture([image, note])
