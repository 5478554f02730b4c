"""Static pictures, one module per topic: each takes the learner's own functions or their results.

Every plot has a title and labelled axes and returns its matplotlib Figure. Pass `ax` to draw
into an existing axes; without it a new figure is made with pyplot, so Jupyter shows it. This
module holds what the plots (and the live views drawn with them) share.
"""
import numpy as np

__all__ = ["figure_and_axes", "colour_range"]


def figure_and_axes(ax, figsize):
    """(figure, axes) to draw into: ax's own, or a new pyplot figure of figsize."""
    if ax is None:
        import matplotlib.pyplot as plt  # here: only a new figure needs pyplot
        # constrained layout keeps the colorbar label and the title from overlapping the axes.
        return plt.subplots(figsize=figsize, layout="constrained")
    return ax.figure, ax


def colour_range(a, level, vmin, vmax, steady=False):
    """A fixed range for bounded activations, so colours mean the same while sliders move.

    An unbounded one spans its values; with steady=True (a widget redrawing as sliders move)
    the span is rounded outward to 1, 2, 5, 10, 20, ..., so the range, and the colour bar with
    it, only changes when the values outgrow it.
    """
    if vmin is not None and vmax is not None:
        return vmin, vmax
    if level == 0.5:
        low, high = 0.0, 1.0
    elif a.min() >= -1.0 and a.max() <= 1.0:
        low, high = -1.0, 1.0
    else:
        low, high = float(np.nanmin(a)), float(np.nanmax(a))
        if steady:
            low, high = -_round_up(-low), max(_round_up(high), 1.0)
    return (low if vmin is None else vmin), (high if vmax is None else vmax)


def _round_up(value):
    """The smallest of 1, 2, 5 times a power of 10 that is at least value (0 for value <= 0)."""
    if value <= 0.0:
        return 0.0
    step = 10.0 ** np.floor(np.log10(value))
    return next(m * step for m in (1.0, 2.0, 5.0, 10.0) if m * step >= value)
