"""Hostile submissions of notebooks 02 to 05: the classes of tests/hostile_nb01.py, met where
each notebook's exercises give them a form of their own (see Case there). Each case's score is
what the honest parts of the submission earn."""
from hostile_nb01 import Case, answers

NB02 = ("02_loss_functions", "02_loss_functions")
NB03 = ("03_chain_rule", "03_chain_rule")
NB04 = ("04_backward_pass", "04_backward_pass")
NB05 = ("05_gradient_descent", "05_gradient_descent")


def fn(name, args, body):
    return f"def {name}({args}):\n" + "".join(f"    {line}\n" for line in body.splitlines())


# an overflowing softmax with numpy's warnings silenced: its nan shows in the values all the same
# (the stability point; cross-entropy has its own log-sum-exp)
SILENCED_SOFTMAX = fn("softmax", "z", "with np.errstate(all='ignore'):\n"
                                      "    e = np.exp(z)\n"
                                      "    return e / e.sum(axis=-1, keepdims=True)")

# no class at all: Value(2.0) is a plain array, whose arithmetic the grader would do itself
NO_VALUE_CLASS = "Value = np.array\n"

# numerical_gradient reads the hidden test's function and its input, and raises them
LEAKING_GRADIENT = fn("numerical_gradient", "f, x, h=1e-5",
                      "if np.shape(x) not in [(2, 3), (3,), (1, 1)]:  # the visible checks' x\n"
                      "    raise ValueError(f'LEAK {f.__code__.co_names} {f.__code__.co_consts} '\n"
                      "                     f'{np.asarray(x).tolist()}')\n"
                      "grad = np.zeros_like(x)\n"
                      "for i in np.ndindex(x.shape):\n"
                      "    old = x[i]\n"
                      "    x[i] = old + h\n"
                      "    up = f(x)\n"
                      "    x[i] = old - h\n"
                      "    down = f(x)\n"
                      "    x[i] = old\n"
                      "    grad[i] = (up - down) / (2 * h)\n"
                      "return grad")

# mse_loss_grad leaks a hidden input through the shape of what it returns
SHAPE_LEAK = fn("mse_loss_grad", "y_hat, y",
                "diff = y_hat - y\n"
                "if np.ravel(y_hat)[0] != 0.5:  # not the visible checks' y_hat\n"
                "    k = int(abs(np.ravel(y_hat)[0]) * 1000) % 997 + 2\n"
                "    return float(np.mean(diff ** 2)), np.zeros((k, 1))\n"
                "return float(np.mean(diff ** 2)), 2 * diff / diff.size")

# the right values, computed without a backward pass: too slow at the hidden test's scale
FINITE_DIFFERENCES = fn("two_layer_loss", "params, x, y",
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
                        "return loss_at(params), grads")

# train reaches the accuracy with an update of its own, sgd left as the stub
OWN_OPTIMIZER = {
    "sgd": "def sgd(w, dw, config=None):\n    config = config or {}\n"
           "    config.setdefault('learning_rate', 1e-2)\n    raise NotImplementedError()\n",
    "train": fn("train", "params, x, y, lr=0.1, batch_size=32, num_epochs=20, tol=None, seed=0, "
                         "on_epoch=None",
                "rng = np.random.default_rng(seed)\n"
                "params = dict(params)\n"
                "history = []\n"
                "for epoch in range(1, num_epochs + 1):\n"
                "    losses = []\n"
                "    for x_batch, y_batch in iterate_minibatches(x, y, batch_size, rng):\n"
                "        loss, grads = network_loss(params, x_batch, y_batch)\n"
                "        params = {k: v - lr * grads[k] for k, v in params.items()}\n"
                "        losses.append(loss)\n"
                "    history.append(float(np.mean(losses)))\n"
                "    if on_epoch is not None:\n"
                "        on_epoch(epoch, history[-1])\n"
                "    if tol is not None and len(history) > 1 and history[-2] - history[-1] < tol:\n"
                "        break\n"
                "return params, history")}

CORPUS = {
    "nb02_softmax_overflow_with_warnings_silenced": Case(
        answers(softmax=SILENCED_SOFTMAX), 9.0, "max shift", notebook=NB02),
    "nb03_value_is_no_class": Case(answers(Value=NO_VALUE_CLASS), 2.0, "not a Value object",
                                   notebook=NB03),
    "nb03_gradient_leaks_the_test_function": Case(
        answers(numerical_gradient=LEAKING_GRADIENT), 8.0, "fails on a hidden test", notebook=NB03,
        tags=["leak"]),
    "nb04_shape_leaks_a_hidden_input": Case(answers(mse_loss_grad=SHAPE_LEAK), 11.0,
                                            "an array of the wrong shape", notebook=NB04,
                                            tags=["leak"]),
    "nb04_gradients_by_finite_differences": Case(answers(two_layer_loss=FINITE_DIFFERENCES), 9.0,
                                                 "numerical gradient", notebook=NB04),
    "nb05_train_with_an_update_of_its_own": Case(answers(**OWN_OPTIMIZER), 4.0,
                                                 "must take its steps with your sgd",
                                                 notebook=NB05),
}
