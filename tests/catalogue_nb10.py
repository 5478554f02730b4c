"""A catalogue of answers to notebook 10 (the capstone on the digits): realistic mistakes and
correct answers written differently from the reference. The grader must catch every mistake (on
the right exercise) and accept every correct variant: tests/test_catalogues.py reports both
rates."""
from catalogue_harness import catalogue_header, fn

ASSIGNMENT, ALL, OTHERS = catalogue_header(__name__)  # from the notebook's own spec

LOSS_TESTS = ["test_classifier_loss", "test_classifier_loss_gradcheck"]
TRAIN_TESTS = ["test_train_steps", "test_train_history", "test_train_accuracy"]


def others(*tests):
    return [t for t in ALL if t not in tests]


def loss(body):
    return {"classifier_loss": fn("classifier_loss", "params, x, y, config", body)}


def predict(body):
    return {"predict": fn("predict", "params, x, config", body)}


def choose(body):
    return {"choose_config": fn("choose_config", "results", body)}


def final(**changes):
    config = {"hidden_sizes": [64], "activation": "relu", "optimizer": "adam", "lr": 1e-2,
              "schedule": "cosine", "epochs": 15, "batch_size": 64, "reg": 1e-4, **changes}
    return {"final_config": fn("final_config", "", f"return {config!r}")}


FORWARD = ("scores, caches = deep_forward(x, params, config['activation'])\n"
           "data_loss, dscores = softmax_cross_entropy(scores, y)\n")
PENALTY = "penalty, penalty_grads = l2_penalty(params, config['reg'])\n"


def loss_with(loss_line="data_loss + penalty", grad_line="grads[name] + penalty_grads[name]",
              penalty=PENALTY, forward=FORWARD):
    return loss(forward + penalty + "grads = deep_backward(dscores, caches)\n"
                "for name in grads:\n"
                f"    grads[name] = {grad_line}\n"
                f"return {loss_line}, grads")


# The reference loop, with one part replaceable (names of the parts in the signature below).
TRAIN_PARTS = {
    "init": ("rng = np.random.default_rng(rng)\n"
             "sizes = [x_train.shape[1], *config['hidden_sizes'], 10]\n"
             "params = init_network(sizes, rng, 'he' if config['activation'] == 'relu' "
             "else 'xavier')\n"),
    "update": "update = OPTIMIZERS[config['optimizer']]\n",
    "loss": "loss, grads = classifier_loss(params, x_batch, y_batch, config)\n",
    "rate": "lr = lr_schedule(step, config['lr'], config['schedule'], total_steps=total_steps)\n",
    "step": ("for name in params:\n"
             "    states[name]['learning_rate'] = lr\n"
             "    params[name], states[name] = update(params[name], grads[name], states[name])\n"),
    "batches": "iterate_minibatches(x_train, y_train, config['batch_size'], rng)",
    "epochs": "range(1, config['epochs'] + 1)",
    "record": ("history['train_loss'].append(float(np.mean(batch_losses)))\n"
               "history['val_loss'].append(float(classifier_loss(params, x_val, y_val, "
               "config)[0]))\n"
               "history['val_acc'].append(float(np.mean(predict(params, x_val, config) == "
               "y_val)))\n"),
}


def indent(text, level=1):
    return "".join("    " * level + line + "\n" for line in text.splitlines())


def train(**parts):
    p = {**TRAIN_PARTS, **parts}
    body = (p["init"] + p["update"]
            + "states = {name: {} for name in params}\n"
            "total_steps = config['epochs'] * -(-len(x_train) // config['batch_size'])\n"
            "history = {'train_loss': [], 'val_loss': [], 'val_acc': []}\n"
            "step = 0\n"
            f"for epoch in {p['epochs']}:\n"
            "    batch_losses = []\n"
            f"    for x_batch, y_batch in {p['batches']}:\n"
            + indent(p["loss"] + p["rate"] + p["step"], 2)
            + "        batch_losses.append(loss)\n"
            "        step += 1\n"
            + indent(p["record"])
            + "    if on_epoch is not None:\n"
            "        on_epoch(epoch, history['train_loss'][-1])\n"
            "return params, history")
    return {"train_classifier": fn("train_classifier", "x_train, y_train, x_val, y_val, config, "
                                                       "rng, on_epoch=None", body)}


# Wrong answers: (answers by grade_id, the tests that must fail, the tests that must pass).
WRONG = {
    # --- classifier_loss ----------------------------------------------------------------------
    "loss_without_penalty": (loss_with(loss_line="data_loss"), LOSS_TESTS, ["test_predict"]),
    "loss_penalty_without_half": (
        loss_with(penalty="penalty = config['reg'] * sum(np.sum(v ** 2) for k, v in "
                          "params.items() if k.startswith('W'))\n"
                          "_, penalty_grads = l2_penalty(params, config['reg'])\n"),
        LOSS_TESTS, ["test_predict", "test_choose_config"]),
    "loss_penalty_counts_biases": (
        loss_with(penalty="penalty = 0.5 * config['reg'] * sum(np.sum(v ** 2) for v in "
                          "params.values())\n"
                          "_, penalty_grads = l2_penalty(params, config['reg'])\n"),
        LOSS_TESTS, ["test_predict", "test_choose_config"]),
    "loss_penalty_on_every_param": (
        loss_with(penalty="penalty = 0.5 * config['reg'] * sum(np.sum(v ** 2) for v in "
                          "params.values())\n"
                          "penalty_grads = {k: config['reg'] * v for k, v in params.items()}\n"),
        ["test_classifier_loss"], ["test_predict", "test_choose_config"]),
    "loss_penalty_gradient_missing": (loss_with(grad_line="grads[name]"), LOSS_TESTS,
                                      ["test_predict", "test_choose_config"]),
    "loss_penalty_gradient_doubled": (
        loss_with(grad_line="grads[name] + 2 * penalty_grads[name]"), LOSS_TESTS,
        ["test_predict", "test_choose_config"]),
    "loss_gradient_replaced_by_penalty": (loss_with(grad_line="penalty_grads[name]"), LOSS_TESTS,
                                          ["test_predict", "test_choose_config"]),
    "loss_bias_gradient_penalised": (
        loss_with(grad_line="grads[name] + penalty_grads[name] + (config['reg'] * params[name] "
                            "if name.startswith('b') else 0.0)"), LOSS_TESTS,
        ["test_predict", "test_choose_config"]),
    "loss_always_relu": (
        loss_with(forward="scores, caches = deep_forward(x, params, 'relu')\n"
                          "data_loss, dscores = softmax_cross_entropy(scores, y)\n"),
        ["test_classifier_loss"], ["test_predict", "test_choose_config"]),
    "loss_summed_over_batch": (
        loss_with(forward=FORWARD + "data_loss, dscores = data_loss * len(y), dscores * len(y)\n"),
        ["test_classifier_loss"], ["test_predict", "test_choose_config"]),
    # --- predict ------------------------------------------------------------------------------
    "predict_argmax_over_batch": (
        predict("scores, _ = deep_forward(x, params, config['activation'])\n"
                "return np.argmax(scores, axis=0)"),
        ["test_predict", "test_train_accuracy"], [*LOSS_TESTS, "test_choose_config"]),
    "predict_returns_scores": (
        predict("scores, _ = deep_forward(x, params, config['activation'])\nreturn scores"),
        ["test_predict", "test_train_accuracy"], [*LOSS_TESTS, "test_choose_config"]),
    "predict_returns_probabilities": (
        predict("scores, _ = deep_forward(x, params, config['activation'])\n"
                "e = np.exp(scores - scores.max(axis=1, keepdims=True))\n"
                "return e / e.sum(axis=1, keepdims=True)"),
        ["test_predict", "test_train_accuracy"], [*LOSS_TESTS, "test_choose_config"]),
    "predict_always_relu": (
        predict("scores, _ = deep_forward(x, params, 'relu')\nreturn np.argmax(scores, axis=1)"),
        ["test_predict"], [*LOSS_TESTS, "test_choose_config", "test_train_accuracy"]),
    "predict_float_labels": (
        predict("scores, _ = deep_forward(x, params, config['activation'])\n"
                "return np.argmax(scores, axis=1).astype(float)"),
        ["test_predict"], [*LOSS_TESTS, "test_choose_config", "test_train_accuracy"]),
    # --- train_classifier ---------------------------------------------------------------------
    "train_discards_the_update": (
        train(step="for name in params:\n"
                   "    states[name]['learning_rate'] = lr\n"
                   "    update(params[name], grads[name], states[name])\n"),
        ["test_train_steps", "test_train_accuracy"], [*LOSS_TESTS, "test_predict"]),
    "train_ignores_lr": (
        train(step="for name in params:\n"
                   "    params[name], states[name] = update(params[name], grads[name], "
                   "states[name])\n"),
        ["test_train_steps"], [*LOSS_TESTS, "test_predict", "test_choose_config"]),
    "train_without_penalty": (
        train(loss="loss, grads = classifier_loss(params, x_batch, y_batch, "
                   "dict(config, reg=0.0))\n"),
        ["test_train_steps"], [*LOSS_TESTS, "test_predict", "test_choose_config"]),
    "train_always_adam": (train(update="update = adam\n"), ["test_train_steps"],
                          [*LOSS_TESTS, "test_predict", "test_choose_config",
                           "test_train_accuracy"]),
    "train_init_from_global_random": (
        train(init="sizes = [x_train.shape[1], *config['hidden_sizes'], 10]\n"
                   "params = init_network(sizes, np.random.default_rng(), 'he')\n"
                   "rng = np.random.default_rng(rng)\n"),
        ["test_train_steps"], [*LOSS_TESTS, "test_predict", "test_choose_config"]),
    "train_val_measured_on_training_set": (
        train(record=TRAIN_PARTS["record"].replace("x_val, y_val, config)[0]",
                                                   "x_train, y_train, config)[0]")
              .replace("predict(params, x_val, config) == y_val",
                       "predict(params, x_train, config) == y_train")),
        ["test_train_history"], [*LOSS_TESTS, "test_predict", "test_train_steps"]),
    "train_val_measured_before_the_epoch": (
        train(loss="if not batch_losses:  # the epoch's first batch\n"
                   "    val_loss = float(classifier_loss(params, x_val, y_val, config)[0])\n"
                   "    val_acc = float(np.mean(predict(params, x_val, config) == y_val))\n"
                   + TRAIN_PARTS["loss"],
              record="history['train_loss'].append(float(np.mean(batch_losses)))\n"
                     "history['val_loss'].append(val_loss)\n"
                     "history['val_acc'].append(val_acc)\n"),
        ["test_train_history"], [*LOSS_TESTS, "test_predict", "test_train_steps"]),
    "train_history_per_batch": (
        train(loss=TRAIN_PARTS["loss"] + "history['train_loss'].append(loss)\n",
              record="history['val_loss'].append(float(classifier_loss(params, x_val, y_val, "
                     "config)[0]))\n"
                     "history['val_acc'].append(float(np.mean(predict(params, x_val, config) "
                     "== y_val)))\n"),
        ["test_train_history"], [*LOSS_TESTS, "test_predict", "test_train_steps"]),
    "train_one_epoch_too_few": (train(epochs="range(1, config['epochs'])"),
                                ["test_train_history"], [*LOSS_TESTS, "test_predict"]),
    "train_one_batch_per_epoch": (
        train(batches="[next(iter(iterate_minibatches(x_train, y_train, config['batch_size'], "
                      "rng)))]"),
        ["test_train_accuracy"], [*LOSS_TESTS, "test_predict", "test_train_steps"]),
    "train_on_the_courses_own_digits": (
        train(init=TRAIN_PARTS["init"]
              + "from bpkit.datasets import digits\n"
                "x_train, y_train = digits(seed=0)['x_train'], digits(seed=0)['y_train']\n"),
        ["test_train_accuracy"], [*LOSS_TESTS, "test_predict", "test_choose_config"]),
    # --- choose_config ------------------------------------------------------------------------
    "choose_by_test_accuracy": (choose("return max(results, key=lambda r: r['test_acc'])"
                                       "['config']"),
                                ["test_choose_config"], others("test_choose_config")),
    "choose_by_training_accuracy": (choose("return max(results, key=lambda r: r['train_acc'])"
                                           "['config']"),
                                    ["test_choose_config"], others("test_choose_config")),
    "choose_lowest_validation": (choose("return min(results, key=lambda r: r['val_acc'])"
                                        "['config']"),
                                 ["test_choose_config"], others("test_choose_config")),
    "choose_last_on_ties": (
        choose("best = results[0]\nfor r in results:\n    if r['val_acc'] >= best['val_acc']:\n"
               "        best = r\nreturn best['config']"),
        ["test_choose_config"], others("test_choose_config")),
    "choose_returns_index": (choose("return int(np.argmax([r['val_acc'] for r in results]))"),
                             ["test_choose_config"], []),
    "choose_returns_whole_result": (choose("return max(results, key=lambda r: r['val_acc'])"),
                                    ["test_choose_config"], []),
    # --- final_config -------------------------------------------------------------------------
    "final_learning_rate_zero": (final(lr=0.0), ["test_train_accuracy"],
                                 others("test_train_accuracy")),
    "final_one_epoch": (final(epochs=1), ["test_train_accuracy"], others("test_train_accuracy")),
    "final_sgd_learning_rate_too_small": (final(optimizer="sgd", lr=1e-4, schedule="constant"),
                                          ["test_train_accuracy"],
                                          others("test_train_accuracy")),
}

NAMED = {
    "loss_without_penalty": ("test_classifier_loss", "the L2 penalty is missing"),
    "loss_penalty_without_half": ("test_classifier_loss", "lacks its factor 0.5"),
    "loss_penalty_counts_biases": ("test_classifier_loss", "also counts the biases"),
    "loss_penalty_on_every_param": ("test_classifier_loss", "also counts the biases"),
    "loss_penalty_gradient_missing": ("test_classifier_loss", "gradient is missing from grads"),
    "loss_penalty_gradient_doubled": ("test_classifier_loss", "gradient is doubled"),
    "loss_gradient_replaced_by_penalty": ("test_classifier_loss", "the penalty's gradient alone"),
    "loss_bias_gradient_penalised": ("test_classifier_loss", "biases are not penalised"),
    "loss_always_relu": ("test_classifier_loss", "ReLU whatever config['activation'] says"),
    "loss_summed_over_batch": ("test_classifier_loss", "summed over the batch"),
    "predict_argmax_over_batch": ("test_predict", "argmax ran over axis 0"),
    "predict_returns_scores": ("test_predict", "one row per image"),
    "predict_returns_probabilities": ("test_predict", "one row per image"),
    "predict_always_relu": ("test_predict", "ReLU whatever config['activation'] says"),
    "predict_float_labels": ("test_predict", "labels are integers"),
    "train_discards_the_update": ("test_train_steps", "returned its starting parameters"),
    "train_ignores_lr": ("test_train_steps", "config['lr'] was not used"),
    "train_without_penalty": ("test_train_steps", "the L2 penalty was left out of training"),
    "train_always_adam": ("test_train_steps", "stepped with Adam"),
    "train_init_from_global_random": ("test_train_steps", "draw every random number from rng"),
    "train_val_measured_on_training_set": ("test_train_history", "measured on the training"),
    "train_val_measured_before_the_epoch": ("test_train_history", "after the epoch's last step"),
    "train_history_per_batch": ("test_train_history", "one entry per batch"),
    "train_on_the_courses_own_digits": ("test_train_accuracy", "trained on the course's own"),
    "choose_by_test_accuracy": ("test_choose_config", "highest test accuracy"),
    "choose_by_training_accuracy": ("test_choose_config", "highest training accuracy"),
    "choose_lowest_validation": ("test_choose_config", "lowest validation accuracy"),
    "choose_last_on_ties": ("test_choose_config", "last of the runs tied"),
    "choose_returns_index": ("test_choose_config", "returned an index"),
    "choose_returns_whole_result": ("test_choose_config", "returned a whole result"),
    "final_learning_rate_zero": ("test_train_accuracy", "no better than guessing"),
}

# Correct answers written differently from the reference: each must get full marks.
CORRECT = {
    "loss_penalty_by_hand": loss(
        FORWARD + "grads = deep_backward(dscores, caches)\nreg = config['reg']\n"
        "penalty = 0.0\n"
        "for name, value in params.items():\n"
        "    if name[0] == 'W':\n"
        "        penalty += 0.5 * reg * np.sum(value * value)\n"
        "        grads[name] = grads[name] + reg * value\n"
        "return float(data_loss + penalty), grads"),
    "loss_dict_comprehension": loss(
        FORWARD + PENALTY + "data_grads = deep_backward(dscores, caches)\n"
        "return data_loss + penalty, {k: g + penalty_grads[k] for k, g in data_grads.items()}"),
    "loss_own_cross_entropy": loss(
        "scores, caches = deep_forward(x, params, config['activation'])\n"
        "N = len(y)\n"
        "shifted = scores - scores.max(axis=1, keepdims=True)\n"
        "probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)\n"
        "data_loss = -np.mean(np.log(probs[np.arange(N), y]))\n"
        "dscores = probs.copy()\ndscores[np.arange(N), y] -= 1\ndscores /= N\n"
        + PENALTY + "grads = deep_backward(dscores, caches)\n"
        "return data_loss + penalty, {k: grads[k] + penalty_grads[k] for k in grads}"),
    "predict_via_probabilities": predict(
        "scores, _ = deep_forward(x, params, config['activation'])\n"
        "probs = np.exp(scores - scores.max(axis=1, keepdims=True))\n"
        "return probs.argmax(axis=1)"),
    "predict_own_forward": predict(
        "h = x\nL = len(params) // 2\nforward = ACTIVATIONS[config['activation']][0]\n"
        "for k in range(1, L + 1):\n"
        "    h = h @ params['W%d' % k] + params['b%d' % k]\n"
        "    if k < L:\n"
        "        h, _ = forward(h)\n"
        "return np.argmax(h, axis=-1).astype(np.int64)"),
    "train_xavier_always": train(
        init="rng = np.random.default_rng(rng)\n"
             "params = init_network([64, *config['hidden_sizes'], 10], rng, 'xavier')\n"),
    "train_own_cosine": train(
        rate="lr = config['lr'] if config['schedule'] == 'constant' else "
             "config['lr'] * 0.5 * (1 + np.cos(np.pi * step / total_steps))\n"),
    "train_manual_batches": train(
        batches="((x_train[order[s:s + config['batch_size']]], "
                "y_train[order[s:s + config['batch_size']]]) "
                "for order in [rng.permutation(len(x_train))] "
                "for s in range(0, len(x_train), config['batch_size']))"),
    "train_fresh_state_dicts_via_copy": train(
        step="for name in params:\n"
             "    state = dict(states[name], learning_rate=lr)\n"
             "    params[name], states[name] = update(params[name], grads[name], state)\n"),
    "final_momentum": final(optimizer="momentum", lr=0.05, batch_size=32),
    "final_plain_sgd": final(optimizer="sgd", lr=0.2, schedule="constant", epochs=20,
                             batch_size=32),
    "final_two_tanh_layers": final(hidden_sizes=[64, 64], activation="tanh", lr=3e-3, epochs=20),
    "choose_with_max": choose("return max(results, key=lambda r: r['val_acc'])['config']"),
    "choose_with_sorted": choose(
        "ranked = sorted(range(len(results)), key=lambda i: -results[i]['val_acc'])\n"
        "return results[ranked[0]]['config']"),
}

TAUGHT = {}
