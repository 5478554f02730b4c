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
           "headless", "explorer", "picture_widget"]


class LiveFigure:
    """A pyplot-free Figure whose moving artists are redrawn over a cached background."""

    def __init__(self, figsize, dpi=96, layout="constrained"):
        # imported here: bpkit.live imports quickly for the views that never draw (headless)
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        # pyplot-free: nothing is registered with pyplot, nothing to close, nothing shown twice
        self.figure = Figure(figsize=figsize, dpi=dpi, layout=layout)
        self.canvas = FigureCanvasAgg(self.figure)
        self._moving = []
        self._background = None

    def moving(self, *artists):
        """Mark artists as redrawn on every frame (drawn in zorder over the background)."""
        for artist in artists:
            if artist is None or any(artist is known for known in self._moving):
                continue
            artist.set_animated(True)
            self._moving.append(artist)
        return artists

    def moving_contents(self, ax):
        """Mark everything inside ax as moving: its images, lines, collections, texts, legend.

        Its axes, ticks, tick labels and background stay in the cached background.
        """
        static = {id(ax.xaxis), id(ax.yaxis), id(ax.patch)}
        self.moving(*(child for child in ax.get_children() if id(child) not in static))

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
        else:
            self.canvas.restore_region(self._background)
        self._moving = [artist for artist in self._moving if artist.figure is not None]
        for artist in sorted(self._moving, key=lambda a: a.get_zorder()):
            if artist.get_visible():
                self.figure.draw_artist(artist)
        return np.asarray(self.canvas.buffer_rgba())

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
    one update in flight and merges the moves made meanwhile into the next, so frames that fall
    behind are dropped rather than queued (the browser test counts the frames of a drag).
    """
    if headless():
        return None
    import ipywidgets as widgets

    controls = make_controls(widgets)
    picture = picture_widget(widgets)

    def redraw(change=None):
        picture.outputs = draw({name: control.value for name, control in controls.items()})

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([*controls.values(), picture])


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
