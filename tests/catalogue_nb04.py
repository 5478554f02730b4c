"""A catalogue of answers to notebook 04: realistic mistakes and correct answers written
differently from the reference. The grader must catch every mistake (on the right exercise) and
accept every correct variant: tests/test_catalogues.py reports both rates."""
from catalogue_harness import catalogue_header, fn

ASSIGNMENT, ALL, OTHERS = catalogue_header(__name__)  # from the notebook's own spec


# the exercises that use neither the dense layer nor the ReLU nor the softmax cross-entropy
NOT_DENSE = ["test_relu", "test_sigmoid", "test_tanh", "test_mse_loss_grad",
             "test_softmax_cross_entropy", "test_softmax_cross_entropy_stable"]


def but(*grade_ids):
    return [t for t in ALL if t not in grade_ids]


def dense_backward(body):
    return {"dense_backward": fn("dense_backward", "dout, cache", "x, W, b = cache\n" + body)}


def softmax_ce(body):
    head = ("N = logits.shape[0]\n"
            "shifted = logits - logits.max(axis=1, keepdims=True)\n"
            "p = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)\n")
    return {"softmax_cross_entropy": fn("softmax_cross_entropy", "logits, y", head + body)}


def two_layer(body):
    head = ("z, cache_1 = dense_forward(x, params['W1'], params['b1'])\n"
            "h, cache_relu = relu_forward(z)\n"
            "scores, cache_2 = dense_forward(h, params['W2'], params['b2'])\n"
            "loss, dscores = softmax_cross_entropy(scores, y)\n"
            "dh, dW2, db2 = dense_backward(dscores, cache_2)\n")
    return {"two_layer_loss": fn("two_layer_loss", "params, x, y", head + body)}


NOT_CE = but("test_softmax_cross_entropy", "test_softmax_cross_entropy_stable",
             "test_two_layer_loss")
BACKWARD_REST = "dz = relu_backward(dh, cache_relu)\n_, dW1, db1 = dense_backward(dz, cache_1)\n"

# Wrong answers: (answers by grade_id, the tests that must fail, the tests that must pass).
# Tests not named in either list may go either way.
WRONG = {
    # dense layer, forward
    "dense_forward_no_cache": ({"dense_forward": fn("dense_forward", "x, W, b", "return x @ W + b")},
                               ["test_dense_forward", "test_dense_backward"], NOT_DENSE),
    "dense_forward_no_bias": ({"dense_forward": fn("dense_forward", "x, W, b",
                                                   "return x @ W, (x, W, b)")},
                              ["test_dense_forward", "test_two_layer_loss"],
                              NOT_DENSE + ["test_dense_backward"]),
    "dense_forward_weights_transposed": (
        {"dense_forward": fn("dense_forward", "x, W, b", "return x @ W.T + b, (x, W, b)")},
        ["test_dense_forward", "test_dense_backward", "test_two_layer_loss"], NOT_DENSE),
    # dense layer, backward
    "dW_missing_transpose": (dense_backward("return dout @ W.T, x @ dout, dout.sum(axis=0)"),
                             ["test_dense_backward", "test_two_layer_loss"],
                             NOT_DENSE + ["test_dense_forward"]),
    "dx_missing_transpose": (dense_backward("return dout @ W, x.T @ dout, dout.sum(axis=0)"),
                             ["test_dense_backward", "test_two_layer_loss"],
                             NOT_DENSE + ["test_dense_forward"]),
    "db_averaged": (dense_backward("return dout @ W.T, x.T @ dout, dout.mean(axis=0)"),
                    ["test_dense_backward", "test_two_layer_loss"],
                    NOT_DENSE + ["test_dense_forward"]),
    "db_one_row": (dense_backward("return dout @ W.T, x.T @ dout, dout[0]"),
                   ["test_dense_backward", "test_two_layer_loss"],
                   NOT_DENSE + ["test_dense_forward"]),
    "db_keepdims": (dense_backward("return dout @ W.T, x.T @ dout, dout.sum(axis=0, keepdims=True)"),
                    ["test_dense_backward", "test_two_layer_loss"],
                    NOT_DENSE + ["test_dense_forward"]),
    "db_summed_to_a_number": (dense_backward("return dout @ W.T, x.T @ dout, np.sum(dout)"),
                              ["test_dense_backward", "test_two_layer_loss"],
                              NOT_DENSE + ["test_dense_forward"]),
    "dW_averaged": (dense_backward("return dout @ W.T, x.T @ dout / len(x), dout.sum(axis=0)"),
                    ["test_dense_backward", "test_two_layer_loss"],
                    NOT_DENSE + ["test_dense_forward"]),
    "dW_transposed_result": (dense_backward("return dout @ W.T, dout.T @ x, dout.sum(axis=0)"),
                             ["test_dense_backward", "test_two_layer_loss"],
                             NOT_DENSE + ["test_dense_forward"]),
    "dense_backward_wrong_order": (
        dense_backward("return x.T @ dout, dout @ W.T, dout.sum(axis=0)"),
        ["test_dense_backward", "test_two_layer_loss"], NOT_DENSE + ["test_dense_forward"]),
    # ReLU
    "relu_mask_from_dout": (
        {"relu_backward": fn("relu_backward", "dout, cache", "return dout * (dout > 0)")},
        ["test_relu", "test_two_layer_loss"], but("test_relu", "test_two_layer_loss")),
    "relu_mask_missing": ({"relu_backward": fn("relu_backward", "dout, cache", "return dout")},
                          ["test_relu", "test_two_layer_loss"],
                          but("test_relu", "test_two_layer_loss")),
    "relu_mask_inverted": (
        {"relu_backward": fn("relu_backward", "dout, cache", "return dout * (cache < 0)")},
        ["test_relu", "test_two_layer_loss"], but("test_relu", "test_two_layer_loss")),
    "relu_forward_in_place": (
        {"relu_forward": fn("relu_forward", "x", "x[x < 0] = 0.0\nreturn x, x")},
        ["test_relu"], OTHERS["test_relu"]),
    "relu_backward_returns_mask": (
        {"relu_backward": fn("relu_backward", "dout, cache", "return cache > 0")},
        ["test_relu", "test_two_layer_loss"], but("test_relu", "test_two_layer_loss")),
    # sigmoid
    "sigmoid_derivative_of_input": (
        {"sigmoid_forward": fn("sigmoid_forward", "x", "return 1 / (1 + np.exp(-x)), x"),
         "sigmoid_backward": fn("sigmoid_backward", "dout, cache",
                                "x = cache\nreturn dout * x * (1 - x)")},
        ["test_sigmoid"], OTHERS["test_sigmoid"]),
    "sigmoid_backward_no_dout": (
        {"sigmoid_backward": fn("sigmoid_backward", "dout, cache", "return cache * (1 - cache)")},
        ["test_sigmoid"], OTHERS["test_sigmoid"]),
    "sigmoid_applied_twice": (
        {"sigmoid_backward": fn("sigmoid_backward", "dout, cache",
                                "s = 1 / (1 + np.exp(-cache))\nreturn dout * s * (1 - s)")},
        ["test_sigmoid"], OTHERS["test_sigmoid"]),
    "sigmoid_forward_in_place": (
        {"sigmoid_forward": fn("sigmoid_forward", "x",
                               "x *= -1\nout = 1 / (1 + np.exp(x))\nreturn out, out")},
        ["test_sigmoid"], OTHERS["test_sigmoid"]),
    "sigmoid_sign_flipped": (
        {"sigmoid_forward": fn("sigmoid_forward", "x", "out = 1 / (1 + np.exp(x))\nreturn out, out")},
        ["test_sigmoid"], OTHERS["test_sigmoid"]),
    # tanh
    "tanh_derivative_of_input": (
        {"tanh_forward": fn("tanh_forward", "x", "return np.tanh(x), x"),
         "tanh_backward": fn("tanh_backward", "dout, cache", "return dout * (1 - cache ** 2)")},
        ["test_tanh"], OTHERS["test_tanh"]),
    "tanh_forward_in_place": (
        {"tanh_forward": fn("tanh_forward", "x", "np.tanh(x, out=x)\nreturn x, x")},
        ["test_tanh"], OTHERS["test_tanh"]),
    "tanh_backward_no_dout": (
        {"tanh_backward": fn("tanh_backward", "dout, cache", "return 1 - cache ** 2")},
        ["test_tanh"], OTHERS["test_tanh"]),
    "tanh_backward_squared_wrong": (
        {"tanh_backward": fn("tanh_backward", "dout, cache", "return dout * (1 - cache) ** 2")},
        ["test_tanh"], OTHERS["test_tanh"]),
    # mean squared error
    "mse_gradient_not_averaged": (
        {"mse_loss_grad": fn("mse_loss_grad", "y_hat, y",
                             "return np.mean((y_hat - y) ** 2), 2 * (y_hat - y)")},
        ["test_mse_loss_grad"], OTHERS["test_mse_loss_grad"]),
    "mse_loss_summed": (
        {"mse_loss_grad": fn("mse_loss_grad", "y_hat, y",
                             "return np.sum((y_hat - y) ** 2), 2 * (y_hat - y) / y.size")},
        ["test_mse_loss_grad"], OTHERS["test_mse_loss_grad"]),
    "mse_gradient_over_batch_only": (
        {"mse_loss_grad": fn("mse_loss_grad", "y_hat, y",
                             "return np.mean((y_hat - y) ** 2), 2 * (y_hat - y) / len(y)")},
        ["test_mse_loss_grad"], OTHERS["test_mse_loss_grad"]),
    "mse_missing_factor_two": (
        {"mse_loss_grad": fn("mse_loss_grad", "y_hat, y",
                             "return np.mean((y_hat - y) ** 2), (y_hat - y) / y.size")},
        ["test_mse_loss_grad"], OTHERS["test_mse_loss_grad"]),
    "mse_sign_flipped": (
        {"mse_loss_grad": fn("mse_loss_grad", "y_hat, y",
                             "return np.mean((y_hat - y) ** 2), 2 * (y - y_hat) / y.size")},
        ["test_mse_loss_grad"], OTHERS["test_mse_loss_grad"]),
    # softmax cross-entropy
    "ce_rows_instead_of_entries": (
        softmax_ce("loss = -np.mean(np.log(p[np.arange(N), y]))\n"
                   "dlogits = p.copy()\ndlogits[y] -= 1\nreturn loss, dlogits / N"),
        ["test_softmax_cross_entropy", "test_softmax_cross_entropy_stable",
         "test_two_layer_loss"], NOT_CE),
    "ce_no_max_shift": (
        {"softmax_cross_entropy": fn(
            "softmax_cross_entropy", "logits, y",
            "N = logits.shape[0]\np = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)\n"
            "loss = -np.mean(np.log(p[np.arange(N), y]))\n"
            "dlogits = p.copy()\ndlogits[np.arange(N), y] -= 1\nreturn loss, dlogits / N")},
        ["test_softmax_cross_entropy_stable"], OTHERS["test_softmax_cross_entropy_stable"]),
    "ce_global_max_shift": (
        {"softmax_cross_entropy": fn(
            "softmax_cross_entropy", "logits, y",
            "N = logits.shape[0]\ne = np.exp(logits - logits.max())\n"
            "p = e / e.sum(axis=1, keepdims=True)\n"
            "loss = -np.mean(np.log(p[np.arange(N), y]))\n"
            "dlogits = p.copy()\ndlogits[np.arange(N), y] -= 1\nreturn loss, dlogits / N")},
        ["test_softmax_cross_entropy_stable"], OTHERS["test_softmax_cross_entropy_stable"]),
    "ce_log_of_softmax": (  # max shift, then log(p): p = e^-2000 underflows and its log is -inf
        {"softmax_cross_entropy": fn(
            "softmax_cross_entropy", "logits, y",
            "shifted = logits - np.max(logits, axis=1, keepdims=True)\n"
            "probs = np.exp(shifted)\nprobs /= np.sum(probs, axis=1, keepdims=True)\n"
            "N = logits.shape[0]\nloss = -np.sum(np.log(probs[range(N), y])) / N\n"
            "dx = probs.copy()\ndx[range(N), y] -= 1\ndx /= N\nreturn loss, dx")},
        ["test_softmax_cross_entropy_stable"], OTHERS["test_softmax_cross_entropy_stable"]),
    "ce_gradient_not_averaged": (
        softmax_ce("loss = -np.mean(np.log(p[np.arange(N), y]))\n"
                   "dlogits = p.copy()\ndlogits[np.arange(N), y] -= 1\nreturn loss, dlogits"),
        ["test_softmax_cross_entropy", "test_two_layer_loss"], NOT_CE),
    "ce_loss_summed": (
        softmax_ce("loss = -np.sum(np.log(p[np.arange(N), y]))\n"
                   "dlogits = p.copy()\ndlogits[np.arange(N), y] -= 1\nreturn loss, dlogits / N"),
        ["test_softmax_cross_entropy", "test_two_layer_loss"], NOT_CE),
    "ce_forgot_minus_one": (
        softmax_ce("loss = -np.mean(np.log(p[np.arange(N), y]))\nreturn loss, p / N"),
        ["test_softmax_cross_entropy", "test_two_layer_loss"], NOT_CE),
    "ce_softmax_over_batch_axis": (
        {"softmax_cross_entropy": fn(
            "softmax_cross_entropy", "logits, y",
            "N = logits.shape[0]\ne = np.exp(logits - logits.max(axis=0))\n"
            "p = e / e.sum(axis=0)\nloss = -np.mean(np.log(p[np.arange(N), y]))\n"
            "dlogits = p.copy()\ndlogits[np.arange(N), y] -= 1\nreturn loss, dlogits / N")},
        ["test_softmax_cross_entropy", "test_two_layer_loss"], NOT_CE),
    "ce_gradient_sign_flipped": (
        softmax_ce("loss = -np.mean(np.log(p[np.arange(N), y]))\n"
                   "dlogits = -p\ndlogits[np.arange(N), y] += 1\nreturn loss, dlogits / N"),
        ["test_softmax_cross_entropy", "test_two_layer_loss"], NOT_CE),
    # the whole network
    "two_layer_keys_renamed": (
        two_layer(BACKWARD_REST + "return loss, {'dW1': dW1, 'db1': db1, 'dW2': dW2, 'db2': db2}"),
        ["test_two_layer_loss"], OTHERS["test_two_layer_loss"]),
    "two_layer_missing_b2": (
        two_layer(BACKWARD_REST + "return loss, {'W1': dW1, 'b1': db1, 'W2': dW2}"),
        ["test_two_layer_loss"], OTHERS["test_two_layer_loss"]),
    "two_layer_W_swapped": (
        two_layer(BACKWARD_REST + "return loss, {'W1': dW2, 'b1': db1, 'W2': dW1, 'b2': db2}"),
        ["test_two_layer_loss"], OTHERS["test_two_layer_loss"]),
    "two_layer_grads_as_tuple": (
        two_layer(BACKWARD_REST + "return loss, (dW1, db1, dW2, db2)"),
        ["test_two_layer_loss"], OTHERS["test_two_layer_loss"]),
    "two_layer_no_relu_backward": (
        two_layer("_, dW1, db1 = dense_backward(dh, cache_1)\n"
                  "return loss, {'W1': dW1, 'b1': db1, 'W2': dW2, 'b2': db2}"),
        ["test_two_layer_loss"], OTHERS["test_two_layer_loss"]),
    "two_layer_wrong_cache": (
        two_layer("dz = relu_backward(dh, cache_relu)\n_, dW1, db1 = dense_backward(dz, cache_2)\n"
                  "return loss, {'W1': dW1, 'b1': db1, 'W2': dW2, 'b2': db2}"),
        ["test_two_layer_loss"], OTHERS["test_two_layer_loss"]),
    "two_layer_regularised": (  # an L2 penalty the contract does not ask for
        two_layer(BACKWARD_REST + "loss = loss + 0.5 * 1e-3 * np.sum(params['W1'] ** 2)\n"
                  "return loss, {'W1': dW1 + 1e-3 * params['W1'], 'b1': db1, 'W2': dW2, "
                  "'b2': db2}"),
        ["test_two_layer_loss"], OTHERS["test_two_layer_loss"]),
    "two_layer_sigmoid_hidden": (
        {"two_layer_loss": fn("two_layer_loss", "params, x, y",
                              "z, c1 = dense_forward(x, params['W1'], params['b1'])\n"
                              "h, c2 = sigmoid_forward(z)\n"
                              "s, c3 = dense_forward(h, params['W2'], params['b2'])\n"
                              "loss, ds = softmax_cross_entropy(s, y)\n"
                              "dh, dW2, db2 = dense_backward(ds, c3)\n"
                              "_, dW1, db1 = dense_backward(sigmoid_backward(dh, c2), c1)\n"
                              "return loss, {'W1': dW1, 'b1': db1, 'W2': dW2, 'b2': db2}")},
        ["test_two_layer_loss"], OTHERS["test_two_layer_loss"]),
    "two_layer_by_central_differences": (  # right values, no backward pass: too slow at scale
        {"two_layer_loss": fn("two_layer_loss", "params, x, y",
                              "def loss_at(p):\n"
                              "    z, _ = dense_forward(x, p['W1'], p['b1'])\n"
                              "    s, _ = dense_forward(relu_forward(z)[0], p['W2'], p['b2'])\n"
                              "    return softmax_cross_entropy(s, y)[0]\n"
                              "grads = {}\n"
                              "for name, value in params.items():\n"
                              "    grads[name] = np.zeros_like(value)\n"
                              "    for i in np.ndindex(value.shape):\n"
                              "        up, down = value.copy(), value.copy()\n"
                              "        up[i] += 1e-6\n"
                              "        down[i] -= 1e-6\n"
                              "        grads[name][i] = (loss_at({**params, name: up})\n"
                              "                          - loss_at({**params, name: down})) / 2e-6\n"
                              "return loss_at(params), grads")},
        ["test_two_layer_loss"], OTHERS["test_two_layer_loss"]),
}

# Correct answers written differently from the reference: full marks.
CORRECT = {
    "einsum_dense": {
        "dense_forward": fn("dense_forward", "x, W, b",
                            "return np.einsum('nd,dm->nm', x, W) + b, (x, W, b)"),
        "dense_backward": fn("dense_backward", "dout, cache",
                             "x, W, b = cache\nreturn (np.einsum('nm,dm->nd', dout, W),\n"
                             "        np.einsum('nd,nm->dm', x, dout), np.einsum('nm->m', dout))")},
    "dict_caches": {
        "dense_forward": fn("dense_forward", "x, W, b",
                            "return np.dot(x, W) + b, {'x': x, 'W': W}"),
        "dense_backward": fn("dense_backward", "dout, cache",
                             "dx = np.dot(dout, cache['W'].T)\ndW = np.dot(cache['x'].T, dout)\n"
                             "return dx, dW, np.sum(dout, axis=0)"),
        "relu_forward": fn("relu_forward", "x", "return x * (x > 0), {'mask': x > 0}"),
        "relu_backward": fn("relu_backward", "dout, cache", "return dout * cache['mask']"),
        "sigmoid_forward": fn("sigmoid_forward", "x",
                              "out = 0.5 * (1 + np.tanh(0.5 * x))\nreturn out, {'out': out}"),
        "sigmoid_backward": fn("sigmoid_backward", "dout, cache",
                               "s = cache['out']\nreturn dout * (s - s ** 2)")},
    "object_caches": {  # a cache the grader cannot copy: it stays in the sandbox as a handle
        "dense_forward": ("class DenseCache:\n    def __init__(self, x, W):\n"
                          "        self.x, self.W = x, W\n\n\n"
                          + fn("dense_forward", "x, W, b", "return x @ W + b, DenseCache(x, W)")),
        "dense_backward": fn("dense_backward", "dout, cache",
                             "return dout @ cache.W.T, cache.x.T @ dout, dout.sum(axis=0)")},
    "closure_caches": {
        "dense_forward": fn("dense_forward", "x, W, b",
                            "backward = lambda dout: (dout @ W.T, x.T @ dout, dout.sum(axis=0))\n"
                            "return x @ W + b, backward"),
        "dense_backward": fn("dense_backward", "dout, cache", "return cache(dout)"),
        "tanh_forward": fn("tanh_forward", "x",
                           "out = np.tanh(x)\nreturn out, (lambda dout: dout * (1 - out * out))"),
        "tanh_backward": fn("tanh_backward", "dout, cache", "return cache(dout)")},
    "recompute_from_input": {
        "sigmoid_forward": fn("sigmoid_forward", "x",
                              "from scipy.special import expit\nreturn expit(x), x"),
        "sigmoid_backward": fn("sigmoid_backward", "dout, cache",
                               "from scipy.special import expit\ns = expit(cache)\n"
                               "return dout * s * (1 - s)"),
        "tanh_forward": fn("tanh_forward", "x",
                           "s = 1 / (1 + np.exp(-2 * x))\nreturn 2 * s - 1, x"),
        "tanh_backward": fn("tanh_backward", "dout, cache", "return dout / np.cosh(cache) ** 2")},
    "cs231n_relu_in_place_on_dout": {  # changing dout in a backward pass is allowed here
        "relu_forward": fn("relu_forward", "x", "out = x.copy()\nout[out < 0] = 0\nreturn out, x"),
        "relu_backward": fn("relu_backward", "dout, cache",
                            "dx, x = dout, cache\ndx[x <= 0] = 0\nreturn dx")},
    "relu_where_and_lists": {
        "relu_forward": fn("relu_forward", "x", "return np.clip(x, 0, None), [x]"),
        "relu_backward": fn("relu_backward", "dout, cache", "return np.where(cache[0] > 0, dout, 0.0)"),
        "dense_backward": fn("dense_backward", "dout, cache",
                             "x, W, b = cache\nreturn [dout @ W.T, x.T @ dout, dout.sum(0)]")},
    "loops_dense_backward": {
        "dense_backward": fn("dense_backward", "dout, cache",
                             "x, W, b = cache\ndW = np.zeros_like(W)\ndb = np.zeros_like(b)\n"
                             "for n in range(x.shape[0]):\n    dW += np.outer(x[n], dout[n])\n"
                             "    db += dout[n]\nreturn dout @ W.T, dW, db")},
    "mse_written_out": {
        "mse_loss_grad": fn("mse_loss_grad", "y_hat, y",
                            "K = np.prod(y.shape)\nr = y_hat - y\n"
                            "return float((r * r).sum() / K), r * (2.0 / K)")},
    "ce_logsumexp_onehot": {
        "softmax_cross_entropy": fn(
            "softmax_cross_entropy", "logits, y",
            "from scipy.special import logsumexp, softmax\nN, C = logits.shape\n"
            "onehot = np.eye(C)[y]\n"
            "loss = np.mean(logsumexp(logits, axis=1) - np.sum(onehot * logits, axis=1))\n"
            "return loss, (softmax(logits, axis=1) - onehot) / N")},
    "ce_cs231n_log_probs": {
        "softmax_cross_entropy": fn(
            "softmax_cross_entropy", "logits, y",
            "shifted = logits - np.max(logits, axis=1, keepdims=True)\n"
            "Z = np.sum(np.exp(shifted), axis=1, keepdims=True)\n"
            "log_probs = shifted - np.log(Z)\nprobs = np.exp(log_probs)\n"
            "N = logits.shape[0]\nloss = -np.sum(log_probs[np.arange(N), y]) / N\n"
            "dx = probs.copy()\ndx[np.arange(N), y] -= 1\ndx /= N\nreturn loss, dx")},
    "ce_row_loop": {
        "softmax_cross_entropy": fn(
            "softmax_cross_entropy", "logits, y",
            "N = len(logits)\nloss, d = 0.0, np.zeros_like(logits)\n"
            "for n in range(N):\n    s = logits[n] - logits[n].max()\n"
            "    log_p = s - np.log(np.sum(np.exp(s)))\n    loss -= log_p[y[n]] / N\n"
            "    d[n] = np.exp(log_p) / N\n    d[n, y[n]] -= 1.0 / N\nreturn loss, d")},
    "two_layer_inline": {
        "two_layer_loss": fn(
            "two_layer_loss", "params, x, y",
            "W1, b1, W2, b2 = params['W1'], params['b1'], params['W2'], params['b2']\n"
            "z = x @ W1 + b1\nh = np.maximum(z, 0)\ns = h @ W2 + b2\n"
            "s = s - s.max(axis=1, keepdims=True)\n"
            "p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)\nN = len(y)\n"
            "loss = -np.log(p[np.arange(N), y]).mean()\n"
            "ds = p.copy()\nds[np.arange(N), y] -= 1\nds /= N\n"
            "dh = ds @ W2.T\ndz = dh * (z > 0)\n"
            "grads = dict(W2=h.T @ ds, b2=ds.sum(0), W1=x.T @ dz, b1=dz.sum(0))\n"
            "return float(loss), grads")},
    "two_layer_nested_caches": {  # CS231n's affine_relu_forward: a layer made of layers
        "two_layer_loss": (
            fn("affine_relu_forward", "x, W, b",
               "z, fc = dense_forward(x, W, b)\nh, rc = relu_forward(z)\nreturn h, (fc, rc)")
            + "\n\n" + fn("affine_relu_backward", "dout, cache",
                          "fc, rc = cache\nreturn dense_backward(relu_backward(dout, rc), fc)")
            + "\n\n" + fn("two_layer_loss", "params, x, y",
                          "h, c1 = affine_relu_forward(x, params['W1'], params['b1'])\n"
                          "s, c2 = dense_forward(h, params['W2'], params['b2'])\n"
                          "loss, ds = softmax_cross_entropy(s, y)\ngrads = {}\n"
                          "dh, grads['W2'], grads['b2'] = dense_backward(ds, c2)\n"
                          "_, grads['W1'], grads['b1'] = affine_relu_backward(dh, c1)\n"
                          "return loss, grads"))},
    "noisy_but_right": {  # prints and warns: never marked down for that
        "dense_backward": fn("dense_backward", "dout, cache",
                             "import sys, warnings\nprint('debug', dout.shape, file=sys.stderr)\n"
                             "warnings.warn('just a note', UserWarning)\n"
                             "x, W, b = cache\nreturn dout @ W.T, x.T @ dout, dout.sum(axis=0)")},
}


# Mistakes that only the learner's own process can see (a numpy warning, an input changed in
# place): the notebook's check names them, the grader cannot (catalogue_harness, TAUGHT).
TAUGHT = {name: (WRONG.pop(name)[0], grade_id, phrase) for name, grade_id, phrase in [
    ('relu_forward_in_place', 'test_relu', 'in place'),
    ('sigmoid_forward_in_place', 'test_sigmoid', 'in place'),
    ('tanh_forward_in_place', 'test_tanh', 'in place'),
]}


# What the grader's message says of each wrong answer: a phrase found in its messages, or
# (grade id, phrase) for the message of that exercise.
NAMED = {
    'dense_forward_no_cache': 'expected a tuple (out, cache)',
    'dense_forward_no_bias': 'bias b is missing',
    'dW_missing_transpose': 'transpose missing',
    'dx_missing_transpose': 'transpose missing',
    'db_averaged': 'averaged instead of summed over the batch',
    'db_one_row': 'one row of dout',
    'db_keepdims': 'keepdims',
    'dW_averaged': 'dW is averaged over the batch',
    'relu_mask_from_dout': 'mask is taken from dout',
    'relu_mask_missing': 'mask is missing',
    'sigmoid_derivative_of_input': 'pre-activation x, x*(1-x)',
    'tanh_derivative_of_input': 'pre-activation x, 1-x**2',
    'sigmoid_backward_no_dout': 'dout is missing',
    'sigmoid_applied_twice': 'applied twice',
    'mse_gradient_not_averaged': 'averaged but the gradient is not',
    'mse_loss_summed': 'loss is summed',
    'mse_gradient_over_batch_only': 'batch size N only',
    'mse_missing_factor_two': 'factor 2',
    'ce_rows_instead_of_entries': 'whole rows',
    'ce_no_max_shift': 'max shift',
    'ce_global_max_shift': 'max shift',
    'ce_log_of_softmax': 'log(softmax) instead of log-sum-exp',
    'ce_gradient_not_averaged': 'dlogits is not divided by N',
    'ce_loss_summed': 'loss is summed over the batch',
    'ce_forgot_minus_one': 'subtract 1',
    'two_layer_keys_renamed': 'keyed wrong',
    'two_layer_missing_b2': "missing 'b2'",
    'two_layer_W_swapped': 'keyed wrong',
    'two_layer_grads_as_tuple': 'expected a dict',
    'two_layer_no_relu_backward': "ReLU's backward pass is missing",
    'two_layer_by_central_differences': 'a numerical gradient (two forward passes per parameter)',
}
