"""Width, training-set size, L2 strength and dropout rate on sliders, and the training and
validation curves they give (notebook 09)."""
import numpy as np

from bpkit.live import LiveFigure, explorer, guarded
from bpkit.plots.regularization import draw_train_val

__all__ = ["WIDTHS", "SIZES", "REGS", "DROP_RATES", "RegularizationView",
           "regularization_explorer"]

WIDTHS = (2, 4, 8, 16, 32, 64, 128)
SIZES = (10, 20, 40, 80, 160)
REGS = (0.0, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1)
DROP_RATES = (0.0, 0.1, 0.25, 0.5, 0.75)
LOSS_LIMITS = (0.0, 1.2)  # fixed axes: settings compare at a glance
ACCURACY_LIMITS = (0.4, 1.02)


class RegularizationView:
    """The picture behind regularization_explorer, kept across slider moves: `update(...)`.

    Left: training and validation loss against epochs; right: the same for accuracy. The axes
    are drawn once; a move redraws only the curves and the titles. The experiment's results are
    kept per setting, so going back to a setting is instant.
    """

    def __init__(self, num_epochs=300):
        self.num_epochs = num_epochs
        self.results = {}
        self._live = None
        self._drawn = []

    def _figure(self):
        self._live = LiveFigure(figsize=(10.0, 4.0), dpi=90)
        left, right = self._live.figure.subplots(1, 2)
        for ax, limits, ylabel in ((left, LOSS_LIMITS, "cross-entropy loss (nats)"),
                                   (right, ACCURACY_LIMITS, "accuracy (fraction correct)")):
            ax.set(xlim=(0, self.num_epochs), ylim=limits, ylabel=ylabel,
                   xlabel="epoch (one full-batch gradient step each)")
            ax.grid(True, alpha=0.3)
            ax.set_title(" ")
        self._live.moving(left.title, right.title)

    def update(self, experiment, width, n_train, reg, drop_rate):
        """Jupyter outputs (a tuple of nbformat dicts): both panels, or a note to the learner.

        experiment(width, n_train, reg, keep_prob) -> a history (see bpkit.plots.regularization):
        the notebook's function, which trains with the learner's penalty and dropout.
        """
        key = (int(width), int(n_train), float(reg), float(drop_rate))
        if key not in self.results:
            result, note = guarded("l2_penalty, dropout_forward and dropout_backward",
                                   lambda: experiment(key[0], key[1], key[2], 1.0 - key[3]),
                                   who="the experiment")
            if note:
                return note
            self.results[key] = {name: np.asarray(values, dtype=np.float64)
                                 for name, values in result.items()}
        history = self.results[key]
        if self._live is None:
            self._figure()
        left, right = self._live.figure.axes[:2]
        for artist in self._drawn:
            self._live.forget(artist)
        self._drawn = draw_train_val(left, history, "loss")
        self._drawn.append(left.legend(loc="upper right", fontsize="small", framealpha=0.9))
        self._drawn += draw_train_val(right, history, "accuracy", colour="tab:green")
        self._drawn.append(right.legend(loc="lower right", fontsize="small", framealpha=0.9))
        train, val = history["train_acc"][-1], history["val_acc"][-1]
        left.set_title(f"H = {key[0]}, N = {key[1]}, λ = {key[2]:g}, dropout {key[3]:g}: loss "
                       f"{history['train_loss'][-1]:.3f} training, "
                       f"{history['val_loss'][-1]:.3f} validation", fontsize="small")
        right.set_title(f"Accuracy: training {train:.1%}, validation {val:.1%} "
                        f"(gap {100 * (train - val):.1f} points)", fontsize="small")
        self._live.moving(*self._drawn)
        return self._live.outputs(f"<H={key[0]}, N={key[1]}, reg={key[2]:g}, "
                                  f"drop={key[3]:g}: training {train:.1%}, validation {val:.1%}>")


def regularization_explorer(experiment, width=128, n_train=20, reg=0.0, drop_rate=0.0):
    """Sliders for the hidden width H, the training-set size N, the L2 strength λ and the
    dropout rate (1 - keep_prob) above the training and validation curves they give.
    experiment: see RegularizationView.update. Returns the ipywidgets VBox (None when
    headless)."""
    view = RegularizationView()

    def controls(widgets):
        wide = {"description_width": "initial"}

        def slider(options, value, description):
            return widgets.SelectionSlider(options=list(options), value=value,
                                           description=description, continuous_update=True,
                                           style=wide, layout={"width": "420px"})
        return {"width": slider(WIDTHS, width, "hidden width H"),
                "n_train": slider(SIZES, n_train, "training points N"),
                "reg": slider(REGS, reg, "L2 strength λ"),
                "drop_rate": slider(DROP_RATES, drop_rate, "dropout rate (1 - keep_prob)")}

    def draw(values):
        return view.update(experiment, values["width"], values["n_train"], values["reg"],
                           values["drop_rate"])

    return explorer(controls, draw)
