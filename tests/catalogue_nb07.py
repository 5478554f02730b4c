"""A catalogue of answers to notebook 07: realistic mistakes and correct answers written
differently from the reference. The grader must catch every mistake (on the right exercise) and
accept every correct variant: tests/test_catalogues.py reports both rates."""
from catalogue_harness import catalogue_header, fn

ASSIGNMENT, ALL, OTHERS = catalogue_header(__name__)  # from the notebook's own spec

INIT_TESTS = ["test_init_variance", "test_init_rng"]
DEEP_TESTS = ["test_deep_forward", "test_deep_backward"]
NORMS_TESTS = ["test_layer_gradient_norms"]
CLIP_TESTS = ["test_clip_gradients"]

# The answer cell of the initialisers also holds the helper draw_weights, given to students.
DRAW = '''

def draw_weights(kind, fan_in, fan_out, seed):
    init = {"xavier": xavier_init, "he": he_init}[kind]
    return init(fan_in, fan_out, np.random.default_rng(seed))
'''
XAVIER = "return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))"
HE = "return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))"


def inits(xavier=XAVIER, he=HE):
    return {"initialisers": fn("xavier_init", "fan_in, fan_out, rng", xavier) + "\n\n"
            + fn("he_init", "fan_in, fan_out, rng", he) + DRAW}


def forward(body):
    return {"deep_forward": fn("deep_forward", "x, params, activation", body)}


def backward(body):
    return {"deep_backward": fn("deep_backward", "dscores, caches", body)}


def norms(body):
    return {"layer_gradient_norms": fn("layer_gradient_norms", "grads", body)}


def clip(body):
    return {"clip_gradients": fn("clip_gradients", "grads, max_norm", body)}


def forward_with(step):
    """The reference forward loop with the body of one layer replaced."""
    return forward("L = len(params) // 2\nforward = ACTIVATIONS[activation][0]\n"
                   "h, caches = x, []\nfor k in range(1, L + 1):\n"
                   + "".join(f"    {line}\n" for line in step.splitlines())
                   + "return h, caches")


def backward_with(step, loop="for k in range(len(caches), 0, -1):"):
    """The reference backward loop with the body of one layer (or the loop) replaced."""
    return backward(f"grads = {{}}\ndout = dscores\n{loop}\n"
                    + "".join(f"    {line}\n" for line in step.splitlines())
                    + "return grads")


REF_STEP = ("dense_cache, activation_cache, activation = caches[k - 1]\n"
            "if activation_cache is not None:\n"
            "    dout = ACTIVATIONS[activation][1](dout, activation_cache)\n"
            "dout, grads[f'W{k}'], grads[f'b{k}'] = dense_backward(dout, dense_cache)")

# A forward pass that keeps z, h and the layer's input, for backward passes of their own.
OWN_FORWARD = forward_with(
    "h_in = h\n"
    "z = h_in @ params[f'W{k}'] + params[f'b{k}']\n"
    "h = ACTIVATIONS[activation][0](z)[0] if k < L else z\n"
    "caches.append({'x': h_in, 'W': params[f'W{k}'], 'z': z, 'h': h, 'last': k == L, "
    "'activation': activation})")
DERIVATIVE = ("def slope(a, activation):\n"
              "    if activation == 'relu':\n"
              "        return (a > 0).astype(float)\n"
              "    if activation == 'tanh':\n"
              "        return 1.0 - np.tanh(a) ** 2\n"
              "    s = 1.0 / (1.0 + np.exp(-a))\n"
              "    return s * (1.0 - s)\n")


def own_backward(slope_at="c['z']", below="c['x']", db="dz.sum(axis=0)"):
    return backward(DERIVATIVE + "grads = {}\ndz = dscores\n"
                    "for k in range(len(caches), 0, -1):\n"
                    "    c = caches[k - 1]\n"
                    "    if not c['last']:\n"
                    f"        dz = dz * slope({slope_at}, c['activation'])\n"
                    f"    grads[f'W{{k}}'] = {below}.T @ dz\n"
                    f"    grads[f'b{{k}}'] = {db}\n"
                    "    dz = dz @ c['W'].T\n"
                    "return grads")


def own(**kw):
    return {**OWN_FORWARD, **own_backward(**kw)}


# Forward caches that also keep the pre-activation of the layer below (for dW from z).
Z_BELOW_FORWARD = forward_with(
    "z_below = caches[-1]['z'] if caches else h\n"
    "h_in = h\n"
    "z = h_in @ params[f'W{k}'] + params[f'b{k}']\n"
    "h = ACTIVATIONS[activation][0](z)[0] if k < L else z\n"
    "caches.append({'x': z_below, 'W': params[f'W{k}'], 'z': z, 'h': h, 'last': k == L, "
    "'activation': activation})")

NORM = "np.sqrt(np.sum(g ** 2))"


# Wrong answers: (answers by grade_id, the tests that must fail, the tests that must pass).
WRONG = {
    # --- initialisation -----------------------------------------------------------------------
    "he_uses_fan_out": (inits(he="return rng.normal(0.0, np.sqrt(2.0 / fan_out), "
                              "size=(fan_in, fan_out))"),
                        ["test_init_variance"], ["test_init_rng", *DEEP_TESTS, *NORMS_TESTS,
                                                 *CLIP_TESTS]),
    "he_variance_one_over_fan_in": (inits(he="return rng.normal(0.0, np.sqrt(1.0 / fan_in), "
                                          "size=(fan_in, fan_out))"),
                                    ["test_init_variance"], ["test_init_rng", *DEEP_TESTS]),
    "xavier_variance_one_over_fan_in": (inits(xavier="return rng.normal(0.0, np.sqrt(1.0 / "
                                              "fan_in), size=(fan_in, fan_out))"),
                                        ["test_init_variance"], ["test_init_rng", *DEEP_TESTS]),
    "xavier_missing_the_2": (inits(xavier="return rng.normal(0.0, np.sqrt(1.0 / (fan_in + "
                                   "fan_out)), size=(fan_in, fan_out))"),
                             ["test_init_variance"], ["test_init_rng"]),
    "xavier_is_he": (inits(xavier=HE), ["test_init_variance"], ["test_init_rng"]),
    "he_is_xavier": (inits(he=XAVIER), ["test_init_variance"], ["test_init_rng"]),
    "xavier_variance_as_scale": (inits(xavier="return rng.normal(0.0, 2.0 / (fan_in + fan_out), "
                                       "size=(fan_in, fan_out))"),
                                 ["test_init_variance"], ["test_init_rng"]),
    "he_variance_as_scale": (inits(he="return rng.normal(0.0, 2.0 / fan_in, "
                                   "size=(fan_in, fan_out))"),
                             ["test_init_variance"], ["test_init_rng"]),
    "uniform_between_plus_minus_std": (
        inits(xavier="a = np.sqrt(2.0 / (fan_in + fan_out))\n"
                     "return rng.uniform(-a, a, size=(fan_in, fan_out))"),
        ["test_init_variance"], ["test_init_rng"]),
    "uniform_not_centred": (inits(he="return rng.uniform(0.0, np.sqrt(24.0 / fan_in), "
                                  "size=(fan_in, fan_out))"),
                            ["test_init_variance"], ["test_init_rng"]),
    "init_shape_swapped": (inits(he="return rng.normal(0.0, np.sqrt(2.0 / fan_in), "
                                 "size=(fan_out, fan_in))"),
                           ["test_init_variance"], []),
    "init_float32": (inits(xavier=XAVIER.replace("return ", "return ") + ".astype(np.float32)"),
                     ["test_init_variance"], ["test_init_rng"]),
    "init_global_random_state": (
        inits(xavier="return np.random.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), "
                     "size=(fan_in, fan_out))",
              he="return np.random.randn(fan_in, fan_out) * np.sqrt(2.0 / fan_in)"),
        ["test_init_rng"], ["test_init_variance", *DEEP_TESTS, *NORMS_TESTS, *CLIP_TESTS]),
    "init_fixed_seed_inside": (
        inits(he="return np.random.default_rng(0).normal(0.0, np.sqrt(2.0 / fan_in), "
                 "size=(fan_in, fan_out))"),
        ["test_init_rng"], ["test_init_variance"]),
    # --- forward ------------------------------------------------------------------------------
    "forward_last_layer_activated": (
        forward_with("z, dense_cache = dense_forward(h, params[f'W{k}'], params[f'b{k}'])\n"
                     "h, activation_cache = forward(z)\n"
                     "caches.append((dense_cache, activation_cache, activation))"),
        ["test_deep_forward", "test_deep_backward"], [*INIT_TESTS, *NORMS_TESTS, *CLIP_TESTS]),
    "forward_ignores_activation": (
        forward_with("z, dense_cache = dense_forward(h, params[f'W{k}'], params[f'b{k}'])\n"
                     "if k < L:\n"
                     "    h, activation_cache = relu_forward(z)\n"
                     "else:\n"
                     "    h, activation_cache = z, None\n"
                     "caches.append((dense_cache, activation_cache, 'relu'))"),
        ["test_deep_forward", "test_deep_backward"], [*INIT_TESTS, *NORMS_TESTS]),
    "forward_stops_one_layer_early": (
        forward("L = len(params) // 2\nforward = ACTIVATIONS[activation][0]\nh, caches = x, []\n"
                "for k in range(1, L):\n"
                "    z, dense_cache = dense_forward(h, params[f'W{k}'], params[f'b{k}'])\n"
                "    h, activation_cache = forward(z)\n"
                "    caches.append((dense_cache, activation_cache, activation))\n"
                "return h, caches"),
        ["test_deep_forward"], [*INIT_TESTS, *NORMS_TESTS]),
    "forward_bias_missing": (
        forward_with("z, dense_cache = dense_forward(h, params[f'W{k}'], 0.0 * params[f'b{k}'])\n"
                     "if k < L:\n"
                     "    h, activation_cache = forward(z)\n"
                     "else:\n"
                     "    h, activation_cache = z, None\n"
                     "caches.append((dense_cache, activation_cache, activation))"),
        ["test_deep_forward"], [*INIT_TESTS, *NORMS_TESTS]),
    "forward_counts_every_key_as_a_layer": (
        forward("L = len(params)\nforward = ACTIVATIONS[activation][0]\nh, caches = x, []\n"
                "for k in range(1, L + 1):\n"
                "    z, dense_cache = dense_forward(h, params[f'W{k}'], params[f'b{k}'])\n"
                "    if k < L:\n"
                "        h, activation_cache = forward(z)\n"
                "    else:\n"
                "        h, activation_cache = z, None\n"
                "    caches.append((dense_cache, activation_cache, activation))\n"
                "return h, caches"),
        ["test_deep_forward", "test_deep_backward"], [*INIT_TESTS, *NORMS_TESTS]),
    # --- backward -----------------------------------------------------------------------------
    "backward_loop_skips_the_first_layer": (
        backward_with(REF_STEP, loop="for k in range(len(caches), 1, -1):"),
        ["test_deep_backward"], ["test_deep_forward", *INIT_TESTS, *NORMS_TESTS]),
    "backward_bias_gradient_missing_in_one_layer": (
        backward_with("dense_cache, activation_cache, activation = caches[k - 1]\n"
                      "if activation_cache is not None:\n"
                      "    dout = ACTIVATIONS[activation][1](dout, activation_cache)\n"
                      "dout, grads[f'W{k}'], db = dense_backward(dout, dense_cache)\n"
                      "if k < len(caches):\n"
                      "    grads[f'b{k}'] = db"),
        ["test_deep_backward"], ["test_deep_forward", *INIT_TESTS]),
    "backward_derivative_at_post_activation": (
        own(slope_at="c['h']"), ["test_deep_backward"], ["test_deep_forward", *INIT_TESTS]),
    "backward_pre_activation_given_as_output": (
        {**forward_with("z, dense_cache = dense_forward(h, params[f'W{k}'], params[f'b{k}'])\n"
                        "if k < L:\n"
                        "    h, activation_cache = forward(z)\n"
                        "else:\n"
                        "    h, activation_cache = z, None\n"
                        "caches.append((dense_cache, activation_cache, activation, z))"),
         **backward_with("dense_cache, activation_cache, activation, z = caches[k - 1]\n"
                         "if activation_cache is not None:\n"
                         "    dout = ACTIVATIONS[activation][1](dout, z)\n"
                         "dout, grads[f'W{k}'], grads[f'b{k}'] = dense_backward(dout, "
                         "dense_cache)")},
        ["test_deep_backward"], ["test_deep_forward", *INIT_TESTS]),
    "backward_dW_from_the_pre_activation": (
        {**Z_BELOW_FORWARD, **own_backward()}, ["test_deep_backward"],
        ["test_deep_forward", *INIT_TESTS]),
    "backward_db_averaged": (own(db="dz.mean(axis=0)"), ["test_deep_backward"],
                             ["test_deep_forward", *INIT_TESTS]),
    "backward_activation_at_the_last_layer_too": (
        {**forward_with("z, dense_cache = dense_forward(h, params[f'W{k}'], params[f'b{k}'])\n"
                        "out, activation_cache = forward(z)\n"
                        "h = out if k < L else z\n"
                        "caches.append((dense_cache, activation_cache, activation))"),
         **backward_with(REF_STEP)},
        ["test_deep_backward"], ["test_deep_forward", *INIT_TESTS]),
    "backward_activation_after_the_dense_step": (
        backward_with("dense_cache, activation_cache, activation = caches[k - 1]\n"
                      "dout, grads[f'W{k}'], grads[f'b{k}'] = dense_backward(dout, dense_cache)\n"
                      "if activation_cache is not None:\n"
                      "    dout = ACTIVATIONS[activation][1](dout, activation_cache)"),
        ["test_deep_backward"], ["test_deep_forward", *INIT_TESTS]),
    "backward_keys_off_by_one": (
        backward_with("dense_cache, activation_cache, activation = caches[k - 1]\n"
                      "if activation_cache is not None:\n"
                      "    dout = ACTIVATIONS[activation][1](dout, activation_cache)\n"
                      "dout, grads[f'W{k - 1}'], grads[f'b{k - 1}'] = dense_backward(dout, "
                      "dense_cache)"),
        ["test_deep_backward"], ["test_deep_forward", *INIT_TESTS]),
    # --- layer_gradient_norms -----------------------------------------------------------------
    "norms_string_sorted": (norms(f"return np.array([{NORM} for name, g in sorted(grads.items()) "
                                  "if name.startswith('W')])"),
                            NORMS_TESTS, [*DEEP_TESTS, *INIT_TESTS, *CLIP_TESTS]),
    "norms_in_dict_order": (norms(f"return np.array([{NORM} for name, g in grads.items() "
                                  "if name.startswith('W')])"),
                            NORMS_TESTS, [*DEEP_TESTS, *INIT_TESTS, *CLIP_TESTS]),
    "norms_squared": (norms("L = len(grads) // 2\n"
                            "return np.array([np.sum(grads[f'W{k}'] ** 2) for k in range(1, L + 1)])"),
                      NORMS_TESTS, DEEP_TESTS),
    "norms_include_the_biases": (norms("L = len(grads) // 2\n"
                                       "return np.array([np.linalg.norm(grads[f'{p}{k}']) for k in "
                                       "range(1, L + 1) for p in 'Wb'])"),
                                 NORMS_TESTS, DEEP_TESTS),
    "norms_largest_entry": (norms("L = len(grads) // 2\n"
                                  "return np.array([np.abs(grads[f'W{k}']).max() "
                                  "for k in range(1, L + 1)])"),
                            NORMS_TESTS, DEEP_TESTS),
    "norms_root_mean_square": (norms("L = len(grads) // 2\n"
                                     "return np.array([np.sqrt(np.mean(grads[f'W{k}'] ** 2)) "
                                     "for k in range(1, L + 1)])"),
                               NORMS_TESTS, DEEP_TESTS),
    "norms_spectral_instead_of_frobenius": (
        norms("L = len(grads) // 2\n"
              "return np.array([np.linalg.norm(grads[f'W{k}'], 2) for k in range(1, L + 1)])"),
        NORMS_TESTS, DEEP_TESTS),
    # --- clip_gradients -----------------------------------------------------------------------
    "clip_each_array_separately": (
        clip(f"return {{k: g * min(1.0, max_norm / {NORM}) for k, g in grads.items()}}"),
        CLIP_TESTS, [*DEEP_TESTS, *INIT_TESTS, *NORMS_TESTS]),
    "clip_norm_of_the_weights_only": (
        clip(f"total = np.sqrt(sum(np.sum(g ** 2) for k, g in grads.items() if k[0] == 'W'))\n"
             "return {k: g * min(1.0, max_norm / total) for k, g in grads.items()}"),
        CLIP_TESTS, [*DEEP_TESTS, *NORMS_TESTS]),
    "clip_sum_of_the_norms": (
        clip(f"total = sum({NORM} for g in grads.values())\n"
             "return {k: g * min(1.0, max_norm / total) for k, g in grads.items()}"),
        CLIP_TESTS, [*DEEP_TESTS, *NORMS_TESTS]),
    "clip_by_the_squared_norm": (
        clip("total = sum(np.sum(g ** 2) for g in grads.values())\n"
             "return {k: g * min(1.0, max_norm / total) for k, g in grads.items()}"),
        CLIP_TESTS, [*DEEP_TESTS, *NORMS_TESTS]),
    "clip_rescales_even_below_max_norm": (
        clip("total = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))\n"
             "return {k: g * max_norm / total for k, g in grads.items()}"),
        CLIP_TESTS, [*DEEP_TESTS, *NORMS_TESTS]),
    "clip_each_entry_with_np_clip": (
        clip("return {k: np.clip(g, -max_norm, max_norm) for k, g in grads.items()}"),
        CLIP_TESTS, [*DEEP_TESTS, *NORMS_TESTS]),
    "clip_in_place": (
        clip("total = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))\n"
             "if total > max_norm:\n"
             "    for g in grads.values():\n"
             "        g *= max_norm / total\n"
             "return grads"),
        CLIP_TESTS, []),  # moved to TAUGHT below
}

# Correct answers, written differently from the reference: full marks.
CORRECT = {
    "init_uniform_with_the_right_variance": inits(
        xavier="a = np.sqrt(6.0 / (fan_in + fan_out))\n"
               "return rng.uniform(-a, a, size=(fan_in, fan_out))",
        he="limit = np.sqrt(3.0 * 2.0 / fan_in)\n"
           "return rng.uniform(low=-limit, high=limit, size=(fan_in, fan_out))"),
    "init_standard_normal_times_std": inits(
        xavier="std = np.sqrt(2 / (fan_in + fan_out))\n"
               "return std * rng.standard_normal((fan_in, fan_out))",
        he="return rng.standard_normal(size=(fan_in, fan_out)) * (2 / fan_in) ** 0.5"),
    "forward_if_chain_and_dict_caches": forward(
        "caches = []\nh = x\nL = len(params) // 2\n"
        "for k in range(1, L + 1):\n"
        "    z, dc = dense_forward(h, params['W' + str(k)], params['b' + str(k)])\n"
        "    cache = {'dense': dc, 'act': None, 'name': activation}\n"
        "    if k == L:\n"
        "        h = z\n"
        "    elif activation == 'relu':\n"
        "        h, cache['act'] = relu_forward(z)\n"
        "    elif activation == 'sigmoid':\n"
        "        h, cache['act'] = sigmoid_forward(z)\n"
        "    else:\n"
        "        h, cache['act'] = tanh_forward(z)\n"
        "    caches.append(cache)\n"
        "return h, caches") | backward(
        "grads = {}\nd = dscores\n"
        "for k, cache in reversed(list(enumerate(caches, start=1))):\n"
        "    if cache['act'] is not None:\n"
        "        d = {'relu': relu_backward, 'sigmoid': sigmoid_backward,\n"
        "             'tanh': tanh_backward}[cache['name']](d, cache['act'])\n"
        "    d, dW, db = dense_backward(d, cache['dense'])\n"
        "    grads['W' + str(k)] = dW\n"
        "    grads['b' + str(k)] = db\n"
        "return grads"),
    "own_math_both_ways": own(),
    "backward_while_loop_and_sorted_keys": backward(
        "grads = {}\nk = len(caches)\ndout = dscores\n"
        "while k >= 1:\n"
        "    dense_cache, act_cache, name = caches[k - 1]\n"
        "    if act_cache is not None:\n"
        "        dout = ACTIVATIONS[name][1](dout, act_cache)\n"
        "    dx, dW, db = dense_backward(dout, dense_cache)\n"
        "    grads[f'b{k}'], grads[f'W{k}'] = db, dW\n"
        "    dout = dx\n"
        "    k -= 1\n"
        "return dict(sorted(grads.items()))"),
    "forward_scores_as_a_copy_and_tuple_caches": forward(
        "n_layers = sum(1 for key in params if key.startswith('W'))\n"
        "act_forward = ACTIVATIONS[activation][0]\nh = x\ncaches = []\n"
        "for k in range(1, n_layers + 1):\n"
        "    z, dense_cache = dense_forward(h, params[f'W{k}'], params[f'b{k}'])\n"
        "    if k == n_layers:\n"
        "        caches.append((dense_cache, None, activation))\n"
        "        return z.copy(), tuple(caches)\n"
        "    h, act_cache = act_forward(z)\n"
        "    caches.append((dense_cache, act_cache, activation))"),
    "norms_sorted_by_layer_number": norms(
        "weights = sorted((k for k in grads if k[0] == 'W'), key=lambda k: int(k[1:]))\n"
        "return np.array([np.linalg.norm(grads[k]) for k in weights])"),
    "norms_as_a_list_of_floats": norms(
        "L = len([k for k in grads if k.startswith('W')])\n"
        "return [float(np.sqrt((grads['W%d' % k] ** 2).sum())) for k in range(1, L + 1)]"),
    "norms_raveled_dot": norms(
        "out = []\nk = 1\nwhile f'W{k}' in grads:\n"
        "    g = grads[f'W{k}'].ravel()\n"
        "    out.append(np.sqrt(g @ g))\n"
        "    k += 1\nreturn np.array(out)"),
    "clip_concatenated_norm": clip(
        "flat = np.concatenate([g.ravel() for g in grads.values()])\n"
        "norm = np.linalg.norm(flat)\n"
        "if norm <= max_norm:\n"
        "    return {k: g.copy() for k, g in grads.items()}\n"
        "return {k: g * (max_norm / norm) for k, g in grads.items()}"),
    "clip_min_factor": clip(
        "total = sum(float(np.vdot(g, g)) for g in grads.values()) ** 0.5\n"
        "factor = min(1.0, max_norm / total) if total > 0 else 1.0\n"
        "return {name: factor * grad for name, grad in grads.items()}"),
}

# Mistakes that only the learner's own process can see (an input changed in place): the
# notebook's check names them, the grader cannot (catalogue_harness, TAUGHT).
TAUGHT = {name: (WRONG.pop(name)[0], grade_id, phrase) for name, grade_id, phrase in [
    ("clip_in_place", "test_clip_gradients", "changed its input grads in place"),
]}

# What the grader's message says of each wrong answer: (grade id, phrase).
NAMED = {
    "he_uses_fan_out": ("test_init_variance", "fan_out where He's variance"),
    "he_variance_one_over_fan_in": ("test_init_variance", "twice that"),
    "xavier_variance_one_over_fan_in": ("test_init_variance", "LeCun"),
    "xavier_missing_the_2": ("test_init_variance", "the 2 is missing"),
    "xavier_is_he": ("test_init_variance", "He's, which is for ReLU"),
    "he_is_xavier": ("test_init_variance", "Xavier's variance"),
    "xavier_variance_as_scale": ("test_init_variance", "passed as the standard deviation"),
    "he_variance_as_scale": ("test_init_variance", "passed as the standard deviation"),
    "uniform_between_plus_minus_std": ("test_init_variance", "a third of the variance"),
    "uniform_not_centred": ("test_init_variance", "centred on 0"),
    "init_shape_swapped": ("test_init_variance", "fan_in and fan_out are swapped"),
    "init_float32": ("test_init_variance", "float64"),
    "init_global_random_state": ("test_init_rng", "global random state"),
    "init_fixed_seed_inside": ("test_init_rng", "ignore rng"),
    "forward_last_layer_activated": ("test_deep_forward", "the last layer has the activation"),
    "forward_ignores_activation": ("test_deep_forward", "always uses ReLU"),
    "forward_stops_one_layer_early": ("test_deep_forward", "stops one layer early"),
    "forward_counts_every_key_as_a_layer": ("test_deep_forward", "KeyError"),
    "backward_loop_skips_the_first_layer": ("test_deep_backward", "skips a layer"),
    "backward_bias_gradient_missing_in_one_layer": ("test_deep_backward",
                                                    "the bias gradient of layer"),
    "backward_derivative_at_post_activation": ("test_deep_backward",
                                               "taken at the post-activation"),
    "backward_pre_activation_given_as_output": ("test_deep_backward",
                                                "given the pre-activation z"),
    "backward_dW_from_the_pre_activation": ("test_deep_backward",
                                            "from the pre-activation z_{k-1}"),
    "backward_db_averaged": ("test_deep_backward", "averaged over the batch"),
    "backward_activation_at_the_last_layer_too": ("test_deep_backward", "That is the last layer"),
    "backward_activation_after_the_dense_step": ("test_deep_backward",
                                                 "paired with the wrong layer"),
    "backward_keys_off_by_one": ("test_deep_backward", "skips a layer"),
    "norms_string_sorted": ("test_layer_gradient_norms", "sorted strings"),
    "norms_in_dict_order": ("test_layer_gradient_norms", "dict's order of keys"),
    "norms_squared": ("test_layer_gradient_norms", "squared norms"),
    "norms_include_the_biases": ("test_layer_gradient_norms", "it includes the biases"),
    "norms_largest_entry": ("test_layer_gradient_norms", "largest entry"),
    "norms_root_mean_square": ("test_layer_gradient_norms", "root mean square"),
    "clip_each_array_separately": ("test_clip_gradients", "clipped to max_norm on its own"),
    "clip_norm_of_the_weights_only": ("test_clip_gradients", "leaves the biases out"),
    "clip_sum_of_the_norms": ("test_clip_gradients", "sum of the arrays' norms"),
    "clip_by_the_squared_norm": ("test_clip_gradients", "squared global norm"),
    "clip_rescales_even_below_max_norm": ("test_clip_gradients", "even when the global norm"),
    "clip_each_entry_with_np_clip": ("test_clip_gradients", "clips each entry"),
}
