"""Hostile submissions of notebooks 02 to 05: the classes of tests/hostile_nb01.py, met where
each notebook's exercises give them a form of their own (see Case there). Each case's score is
what the honest parts of the submission earn."""
from catalogue_harness import fn
from catalogue_nb04 import WRONG as WRONG_04
from catalogue_nb05 import WRONG as WRONG_05
from hostile_nb01 import Case, answers

NB02 = ("02_loss_functions", "02_loss_functions")
NB03 = ("03_chain_rule", "03_chain_rule")
NB04 = ("04_backward_pass", "04_backward_pass")
NB05 = ("05_gradient_descent", "05_gradient_descent")


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

# the right values without a backward pass (too slow at the hidden test's scale), and a train
# that reaches the accuracy with an update of its own, sgd left as the stub: as catalogued
FINITE_DIFFERENCES = WRONG_04["two_layer_by_central_differences"][0]
OWN_OPTIMIZER = WRONG_05["train_own_update_sgd_unwritten"][0]

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
    "nb04_gradients_by_finite_differences": Case(answers(**FINITE_DIFFERENCES), 9.0,
                                                 "numerical gradient", notebook=NB04),
    "nb05_train_with_an_update_of_its_own": Case(answers(**OWN_OPTIMIZER), 4.0,
                                                 "must take its steps with your sgd",
                                                 notebook=NB05),
}
