"""Tests of bpkit.datasets, bpkit.plots.activations and bpkit.views.neuron. Every neuron is
defined here, in the test.

The widget tests build real ipywidgets without a kernel: the explorer writes its picture straight
into the Output widget's `outputs`, so a redraw is visible here too.
"""
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from matplotlib.figure import Figure  # noqa: E402

from bpkit import datasets  # noqa: E402
from bpkit.plots.activations import plot_activations, plot_neuron_surface  # noqa: E402
from bpkit.views.neuron import neuron_explorer, neuron_grid  # noqa: E402
from conftest import find_picture, find_widgets  # noqa: E402


def sigmoid_neuron(x, w, b):
    return 1.0 / (1.0 + np.exp(-(x @ w + b)))


def tanh_like_neuron(x, w, b):
    return (2.0 * sigmoid_neuron(x, w, b) - 1.0)[:, None]  # (N, 1), range (-1, 1)


def unwritten_neuron(x, w, b):
    raise NotImplementedError()


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("n", [100, 101, 2])
def test_two_blobs_shapes_dtypes_and_balance(n):
    x, y = datasets.two_blobs(n=n)
    assert x.shape == (n, 2) and x.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    assert np.bincount(y, minlength=2).tolist() == [n - n // 2, n // 2]


def test_two_blobs_is_deterministic_per_seed_and_centred():
    x, y = datasets.two_blobs(n=400, seed=3)
    x_again, y_again = datasets.two_blobs(n=400, seed=3)
    np.testing.assert_array_equal(x, x_again)
    np.testing.assert_array_equal(y, y_again)
    assert not np.array_equal(x, datasets.two_blobs(n=400, seed=4)[0])
    np.testing.assert_allclose(x[y == 0].mean(axis=0), [-1.2, -0.8], atol=0.15)
    np.testing.assert_allclose(x[y == 1].mean(axis=0), [1.2, 0.9], atol=0.15)


def test_two_blobs_spread_sets_the_cluster_width():
    x, y = datasets.two_blobs(n=2000, spread=0.25)
    assert x[y == 0].std(axis=0) == pytest.approx([0.25, 0.25], rel=0.1)


def test_moons_shapes_dtypes_balance_and_seed():
    x, y = datasets.moons(n=200, seed=1)
    assert x.shape == (200, 2) and x.dtype == np.float64
    assert y.shape == (200,) and y.dtype == np.int64
    assert np.bincount(y).tolist() == [100, 100]
    np.testing.assert_array_equal(x, datasets.moons(n=200, seed=1)[0])
    assert not np.array_equal(x, datasets.moons(n=200, seed=2)[0])


def test_digits_are_scaled_and_split_stratified():
    data = datasets.digits(seed=0)
    assert set(data) == {"x_train", "y_train", "x_test", "y_test"}
    assert data["x_train"].shape == (1347, 64) and data["x_test"].shape == (450, 64)
    assert data["y_train"].shape == (1347,) and data["y_test"].shape == (450,)
    for key in ("x_train", "x_test"):
        assert data[key].dtype == np.float64
        assert data[key].min() == 0.0 and data[key].max() == 1.0
    assert data["y_train"].dtype == np.int64
    share_train = np.bincount(data["y_train"], minlength=10) / 1347
    share_test = np.bincount(data["y_test"], minlength=10) / 450
    np.testing.assert_allclose(share_train, share_test, atol=0.01)


def test_digits_split_depends_on_the_seed_only():
    first, again, other = datasets.digits(seed=0), datasets.digits(seed=0), datasets.digits(seed=1)
    np.testing.assert_array_equal(first["x_test"], again["x_test"])
    assert not np.array_equal(first["x_test"], other["x_test"])


@pytest.mark.parametrize("n,noise,seed", [(200, 0.15, 0), (7, 0.2, 3), (600, 0.2, 7), (2, None, 1),
                                          (401, 0.0, 5)])
def test_moons_are_scikit_learns(n, noise, seed):
    from sklearn.datasets import make_moons  # the oracle; bpkit never imports scikit-learn
    x, y = datasets.moons(n=n, noise=noise, seed=seed)
    expected_x, expected_y = make_moons(n_samples=n, noise=noise, random_state=seed)
    np.testing.assert_array_equal(x, expected_x)
    np.testing.assert_array_equal(y, expected_y)


@pytest.mark.parametrize("seed,test_size", [(0, 0.25), (1, 0.25), (7, 0.2), (3, 0.5)])
def test_digits_are_scikit_learns_split(seed, test_size):
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    data = load_digits()
    expected = train_test_split(data.data / 16.0, data.target, test_size=test_size,
                                random_state=seed, stratify=data.target)
    got = datasets.digits(seed=seed, test_size=test_size)
    for name, want in zip(["x_train", "x_test", "y_train", "y_test"], expected):
        np.testing.assert_array_equal(got[name], want)


def test_datasets_never_import_scikit_learn():
    import subprocess
    code = ("import sys, bpkit.datasets as d; d.moons(); d.digits(); "
            "print(any(m.startswith('sklearn') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"


def test_neuron_grid_shapes_orientation_and_level():
    grid = neuron_grid(sigmoid_neuron, 2.0, 0.0, 0.5, lim=2.0, n=11)
    assert grid["x1"].shape == (11,) and grid["x2"].shape == (11,)
    assert grid["a"].shape == (11, 11) and grid["a"].dtype == np.float64
    np.testing.assert_array_equal(grid["w"], [2.0, 0.0])
    assert grid["b"] == 0.5 and grid["level"] == 0.5
    # a[i, j] is the output at (x1[j], x2[i]): with w2 = 0 every row is the same curve in x1.
    expected_row = 1.0 / (1.0 + np.exp(-(2.0 * grid["x1"] + 0.5)))
    np.testing.assert_allclose(grid["a"], np.tile(expected_row, (11, 1)), rtol=1e-12)
    with pytest.raises(TypeError):  # an array as the limit: refused, not gigabytes of grid
        neuron_grid(sigmoid_neuron, 2.0, 0.0, 0.5, lim=np.ones(3))


def test_neuron_grid_takes_n_by_1_outputs_and_picks_level_zero_for_tanh_like():
    grid = neuron_grid(tanh_like_neuron, 1.0, 1.0, 0.0, n=21)
    assert grid["a"].shape == (21, 21)
    assert grid["a"].min() < 0.0 and grid["level"] == 0.0


def test_neuron_grid_output_changes_with_w1():
    before = neuron_grid(sigmoid_neuron, 1.0, -1.0, 0.0)["a"]
    after = neuron_grid(sigmoid_neuron, 3.0, -1.0, 0.0)["a"]
    assert np.abs(after - before).max() > 0.1


def test_neuron_grid_calls_the_neuron_once_with_all_points():
    calls = []

    def counting_neuron(x, w, b):
        calls.append((x.shape, x.dtype, w.shape, type(b)))
        return sigmoid_neuron(x, w, b)

    neuron_grid(counting_neuron, 1.0, 2.0, 3.0, n=81)
    assert calls == [((81 * 81, 2), np.float64, (2,), float)]


def test_neuron_grid_names_a_wrong_output_shape():
    with pytest.raises(ValueError, match=r"returned shape \(9, 2\)"):
        neuron_grid(lambda x, w, b: x, 1.0, 1.0, 0.0, n=3)


def _assert_labelled(fig, title_part):
    ax = fig.axes[0]
    assert title_part in ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel()


def test_plot_activations_labels_and_one_line_per_function():
    fig = plot_activations({"sigmoid": lambda z: 1 / (1 + np.exp(-z)),
                                     "step": lambda z: (z > 0).astype(float)})
    assert isinstance(fig, Figure)
    _assert_labelled(fig, "Activation functions")
    assert fig.axes[0].get_xlabel() == "pre-activation z"
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["sigmoid", "step"]


def test_plot_activations_keeps_one_colour_per_activation_and_one_y_range():
    from bpkit.plots.activations import ACTIVATION_COLOURS, ACTIVATION_YLIM
    from matplotlib.colors import to_rgba
    curves = {"relu": lambda z: np.maximum(z, 0.0), "sigmoid": lambda z: 1 / (1 + np.exp(-z))}
    for order in (curves, dict(reversed(curves.items())), {"sigmoid'": curves["sigmoid"]}):
        ax = plot_activations(order).axes[0]
        assert ax.get_ylim() == ACTIVATION_YLIM
        for line in ax.get_lines():
            name = line.get_label().rstrip("'")
            if name in ACTIVATION_COLOURS:
                assert to_rgba(line.get_color()) == to_rgba(ACTIVATION_COLOURS[name])


def test_plot_activations_skips_an_unwritten_function():
    def tanh(z):
        raise NotImplementedError()

    fig = plot_activations({"step": lambda z: (z > 0) * 1.0, "tanh": tanh})
    ax = fig.axes[0]
    curves = [line.get_label() for line in ax.get_lines()
              if len(line.get_xdata()) > 2]  # not the zero axes, nor the legend's empty handle
    assert curves == ["step"]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "(tanh: not written yet)" in labels


def test_plot_neuron_surface_has_labels_colorbar_and_classes():
    x, y = datasets.two_blobs(n=40)
    grid = neuron_grid(sigmoid_neuron, 1.0, 1.0, 0.0, n=21)
    fig = plot_neuron_surface(grid, points=x, labels=y)
    assert isinstance(fig, Figure)
    ax, colorbar = fig.axes
    _assert_labelled(fig, "w = (1.0, 1.0), b = 0.0")
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("input x1", "input x2")
    assert colorbar.get_ylabel() == "neuron output a"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["a = 0.5", "class 0", "class 1"]


def test_plot_neuron_surface_uses_the_grid_level_and_given_title():
    grid = neuron_grid(tanh_like_neuron, 1.0, 0.0, 0.0, n=21)
    fig = plot_neuron_surface(grid, title="my neuron")
    ax = fig.axes[0]
    assert ax.get_title() == "my neuron"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a = 0"]


def test_neuron_explorer_builds_controls_and_redraws_on_change():
    import ipywidgets

    x, y = datasets.two_blobs(n=20)
    box = neuron_explorer({"sigmoid": sigmoid_neuron, "tanh": tanh_like_neuron}, x, y)
    assert isinstance(box, ipywidgets.VBox)
    sliders = find_widgets(box, ipywidgets.FloatSlider)
    assert [s.description for s in sliders] == ["w1", "w2", "b"]
    assert [s.value for s in sliders] == [1.0, -1.0, 0.0]
    assert all((s.min, s.max) == (-5.0, 5.0) for s in sliders)
    (dropdown,) = find_widgets(box, ipywidgets.Dropdown)
    assert list(dropdown.options) == ["sigmoid", "tanh"]
    picture = find_picture(box)
    first = picture.outputs
    assert first[0]["data"]["image/png"]
    sliders[0].value = 3.0
    assert picture.outputs != first and "w = (3.0, -1.0)" in picture.outputs[0]["data"]["text/plain"]


def test_neuron_explorer_asks_for_an_unwritten_activation():
    import ipywidgets

    box = neuron_explorer({"sigmoid": sigmoid_neuron, "relu": unwritten_neuron})
    (dropdown,) = find_widgets(box, ipywidgets.Dropdown)
    picture = find_picture(box)
    dropdown.value = "relu"
    (output,) = picture.outputs
    assert output["output_type"] == "stream"
    assert output["text"].strip() == "Write relu above first: this picture uses your own function."


def test_neuron_explorer_leaves_no_pyplot_figures_behind():
    import ipywidgets

    plt.close("all")
    box = neuron_explorer({"sigmoid": sigmoid_neuron})
    for value in (0.5, 1.5, 2.5):
        find_widgets(box, ipywidgets.FloatSlider)[2].value = value
    assert plt.get_fignums() == []
