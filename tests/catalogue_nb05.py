"""A catalogue of answers to notebook 05: realistic mistakes and correct answers written
differently from the reference. The grader must catch every mistake (on the right exercise) and
accept every correct variant: tests/test_catalogues.py reports both rates."""
from catalogue_harness import catalogue_header, fn

ASSIGNMENT, ALL, OTHERS = catalogue_header(__name__)  # from the notebook's own spec


SGD_TESTS = ["test_sgd", "test_sgd_default"]
BATCH_TESTS = ["test_minibatches_cover", "test_minibatches_shuffle"]
TRAIN_TESTS = ["test_train", "test_train_contract"]


def sgd(body):
    return {"sgd": fn("sgd", "w, dw, config=None", body)}


# The answer cell of iterate_minibatches also holds the helper minibatch_list, given to students.
MINIBATCH_LIST = '''

def minibatch_list(x, y, batch_size, seed):
    return list(iterate_minibatches(x, y, batch_size, np.random.default_rng(seed)))
'''


def batches(body):
    return {"iterate_minibatches": fn("iterate_minibatches", "x, y, batch_size, rng", body)
            + MINIBATCH_LIST}


def train(body):
    return {"train": fn("train", "params, x, y, lr=0.1, batch_size=32, num_epochs=20, tol=None, "
                                 "seed=0, on_epoch=None", body)}


DEFAULT = "config = config or {}\nconfig.setdefault('learning_rate', 1e-2)\n"
SLICES = ("for start in range(0, len(x), batch_size):\n"
          "    batch = order[start:start + batch_size]\n"
          "    yield x[batch], y[batch]")


def indent(text):
    return "".join(f"    {line}\n" for line in text.splitlines())


def train_with(epoch_body, setup="params = dict(params)\n", after=""):
    """The reference loop with one part replaced: the body of the epoch loop, the set-up or the
    lines after each epoch (the stopping rule)."""
    stop = after or ("if on_epoch is not None:\n    on_epoch(epoch, history[-1])\n"
                     "if tol is not None and len(history) > 1 and "
                     "history[-2] - history[-1] < tol:\n    break")
    return train(f"rng = np.random.default_rng(seed)\n{setup}"
                 "configs = {name: {'learning_rate': lr} for name in params}\n"
                 "history = []\n"
                 "for epoch in range(1, num_epochs + 1):\n"
                 f"{indent(epoch_body)}{indent(stop)}"
                 "return params, history")


EPOCH = ("batch_losses = []\n"
         "for x_batch, y_batch in iterate_minibatches(x, y, batch_size, rng):\n"
         "    loss, grads = network_loss(params, x_batch, y_batch)\n"
         "    for name in params:\n"
         "        params[name], configs[name] = sgd(params[name], grads[name], configs[name])\n"
         "    batch_losses.append(loss)\n"
         "history.append(float(np.mean(batch_losses)))")


def others(*tests):
    return [t for t in ALL if t not in tests]


# Wrong answers: (answers by grade_id, the tests that must fail, the tests that must pass).
# Tests not named in either list may go either way (a broken sgd also breaks train, say).
WRONG = {
    # --- sgd ----------------------------------------------------------------------------------
    "sgd_adds_gradient": (sgd(DEFAULT + "return w + config['learning_rate'] * dw, config"),
                          ["test_sgd", "test_sgd_default", "test_train"], BATCH_TESTS),
    "sgd_always_default_rate": (sgd(DEFAULT + "return w - 1e-2 * dw, config"),
                                ["test_sgd", "test_train"], ["test_sgd_default", *BATCH_TESTS]),
    "sgd_config_reset_each_call": (sgd("config = {'learning_rate': 1e-2}\n"
                                       "return w - config['learning_rate'] * dw, config"),
                                   ["test_sgd", "test_train"], ["test_sgd_default", *BATCH_TESTS]),
    "sgd_crashes_on_none": (sgd("return w - config['learning_rate'] * dw, config"),
                            ["test_sgd_default"], ["test_sgd", *BATCH_TESTS, *TRAIN_TESTS]),
    "sgd_rate_not_stored_in_config": (
        sgd("lr = (config or {}).get('learning_rate', 1e-2)\nreturn w - lr * dw, config"),
        ["test_sgd_default"], ["test_sgd", *BATCH_TESTS, *TRAIN_TESTS]),
    "sgd_in_place": (sgd(DEFAULT + "w -= config['learning_rate'] * dw\nreturn w, config"),
                     ["test_sgd"], ["test_sgd_default", *BATCH_TESTS]),
    "sgd_in_place_np_subtract_out": (
        sgd(DEFAULT + "np.subtract(w, config['learning_rate'] * dw, out=w)\nreturn w, config"),
        ["test_sgd"], ["test_sgd_default", *BATCH_TESTS]),
    "sgd_learning_rate_missing": (sgd(DEFAULT + "return w - dw, config"),
                                  ["test_sgd", "test_sgd_default"], BATCH_TESTS),
    "sgd_returns_only_w": (sgd(DEFAULT + "return w - config['learning_rate'] * dw"),
                           ["test_sgd", "test_sgd_default", *TRAIN_TESTS], BATCH_TESTS),
    # --- iterate_minibatches ------------------------------------------------------------------
    "batches_not_shuffled": (
        batches("for start in range(0, len(x), batch_size):\n"
                "    yield x[start:start + batch_size], y[start:start + batch_size]"),
        ["test_minibatches_shuffle"], ["test_minibatches_cover", *SGD_TESTS]),
    "batches_x_and_y_shuffled_independently": (
        batches("x = x[rng.permutation(len(x))]\ny = y[rng.permutation(len(y))]\n"
                "for start in range(0, len(x), batch_size):\n"
                "    yield x[start:start + batch_size], y[start:start + batch_size]"),
        ["test_minibatches_cover", "test_train"], SGD_TESTS),
    "batches_only_x_shuffled": (
        batches("x = x[rng.permutation(len(x))]\n"
                "for start in range(0, len(x), batch_size):\n"
                "    yield x[start:start + batch_size], y[start:start + batch_size]"),
        ["test_minibatches_cover", "test_train"], SGD_TESTS),
    "batches_drop_last_partial": (
        batches("order = rng.permutation(len(x))\n"
                "for start in range(0, len(x) - batch_size + 1, batch_size):\n"
                "    batch = order[start:start + batch_size]\n"
                "    yield x[batch], y[batch]"),
        ["test_minibatches_cover"], SGD_TESTS),
    "batches_floor_division_count": (
        batches("order = rng.permutation(len(x))\n"
                "for k in range(len(x) // batch_size):\n"
                "    batch = order[k * batch_size:(k + 1) * batch_size]\n"
                "    yield x[batch], y[batch]"),
        ["test_minibatches_cover"], SGD_TESTS),
    "batches_with_replacement_integers": (
        batches("order = rng.integers(0, len(x), size=len(x))\n" + SLICES),
        ["test_minibatches_cover"], SGD_TESTS),
    "batches_with_replacement_choice": (
        batches("order = rng.choice(len(x), size=len(x))\n" + SLICES),
        ["test_minibatches_cover"], SGD_TESTS),
    "batches_global_permutation": (
        batches("order = np.random.permutation(len(x))\n" + SLICES),
        ["test_minibatches_shuffle"], ["test_minibatches_cover", *SGD_TESTS, *TRAIN_TESTS]),
    "batches_global_shuffle": (
        batches("order = np.arange(len(x))\nnp.random.shuffle(order)\n" + SLICES),
        ["test_minibatches_shuffle"], ["test_minibatches_cover", *SGD_TESTS, *TRAIN_TESTS]),
    "batches_fixed_seed_inside": (
        batches("order = np.random.default_rng(0).permutation(len(x))\n" + SLICES),
        ["test_minibatches_shuffle"], ["test_minibatches_cover", *SGD_TESTS]),
    "batches_off_by_one_short": (
        batches("order = rng.permutation(len(x))\n"
                "for start in range(0, len(x), batch_size):\n"
                "    batch = order[start:start + batch_size - 1]\n"
                "    yield x[batch], y[batch]"),
        ["test_minibatches_cover"], SGD_TESTS),
    "batches_off_by_one_overlap": (
        batches("order = rng.permutation(len(x))\n"
                "for start in range(0, len(x), batch_size):\n"
                "    batch = order[start:start + batch_size + 1]\n"
                "    yield x[batch], y[batch]"),
        ["test_minibatches_cover"], SGD_TESTS),
    "batches_one_too_many": (
        batches("order = rng.permutation(len(x))\n"
                "for k in range(len(x) // batch_size + 1):\n"
                "    batch = order[k * batch_size:(k + 1) * batch_size]\n"
                "    yield x[batch], y[batch]"),
        ["test_minibatches_cover"], SGD_TESTS),
    "batches_range_stops_one_early": (
        batches("order = rng.permutation(len(x))\n"
                "for start in range(0, len(x) - 1, batch_size):\n"
                "    batch = order[start:start + batch_size]\n"
                "    yield x[batch], y[batch]"),
        ["test_minibatches_cover"], SGD_TESTS),
    "batches_only_batch_order_shuffled": (
        batches("starts = np.arange(0, len(x), batch_size)\n"
                "for start in rng.permutation(starts):\n"
                "    yield x[start:start + batch_size], y[start:start + batch_size]"),
        ["test_minibatches_shuffle"], ["test_minibatches_cover", *SGD_TESTS]),
    "batches_shuffled_within_each_batch": (
        batches("for start in range(0, len(x), batch_size):\n"
                "    batch = start + rng.permutation(min(batch_size, len(x) - start))\n"
                "    yield x[batch], y[batch]"),
        ["test_minibatches_shuffle"], ["test_minibatches_cover", *SGD_TESTS]),
    # --- train --------------------------------------------------------------------------------
    "train_discards_the_update": (
        train_with(EPOCH.replace("params[name], configs[name] = sgd(", "sgd(")),
        ["test_train"], [*SGD_TESTS, *BATCH_TESTS]),
    "train_returns_after_one_epoch": (
        train("rng = np.random.default_rng(seed)\nparams = dict(params)\n"
              "configs = {name: {'learning_rate': lr} for name in params}\nhistory = []\n"
              "for epoch in range(1, num_epochs + 1):\n"
              + indent(EPOCH)
              + "    return params, history"),
        ["test_train", "test_train_contract"], [*SGD_TESTS, *BATCH_TESTS]),
    "train_one_batch_per_epoch": (
        train_with("x_batch, y_batch = next(iter(iterate_minibatches(x, y, batch_size, rng)))\n"
                   "loss, grads = network_loss(params, x_batch, y_batch)\n"
                   "for name in params:\n"
                   "    params[name], configs[name] = sgd(params[name], grads[name], "
                   "configs[name])\n"
                   "history.append(loss)"),
        ["test_train"], [*SGD_TESTS, *BATCH_TESTS]),
    "train_learning_rate_not_passed": (
        train_with(EPOCH.replace("configs[name])\n", "None)\n")),
        ["test_train"], [*SGD_TESTS, *BATCH_TESTS]),
    "train_steps_uphill_without_sgd": (
        train_with(EPOCH.replace("params[name], configs[name] = sgd(params[name], grads[name], "
                                 "configs[name])",
                                 "params[name] = params[name] + lr * grads[name]")),
        ["test_train"], [*SGD_TESTS, *BATCH_TESTS]),
    "train_history_per_batch": (
        train_with(EPOCH.replace("history.append(float(np.mean(batch_losses)))",
                                 "history.extend(batch_losses)")),
        ["test_train_contract"], [*SGD_TESTS, *BATCH_TESTS, "test_train"]),
    "train_ignores_tol": (
        train_with(EPOCH, after="if on_epoch is not None:\n    on_epoch(epoch, history[-1])"),
        ["test_train_contract"], [*SGD_TESTS, *BATCH_TESTS, "test_train"]),
    "train_tol_compared_with_the_loss": (
        train_with(EPOCH, after="if tol is not None and history[-1] < tol:\n    break"),
        ["test_train_contract"], [*SGD_TESTS, *BATCH_TESTS, "test_train"]),
    "train_plateau_checked_an_epoch_late": (
        train_with(EPOCH, after="if tol is not None and len(history) > 2 and "
                                "history[-3] - history[-2] < tol:\n    break"),
        ["test_train_contract"], [*SGD_TESTS, *BATCH_TESTS, "test_train"]),
    "train_stops_after_the_first_epoch": (  # compares with a start of 0 instead of skipping it
        train_with(EPOCH, after="previous = history[-2] if len(history) > 1 else 0.0\n"
                                "if tol is not None and previous - history[-1] < tol:\n"
                                "    break"),
        ["test_train_contract"], [*SGD_TESTS, *BATCH_TESTS, "test_train"]),
    "train_changes_the_callers_params": (
        train_with(EPOCH, setup=""),
        ["test_train_contract"], [*SGD_TESTS, *BATCH_TESTS, "test_train"]),
    "train_own_update_sgd_unwritten": (  # the accuracy is reached without the learner's sgd
        {**sgd("config = config or {}\nconfig.setdefault('learning_rate', 1e-2)\n"
               "raise NotImplementedError()"),
         **train_with(EPOCH.replace("params[name], configs[name] = sgd(params[name], grads[name], "
                                    "configs[name])",
                                    "params[name] = params[name] - lr * grads[name]"))},
        ["test_sgd", "test_sgd_default", "test_train"], BATCH_TESTS),
    "train_momentum_of_its_own": (  # sgd written, but train steps with a rule of its own
        train_with(EPOCH.replace("params[name], configs[name] = sgd(params[name], grads[name], "
                                 "configs[name])",
                                 "velocity = configs[name].setdefault('v', 0.0 * grads[name])\n"
                                 "        configs[name]['v'] = 0.9 * velocity - lr * grads[name]\n"
                                 "        params[name] = params[name] + configs[name]['v']")),
        ["test_train"], [*SGD_TESTS, *BATCH_TESTS]),
}

# Correct answers written differently from the reference: full marks.
CORRECT = {
    "sgd_np_subtract_and_if_none": sgd(
        "if config is None:\n    config = {}\n"
        "if 'learning_rate' not in config:\n    config['learning_rate'] = 0.01\n"
        "return np.subtract(w, config['learning_rate'] * dw), config"),
    "sgd_copy_then_subtract_in_place": sgd(
        DEFAULT + "next_w = w.copy()\nnext_w -= config['learning_rate'] * dw\n"
        "return next_w, config"),
    "sgd_new_config_dict": sgd(
        "config = dict(config or {})\nlr = config.setdefault('learning_rate', 1e-2)\n"
        "return w + (-lr) * dw, config"),
    "batches_rng_shuffle_of_indices": batches(
        "order = np.arange(len(x))\nrng.shuffle(order)\n" + SLICES),
    "batches_built_as_a_list": batches(
        "order = rng.permutation(len(x))\n"
        "return [(x[order[s:s + batch_size]], y[order[s:s + batch_size]])\n"
        "        for s in range(0, len(x), batch_size)]"),
    "batches_permuted_arrays": batches(
        "perm = rng.permutation(x.shape[0])\nxs, ys = x[perm], y[perm]\n"
        "for i in range(0, len(xs), batch_size):\n"
        "    yield xs[i:i + batch_size], ys[i:i + batch_size]"),
    "batches_choice_without_replacement": batches(
        "order = rng.choice(len(x), size=len(x), replace=False)\n" + SLICES),
    "batches_array_split": batches(
        "order = rng.permutation(len(x))\n"
        "for batch in np.array_split(order, range(batch_size, len(x), batch_size)):\n"
        "    yield x[batch], y[batch]"),
    "batches_while_loop_ceil": batches(
        "import math\norder = rng.permutation(len(x))\n"
        "for k in range(math.ceil(len(x) / batch_size)):\n"
        "    batch = order[k * batch_size:min((k + 1) * batch_size, len(x))]\n"
        "    yield x[batch], y[batch]"),
    "train_shared_config_weighted_loss": train(
        "rng = np.random.default_rng(seed)\n"
        "params = {k: v.copy() for k, v in params.items()}\n"
        "config = {'learning_rate': lr}\n"
        "history = []\n"
        "epoch = 0\n"
        "while epoch < num_epochs:\n"
        "    epoch += 1\n"
        "    total = 0.0\n"
        "    for xb, yb in iterate_minibatches(x, y, batch_size, rng):\n"
        "        loss, grads = network_loss(params, xb, yb)\n"
        "        for key, grad in grads.items():\n"
        "            params[key], config = sgd(params[key], grad, config)\n"
        "        total += loss * len(xb)\n"
        "    history.append(total / len(x))\n"
        "    if on_epoch:\n"
        "        on_epoch(epoch, history[-1])\n"
        "    if tol is not None and epoch >= 2:\n"
        "        improvement = history[-2] - history[-1]\n"
        "        if improvement < tol:\n"
        "            break\n"
        "return params, np.array(history)"),  # an array of losses rather than a list
    "train_new_dict_each_step_and_prints": train(  # prints progress: never marked down for that
        "rng = np.random.default_rng(seed)\n"
        "history = []\n"
        "for epoch in range(num_epochs):\n"
        "    losses = []\n"
        "    for xb, yb in iterate_minibatches(x, y, batch_size, rng):\n"
        "        loss, grads = network_loss(params, xb, yb)\n"
        "        params = {k: sgd(params[k], grads[k], {'learning_rate': lr})[0] for k in params}\n"
        "        losses.append(loss)\n"
        "    history.append(sum(losses) / len(losses))\n"
        "    print(f'epoch {epoch + 1}: loss {history[-1]:.4f}')\n"
        "    if tol is not None and epoch > 0 and not history[-2] - history[-1] >= tol:\n"
        "        break\n"
        "return params, history"),
    "all_three_rewritten": {
        **sgd("lr = 1e-2 if not config or 'learning_rate' not in config else "
              "config['learning_rate']\n"
              "config = {**(config or {}), 'learning_rate': lr}\n"
              "return w - lr * dw, config"),
        **batches("n = len(y)\norder = rng.permutation(n)\nstart = 0\n"
                  "while start < n:\n"
                  "    stop = min(start + batch_size, n)\n"
                  "    yield x[order[start:stop]], y[order[start:stop]]\n"
                  "    start = stop")},
}


# Mistakes that only the learner's own process can see (a numpy warning, an input changed in
# place): the notebook's check names them, the grader cannot (catalogue_harness, TAUGHT).
TAUGHT = {name: (WRONG.pop(name)[0], grade_id, phrase) for name, grade_id, phrase in [
    ('sgd_in_place', 'test_sgd', 'changed w in place'),
    ('sgd_in_place_np_subtract_out', 'test_sgd', 'changed w in place'),
    ('train_changes_the_callers_params', 'test_train_contract', 'changed the params dict'),
]}


# What the grader's message says of each wrong answer: a phrase found in its messages, or
# (grade id, phrase) for the message of that exercise.
NAMED = {
    'sgd_adds_gradient': ('test_sgd', 'adds the gradient'),
    'sgd_always_default_rate': ('test_sgd', 'ignores the configured learning rate'),
    'sgd_config_reset_each_call': ('test_sgd', 'ignores the configured learning rate'),
    'sgd_crashes_on_none': ('test_sgd_default', 'config = config or {}'),
    'sgd_rate_not_stored_in_config': ('test_sgd_default', "'learning_rate': 0.01"),
    'sgd_learning_rate_missing': ('test_sgd', 'learning rate is missing'),
    'sgd_returns_only_w': ('test_sgd', 'pair (next_w, config)'),
    'batches_not_shuffled': ('test_minibatches_shuffle', 'not shuffled'),
    'batches_x_and_y_shuffled_independently': ('test_minibatches_cover', 'pairs broken'),
    'batches_only_x_shuffled': ('test_minibatches_cover', 'pairs broken'),
    'batches_drop_last_partial': ('test_minibatches_cover', 'last, smaller batch is missing'),
    'batches_floor_division_count': ('test_minibatches_cover', 'last, smaller batch is missing'),
    'batches_with_replacement_integers': ('test_minibatches_cover', 'with replacement'),
    'batches_with_replacement_choice': ('test_minibatches_cover', 'with replacement'),
    'batches_global_permutation': ('test_minibatches_shuffle', 'ignores rng'),
    'batches_global_shuffle': ('test_minibatches_shuffle', 'global random state'),
    'batches_fixed_seed_inside': ('test_minibatches_shuffle', 'gave the same order'),
    'batches_off_by_one_short': ('test_minibatches_cover', 'off by one'),
    'batches_off_by_one_overlap': ('test_minibatches_cover', 'off by one'),
    'batches_one_too_many': ('test_minibatches_cover', 'empty batch'),
    'batches_range_stops_one_early': ('test_minibatches_cover', 'no batch at all'),
    'batches_only_batch_order_shuffled': ('test_minibatches_shuffle', 'order of the batches'),
    'batches_shuffled_within_each_batch': ('test_minibatches_shuffle', 'only within each batch'),
    'train_discards_the_update': ('test_train', 'keep what sgd returns'),
    'train_one_batch_per_epoch': ('test_train', 'held-out points'),
    'train_learning_rate_not_passed': ('test_train', 'held-out points'),
    'train_returns_after_one_epoch': ('test_train_contract', '1 entries for 12 epochs'),
    'train_history_per_batch': ('test_train_contract', 'one number per epoch'),
    'train_ignores_tol': ('test_train_contract', 'is tol used at all'),
    'train_tol_compared_with_the_loss': ('test_train_contract', '< tol'),
    'train_plateau_checked_an_epoch_late': ('test_train_contract', 'went on after epoch'),
    'train_stops_after_the_first_epoch': ('test_train_contract', 'at the earliest'),
    'train_own_update_sgd_unwritten': ('test_train', 'train must take its steps with your sgd'),
    'train_momentum_of_its_own': ('test_train', 'does not take the steps your sgd gives'),
}
