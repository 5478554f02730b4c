"""A catalogue of answers to notebook 01: realistic mistakes and correct answers written
differently from the reference. The grader must catch every mistake (on the right exercise) and
accept every correct variant: tests/test_catalogues.py reports both rates."""
from catalogue_harness import catalogue_header, fn

ASSIGNMENT, ALL, OTHERS = catalogue_header(__name__)  # from the notebook's own spec


# Wrong answers: (answers by grade_id, the tests that must fail, the tests that must pass).
# Tests not named in either list may go either way (a bug in sigmoid also breaks tanh, say).
WRONG = {
    "sigmoid_sign_flipped": ({"sigmoid": fn("sigmoid", "z", "return 1 / (1 + np.exp(z))")},
                             ["test_sigmoid"], ["test_relu", "test_dense"]),
    "sigmoid_textbook_overflows": (
        {"sigmoid": fn("sigmoid", "z", "return 1 / (1 + np.exp(-z))")},
        ["test_sigmoid_stable"], ["test_sigmoid", "test_tanh", "test_relu", "test_dense",
                                  "test_two_layer_forward"]),
    "sigmoid_exp_ratio_nan": ({"sigmoid": fn("sigmoid", "z", "return np.exp(z) / (1 + np.exp(z))")},
                              ["test_sigmoid_stable"], ["test_relu", "test_dense"]),
    "sigmoid_float32": ({"sigmoid": fn("sigmoid", "z",
                                       "z = z.astype(np.float32)\nreturn 1 / (1 + np.exp(-z))")},
                        ["test_sigmoid"], ["test_relu", "test_dense"]),
    "sigmoid_one_value_per_row": ({"sigmoid": fn("sigmoid", "z",
                                                 "return np.mean(1 / (1 + np.exp(-z)), axis=-1)")},
                                  ["test_sigmoid"], ["test_relu", "test_dense"]),
    "tanh_argument_not_doubled": ({"tanh": fn("tanh", "z", "return 2 * sigmoid(z) - 1")},
                                  ["test_tanh"], ["test_sigmoid", "test_relu", "test_dense",
                                                  "test_two_layer_forward"]),
    "relu_mask_inverted": ({"relu": fn("relu", "z", "return z * (z < 0)")},
                           ["test_relu"], [t for t in ALL if t != "test_relu"]),
    "relu_modifies_input": ({"relu": fn("relu", "z", "z[z < 0] = 0.0\nreturn z")},
                            ["test_relu"], [t for t in ALL if t != "test_relu"]),
    "relu_returns_mask": ({"relu": fn("relu", "z", "return z > 0")},
                          ["test_relu"], [t for t in ALL if t != "test_relu"]),
    "relu_abs": ({"relu": fn("relu", "z", "return np.abs(z)")},
                 ["test_relu"], [t for t in ALL if t != "test_relu"]),
    "dense_no_bias": ({"dense": fn("dense", "x, W, b", "return x @ W")},
                      ["test_dense"], ["test_sigmoid", "test_tanh", "test_relu"]),
    "dense_transposed": ({"dense": fn("dense", "x, W, b", "return (x @ W + b).T")},
                         ["test_dense"], ["test_sigmoid", "test_tanh", "test_relu"]),
    "dense_bias_as_column": ({"dense": fn("dense", "x, W, b", "return x @ W + b[:, None]")},
                             ["test_dense"], ["test_sigmoid", "test_tanh", "test_relu"]),
    "two_layer_sigmoid_on_output": (
        {"two_layer_forward": fn("two_layer_forward", "x, params",
                                 "h = sigmoid(dense(x, params['W1'], params['b1']))\n"
                                 "return sigmoid(dense(h, params['W2'], params['b2']))")},
        ["test_two_layer_forward"], [t for t in ALL if t != "test_two_layer_forward"]),
    "two_layer_relu_hidden": (
        {"two_layer_forward": fn("two_layer_forward", "x, params",
                                 "h = relu(dense(x, params['W1'], params['b1']))\n"
                                 "return dense(h, params['W2'], params['b2'])")},
        ["test_two_layer_forward"], [t for t in ALL if t != "test_two_layer_forward"]),
    "two_layer_single_output_only": (  # passes the visible check, caught by a hidden one
        {"two_layer_forward": fn("two_layer_forward", "x, params",
                                 "h = sigmoid(dense(x, params['W1'], params['b1']))\n"
                                 "return dense(h, params['W2'], params['b2'])[:, :1]")},
        ["test_two_layer_forward"], [t for t in ALL if t != "test_two_layer_forward"]),
}

# Correct answers written differently from the reference: full marks.
CORRECT = {
    "sigmoid_via_tanh": {"sigmoid": fn("sigmoid", "z", "return 0.5 * (1 + np.tanh(0.5 * z))")},
    "sigmoid_masks": {"sigmoid": fn("sigmoid", "z",
                                    "z = np.asarray(z, dtype=float)\nout = np.empty_like(z)\n"
                                    "pos = z >= 0\nout[pos] = 1 / (1 + np.exp(-z[pos]))\n"
                                    "e = np.exp(z[~pos])\nout[~pos] = e / (1 + e)\nreturn out")},
    "library_functions": {
        "sigmoid": fn("sigmoid", "z", "from scipy.special import expit\nreturn expit(z)"),
        "tanh": fn("tanh", "z", "return np.tanh(z)"),
        "relu": fn("relu", "z", "return np.where(z > 0, z, 0.0)")},
    "loops_and_einsum": {
        "dense": fn("dense", "x, W, b", "out = np.zeros((x.shape[0], W.shape[1]))\n"
                                        "for n in range(x.shape[0]):\n"
                                        "    out[n] = np.einsum('d,dm->m', x[n], W) + b\n"
                                        "return out"),
        "relu": fn("relu", "z", "return np.clip(z, 0, None)")},
    "two_layer_inline": {"two_layer_forward": fn(
        "two_layer_forward", "x, params",
        "W1, b1, W2, b2 = (params[k] for k in ('W1', 'b1', 'W2', 'b2'))\n"
        "hidden = 1 / (1 + np.exp(-(np.dot(x, W1) + b1)))\n"
        "return np.dot(hidden, W2) + b2")},
    "noisy_but_right": {"sigmoid": fn(  # prints to stderr and warns: never marked down for that
        "sigmoid", "z", "import sys, warnings\nprint('debug', file=sys.stderr)\n"
                        "warnings.warn('just a note', UserWarning)\n"
                        "e = np.exp(-np.abs(z))\nreturn np.where(z >= 0, 1 / (1 + e), e / (1 + e))")},
}


WRONG.update({
    "sigmoid_abs_everywhere": ({"sigmoid": fn("sigmoid", "z", "return 1 / (1 + np.exp(-np.abs(z)))")},
                               ["test_sigmoid"], ["test_relu", "test_dense"]),
    "sigmoid_clipped_input": ({"sigmoid": fn("sigmoid", "z",
                                             "z = np.clip(z, -10, 10)\nreturn 1 / (1 + np.exp(-z))")},
                              ["test_sigmoid"], ["test_relu", "test_dense"]),
    "sigmoid_rounded": ({"sigmoid": fn("sigmoid", "z",
                                       "e = np.exp(-np.abs(z))\n"
                                       "return np.round(np.where(z >= 0, 1 / (1 + e), e / (1 + e)), 4)")},
                        ["test_sigmoid"], ["test_relu", "test_dense"]),
    "sigmoid_scalar_math": ({"sigmoid": fn("sigmoid", "z", "import math\nreturn 1 / (1 + math.exp(-z))")},
                            ["test_sigmoid"], ["test_relu", "test_dense"]),
    "tanh_shifted_wrong_way": ({"tanh": fn("tanh", "z", "return 2 * sigmoid(2 * z) + 1")},
                               ["test_tanh"], OTHERS["test_tanh"]),
    "tanh_exp_formula_overflows": (  # right on the visible check, nan for |z| = 1000
        {"tanh": fn("tanh", "z", "return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))")},
        ["test_tanh"], OTHERS["test_tanh"]),
    "relu_leaky": ({"relu": fn("relu", "z", "return np.where(z > 0, z, 0.01 * z)")},
                   ["test_relu"], OTHERS["test_relu"]),
    "relu_python_max": ({"relu": fn("relu", "z", "return max(0, z)")},
                        ["test_relu"], OTHERS["test_relu"]),
    "relu_integer_result": ({"relu": fn("relu", "z", "return np.maximum(z, 0).astype(int)")},
                            ["test_relu"], OTHERS["test_relu"]),
    "dense_weights_transposed": ({"dense": fn("dense", "x, W, b", "return x @ W.T + b")},
                                 ["test_dense"], ["test_sigmoid", "test_tanh", "test_relu"]),
    "dense_elementwise": ({"dense": fn("dense", "x, W, b", "return x * W + b")},
                          ["test_dense"], ["test_sigmoid", "test_tanh", "test_relu"]),
    "dense_bias_summed": ({"dense": fn("dense", "x, W, b", "return x @ W + b.sum()")},
                          ["test_dense"], ["test_sigmoid", "test_tanh", "test_relu"]),
    "dense_first_sample_only": ({"dense": fn("dense", "x, W, b", "return (x[0] @ W + b)[None, :]")},
                                ["test_dense"], ["test_sigmoid", "test_tanh", "test_relu"]),
    "two_layer_missing_b2": (
        {"two_layer_forward": fn("two_layer_forward", "x, params",
                                 "h = sigmoid(dense(x, params['W1'], params['b1']))\n"
                                 "return h @ params['W2']")},
        ["test_two_layer_forward"], OTHERS["test_two_layer_forward"]),
    "two_layer_activation_before_dense": (
        {"two_layer_forward": fn("two_layer_forward", "x, params",
                                 "h = dense(sigmoid(x), params['W1'], params['b1'])\n"
                                 "return dense(h, params['W2'], params['b2'])")},
        ["test_two_layer_forward"], OTHERS["test_two_layer_forward"]),
})

CORRECT.update({
    "sigmoid_logaddexp": {"sigmoid": fn("sigmoid", "z", "return np.exp(-np.logaddexp(0.0, -z))")},
    "sigmoid_vectorized_python": {"sigmoid": fn(
        "sigmoid", "z", "import math\n"
        "one = lambda v: 1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v))\n"
        "return np.vectorize(one, otypes=[float])(z)")},
    "relu_via_abs": {"relu": fn("relu", "z", "return (z + np.abs(z)) / 2")},
    # lines many tutorials start a cell with: the grader shows no figure, the answer still counts
    "relu_after_matplotlib_magics": {"relu": "%matplotlib inline\n%config InlineBackend."
                                             "figure_format = 'retina'\n"
                                             + fn("relu", "z", "return np.maximum(z, 0.0)")},
    "relu_multiply_mask": {"relu": fn("relu", "z", "return z * (z > 0)")},
    "tanh_stable_exp": {"tanh": fn("tanh", "z", "e = np.exp(-2 * np.abs(z))\n"
                                               "return np.sign(z) * (1 - e) / (1 + e)")},
    "dense_tensordot": {"dense": fn("dense", "x, W, b", "return np.tensordot(x, W, axes=1) + b")},
    "two_layer_column_form": {"two_layer_forward": fn(
        "two_layer_forward", "x, params",
        "h = sigmoid(params['W1'].T @ x.T + params['b1'][:, None])\n"
        "return (params['W2'].T @ h + params['b2'][:, None]).T")},
})


# Mistakes that only the learner's own process can see (a numpy warning, an input changed in
# place): the notebook's check names them, the grader cannot (catalogue_harness, TAUGHT).
TAUGHT = {name: (WRONG.pop(name)[0], grade_id, phrase) for name, grade_id, phrase in [
    ('sigmoid_textbook_overflows', 'test_sigmoid_stable', 'overflow'),
    ('relu_modifies_input', 'test_relu', 'in place'),
]}


# What the grader's message says of each wrong answer: a phrase found in its messages, or
# (grade id, phrase) for the message of that exercise.
NAMED = {
    'sigmoid_sign_flipped': 'sign is flipped',
    'relu_mask_inverted': 'mask is inverted',
    'relu_returns_mask': 'booleans',
    'dense_no_bias': 'bias b is missing',
    'dense_transposed': 'transposed',
    'sigmoid_float32': 'float32',
    'two_layer_sigmoid_on_output': 'output layer is linear',
    'tanh_argument_not_doubled': 'must be 2z',
    'dense_bias_as_column': 'broadcasting',
}
