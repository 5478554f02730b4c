"""A catalogue of answers to notebook 02: realistic mistakes and correct answers written
differently from the reference. The grader must catch every mistake (on the right exercise) and
accept every correct variant: tests/test_catalogues.py reports both rates."""
from catalogue_harness import catalogue_header, fn

ASSIGNMENT, ALL, OTHERS = catalogue_header(__name__)  # from the notebook's own spec


SOFTMAX = ["test_softmax", "test_softmax_stable"]
CE = ["test_cross_entropy", "test_cross_entropy_stable"]
NOT_SOFTMAX = [t for t in ALL if t not in SOFTMAX]
NOT_CE = [t for t in ALL if t not in CE]


def mse(body):
    return {"mse_loss": fn("mse_loss", "y_hat, y", body)}


def bce(body, args="p, y"):
    return {"binary_cross_entropy": fn("binary_cross_entropy", args, body)}


def sm(body):
    return {"softmax": fn("softmax", "z", body)}


def ce(body):
    return {"cross_entropy": fn("cross_entropy", "logits, y", body)}


# The stable log-softmax most wrong cross-entropies below start from.
LOG_PROBS = ("z = logits - logits.max(axis=1, keepdims=True)\n"
             "log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))\n")
CLIP = "p = np.clip(p, 1e-12, 1 - 1e-12)\n"

# Wrong answers: (answers by grade_id, the tests that must fail, the tests that must pass).
# Tests not named in either list may go either way.
WRONG = {
    # mean squared error
    "mse_summed": (mse("return np.sum((y_hat - y) ** 2)"),
                   ["test_mse_loss"], OTHERS["test_mse_loss"]),
    "mse_half_factor": (mse("return 0.5 * np.mean((y_hat - y) ** 2)"),
                        ["test_mse_loss"], OTHERS["test_mse_loss"]),
    "mse_rows_only": (mse("return np.mean(np.sum((y_hat - y) ** 2, axis=-1))"),
                      ["test_mse_loss"], OTHERS["test_mse_loss"]),
    "mse_absolute_error": (mse("return np.mean(np.abs(y_hat - y))"),
                           ["test_mse_loss"], OTHERS["test_mse_loss"]),
    "mse_root": (mse("return np.sqrt(np.mean((y_hat - y) ** 2))"),
                 ["test_mse_loss"], OTHERS["test_mse_loss"]),
    "mse_square_of_mean": (mse("return np.mean(y_hat - y) ** 2"),
                           ["test_mse_loss"], OTHERS["test_mse_loss"]),
    "mse_per_entry": (mse("return (y_hat - y) ** 2"),
                      ["test_mse_loss"], OTHERS["test_mse_loss"]),
    "mse_first_axis_only": (  # right on 1-D inputs, one value per column on a batch
        mse("return np.mean((y_hat - y) ** 2, axis=0)"),
        ["test_mse_loss"], OTHERS["test_mse_loss"]),
    # binary cross-entropy
    "bce_log_of_zero": (bce("return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))"),
                        ["test_binary_cross_entropy"], OTHERS["test_binary_cross_entropy"]),
    "bce_where_unclipped": (  # picks the right log, but log(0) = -inf for a confident mistake
        bce("return np.mean(np.where(y == 1, -np.log(p), -np.log(1 - p)))"),
        ["test_binary_cross_entropy"], OTHERS["test_binary_cross_entropy"]),
    "bce_y_and_p_swapped_in_formula": (
        bce(CLIP + "return -np.mean(p * np.log(y) + (1 - p) * np.log(1 - y))"),
        ["test_binary_cross_entropy"], OTHERS["test_binary_cross_entropy"]),
    "bce_y_and_p_swapped_arguments": (  # the signature in sklearn's order, log_loss(y, p)
        bce("p = np.clip(p, 1e-12, 1 - 1e-12)\n"
            "return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))", args="y, p"),
        ["test_binary_cross_entropy"], OTHERS["test_binary_cross_entropy"]),
    "bce_sign_flipped": (bce(CLIP + "return np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))"),
                         ["test_binary_cross_entropy"], OTHERS["test_binary_cross_entropy"]),
    "bce_summed": (bce(CLIP + "return -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))"),
                   ["test_binary_cross_entropy"], OTHERS["test_binary_cross_entropy"]),
    "bce_positive_term_only": (bce(CLIP + "return -np.mean(y * np.log(p))"),
                               ["test_binary_cross_entropy"], OTHERS["test_binary_cross_entropy"]),
    "bce_log10": (bce(CLIP + "return -np.mean(y * np.log10(p) + (1 - y) * np.log10(1 - p))"),
                  ["test_binary_cross_entropy"], OTHERS["test_binary_cross_entropy"]),
    "bce_eps_too_large": (  # right inside (0.05, 0.95), but caps every mistake at -log 0.05 = 3
        bce("p = np.clip(p, 0.05, 0.95)\n"
            "return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))"),
        ["test_binary_cross_entropy"], OTHERS["test_binary_cross_entropy"]),
    # softmax
    "softmax_no_max_shift": (sm("e = np.exp(z)\nreturn e / e.sum(axis=-1, keepdims=True)"),
                             ["test_softmax_stable"], ["test_softmax"] + NOT_SOFTMAX),
    "softmax_axis_0": (sm("e = np.exp(z - z.max(axis=0, keepdims=True))\n"
                          "return e / e.sum(axis=0, keepdims=True)"),
                       ["test_softmax"], NOT_SOFTMAX),
    "softmax_axis_1": (  # right for (N, C), fails for a single sample (C,)
        sm("e = np.exp(z - z.max(axis=1, keepdims=True))\nreturn e / e.sum(axis=1, keepdims=True)"),
        ["test_softmax"], NOT_SOFTMAX),
    "softmax_sum_over_everything": (sm("e = np.exp(z - z.max())\nreturn e / e.sum()"),
                                    ["test_softmax"], NOT_SOFTMAX),
    "softmax_global_max_shift": (  # right values, but 0 / 0 for rows far below the batch max
        sm("e = np.exp(z - np.max(z))\nreturn e / e.sum(axis=-1, keepdims=True)"),
        ["test_softmax_stable"], ["test_softmax"] + NOT_SOFTMAX),
    "softmax_shift_by_column_max": (
        sm("e = np.exp(z - z.max(axis=0))\nreturn e / e.sum(axis=-1, keepdims=True)"),
        ["test_softmax"], NOT_SOFTMAX),
    "softmax_no_keepdims": (
        sm("e = np.exp(z - z.max(axis=-1))\nreturn e / e.sum(axis=-1)"),
        ["test_softmax"], NOT_SOFTMAX),
    "softmax_clipped_logits": (  # no overflow, but wrong once logits exceed the clip
        sm("z = np.clip(z, -500, 500)\ne = np.exp(z)\nreturn e / e.sum(axis=-1, keepdims=True)"),
        ["test_softmax_stable"], ["test_softmax"] + NOT_SOFTMAX),
    "softmax_modifies_input": (sm("z -= z.max(axis=-1, keepdims=True)\nnp.exp(z, out=z)\n"
                                  "z /= z.sum(axis=-1, keepdims=True)\nreturn z"),
                               ["test_softmax"], NOT_SOFTMAX),
    "softmax_float32": (sm("z = z.astype(np.float32)\n"
                           "e = np.exp(z - z.max(axis=-1, keepdims=True))\n"
                           "return e / e.sum(axis=-1, keepdims=True)"),
                        ["test_softmax"], NOT_SOFTMAX),
    # cross-entropy
    "ce_log_of_softmax": (  # a stable softmax, then log(0) = -inf for a hopeless class
        ce("z = logits - logits.max(axis=1, keepdims=True)\n"
           "probs = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)\n"
           "return -np.mean(np.log(probs[np.arange(len(y)), y]))"),
        ["test_cross_entropy_stable"], ["test_cross_entropy"] + NOT_CE),
    "ce_log_of_naive_softmax": (
        ce("probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)\n"
           "return -np.mean(np.log(probs[np.arange(len(y)), y]))"),
        ["test_cross_entropy_stable"], ["test_cross_entropy"] + NOT_CE),
    "ce_log_of_clipped_softmax": (  # finite, but -log(1e-12) = 27.6 instead of 2000
        ce("z = logits - logits.max(axis=1, keepdims=True)\n"
           "probs = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)\n"
           "return -np.mean(np.log(np.clip(probs[np.arange(len(y)), y], 1e-12, 1.0)))"),
        ["test_cross_entropy_stable"], ["test_cross_entropy"] + NOT_CE),
    "ce_logsumexp_without_shift": (
        ce("lse = np.log(np.sum(np.exp(logits), axis=1))\n"
           "return np.mean(lse - logits[np.arange(len(y)), y])"),
        ["test_cross_entropy_stable"], ["test_cross_entropy"] + NOT_CE),
    "ce_summed": (ce(LOG_PROBS + "return -np.sum(log_probs[np.arange(len(y)), y])"),
                  ["test_cross_entropy"], NOT_CE),
    "ce_rows_indexed": (ce(LOG_PROBS + "return -np.mean(log_probs[y])"),
                        ["test_cross_entropy"], NOT_CE),
    "ce_columns_indexed": (ce(LOG_PROBS + "return -np.mean(log_probs[:, y])"),
                           ["test_cross_entropy"], NOT_CE),
    "ce_labels_ignored": (ce(LOG_PROBS + "return -np.mean(log_probs)"),
                          ["test_cross_entropy"], NOT_CE),
    "ce_sign_flipped": (ce(LOG_PROBS + "return np.mean(log_probs[np.arange(len(y)), y])"),
                        ["test_cross_entropy"], NOT_CE),
    "ce_softmax_axis_0": (
        ce("z = logits - logits.max(axis=0, keepdims=True)\n"
           "log_probs = z - np.log(np.exp(z).sum(axis=0, keepdims=True))\n"
           "return -np.mean(log_probs[np.arange(len(y)), y])"),
        ["test_cross_entropy"], NOT_CE),
    "ce_first_sample_only": (ce(LOG_PROBS + "return -log_probs[0, y[0]]"),
                             ["test_cross_entropy"], NOT_CE),
}

# Correct answers written differently from the reference: full marks.
CORRECT = {
    "mse_dot_product": mse("d = np.ravel(y_hat - y)\nreturn d @ d / d.size"),
    "mse_average_square": mse("return np.average(np.square(np.subtract(y_hat, y)))"),
    "bce_log1p_eps_1e15": bce("p = np.clip(p, 1e-15, 1 - 1e-15)\n"
                              "return -np.mean(y * np.log(p) + (1 - y) * np.log1p(-p))"),
    "bce_where_eps_1e7": bce("p = np.clip(p, 1e-7, 1 - 1e-7)\n"
                             "return np.mean(np.where(y == 1, -np.log(p), -np.log(1 - p)))"),
    "bce_xlogy_machine_eps": bce(
        "from scipy.special import xlogy, xlog1py\n"
        "eps = np.finfo(float).eps\np = np.clip(p, eps, 1 - eps)\n"
        "return -np.mean(xlogy(y, p) + xlog1py(1 - y, -p))"),
    "bce_log_clamped_at_minus_100": bce(  # PyTorch's way: warns on log(0), stays finite
        "log_p = np.maximum(np.log(p), -100.0)\nlog_q = np.maximum(np.log(1 - p), -100.0)\n"
        "return -np.mean(y * log_p + (1 - y) * log_q)"),
    "softmax_exp_minus_logsumexp": sm(
        "from scipy.special import logsumexp\n"
        "return np.exp(z - logsumexp(z, axis=-1, keepdims=True))"),
    "softmax_scipy": sm("from scipy.special import softmax as s\nreturn s(z, axis=-1)"),
    "softmax_row_loop": sm(
        "import math\nz = np.asarray(z, dtype=float)\nout = np.empty_like(z)\n"
        "for index in np.ndindex(z.shape[:-1]):\n"
        "    row = z[index] - max(z[index])\n"
        "    e = np.array([math.exp(v) for v in row])\n"
        "    out[index] = e / e.sum()\n"
        "return out"),
    "softmax_ellipsis_newaxis": sm(
        "m = np.max(z, axis=-1)[..., np.newaxis]\ne = np.exp(z - m)\n"
        "return e / np.sum(e, axis=-1)[..., np.newaxis]"),
    "ce_scipy_logsumexp": ce("from scipy.special import logsumexp\n"
                             "N = len(y)\n"
                             "return np.mean(logsumexp(logits, axis=1) - logits[np.arange(N), y])"),
    "ce_take_along_axis": ce(LOG_PROBS
                             + "picked = np.take_along_axis(log_probs, y[:, None], axis=1)\n"
                             "return -picked.mean()"),
    "ce_one_hot": ce(LOG_PROBS + "one_hot = np.eye(logits.shape[1])[y]\n"
                     "return -np.sum(one_hot * log_probs) / logits.shape[0]"),
    "ce_python_loop": ce(
        "import math\ntotal = 0.0\n"
        "for row, label in zip(logits, y):\n"
        "    m = max(row)\n"
        "    lse = m + math.log(sum(math.exp(v - m) for v in row))\n"
        "    total += lse - row[label]\n"
        "return total / len(y)"),
    "ce_log_softmax_scipy": ce("from scipy.special import log_softmax\n"
                               "return -log_softmax(logits, axis=1)[np.arange(len(y)), y].mean()"),
    "noisy_but_right": sm(  # prints to stderr and warns: never marked down for that
        "import sys, warnings\nprint('debug', file=sys.stderr)\n"
        "warnings.warn('just a note', UserWarning)\n"
        "e = np.exp(z - z.max(axis=-1, keepdims=True))\nreturn e / e.sum(axis=-1, keepdims=True)"),
}


# Mistakes that only the learner's own process can see (a numpy warning, an input changed in
# place): the notebook's check names them, the grader cannot (catalogue_harness, TAUGHT).
TAUGHT = {name: (WRONG.pop(name)[0], grade_id, phrase) for name, grade_id, phrase in [
    ('softmax_modifies_input', 'test_softmax', 'in place'),
]}


# What the grader's message says of each wrong answer: a phrase found in its messages, or
# (grade id, phrase) for the message of that exercise.
NAMED = {
    'softmax_no_max_shift': 'without the max shift',
    'softmax_axis_0': 'wrong axis (axis 0',
    'ce_log_of_softmax': 'log(softmax) instead of log-sum-exp',
    'ce_logsumexp_without_shift': 'log-sum-exp',
    'ce_log_of_naive_softmax': 'log-sum-exp',
    'ce_summed': 'summed instead of averaged over the batch',
    'ce_rows_indexed': 'logits[y]',
    'mse_summed': 'MSE summed instead of averaged',
    'mse_half_factor': '1/2 factor',
    'bce_log_of_zero': 'log of 0',
    'bce_where_unclipped': 'log of 0',
    'bce_y_and_p_swapped_in_formula': 'y and p swapped',
    'bce_y_and_p_swapped_arguments': 'y and p swapped',
    'bce_sign_flipped': 'sign is flipped',
    'bce_eps_too_large': 'cost about 0',
    'softmax_global_max_shift': 'max shift',
    'softmax_sum_over_everything': 'whole batch',
    'softmax_float32': 'float32',
    'softmax_axis_1': 'AxisError',
    'ce_sign_flipped': 'sign is flipped',
    'ce_labels_ignored': 'labels y are not used',
    'ce_softmax_axis_0': 'wrong axis',
    'mse_rows_only': 'rows only',
    'mse_per_entry': 'shape',
}
