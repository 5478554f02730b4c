"""Fast pictures for the widgets: one figure kept across slider moves, redrawn by blitting.

Most of a matplotlib redraw goes into what a slider does not change: axes, ticks, tick labels,
colour bars. `LiveFigure` draws those once into a background; on each slider move it pastes the
background back, draws only the artists that move, and encodes the PNG with fast compression.
The widgets' views (bpkit.views) own one each; the outputs it returns are ready for an ipywidgets
`Output` widget's `outputs`. `guarded` turns the learner's unwritten or failing function into a
note instead of a picture, and `explorer` builds a widget: controls above a live picture.

    live = LiveFigure(figsize=(6, 4))
    ax = live.figure.add_subplot()
    line, = ax.plot(x, y)
    live.moving(line)              # redrawn on every frame
    outputs = live.outputs("<text for the text/plain copy>")
    line.set_ydata(y2)
    outputs = live.outputs("...")  # fast: only the line is drawn again
    live.invalidate()              # after changing something in the background (limits, ticks)
"""
import base64
import io
import os

import numpy as np

from bpkit.checks.core import describe_exception

__all__ = ["LiveFigure", "stdout_output", "png_output", "unwritten_output", "guarded",
           "headless", "explorer", "in_kernel", "Drawer", "FrameMemo",
           "picture_widget"]


class LiveFigure:
    """A pyplot-free Figure whose moving artists are redrawn over a cached background."""

    def __init__(self, figsize, dpi=96, layout="constrained"):
        # imported here: bpkit.live imports quickly for the views that never draw (headless)
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        # pyplot-free: nothing is registered with pyplot, nothing to close, nothing shown twice
        self.figure = Figure(figsize=figsize, dpi=dpi, layout=layout)
        self.canvas = FigureCanvasAgg(self.figure)
        self._moving, self._overlays = [], []
        self._background, self._overlay = None, None

    def moving(self, *artists):
        """Mark artists as redrawn on every frame (drawn in zorder over the background)."""
        for artist in artists:
            if artist is None or any(artist is known for known in self._moving):
                continue
            artist.set_animated(True)
            self._moving.append(artist)
        return artists

    def moving_contents(self, ax, steady_legend=False):
        """Mark everything inside ax as moving: its images, lines, collections, texts, legend.

        Its axes, ticks, tick labels and background stay in the cached background.
        steady_legend: the legend never changes, so it is an overlay (drawn once) instead.
        """
        static = {id(ax.xaxis), id(ax.yaxis), id(ax.patch)}
        legend = ax.get_legend() if steady_legend else None
        if legend is not None:
            static.add(id(legend))
            self.overlay(legend)
        self.moving(*(child for child in ax.get_children() if id(child) not in static))

    def overlay(self, *artists):
        """Mark artists as drawn over every frame but never changing (a legend over moving
        contents): rendered once with the background, then pasted as pixels on each frame."""
        for artist in artists:
            artist.set_animated(True)
            self._overlays.append(artist)
        return artists

    def forget(self, artist):
        """Remove a moving artist from the figure (e.g. a contour set about to be replaced)."""
        self._moving = [known for known in self._moving if known is not artist]
        if artist is not None and artist.axes is not None:
            artist.remove()

    def invalidate(self, relayout=False):
        """Redraw the background on the next frame: something in it changed.

        relayout: also solve the layout again (new tick labels may be wider, e.g.).
        """
        self._background = None
        if relayout:
            self.figure.set_layout_engine("constrained")

    def draw(self):
        """Draw the current frame into the canvas; return it as an (H, W, 4) uint8 array."""
        if self._background is None:
            self.canvas.draw()  # animated artists are skipped: this is the background
            # keep the layout of the first draw: solving it again on every frame costs more
            # than the rest of the frame, and the moving parts fit where they were
            self.figure.set_layout_engine("none")
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
            self._overlay = self._render_overlays()
        else:
            self.canvas.restore_region(self._background)
        self._moving = [artist for artist in self._moving if artist.figure is not None]
        for artist in sorted(self._moving, key=lambda a: a.get_zorder()):
            if artist.get_visible():
                self.figure.draw_artist(artist)
        frame = np.asarray(self.canvas.buffer_rgba())
        if self._overlay is not None:
            rows, columns, premultiplied, transparency = self._overlay
            under = frame[rows, columns, :3]
            under[...] = (premultiplied + under * transparency + 0.5).astype(np.uint8)
        return frame

    def _render_overlays(self):
        """The overlays alone on a transparent canvas, cut to where they drew: (rows, columns,
        colour times opacity, 1 - opacity), for pasting over a frame; None without overlays."""
        overlays = [artist for artist in self._overlays if artist.figure is not None]
        if not overlays:
            return None
        self.canvas.get_renderer().clear()
        for artist in overlays:
            self.figure.draw_artist(artist)
        pixels = np.array(self.canvas.buffer_rgba(), dtype=np.float32)
        self.canvas.restore_region(self._background)
        drawn_rows, drawn_columns = np.nonzero(pixels[..., 3])
        if drawn_rows.size == 0:
            return None
        rows = slice(drawn_rows.min(), drawn_rows.max() + 1)
        columns = slice(drawn_columns.min(), drawn_columns.max() + 1)
        opacity = pixels[rows, columns, 3:] / 255.0
        return rows, columns, pixels[rows, columns, :3] * opacity, 1.0 - opacity

    def png(self):
        """The current frame as PNG bytes (fast compression: it is redrawn on every slider move)."""
        from PIL import Image  # matplotlib's own dependency
        buffer = io.BytesIO()
        Image.fromarray(self.draw()[..., :3]).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def outputs(self, text):
        """A tuple holding one display_data output with the frame, for Output.outputs."""
        return (png_output(self.png(), text),)


def png_output(png, text):
    """A Jupyter display_data output (nbformat dict) showing PNG bytes, with a text copy."""
    return {"output_type": "display_data", "metadata": {},
            "data": {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": text}}


def stdout_output(text):
    """A Jupyter stream output (nbformat dict) printing one line to the learner."""
    return {"output_type": "stream", "name": "stdout", "text": text + "\n"}


def unwritten_output(name):
    """The note a widget shows instead of its picture while the learner's `name` is a stub."""
    return stdout_output(f"Write {name} above first: this picture uses your own function.")


def guarded(name, compute, who=None):
    """(compute(), None), or (None, outputs telling the learner why there is no picture): their
    `name` still holds its stub, or `who` (default: name) raised. A widget's callback would
    otherwise hide the traceback."""
    try:
        return compute(), None
    except NotImplementedError:
        return None, (unwritten_output(name),)
    except Exception as exc:  # the learner's bug, shown as a one-line message
        return None, (stdout_output(f"{who or name} raised {describe_exception(exc)}"),)


def headless():
    """True where no one will see a widget: the grader sets BPKIT_HEADLESS=1 in its sandbox."""
    return os.environ.get("BPKIT_HEADLESS") == "1"


def explorer(make_controls, draw):
    """An ipywidgets VBox: the controls above a picture that follows them.

    make_controls(widgets) -> {name: control}, given the ipywidgets module (imported here, lazily:
    bpkit imports without a notebook frontend). draw(values) -> outputs for the picture, values
    being {name: control.value}. None when headless, without importing ipywidgets.

    Give sliders continuous_update=True: the picture follows a drag. ipywidgets' frontend keeps
    one update in flight and merges the moves made meanwhile into the next. In a kernel, frames
    are drawn by a `Drawer` thread, so the kernel answers a move at once and the next move
    travels while a frame is drawn; a frame that falls behind is dropped, never queued (the
    browser test counts the frames of a drag). The last FRAMES_KEPT frames are kept by their
    values: a drag back over values already shown costs no drawing (draw must depend on the
    values alone, as every view's does).
    """
    if headless():
        return None
    import ipywidgets as widgets

    controls = make_controls(widgets)
    picture = picture_widget(widgets)
    kept = FrameMemo(draw)
    drawer = Drawer(kept, lambda outputs: setattr(picture, "outputs", outputs))

    def values():
        return {name: control.value for name, control in controls.items()}

    for control in controls.values():
        control.observe(lambda change: drawer.request(values()) if in_kernel()
                        else drawer.show(values()), names="value")
    drawer.show(values())  # the first frame with the cell's output
    return widgets.VBox([*controls.values(), picture])


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
    The thread ends after `idle` seconds without a request and starts again on the next."""

    def __init__(self, draw, show, idle=60.0):
        import threading
        self._draw, self._show, self._idle = draw, show, idle
        self._lock = threading.Condition()
        self._latest, self._thread = None, None

    def show(self, values):
        self._show(self._frame(values))

    def request(self, values):
        import threading
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
            return (stdout_output(f"This picture could not be drawn: "
                                  f"{describe_exception(exc)}"),)


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
