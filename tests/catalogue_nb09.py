"""A catalogue of answers to notebook 09: realistic mistakes and correct answers written
differently from the reference. The grader must catch every mistake (on the right exercise) and
accept every correct variant: tests/test_catalogues.py reports both rates."""
from catalogue_harness import catalogue_header, fn

ASSIGNMENT, ALL, OTHERS = catalogue_header(__name__)  # from the notebook's own spec

L2, L1 = ["test_l2"], ["test_l1"]
DROP_TRAIN, DROP_TEST, DROP_BACK = ["test_dropout_train"], ["test_dropout_test"], \
    ["test_dropout_backward"]
STOP, STOP_EDGES = ["test_early_stopping"], ["test_early_stopping_edges"]


def others(*tests):
    return [t for t in ALL if t not in tests]


def penalty(name, body):
    return {name: fn(name, "params, reg", body)}


def l2(body):
    return penalty("l2_penalty", body)


def l1(body):
    return penalty("l1_penalty", body)


def loop(weight, bias="grads[name] = np.zeros_like(value)", loss="0.0", ret="float(loss), grads"):
    """A penalty's usual loop, with the lines for a weight and for a bias."""
    return (f"loss, grads = {loss}, {{}}\n"
            "for name, value in params.items():\n"
            "    if name.startswith('W'):\n"
            + "".join(f"        {line}\n" for line in weight.splitlines())
            + "    else:\n"
            + "".join(f"        {line}\n" for line in bias.splitlines())
            + f"return {ret}")


L2_LOSS = "loss += 0.5 * reg * np.sum(value ** 2)"
L1_LOSS = "loss += reg * np.sum(np.abs(value))"

# The answer cell of dropout holds both layers and the helper dropout_trial, given to students.
TRIAL = '''

def dropout_trial(x, keep_prob, seed, train, dout=None):
    rng = np.random.default_rng(seed)
    out, cache = dropout_forward(x, keep_prob, rng, train)
    dx = None if dout is None else dropout_backward(dout, cache)
    return out, dx, rng.random()
'''
FORWARD = ("if not train:\n    return x, (None, keep_prob)\n"
           "mask = rng.random(x.shape) < keep_prob\n"
           "return x * mask / keep_prob, (mask, keep_prob)")
BACKWARD = ("mask, keep_prob = cache\nif mask is None:\n    return dout\n"
            "return dout * mask / keep_prob")


def dropout(forward=FORWARD, backward=BACKWARD):
    return {"dropout": fn("dropout_forward", "x, keep_prob, rng, train", forward) + "\n\n"
            + fn("dropout_backward", "dout, cache", backward) + TRIAL}


def stop(body):
    return {"early_stopping_epoch": fn("early_stopping_epoch", "val_losses, patience", body)}


def stop_with(check, improve="val_losses[epoch] < val_losses[best]", ret="best"):
    """The reference's counter, with its stopping test, improvement test or return changed."""
    return stop("best, waited = 0, 0\n"
                "for epoch in range(1, len(val_losses)):\n"
                f"    if {improve}:\n"
                "        best, waited = epoch, 0\n"
                "    else:\n"
                "        waited += 1\n"
                f"        if {check}:\n"
                "            break\n"
                f"return {ret}")


# Wrong answers: (answers by grade_id, the tests that must fail, the tests that must pass).
WRONG = {
    # --- l2_penalty ---------------------------------------------------------------------------
    "l2_gradient_2_reg_w": (l2(loop(f"{L2_LOSS}\ngrads[name] = 2 * reg * value")), L2,
                            others(*L2)),
    "l2_loss_without_the_half": (l2(loop("loss += reg * np.sum(value ** 2)\n"
                                         "grads[name] = reg * value")), L2, others(*L2)),
    "l2_penalises_biases": (l2("loss = sum(0.5 * reg * np.sum(v ** 2) for v in params.values())\n"
                               "grads = {k: reg * v for k, v in params.items()}\n"
                               "return float(loss), grads"), L2, others(*L2)),
    "l2_no_gradient_for_biases": (l2(loop(f"{L2_LOSS}\ngrads[name] = reg * value", bias="pass")),
                                  L2, others(*L2)),
    "l2_bias_gradient_a_number": (l2(loop(f"{L2_LOSS}\ngrads[name] = reg * value",
                                          bias="grads[name] = 0.0")), L2, others(*L2)),
    "l2_two_layers_hard_coded": (l2(
        "loss = 0.5 * reg * (np.sum(params['W1'] ** 2) + np.sum(params['W2'] ** 2))\n"
        "grads = {'W1': reg * params['W1'], 'W2': reg * params['W2'],\n"
        "         'b1': np.zeros_like(params['b1']), 'b2': np.zeros_like(params['b2'])}\n"
        "return float(loss), grads"), L2, others(*L2)),
    "l2_mean_instead_of_sum": (l2(loop("loss += 0.5 * reg * np.mean(value ** 2)\n"
                                       "grads[name] = reg * value")), L2, others(*L2)),
    "l2_norm_not_squared": (l2(loop("loss += 0.5 * reg * np.linalg.norm(value)\n"
                                    "grads[name] = reg * value")), L2, others(*L2)),
    "l2_gradient_wrong_sign": (l2(loop(f"{L2_LOSS}\ngrads[name] = -reg * value")), L2,
                               others(*L2)),
    "l2_loss_overwritten_per_layer": (l2(loop("loss = 0.5 * reg * np.sum(value ** 2)\n"
                                              "grads[name] = reg * value")), L2, others(*L2)),
    # --- l1_penalty ---------------------------------------------------------------------------
    "l1_gradient_plus_reg_at_zero": (l1(loop(f"{L1_LOSS}\n"
                                             "grads[name] = np.where(value >= 0, reg, -reg)")),
                                     L1, others(*L1)),
    "l1_gradient_minus_reg_at_zero": (l1(loop(f"{L1_LOSS}\n"
                                              "grads[name] = np.where(value > 0, reg, -reg)")),
                                      L1, others(*L1)),
    "l1_gradient_wrong_sign": (l1(loop(f"{L1_LOSS}\ngrads[name] = -reg * np.sign(value)")), L1,
                               others(*L1)),
    "l1_gradient_w_over_abs_w": (l1(loop(f"{L1_LOSS}\n"
                                         "grads[name] = reg * value / np.abs(value)")), L1,
                                 others(*L1)),
    "l1_loss_halved": (l1(loop("loss += 0.5 * reg * np.sum(np.abs(value))\n"
                               "grads[name] = reg * np.sign(value)")), L1, others(*L1)),
    "l1_penalises_biases": (l1("loss = reg * sum(np.sum(np.abs(v)) for v in params.values())\n"
                               "grads = {k: reg * np.sign(v) for k, v in params.items()}\n"
                               "return float(loss), grads"), L1, others(*L1)),
    "l1_loss_without_abs": (l1(loop("loss += reg * np.sum(value)\n"
                                    "grads[name] = reg * np.sign(value)")), L1, others(*L1)),
    "l1_with_the_l2_gradient": (l1(loop(f"{L1_LOSS}\ngrads[name] = reg * value")), L1,
                                others(*L1)),
    # --- dropout ------------------------------------------------------------------------------
    "dropout_does_not_rescale": (dropout(FORWARD.replace("x * mask / keep_prob", "x * mask")),
                                 DROP_TRAIN, others(*DROP_TRAIN)),
    "dropout_multiplies_by_keep_prob": (
        dropout(FORWARD.replace("x * mask / keep_prob", "x * mask * keep_prob")),
        DROP_TRAIN, others(*DROP_TRAIN)),
    "dropout_keeps_with_the_drop_probability": (
        dropout(FORWARD.replace("< keep_prob", "< 1 - keep_prob")), DROP_TRAIN,
        others(*DROP_TRAIN)),
    "dropout_mask_greater_than_keep_prob": (
        dropout(FORWARD.replace("< keep_prob", "> keep_prob")), DROP_TRAIN, others(*DROP_TRAIN)),
    "dropout_divides_by_the_drop_probability": (
        dropout(FORWARD.replace("x * mask / keep_prob", "x * mask / (1 - keep_prob)")),
        DROP_TRAIN, others(*DROP_TRAIN)),
    "dropout_rescales_at_test_time": (
        dropout(FORWARD.replace("return x, (None", "return x / keep_prob, (None")),
        DROP_TEST, others(*DROP_TEST)),
    "dropout_original_scaling_at_test_time": (  # the 2012 dropout: no rescaling, p at test time
        dropout(FORWARD.replace("return x, (None", "return x * keep_prob, (None")
                .replace("x * mask / keep_prob", "x * mask"),
                BACKWARD.replace("dout * mask / keep_prob", "dout * mask")),
        DROP_TRAIN + DROP_TEST, STOP + L2 + L1),
    "dropout_drops_at_test_time": (
        dropout("mask = rng.random(x.shape) < keep_prob\n"
                "return x * mask / keep_prob, (mask, keep_prob)"),
        DROP_TEST, others(*DROP_TEST)),
    "dropout_draws_at_test_time": (
        dropout("mask = rng.random(x.shape) < keep_prob\n"
                "if not train:\n    return x, (None, keep_prob)\n"
                "return x * mask / keep_prob, (mask, keep_prob)"),
        DROP_TEST, others(*DROP_TEST)),
    "dropout_global_random_state": (
        dropout(FORWARD.replace("rng.random(x.shape)", "np.random.rand(*x.shape)")),
        DROP_TRAIN, others(*DROP_TRAIN)),
    "dropout_fixed_seed_inside": (
        dropout(FORWARD.replace("rng.random(x.shape)",
                                "np.random.default_rng(0).random(x.shape)")),
        DROP_TRAIN, others(*DROP_TRAIN)),
    "dropout_backward_draws_a_new_mask": (
        dropout("if not train:\n    return x, (None, keep_prob)\n"
                "mask = rng.random(x.shape) < keep_prob\n"
                "return x * mask / keep_prob, (x.shape, keep_prob)",
                "shape, keep_prob = cache\nif shape is None:\n    return dout\n"
                "mask = np.random.rand(*shape) < keep_prob\nreturn dout * mask / keep_prob"),
        DROP_BACK, others(*DROP_BACK)),
    "dropout_backward_draws_again_from_rng": (
        dropout("if not train:\n    return x, (None, keep_prob)\n"
                "mask = rng.random(x.shape) < keep_prob\n"
                "return x * mask / keep_prob, (rng, keep_prob)",
                "rng, keep_prob = cache\nif rng is None:\n    return dout\n"
                "mask = rng.random(dout.shape) < keep_prob\nreturn dout * mask / keep_prob"),
        DROP_BACK, others(*DROP_BACK)),
    "dropout_backward_does_not_rescale": (
        dropout(backward=BACKWARD.replace("dout * mask / keep_prob", "dout * mask")),
        DROP_BACK, others(*DROP_BACK)),
    "dropout_backward_ignores_the_mask": (
        dropout(backward="return dout"), DROP_BACK, others(*DROP_BACK)),
    "dropout_backward_scales_without_the_mask": (
        dropout(backward="mask, keep_prob = cache\nreturn dout / keep_prob"),
        DROP_BACK, others(*DROP_BACK)),
    # --- early_stopping_epoch -----------------------------------------------------------------
    "stop_returns_the_epoch_it_stopped_at": (stop_with("waited == patience", ret="epoch"),
                                             STOP, L2 + L1),
    "stop_waits_one_epoch_too_many": (stop_with("waited > patience"), STOP, L2 + L1 + DROP_TRAIN),
    "stop_stops_one_epoch_early": (stop_with("waited >= patience - 1"), STOP, L2 + L1),
    "stop_counts_epochs_from_1": (stop_with("waited == patience", ret="best + 1"),
                                  STOP + STOP_EDGES, L2 + L1),
    "stop_ignores_patience": (stop("return int(np.argmin(val_losses))"), STOP,
                              L2 + L1 + DROP_TRAIN),
    "stop_ties_move_the_best": (
        stop_with("waited == patience", improve="val_losses[epoch] <= val_losses[best]"),
        STOP_EDGES, others(*STOP_EDGES)),
    "stop_patience_against_the_previous_epoch": (stop(
        "best, waited = 0, 0\n"
        "for epoch in range(1, len(val_losses)):\n"
        "    if val_losses[epoch] < val_losses[best]:\n"
        "        best = epoch\n"
        "    if val_losses[epoch] < val_losses[epoch - 1]:\n"
        "        waited = 0\n"
        "    else:\n"
        "        waited += 1\n"
        "    if waited == patience:\n"
        "        break\n"
        "return best"), STOP, L2 + L1),
    "stop_list_method_on_an_array": (stop(
        "best, waited, last = 0, 0, len(val_losses) - 1\n"
        "for epoch in range(1, len(val_losses)):\n"
        "    if val_losses[epoch] < val_losses[best]:\n"
        "        best, waited = epoch, 0\n"
        "    else:\n"
        "        waited += 1\n"
        "        if waited == patience:\n"
        "            last = epoch\n"
        "            break\n"
        "seen = val_losses[:last + 1]\n"
        "return seen.index(min(seen))"), STOP + STOP_EDGES, L2 + L1),
    "stop_returns_the_best_loss": (stop_with("waited == patience", ret="val_losses[best]"),
                                   STOP + STOP_EDGES, L2 + L1),
}


CORRECT = {
    "l2_comprehensions": l2(
        "loss = 0.5 * reg * sum(np.sum(w * w) for k, w in params.items() if k[0] == 'W')\n"
        "grads = {k: reg * w if k[0] == 'W' else np.zeros(w.shape) for k, w in params.items()}\n"
        "return loss, grads"),
    "l2_norm_squared_and_copies": l2(
        "grads = {}\nloss = 0.0\n"
        "for key in params:\n"
        "    grads[key] = np.zeros_like(params[key])\n"
        "    if key.startswith('W'):\n"
        "        loss = loss + reg / 2 * np.linalg.norm(params[key]) ** 2\n"
        "        grads[key] = grads[key] + reg * params[key]\n"
        "return loss, grads"),
    "l2_layer_count": l2(
        "L = len(params) // 2\nloss = 0.0\ngrads = {}\n"
        "for k in range(1, L + 1):\n"
        "    W = params[f'W{k}']\n"
        "    loss += reg * np.vdot(W, W) / 2\n"
        "    grads[f'W{k}'] = reg * W\n"
        "    grads[f'b{k}'] = 0 * params[f'b{k}']\n"
        "return float(loss), grads"),
    "l1_nested_where": l1(
        "loss = 0.0\ngrads = {}\n"
        "for k, w in params.items():\n"
        "    if k.startswith('W'):\n"
        "        loss += reg * np.abs(w).sum()\n"
        "        grads[k] = np.where(w > 0, reg, np.where(w < 0, -reg, 0.0))\n"
        "    else:\n"
        "        grads[k] = np.zeros(w.shape)\n"
        "return loss, grads"),
    "l1_boolean_difference": l1(
        "weights = [k for k in params if k.startswith('W')]\n"
        "loss = reg * sum(np.sum(np.abs(params[k])) for k in weights)\n"
        "grads = {k: reg * (params[k] > 0) - reg * (params[k] < 0) if k in weights\n"
        "         else np.zeros_like(params[k]) for k in params}\n"
        "return float(loss), grads"),
    "dropout_greater_than_one_minus_p": dropout(
        "if train:\n"
        "    keep = rng.random(x.shape) > 1.0 - keep_prob\n"
        "    return np.where(keep, x / keep_prob, 0.0), {'mask': keep, 'p': keep_prob}\n"
        "return x.copy(), {'mask': None, 'p': keep_prob}",
        "if cache['mask'] is None:\n    return dout.copy()\n"
        "return np.where(cache['mask'], dout / cache['p'], 0.0)"),
    "dropout_binomial_mask": dropout(
        "if not train:\n    return x, None\n"
        "mask = rng.binomial(1, keep_prob, size=x.shape)\n"
        "return x * mask / keep_prob, (mask, keep_prob)",
        "if cache is None:\n    return dout\n"
        "mask, p = cache\nreturn dout * mask / p"),
    "dropout_scaled_mask_in_cache": dropout(
        "if train:\n"
        "    scaled = (rng.uniform(size=x.shape) < keep_prob) / keep_prob\n"
        "    return x * scaled, scaled\n"
        "return x, np.ones_like(x)",
        "return dout * cache"),
    "stop_enumerate_elif": stop(
        "best = 0\n"
        "for epoch, loss in enumerate(val_losses):\n"
        "    if loss < val_losses[best]:\n"
        "        best = epoch\n"
        "    elif epoch - best >= patience:\n"
        "        break\n"
        "return best"),
    "stop_best_loss_and_wait": stop(
        "losses = np.asarray(val_losses, dtype=float)\n"
        "best_loss, best, wait = np.inf, 0, 0\n"
        "for i, v in enumerate(losses):\n"
        "    if v < best_loss:\n"
        "        best_loss, best, wait = v, i, 0\n"
        "    else:\n"
        "        wait += 1\n"
        "        if wait >= patience:\n"
        "            break\n"
        "return int(best)"),
    "stop_prefix_argmin": stop(
        "losses = list(val_losses)\n"
        "end = len(losses)\n"
        "for epoch in range(len(losses)):\n"
        "    first_best = int(np.argmin(losses[:epoch + 1]))\n"
        "    if epoch - first_best == patience:\n"
        "        end = epoch + 1\n"
        "        break\n"
        "return int(np.argmin(losses[:end]))"),
    "stop_while_loop": stop(
        "best, epoch = 0, 1\n"
        "while epoch < len(val_losses) and epoch - best <= patience:\n"
        "    if val_losses[epoch] < val_losses[best]:\n"
        "        best = epoch\n"
        "    epoch += 1\n"
        "return best"),
}


# Mistakes that only the learner's own process can see (catalogue_harness, TAUGHT).
TAUGHT = {
    "l2_grads_written_into_params": (l2(
        "loss = 0.0\ngrads = params  # the same dict: the caller's params get the gradients\n"
        "for name in list(params):\n"
        "    if name.startswith('W'):\n"
        "        loss += 0.5 * reg * np.sum(params[name] ** 2)\n"
        "        grads[name] = reg * params[name]\n"
        "    else:\n"
        "        grads[name] = np.zeros_like(params[name])\n"
        "return float(loss), grads"), "test_l2", "changed its input params in place"),
}


# What the grader's message says of each wrong answer: (grade id, phrase in its message).
NAMED = {
    "l2_gradient_2_reg_w": ("test_l2", "2 * reg * W"),
    "l2_loss_without_the_half": ("test_l2", "left out the 0.5"),
    "l2_penalises_biases": ("test_l2", "penalised the biases"),
    "l2_no_gradient_for_biases": ("test_l2", "is missing 'b1', 'b2'"),
    "l2_bias_gradient_a_number": ("test_l2", "is a single number"),
    "l2_mean_instead_of_sum": ("test_l2", "averaged W ** 2"),
    "l2_norm_not_squared": ("test_l2", "without squaring it"),
    "l2_gradient_wrong_sign": ("test_l2", "wrong sign"),
    "l1_gradient_plus_reg_at_zero": ("test_l1", "nonzero at w = 0"),
    "l1_gradient_minus_reg_at_zero": ("test_l1", "nonzero at w = 0"),
    "l1_gradient_wrong_sign": ("test_l1", "wrong sign"),
    "l1_gradient_w_over_abs_w": ("test_l1", "divided W by |W|"),
    "l1_loss_halved": ("test_l1", "halved it"),
    "l1_penalises_biases": ("test_l1", "penalised the biases"),
    "l1_loss_without_abs": ("test_l1", "absolute value"),
    "l1_with_the_l2_gradient": ("test_l1", "L2 gradient"),
    "dropout_does_not_rescale": ("test_dropout_train", "does not rescale"),
    "dropout_multiplies_by_keep_prob": ("test_dropout_train", "multiplies the kept units"),
    "dropout_keeps_with_the_drop_probability": ("test_dropout_train",
                                                "confused keep_prob with the drop probability"),
    "dropout_mask_greater_than_keep_prob": ("test_dropout_train",
                                            "confused keep_prob with the drop probability"),
    "dropout_divides_by_the_drop_probability": ("test_dropout_train", "divides by 1 - keep_prob"),
    "dropout_rescales_at_test_time": ("test_dropout_test", "rescales at test time"),
    "dropout_original_scaling_at_test_time": ("test_dropout_test",
                                              "multiplies by keep_prob at test time"),
    "dropout_drops_at_test_time": ("test_dropout_test", "drops units at test time"),
    "dropout_draws_at_test_time": ("test_dropout_test", "drew random numbers from rng"),
    "dropout_global_random_state": ("test_dropout_train", "does not come from rng"),
    "dropout_fixed_seed_inside": ("test_dropout_train", "gave the same mask"),
    "dropout_backward_draws_a_new_mask": ("test_dropout_backward", "drew a new mask"),
    "dropout_backward_draws_again_from_rng": ("test_dropout_backward", "drew a new mask"),
    "dropout_backward_does_not_rescale": ("test_dropout_backward", "does not divide by keep_prob"),
    "dropout_backward_ignores_the_mask": ("test_dropout_backward", "ignores the mask"),
    "dropout_backward_scales_without_the_mask": ("test_dropout_backward", "ignores the mask"),
    "stop_returns_the_epoch_it_stopped_at": ("test_early_stopping",
                                             "epoch at which training stopped"),
    "stop_waits_one_epoch_too_many": ("test_early_stopping", "waits one epoch too many"),
    "stop_stops_one_epoch_early": ("test_early_stopping", "stops one epoch too early"),
    "stop_counts_epochs_from_1": ("test_early_stopping", "counts epochs from 1"),
    "stop_ignores_patience": ("test_early_stopping", "ignores patience"),
    "stop_ties_move_the_best": ("test_early_stopping_edges", "keeps the later epoch"),
    "stop_returns_the_best_loss": ("test_early_stopping", "expected an int"),
}
