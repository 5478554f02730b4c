"""A classifier judged from the outside (notebook 10): its training curves, its confusion matrix,
the images it gets wrong and a hyperparameter search drawn as a heat map. Every label shown
here was predicted by the learner's own network, passed in: nothing here trains or predicts.
"""
import numpy as np
from matplotlib.patches import Rectangle

from bpkit.plots import figure_and_axes

__all__ = ["confusion_counts", "plot_confusion", "draw_confusion", "set_confusion",
           "plot_misclassified", "plot_history", "draw_history", "label_history_axes",
           "plot_search"]


def confusion_counts(y_true, y_pred, num_classes=10):
    """(num_classes, num_classes) int array: entry [i, j] counts the images of class i
    predicted as class j, so the diagonal holds the correct answers."""
    y_true = np.asarray(y_true, dtype=np.int64).ravel()
    y_pred = np.asarray(y_pred, dtype=np.int64).ravel()
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{y_true.size} true labels but {y_pred.size} predicted labels")
    counts = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


def draw_confusion(ax, counts, title):
    """Draw a confusion matrix into ax: returns (image, texts), the artists a live view moves.

    Colours are the share of each true class (a row) that went to each column, so a class with
    few images reads the same as one with many; each cell is written with its count.
    """
    counts = np.asarray(counts)
    num_classes = counts.shape[0]
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    image = ax.imshow(shares, cmap="Blues", vmin=0.0, vmax=1.0, aspect="equal")
    texts = [[ax.text(j, i, "", ha="center", va="center", fontsize=7)
              for j in range(num_classes)] for i in range(num_classes)]
    set_confusion(image, texts, counts)
    ax.set(xticks=range(num_classes), yticks=range(num_classes), title=title,
           xlabel="predicted digit", ylabel="true digit")
    return image, [t for row in texts for t in row]


def set_confusion(image, texts, counts):
    """Show new counts in an image and its grid of texts (a list of rows, or one flat list)."""
    counts = np.asarray(counts)
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    image.set_data(shares)
    flat = [t for row in texts for t in row] if isinstance(texts[0], list) else texts
    for text, count, share in zip(flat, counts.ravel(), shares.ravel()):
        text.set_text(str(count) if count else "")
        text.set_color("white" if share > 0.6 else "black")


def plot_confusion(y_true, y_pred, num_classes=10, ax=None, title=None):
    """The confusion matrix of predicted against true labels, with counts; returns the Figure."""
    counts = confusion_counts(y_true, y_pred, num_classes)
    accuracy = np.trace(counts) / max(counts.sum(), 1)
    fig, ax = figure_and_axes(ax, figsize=(5.2, 4.6))
    image, _ = draw_confusion(ax, counts, title or f"Confusion matrix ({accuracy:.1%} correct, "
                                                   f"{counts.sum()} images)")
    fig.colorbar(image, ax=ax, label="share of the true digit's images")
    return fig


def plot_misclassified(images, y_true, y_pred, max_images=24, columns=8, title=None):
    """A gallery of the images whose predicted label is wrong, each titled "true → predicted".

    images: (N, 64) pixels of 8x8 images in [0, 1].  y_true, y_pred: (N,) labels.
    Returns the Figure (a note in place of the gallery when every image is right).
    """
    import matplotlib.pyplot as plt  # a new figure, shown by Jupyter
    images = np.asarray(images, dtype=np.float64)
    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    if images.ndim != 2 or not len(images) == len(y_true) == len(y_pred):
        raise ValueError("images (N, pixels), y_true (N,) and y_pred (N,) must have one row or "
                         "label per image")
    wrong = np.flatnonzero(y_true != y_pred)
    shown = wrong[:max_images]
    rows = max(1, -(-len(shown) // columns))
    fig, axes = plt.subplots(rows, columns, figsize=(1.3 * columns, 1.55 * rows + 0.5),
                             layout="constrained", squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, index in zip(axes.flat, shown):
        side = int(round(np.sqrt(images.shape[1])))
        ax.imshow(images[index].reshape(side, side), cmap="gray_r", vmin=0.0, vmax=1.0)
        ax.set_title(f"{y_true[index]} → {y_pred[index]}", fontsize=9, color="firebrick")
    fig.suptitle(title or f"Misclassified images ({len(wrong)} of {len(y_true)}; first "
                          f"{len(shown)} shown, titled true digit → predicted digit)")
    if not len(shown):
        axes.flat[0].text(0.0, 0.5, "every image is classified correctly", fontsize=10)
    return fig


def draw_history(loss_ax, acc_ax, history):
    """Draw a history's curves (train_loss, val_loss against epochs into loss_ax, val_acc into
    acc_ax); returns the three Line2D artists."""
    epochs = np.arange(1, len(history["train_loss"]) + 1)
    lines = [loss_ax.plot(epochs, history["train_loss"], color="tab:blue", linewidth=1.8,
                          label="training loss (mean over the epoch's batches)")[0],
             loss_ax.plot(epochs, history["val_loss"], color="tab:orange", linewidth=1.8,
                          label="validation loss (after the epoch)")[0],
             acc_ax.plot(epochs, 100.0 * np.asarray(history["val_acc"]), color="tab:green",
                         linewidth=1.8, marker="o", markersize=3,
                         label="validation accuracy")[0]]
    return lines


def label_history_axes(loss_ax, acc_ax, title):
    loss_ax.set(title=title, xlabel="epoch", ylabel="cross-entropy + L2 penalty (nats)",
                yscale="log")
    acc_ax.set(title="Validation accuracy", xlabel="epoch", ylabel="accuracy (%)")
    for ax in (loss_ax, acc_ax):
        ax.grid(True, alpha=0.3)


def plot_history(history, title="Training and validation loss"):
    """Two panels: the losses per epoch (log scale) and the validation accuracy per epoch.

    history: {"train_loss": [...], "val_loss": [...], "val_acc": [...]}, one entry per epoch.
    """
    import matplotlib.pyplot as plt
    fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(11.0, 3.8), layout="constrained")
    draw_history(loss_ax, acc_ax, history)
    label_history_axes(loss_ax, acc_ax, title)
    loss_ax.legend(fontsize="small")
    acc_ax.legend(fontsize="small", loc="lower right")
    return fig


def plot_search(scores, row_values, col_values, row_label, col_label, ax=None,
                title="Validation accuracy of each setting", chosen=None):
    """A heat map of one score per setting of two hyperparameters, each cell written in %.

    scores: (R, C) accuracies in [0, 1].  row_values, col_values: the settings along each axis.
    chosen: (row, column) of the setting to outline (the one picked).  Returns the Figure.
    """
    scores = 100.0 * np.asarray(scores, dtype=np.float64)
    fig, ax = figure_and_axes(ax, figsize=(6.0, 3.6))
    image = ax.imshow(scores, cmap="viridis", vmin=max(0.0, np.nanmin(scores) - 5.0),
                      vmax=100.0, aspect="auto")
    for (i, j), value in np.ndenumerate(scores):
        ax.text(j, i, f"{value:.1f}%", ha="center", va="center",
                color="black" if value > np.nanmin(scores) + 0.6 * (100 - np.nanmin(scores))
                else "white", fontsize=10)
    if chosen is not None:
        i, j = chosen
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1.0, 1.0, fill=False, edgecolor="red",
                               linewidth=2.5))
    ax.set(xticks=range(len(col_values)), xticklabels=[f"{v:g}" for v in col_values],
           yticks=range(len(row_values)), yticklabels=[f"{v:g}" for v in row_values],
           xlabel=col_label, ylabel=row_label, title=title)
    fig.colorbar(image, ax=ax, label="validation accuracy (%)")
    return fig
