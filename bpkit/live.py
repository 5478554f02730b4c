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
import os
import struct
import zlib

import numpy as np

from bpkit.checks.core import describe_exception
from bpkit.frames import Drawer, FrameMemo, in_kernel, picture_widget

__all__ = ["LiveFigure", "encode_png", "stdout_output", "png_output", "unwritten_output", "guarded",
           "headless", "explorer"]


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
        self._layout_kept = False  # True after the first layout was solved and kept

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
        """Redraw the background on the next frame: something in it changed. The layout is
        kept, unless the new background no longer fits the figure (wider tick labels, e.g.).

        relayout: solve the layout again in any case.
        """
        self._background = None
        if relayout:
            self.figure.set_layout_engine("constrained")
            self._layout_kept = False

    def draw(self):
        """Draw the current frame into the canvas; return it as an (H, W, 4) uint8 array."""
        if self._background is None:
            self.canvas.draw()  # animated artists are skipped: this is the background
            if self._layout_kept and not self._fits():
                self.figure.set_layout_engine("constrained")
                self.canvas.draw()
            # keep the layout of the first draw: solving it again on every frame costs more
            # than the rest of the frame, and the moving parts fit where they were
            self.figure.set_layout_engine("none")
            self._layout_kept = True
            self._pin_axis_labels()
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

    def _fits(self):
        """Whether every axes, its labels and tick labels included, lies inside the figure."""
        renderer = self.canvas.get_renderer()
        inside = self.figure.bbox.padded(1.0)
        for ax in self.figure.axes:
            box = ax.get_tightbbox(renderer)
            if box is not None and not (inside.x0 <= box.x0 and box.x1 <= inside.x1
                                        and inside.y0 <= box.y0 and box.y1 <= inside.y1):
                return False
        return True

    def _pin_axis_labels(self):
        """A moving axis keeps its label where the layout put it: placing it again on every
        frame measures every tick label of the axes that share its side."""
        from matplotlib.axis import Axis
        for axis in self._moving:
            if isinstance(axis, Axis) and axis.axes is not None:
                label = axis.label
                where = label.get_transform().transform(label.get_position())
                axis.set_label_coords(*axis.axes.transAxes.inverted().transform(where))

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
        return encode_png(self.draw()[..., :3])

    def outputs(self, text):
        """A tuple holding one display_data output with the frame, for Output.outputs."""
        return (png_output(self.png(), text),)


def encode_png(rgb):
    """PNG bytes of an (H, W, 3) uint8 image, encoded for speed: no row filter and zlib's
    fastest level (a third of the time of PIL's adaptive filters, and no larger for the flat
    colours of a plot)."""
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    height, width, _ = rgb.shape
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)  # each row: filter 0, its pixels
    rows[:, 1:] = rgb.reshape(height, -1)

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + chunk(b"IEND", b""))


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
    drawer = Drawer(kept, lambda outputs: setattr(picture, "outputs", outputs),
                    lambda exc: (stdout_output("This picture could not be drawn: "
                                               + describe_exception(exc)),))

    def values():
        return {name: control.value for name, control in controls.items()}

    follow = drawer.request if in_kernel() else drawer.show  # a thread only where moves arrive
    for control in controls.values():
        control.observe(lambda change: follow(values()), names="value")
    drawer.show(values())  # the first frame with the cell's output
    return widgets.VBox([*controls.values(), picture])
