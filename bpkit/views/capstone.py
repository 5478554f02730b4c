"""The runs of a hyperparameter search, one at a time: pick a hidden width and a learning rate,
see that run's curves and its confusion matrix on the validation set (notebook 10)."""
import numpy as np

from bpkit.live import LiveFigure, explorer, guarded, stdout_output
from bpkit.plots.capstone import (confusion_counts, draw_confusion, draw_history,
                                  label_history_axes, set_confusion)

__all__ = ["SearchView", "search_explorer", "find_run"]


def find_run(results, width, lr):
    """The result of `results` (dicts with "config") whose config has hidden_sizes [width] and
    learning rate lr; KeyError when the search did not try that pair."""
    for result in results:
        config = result["config"]
        if list(config["hidden_sizes"]) == [width] and np.isclose(config["lr"], lr):
            return result
    raise KeyError(f"no run with hidden width {width} and learning rate {lr:g}")


class SearchView:
    """The picture behind search_explorer, kept across moves: `update(predict, width, lr)`.

    results: the search's runs, dicts with "config", "params" and "history" (one entry per
    epoch; every run has as many epochs). The axes, their limits and the colour bar are drawn
    once; a move redraws the three curves, the matrix and the titles.
    """

    def __init__(self, results, x_val, y_val, num_classes=10):
        self.results, self.x_val, self.y_val = results, x_val, np.asarray(y_val)
        self.num_classes = num_classes
        self._live = None

    def _build(self):
        self._live = LiveFigure(figsize=(12.0, 3.9), dpi=90)
        loss_ax, acc_ax, matrix_ax = self._live.figure.subplots(1, 3, width_ratios=[1, 1, 0.9])
        histories = [r["history"] for r in self.results]
        epochs = len(histories[0]["train_loss"])
        losses = np.concatenate([np.r_[h["train_loss"], h["val_loss"]] for h in histories])
        losses = losses[np.isfinite(losses) & (losses > 0)]
        self._lines = draw_history(loss_ax, acc_ax, histories[0])
        label_history_axes(loss_ax, acc_ax, "Loss of this run")
        loss_ax.set(xlim=(0.5, epochs + 0.5),
                    ylim=(0.8 * losses.min(initial=0.01), 1.25 * losses.max(initial=3.0)))
        acc_ax.set(xlim=(0.5, epochs + 0.5), ylim=(0.0, 100.0))
        loss_ax.legend(fontsize="x-small", loc="upper right")
        zeros = np.zeros((self.num_classes, self.num_classes), dtype=np.int64)
        self._image, self._texts = draw_confusion(matrix_ax, zeros, "Validation confusion matrix")
        self._live.figure.colorbar(self._image, ax=matrix_ax, label="share of the true digit")
        self._titles = (loss_ax.title, acc_ax.title, matrix_ax.title)
        self._live.moving(*self._lines, self._image, *self._texts, *self._titles)

    def update(self, predict, width, lr):
        """Jupyter outputs (a tuple of nbformat dicts): the run's picture, or a note."""
        try:
            run = find_run(self.results, width, lr)
        except KeyError as missing:
            return (stdout_output(str(missing.args[0])),)
        labels, note = guarded("predict", lambda: np.asarray(
            predict(run["params"], self.x_val, run["config"])).ravel())
        if note:
            return note
        if self._live is None:
            self._build()
        history = run["history"]
        epochs = np.arange(1, len(history["train_loss"]) + 1)
        for line, values in zip(self._lines, (history["train_loss"], history["val_loss"],
                                              100.0 * np.asarray(history["val_acc"]))):
            line.set_data(epochs, values)
        counts = confusion_counts(self.y_val, labels, self.num_classes)
        set_confusion(self._image, self._texts, counts)
        accuracy = np.trace(counts) / max(counts.sum(), 1)
        self._titles[0].set_text(f"Loss: {width} hidden units, learning rate {lr:g}")
        self._titles[1].set_text(f"Validation accuracy: {100.0 * history['val_acc'][-1]:.1f}% "
                                 "at the end")
        self._titles[2].set_text(f"Validation confusion ({accuracy:.1%} right)")
        return self._live.outputs(f"<hidden width {width}, learning rate {lr:g}: "
                                  f"{accuracy:.1%} of the validation images right>")


def search_explorer(results, predict, x_val, y_val, widths, rates):
    """Two selection sliders (hidden width, learning rate) over the runs of a search.

    results: dicts with "config", "params", "history".  predict: the learner's
    predict(params, x, config).  Returns the ipywidgets VBox (None when headless).
    """
    view = SearchView(results, x_val, y_val)

    def controls(widgets):
        style = {"description_width": "initial"}
        return {"width": widgets.SelectionSlider(options=list(widths), value=widths[-1],
                                                 description="hidden width", style=style,
                                                 continuous_update=True),
                "lr": widgets.SelectionSlider(options=list(rates), value=rates[len(rates) // 2],
                                              description="learning rate", style=style,
                                              continuous_update=True)}

    return explorer(controls, lambda values: view.update(predict, values["width"], values["lr"]))
