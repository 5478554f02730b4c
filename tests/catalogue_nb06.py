"""A catalogue of answers to notebook 06: realistic mistakes and correct answers written
differently from the reference. The grader must catch every mistake (on the right exercise) and
accept every correct variant: tests/test_catalogues.py reports both rates.

Momentum's learning rate may sit inside the velocity (v = mu v - lr dw; w + v, CS231n) or
outside it (v = mu v + dw; w - lr v, PyTorch): with a constant learning rate the second velocity
is the first divided by -lr, and the weights are the same at every step, so both are correct
here. The mistakes about the learning rate's place are the ones that change the weights: applied
twice, or missing.
"""
from catalogue_harness import catalogue_header, fn

ASSIGNMENT, ALL, OTHERS = catalogue_header(__name__)  # from the notebook's own spec


MOMENTUM_TESTS = ["test_sgd_momentum", "test_sgd_momentum_default"]
RMSPROP_TESTS = ["test_rmsprop", "test_rmsprop_default"]
ADAM_TESTS = ["test_adam", "test_adam_default"]
ARGS = "w, dw, config=None"


def momentum(body, args=ARGS, before=""):
    return {"sgd_momentum": before + fn("sgd_momentum", args, body)}


def rmsprop(body, args=ARGS, before=""):
    return {"rmsprop": before + fn("rmsprop", args, body)}


def adam(body, args=ARGS, before=""):
    return {"adam": before + fn("adam", args, body)}


NEW = "if config is None:\n    config = {}\n"
MOMENTUM_DEFAULTS = (NEW + "config.setdefault('learning_rate', 1e-2)\n"
                     "config.setdefault('momentum', 0.9)\n"
                     "lr, mu = config['learning_rate'], config['momentum']\n"
                     "v = config.get('velocity', np.zeros_like(w))\n")
RMSPROP_DEFAULTS = (NEW + "config.setdefault('learning_rate', 1e-2)\n"
                    "config.setdefault('decay_rate', 0.99)\n"
                    "config.setdefault('epsilon', 1e-8)\n"
                    "lr, rho, eps = config['learning_rate'], config['decay_rate'], "
                    "config['epsilon']\n"
                    "cache = config.get('cache', np.zeros_like(w))\n")
ADAM_DEFAULTS = (NEW + "config.setdefault('learning_rate', 1e-3)\n"
                 "config.setdefault('beta1', 0.9)\n"
                 "config.setdefault('beta2', 0.999)\n"
                 "config.setdefault('epsilon', 1e-8)\n"
                 "lr, b1, b2, eps = (config['learning_rate'], config['beta1'], config['beta2'], "
                 "config['epsilon'])\n"
                 "m = config.get('m', np.zeros_like(w))\n"
                 "v = config.get('v', np.zeros_like(w))\n")
MOMENTUM_STEP = "v = mu * v - lr * dw\nconfig['velocity'] = v\nreturn w + v, config"
RMSPROP_STEP = ("cache = rho * cache + (1 - rho) * dw ** 2\nconfig['cache'] = cache\n"
                "return w - lr * dw / (np.sqrt(cache) + eps), config")
ADAM_AVERAGES = ("m = b1 * m + (1 - b1) * dw\nv = b2 * v + (1 - b2) * dw ** 2\n")
ADAM_STORE = "config['m'], config['v'], config['t'] = m, v, t\n"


def adam_with(step, t="t = config.get('t', 0) + 1\n", store=ADAM_STORE, defaults=ADAM_DEFAULTS):
    """The reference Adam with its last line (the step) or its handling of t replaced."""
    return adam(defaults + t + ADAM_AVERAGES + store + step)


ADAM_STEP = ("m_hat = m / (1 - b1 ** t)\nv_hat = v / (1 - b2 ** t)\n"
             "return w - lr * m_hat / (np.sqrt(v_hat) + eps), config")


# Wrong answers: (answers by grade_id, the tests that must fail, the tests that must pass).
WRONG = {
    # --- sgd_momentum -------------------------------------------------------------------------
    "momentum_lr_applied_twice": (
        momentum(MOMENTUM_DEFAULTS + "v = mu * v - lr * dw\nconfig['velocity'] = v\n"
                 "return w + lr * v, config"),
        MOMENTUM_TESTS, RMSPROP_TESTS + ADAM_TESTS),
    "momentum_lr_missing": (
        momentum(MOMENTUM_DEFAULTS + "v = mu * v - dw\nconfig['velocity'] = v\n"
                 "return w + v, config"),
        MOMENTUM_TESTS, RMSPROP_TESTS + ADAM_TESTS),
    "momentum_steps_uphill": (
        momentum(MOMENTUM_DEFAULTS + "v = mu * v + lr * dw\nconfig['velocity'] = v\n"
                 "return w + v, config"),
        MOMENTUM_TESTS, RMSPROP_TESTS + ADAM_TESTS),
    "momentum_velocity_not_stored": (
        momentum(MOMENTUM_DEFAULTS + "v = mu * v - lr * dw\nreturn w + v, config"),
        MOMENTUM_TESTS, RMSPROP_TESTS + ADAM_TESTS),
    "momentum_state_reset_every_call": (
        momentum(MOMENTUM_DEFAULTS.replace("config.get('velocity', np.zeros_like(w))",
                                           "np.zeros_like(w)") + MOMENTUM_STEP),
        MOMENTUM_TESTS, RMSPROP_TESTS + ADAM_TESTS),
    "momentum_dampened": (
        momentum(MOMENTUM_DEFAULTS + "v = mu * v + (1 - mu) * dw\nconfig['velocity'] = v\n"
                 "return w - lr * v, config"),
        MOMENTUM_TESTS, RMSPROP_TESTS + ADAM_TESTS),
    "momentum_crashes_on_none": (
        momentum(MOMENTUM_DEFAULTS.replace(NEW, "") + MOMENTUM_STEP),
        ["test_sgd_momentum_default"], ["test_sgd_momentum"] + RMSPROP_TESTS + ADAM_TESTS),
    "momentum_default_momentum_099": (
        momentum(MOMENTUM_DEFAULTS.replace("'momentum', 0.9", "'momentum', 0.99")
                 + MOMENTUM_STEP),
        ["test_sgd_momentum_default"], ["test_sgd_momentum"] + RMSPROP_TESTS + ADAM_TESTS),
    "momentum_shared_module_level_defaults": (
        momentum("config = MOMENTUM_SETTINGS if config is None else config\n"
                 "lr = config.get('learning_rate', 1e-2)\nmu = config.get('momentum', 0.9)\n"
                 "v = config.get('velocity', np.zeros_like(w))\n" + MOMENTUM_STEP,
                 before="MOMENTUM_SETTINGS = {'learning_rate': 1e-2, 'momentum': 0.9}\n\n\n"),
        ["test_sgd_momentum_default"], ["test_sgd_momentum"] + RMSPROP_TESTS + ADAM_TESTS),
    "momentum_mutable_default_argument": (
        momentum(MOMENTUM_DEFAULTS.replace(NEW, "") + MOMENTUM_STEP, args="w, dw, config={}"),
        ["test_sgd_momentum_default"], ["test_sgd_momentum"] + RMSPROP_TESTS + ADAM_TESTS),
    # --- rmsprop ------------------------------------------------------------------------------
    "rmsprop_decays_the_gradient_not_its_square": (
        rmsprop(RMSPROP_DEFAULTS + RMSPROP_STEP.replace("dw ** 2", "dw")),
        RMSPROP_TESTS, MOMENTUM_TESTS + ADAM_TESTS),
    "rmsprop_decay_on_the_wrong_term": (
        rmsprop(RMSPROP_DEFAULTS + RMSPROP_STEP.replace("rho * cache + (1 - rho) * dw ** 2",
                                                        "(1 - rho) * cache + rho * dw ** 2")),
        RMSPROP_TESTS, MOMENTUM_TESTS + ADAM_TESTS),
    "rmsprop_sqrt_missing": (
        rmsprop(RMSPROP_DEFAULTS + RMSPROP_STEP.replace("np.sqrt(cache)", "cache")),
        RMSPROP_TESTS, MOMENTUM_TESTS + ADAM_TESTS),
    "rmsprop_epsilon_inside_the_sqrt": (
        rmsprop(RMSPROP_DEFAULTS + RMSPROP_STEP.replace("(np.sqrt(cache) + eps)",
                                                        "np.sqrt(cache + eps)")),
        ["test_rmsprop"], MOMENTUM_TESTS + ADAM_TESTS),
    "rmsprop_epsilon_left_out": (
        rmsprop(RMSPROP_DEFAULTS + RMSPROP_STEP.replace("(np.sqrt(cache) + eps)",
                                                        "np.sqrt(cache)")),
        ["test_rmsprop"], MOMENTUM_TESTS + ADAM_TESTS),
    "rmsprop_cache_not_stored": (
        rmsprop(RMSPROP_DEFAULTS + RMSPROP_STEP.replace("config['cache'] = cache\n", "")),
        RMSPROP_TESTS, MOMENTUM_TESTS + ADAM_TESTS),
    "rmsprop_steps_with_the_old_cache": (
        rmsprop(RMSPROP_DEFAULTS + "next_w = w - lr * dw / (np.sqrt(cache) + eps)\n"
                "config['cache'] = rho * cache + (1 - rho) * dw ** 2\nreturn next_w, config"),
        RMSPROP_TESTS, MOMENTUM_TESTS + ADAM_TESTS),
    "rmsprop_default_decay_09": (
        rmsprop(RMSPROP_DEFAULTS.replace("'decay_rate', 0.99", "'decay_rate', 0.9")
                + RMSPROP_STEP),
        ["test_rmsprop_default"], ["test_rmsprop"] + MOMENTUM_TESTS + ADAM_TESTS),
    "rmsprop_shared_module_level_defaults": (
        rmsprop("if config is None:\n    config = RMSPROP_SETTINGS\n"
                + RMSPROP_DEFAULTS.replace(NEW, "") + RMSPROP_STEP,
                before="RMSPROP_SETTINGS = {}\n\n\n"),
        ["test_rmsprop_default"], ["test_rmsprop"] + MOMENTUM_TESTS + ADAM_TESTS),
    # --- adam ---------------------------------------------------------------------------------
    "adam_without_bias_correction": (
        adam_with("return w - lr * m / (np.sqrt(v) + eps), config"),
        ADAM_TESTS, MOMENTUM_TESTS + RMSPROP_TESTS),
    "adam_t_incremented_after_the_update": (
        adam_with(ADAM_STEP.replace("return", "config['t'] = t + 1\nreturn"),
                  t="t = config.get('t', 0)\n", store="config['m'], config['v'] = m, v\n"),
        ADAM_TESTS, MOMENTUM_TESTS + RMSPROP_TESTS),
    "adam_epsilon_inside_the_sqrt": (
        adam_with(ADAM_STEP.replace("(np.sqrt(v_hat) + eps)", "np.sqrt(v_hat + eps)")),
        ["test_adam"], MOMENTUM_TESTS + RMSPROP_TESTS),
    "adam_epsilon_on_sqrt_v_efficient_form": (  # Kingma and Ba's section 2 variant, Keras's
        adam_with("lr_t = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)\n"
                  "return w - lr_t * m / (np.sqrt(v) + eps), config"),
        ["test_adam"], MOMENTUM_TESTS + RMSPROP_TESTS),
    "adam_betas_swapped": (
        adam_with(ADAM_STEP, defaults=ADAM_DEFAULTS.replace("config['beta1'], config['beta2']",
                                                            "config['beta2'], config['beta1']")),
        ADAM_TESTS, MOMENTUM_TESTS + RMSPROP_TESTS),
    "adam_t_not_stored": (
        adam_with(ADAM_STEP, store="config['m'], config['v'] = m, v\n"),
        ["test_adam"], MOMENTUM_TESTS + RMSPROP_TESTS),
    "adam_state_reset_every_call": (
        adam_with(ADAM_STEP, defaults=ADAM_DEFAULTS.replace("config.get('m', np.zeros_like(w))",
                                                            "np.zeros_like(w)")
                  .replace("config.get('v', np.zeros_like(w))", "np.zeros_like(w)"),
                  t="t = 1\n"),
        ["test_adam"], MOMENTUM_TESTS + RMSPROP_TESTS),
    "adam_bias_correction_of_m_only": (
        adam_with(ADAM_STEP.replace("np.sqrt(v_hat)", "np.sqrt(v)")),
        ADAM_TESTS, MOMENTUM_TESTS + RMSPROP_TESTS),
    "adam_sqrt_missing": (
        adam_with(ADAM_STEP.replace("np.sqrt(v_hat)", "v_hat")),
        ADAM_TESTS, MOMENTUM_TESTS + RMSPROP_TESTS),
    "adam_default_learning_rate_1e2": (
        adam_with(ADAM_STEP, defaults=ADAM_DEFAULTS.replace("1e-3", "1e-2")),
        ["test_adam_default"], ["test_adam"] + MOMENTUM_TESTS + RMSPROP_TESTS),
    "adam_shared_module_level_defaults": (
        adam("if config is None:\n    config = ADAM_SETTINGS\n"
             + ADAM_DEFAULTS.replace(NEW, "") + "t = config.get('t', 0) + 1\n"
             + ADAM_AVERAGES + ADAM_STORE + ADAM_STEP,
             before="ADAM_SETTINGS = {'learning_rate': 1e-3}\n\n\n"),
        ["test_adam_default"], ["test_adam"] + MOMENTUM_TESTS + RMSPROP_TESTS),
}

# Correct answers written differently from the reference: full marks.
CORRECT = {
    "momentum_learning_rate_outside_the_velocity": momentum(  # PyTorch's form
        MOMENTUM_DEFAULTS + "v = mu * v + dw\nconfig['velocity'] = v\nreturn w - lr * v, config"),
    "momentum_velocity_kept_with_the_opposite_sign": momentum(
        MOMENTUM_DEFAULTS + "v = mu * v + lr * dw\nconfig['velocity'] = v\n"
        "return w - v, config"),
    "momentum_new_dict_extra_keys": momentum(
        "config = dict(config or {})\nlr = config.setdefault('learning_rate', 0.01)\n"
        "mu = config.setdefault('momentum', 0.9)\n"
        "config['steps'] = config.get('steps', 0) + 1\n"
        "if 'v' not in config:\n    config['v'] = np.zeros(np.shape(w))\n"
        "config['v'] = mu * config['v'] - lr * dw\n"
        "return np.add(w, config['v']), config"),
    "momentum_defaults_read_not_stored": momentum(
        "config = {} if config is None else config\n"
        "lr = config.get('learning_rate', 1e-2)\nmu = config.get('momentum', 0.9)\n"
        "velocity = mu * config['velocity'] - lr * dw if 'velocity' in config else -lr * dw\n"
        "config['velocity'] = velocity\nreturn w + velocity, config"),
    "rmsprop_numpy_functions_and_merged_defaults": rmsprop(
        "config = {'learning_rate': 1e-2, 'decay_rate': 0.99, 'epsilon': 1e-8, "
        "**(config or {})}\n"
        "rho = config['decay_rate']\n"
        "config['cache'] = np.add(np.multiply(rho, config.get('cache', 0.0)), "
        "np.multiply(1 - rho, np.square(dw)))\n"
        "step = np.divide(dw, np.add(np.sqrt(config['cache']), config['epsilon']))\n"
        "return np.subtract(w, config['learning_rate'] * step), config"),
    "rmsprop_root_mean_square_stored": rmsprop(  # stores sqrt(cache) instead of the cache
        RMSPROP_DEFAULTS.replace("cache = config.get('cache', np.zeros_like(w))\n", "")
        + "rms = config.get('rms', np.zeros_like(w))\n"
        "rms = np.sqrt(rho * rms ** 2 + (1 - rho) * dw * dw)\n"
        "config['rms'] = rms\nreturn w - lr * dw / (rms + eps), config"),
    "rmsprop_first_cache_from_the_first_gradient": rmsprop(
        RMSPROP_DEFAULTS.replace("cache = config.get('cache', np.zeros_like(w))\n", "")
        + "if 'cache' in config:\n"
        "    cache = rho * config['cache'] + (1 - rho) * dw ** 2\n"
        "else:\n    cache = (1 - rho) * dw ** 2\n"
        "config['cache'] = cache\nreturn w - lr * dw / (cache ** 0.5 + eps), config"),
    "adam_t_stored_as_the_next_steps_number": adam_with(
        ADAM_STEP.replace("return", "config['t'] = t + 1\nreturn"),
        t="t = config.get('t', 1)\n", store="config['m'], config['v'] = m, v\n"),
    "adam_moments_in_one_tuple": adam(
        ADAM_DEFAULTS.replace("m = config.get('m', np.zeros_like(w))\n"
                              "v = config.get('v', np.zeros_like(w))\n",
                              "m, v = config.get('moments', (np.zeros_like(w), "
                              "np.zeros_like(w)))\n")
        + "t = config.get('t', 0) + 1\n" + ADAM_AVERAGES
        + "config['moments'], config['t'] = (m, v), t\n" + ADAM_STEP),
    "adam_running_powers_of_the_betas": adam(  # b1^t and b2^t kept instead of t
        ADAM_DEFAULTS + "p1 = config.get('b1_t', 1.0) * b1\np2 = config.get('b2_t', 1.0) * b2\n"
        + ADAM_AVERAGES + "config.update(m=m, v=v, b1_t=p1, b2_t=p2)\n"
        "return w - lr * (m / (1 - p1)) / (np.sqrt(v / (1 - p2)) + eps), config"),
    "adam_numpy_power_and_new_dict": adam(
        "config = dict(config) if config is not None else {}\n"
        + ADAM_DEFAULTS.replace(NEW, "") + "t = config.get('t', 0) + 1\n" + ADAM_AVERAGES
        + "config.update(m=m, v=v, t=t)\n"
        "m_hat = np.divide(m, 1.0 - np.power(b1, t))\n"
        "v_hat = np.divide(v, 1.0 - np.power(b2, t))\n"
        "return w - np.multiply(lr, m_hat) / (np.sqrt(v_hat) + eps), config"),
}


# What the grader's message says of each wrong answer: a phrase found in its messages, or
# (grade id, phrase) for the message of that exercise.
NAMED = {
    "momentum_lr_applied_twice": ("test_sgd_momentum", "learning rate is applied twice"),
    "momentum_lr_missing": ("test_sgd_momentum", "learning rate is missing"),
    "momentum_steps_uphill": ("test_sgd_momentum", "steps uphill"),
    "momentum_velocity_not_stored": ("test_sgd_momentum", "takes plain SGD steps"),
    "momentum_state_reset_every_call": ("test_sgd_momentum", "takes plain SGD steps"),
    "momentum_dampened": ("test_sgd_momentum", "dampened"),
    "momentum_crashes_on_none": ("test_sgd_momentum_default", "NoneType"),
    "momentum_shared_module_level_defaults": ("test_sgd_momentum_default", "leaked"),
    "momentum_mutable_default_argument": ("test_sgd_momentum_default", "NoneType"),
    "rmsprop_decays_the_gradient_not_its_square": ("test_rmsprop",
                                                   "decays the gradient instead of its square"),
    "rmsprop_decay_on_the_wrong_term": ("test_rmsprop", "decay is applied to the wrong term"),
    "rmsprop_sqrt_missing": ("test_rmsprop", "square root is missing"),
    "rmsprop_epsilon_inside_the_sqrt": ("test_rmsprop", "epsilon is inside the square root"),
    "rmsprop_epsilon_left_out": ("test_rmsprop", "epsilon is left out"),
    "rmsprop_cache_not_stored": ("test_rmsprop", "cache starts from zero at every call"),
    "rmsprop_shared_module_level_defaults": ("test_rmsprop_default", "leaked"),
    "adam_without_bias_correction": ("test_adam", "no bias correction"),
    "adam_t_incremented_after_the_update": ("test_adam", "t is incremented after the update"),
    "adam_epsilon_inside_the_sqrt": ("test_adam", "epsilon is inside the square root"),
    "adam_epsilon_on_sqrt_v_efficient_form": ("test_adam", "before the bias correction"),
    "adam_betas_swapped": ("test_adam", "beta1 and beta2 are swapped"),
    "adam_t_not_stored": ("test_adam", "t is not stored"),
    "adam_state_reset_every_call": ("test_adam", "start from zero at every call"),
    "adam_bias_correction_of_m_only": ("test_adam", "only m is bias-corrected"),
    "adam_sqrt_missing": ("test_adam", "square root is missing"),
    "adam_default_learning_rate_1e2": ("test_adam_default", "Adam's is 1e-3"),
    "adam_shared_module_level_defaults": ("test_adam_default", "leaked"),
}


# Mistakes that only the learner's own process can see (an input changed in place): the
# notebook's check names them, the grader cannot (catalogue_harness, TAUGHT).
TAUGHT = {
    "momentum_changes_w_in_place": (
        momentum(MOMENTUM_DEFAULTS + "v = mu * v - lr * dw\nconfig['velocity'] = v\n"
                 "w += v\nreturn w, config"),
        "test_sgd_momentum", "changed w in place"),
    "rmsprop_changes_w_in_place": (
        rmsprop(RMSPROP_DEFAULTS + "cache = rho * cache + (1 - rho) * dw ** 2\n"
                "config['cache'] = cache\nw -= lr * dw / (np.sqrt(cache) + eps)\n"
                "return w, config"),
        "test_rmsprop", "changed w in place"),
    "adam_changes_w_in_place": (
        adam_with(ADAM_STEP.replace("return w - lr * m_hat / (np.sqrt(v_hat) + eps), config",
                                    "np.subtract(w, lr * m_hat / (np.sqrt(v_hat) + eps), "
                                    "out=w)\nreturn w, config")),
        "test_adam", "changed w in place"),
}
