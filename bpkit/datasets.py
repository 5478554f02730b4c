"""Small offline datasets for the notebooks: fixed seeds, float64 inputs, int64 labels.

Nothing here downloads. `moons` and `digits` give exactly what scikit-learn's make_moons and
load_digits + train_test_split give (tests/test_bpkit_datasets.py compares them), written with
numpy alone: importing scikit-learn takes about a second, in every notebook and every grading.
`digits` reads the images that ship inside scikit-learn's package.
"""
import functools
import gzip
import importlib.util
import math
from pathlib import Path

import numpy as np

__all__ = ["two_blobs", "moons", "digits"]

_BLOB_CENTRES = np.array([[-1.2, -0.8], [1.2, 0.9]])


def two_blobs(n=100, seed=0, spread=0.6):
    """Two Gaussian clusters in the plane, one per class, in shuffled order.

    Returns x (n, 2) float64 and y (n,) int64 in {0, 1}: class 0 around (-1.2, -0.8), class 1
    around (1.2, 0.9), each with standard deviation `spread`. Class 0 gets the extra point if n
    is odd.
    """
    n = _check_count(n, "n", minimum=2)
    if spread < 0:
        raise ValueError(f"spread must be >= 0; got {spread}.")
    rng = np.random.default_rng(seed)
    y = np.repeat(np.array([0, 1], dtype=np.int64), [n - n // 2, n // 2])
    x = _BLOB_CENTRES[y] + spread * rng.standard_normal((n, 2))
    # Shuffle so that any slice (a mini-batch, the first few rows shown) has both classes.
    order = rng.permutation(n)
    return x[order].astype(np.float64), y[order]


def moons(n=200, noise=0.15, seed=0):
    """Two interleaving half circles: a set one straight line cannot separate.

    Returns x (n, 2) float64 and y (n,) int64 in {0, 1}, half of each (class 1 gets the extra
    point if n is odd, as scikit-learn splits them).
    """
    n = _check_count(n, "n", minimum=2)
    outer, inner = n // 2, n - n // 2
    rng = np.random.RandomState(seed)  # scikit-learn's generator, for the same points
    x = np.vstack([np.append(np.cos(np.linspace(0, np.pi, outer)),
                             1 - np.cos(np.linspace(0, np.pi, inner))),
                   np.append(np.sin(np.linspace(0, np.pi, outer)),
                             1 - np.sin(np.linspace(0, np.pi, inner)) - 0.5)]).T
    y = np.hstack([np.zeros(outer, dtype=np.int64), np.ones(inner, dtype=np.int64)])
    order = np.arange(n)
    rng.shuffle(order)
    x, y = x[order], y[order]
    if noise is not None:
        x += rng.normal(scale=noise, size=x.shape)
    return x.astype(np.float64), y


def digits(seed=0, test_size=0.25):
    """The 8x8 handwritten digits bundled with scikit-learn, split into train and test sets.

    Returns a dict with x_train (N_train, 64) and x_test (N_test, 64) float64 pixels in [0, 1],
    y_train (N_train,) and y_test (N_test,) int64 digits 0-9. The split is stratified, so both
    sets hold each digit in the same proportion; `seed` fixes which images go where.
    """
    x, y = _digit_images()
    # Pixels are ink counts 0..16; scaling to [0, 1] keeps pre-activations in a sane range.
    x = x / 16.0
    train, test = _stratified_split(y, test_size, np.random.RandomState(seed))
    return {"x_train": x[train], "y_train": y[train], "x_test": x[test], "y_test": y[test]}


@functools.lru_cache(maxsize=1)
def _digit_images():
    """The 1797 images (1797, 64) float64 and labels (1797,) int64 that scikit-learn ships,
    parsed once per process (read-only: digits() hands out new arrays)."""
    spec = importlib.util.find_spec("sklearn")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("digits() reads the images bundled with scikit-learn: pip install "
                           "scikit-learn (requirements.txt has it).")
    path = Path(spec.submodule_search_locations[0]) / "datasets" / "data" / "digits.csv.gz"
    with gzip.open(path, "rt") as handle:
        data = np.loadtxt(handle, delimiter=",")
    x, y = data[:, :-1], data[:, -1].astype(np.int64)
    x.flags.writeable = y.flags.writeable = False
    return x, y


def _stratified_split(y, test_size, rng):
    """Train and test indices as scikit-learn's train_test_split(stratify=y) draws them."""
    n_test = math.ceil(test_size * len(y))
    n_train = len(y) - n_test
    _, y_indices, counts = np.unique(y, return_inverse=True, return_counts=True)
    by_class = np.split(np.argsort(y_indices, kind="stable"), np.cumsum(counts)[:-1])
    n_i = _approximate_mode(counts, n_train, rng)
    t_i = _approximate_mode(counts - n_i, n_test, rng)
    train, test = [], []
    for i, members in enumerate(by_class):
        members = members.take(rng.permutation(counts[i]), mode="clip")
        train.extend(members[:n_i[i]])
        test.extend(members[n_i[i]:n_i[i] + t_i[i]])
    return rng.permutation(train), rng.permutation(test)


def _approximate_mode(class_counts, n_draws, rng):
    """How many of n_draws to take from each class: proportional, ties broken by rng."""
    continuous = class_counts / class_counts.sum() * n_draws
    floored = np.floor(continuous)
    need = int(n_draws - floored.sum())
    if need > 0:
        remainder = continuous - floored
        for value in np.sort(np.unique(remainder))[::-1]:
            (inds,) = np.where(remainder == value)
            add_now = min(len(inds), need)
            floored[rng.choice(inds, size=add_now, replace=False)] += 1
            need -= add_now
            if need == 0:
                break
    return floored.astype(np.int64)


def _check_count(n, name, minimum):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {n!r}.")
    return int(n)
