"""Tests of bpkit.plots.losses and bpkit.views.losses. Every loss is defined here, in the test: bpkit computes none.

The widget tests build real ipywidgets without a kernel: the explorer writes its picture straight
into the Output widget's `outputs`, so a redraw is visible here too.
"""
import base64

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from matplotlib.figure import Figure  # noqa: E402

from bpkit.plots.losses import loss_curves, loss_point, plot_loss_slopes  # noqa: E402
from bpkit.views.losses import loss_explorer  # noqa: E402
from conftest import find_picture, find_widgets  # noqa: E402


def mse(y_hat, y):
    return np.mean((y_hat - y) ** 2)  # a numpy scalar, as most learners return


def bce(p, y):
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def unwritten(y_hat, y):
    raise NotImplementedError()


LOSSES = {"MSE": mse, "BCE": bce}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("p,y", [(0.3, 1.0), (0.01, 1.0), (0.75, 0.0), (0.5, 0.0)])
def test_loss_point_values_and_slopes_match_the_derivatives(p, y):
    point = loss_point(LOSSES, p, y)
    assert set(point) == {"MSE", "BCE"}
    assert point["MSE"]["loss"] == pytest.approx((p - y) ** 2, rel=1e-12)
    assert point["MSE"]["slope"] == pytest.approx(2 * (p - y), rel=1e-6, abs=1e-8)
    assert point["BCE"]["loss"] == pytest.approx(-np.log(p if y == 1 else 1 - p), rel=1e-12)
    bce_slope = -1 / p if y == 1 else 1 / (1 - p)
    assert point["BCE"]["slope"] == pytest.approx(bce_slope, rel=1e-6)
    assert all(isinstance(v, float) for d in point.values() for v in d.values())


def test_loss_point_calls_the_losses_on_a_batch_of_one():
    calls = []

    def recording(y_hat, y):
        calls.append((y_hat.shape, y_hat.dtype, y.shape, float(y[0])))
        return mse(y_hat, y)

    loss_point({"rec": recording}, 0.4, 1)
    assert len(calls) == 3  # the point and its two neighbours for the central difference
    assert all(c == ((1,), np.float64, (1,), 1.0) for c in calls)


def test_loss_point_leaves_out_an_unwritten_loss():
    point = loss_point({"MSE": mse, "BCE": unwritten}, 0.2, 1.0)
    assert list(point) == ["MSE"]


def test_a_loss_that_returns_one_value_per_entry_is_named():
    with pytest.raises(ValueError, match=r"returned shape \(2,\).*one number"):
        loss_point({"bad": lambda y_hat, y: np.array([1.0, 2.0])}, 0.2, 1.0)


def test_loss_curves_default_grid_and_values():
    p, curves = loss_curves(LOSSES, 0.0)
    assert p.shape == (197,) and p[0] == pytest.approx(0.01) and p[-1] == pytest.approx(0.99)
    np.testing.assert_allclose(curves["MSE"], p ** 2, rtol=1e-12)
    np.testing.assert_allclose(curves["BCE"], -np.log(1 - p), rtol=1e-12)
    p, curves = loss_curves({"MSE": mse, "no": unwritten}, 1.0, p=[0.5, 1.0])
    assert list(curves) == ["MSE"]
    np.testing.assert_allclose(curves["MSE"], [0.25, 0.0])


def test_plot_loss_slopes_one_labelled_panel_per_loss_with_point_and_tangent():
    fig = plot_loss_slopes(LOSSES, 0.1, 1.0)
    assert isinstance(fig, Figure)
    left, right = fig.axes
    assert left.get_title() == "MSE: loss 0.810, slope -1.80"
    assert right.get_title() == "BCE: loss 2.303, slope -10.00"
    assert left.get_ylabel() == "loss (no unit)"
    assert left.get_xlabel() == right.get_xlabel() == "predicted probability p"
    assert "p = 0.10" in fig._suptitle.get_text()
    labels = [t.get_text() for t in right.get_legend().get_texts()]
    assert labels == ["target y = 1", "BCE(p, y)", "tangent at p"]
    tangent = next(line for line in right.get_lines() if line.get_label() == "tangent at p")
    x, y = tangent.get_data()
    assert (y[1] - y[0]) / (x[1] - x[0]) == pytest.approx(-10.0, rel=1e-5)


def test_plot_loss_slopes_marks_an_unwritten_loss():
    fig = plot_loss_slopes({"MSE": mse, "BCE": unwritten}, 0.5, 0.0)
    assert fig.axes[1].get_title() == "BCE: not written yet"


def test_headless_explorer_returns_none(monkeypatch):
    monkeypatch.setenv("BPKIT_HEADLESS", "1")
    assert loss_explorer(LOSSES) is None


def test_explorer_builds_controls_and_redraws_on_change():
    import ipywidgets

    box = loss_explorer(LOSSES, p=0.3, y=1.0)
    assert isinstance(box, ipywidgets.VBox)
    (slider,) = find_widgets(box, ipywidgets.FloatSlider)
    assert (slider.value, slider.min, slider.max, slider.step) == (0.3, 0.01, 0.99, 0.01)
    (target,) = find_widgets(box, ipywidgets.ToggleButtons)
    assert target.value == 1.0
    picture = find_picture(box)
    first = picture.outputs
    png = base64.b64decode(first[0]["data"]["image/png"])
    assert png.startswith(b"\x89PNG")
    slider.value = 0.8
    assert picture.outputs != first
    assert "p = 0.80, y = 1" in picture.outputs[0]["data"]["text/plain"]
    target.value = 0.0
    assert "y = 0" in picture.outputs[0]["data"]["text/plain"]
    assert plt.get_fignums() == []  # pyplot-free renders: nothing leaks


def test_explorer_asks_for_unwritten_losses_and_names_a_raising_one():
    import ipywidgets

    box = loss_explorer({"MSE": unwritten, "BCE": unwritten})
    picture = find_picture(box)
    (output,) = picture.outputs
    assert output["text"].strip() == ("Write MSE and BCE above first: this picture uses your "
                                      "own function.")
    box = loss_explorer({"MSE": mse, "BCE": unwritten})
    outputs = find_picture(box).outputs
    assert outputs[0]["data"]["image/png"] and "Write BCE above first" in outputs[1]["text"]

    def broken(y_hat, y):
        return y_hat[5]

    box = loss_explorer({"broken": broken})
    (output,) = find_picture(box).outputs
    assert output["text"].startswith("broken raised IndexError")


def test_explorer_needs_at_least_one_loss():
    with pytest.raises(ValueError, match="losses is empty"):
        loss_explorer({})
