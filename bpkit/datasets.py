"""Small offline datasets for the notebooks: fixed seeds, float64 inputs, int64 labels.

Nothing here downloads. `moons` and `digits` use generators and data that ship inside
scikit-learn; `two_blobs` needs only numpy.
"""
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
    from sklearn.datasets import make_moons  # imported here: only this function needs it

    n = _check_count(n, "n", minimum=2)
    x, y = make_moons(n_samples=n, noise=noise, random_state=seed)
    return x.astype(np.float64), y.astype(np.int64)


def digits(seed=0, test_size=0.25):
    """The 8x8 handwritten digits bundled with scikit-learn, split into train and test sets.

    Returns a dict with x_train (N_train, 64) and x_test (N_test, 64) float64 pixels in [0, 1],
    y_train (N_train,) and y_test (N_test,) int64 digits 0-9. The split is stratified, so both
    sets hold each digit in the same proportion; `seed` fixes which images go where.
    """
    from sklearn.datasets import load_digits  # imported here: only these functions need it
    from sklearn.model_selection import train_test_split

    data = load_digits()
    # Pixels are ink counts 0..16; scaling to [0, 1] keeps pre-activations in a sane range.
    x = data.data.astype(np.float64) / 16.0
    y = data.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=test_size, random_state=seed, stratify=y)
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


def _check_count(n, name, minimum):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {n!r}.")
    return int(n)
