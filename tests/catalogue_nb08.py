"""A catalogue of answers to notebook 08: realistic mistakes and correct answers written
differently from the reference. The grader must catch every mistake (on the right exercise) and
accept every correct variant: tests/test_catalogues.py reports both rates."""
from catalogue_harness import catalogue_header, fn

ASSIGNMENT, ALL, OTHERS = catalogue_header(__name__)  # from the notebook's own spec


STANDARDIZE_TESTS = ["test_standardize", "test_standardize_constant"]
SCHEDULE_TESTS = ["test_schedule_step", "test_schedule_cosine", "test_schedule_warmup",
                  "test_schedule_unknown"]


def standardize(body):
    return {"standardize": fn("standardize", "x_train, x_other", body)}


MOMENTS = "mu = x_train.mean(axis=0)\nsigma = x_train.std(axis=0)\n"
GUARD = "sigma = np.where(sigma > 0, sigma, 1.0)\n"
APPLY = "return (x_train - mu) / sigma, (x_other - mu) / sigma"


# The answer cell of lr_schedule also holds the helper schedule_values, given to students.
SCHEDULE_VALUES = '''

def schedule_values(num_steps, base_lr, kind, **kw):
    return np.array([lr_schedule(step, base_lr, kind, **kw) for step in range(num_steps)])
'''

CONSTANT = 'if kind == "constant":\n    return float(base_lr)\n'
STEP = 'if kind == "step":\n    return base_lr * kw["drop"] ** (step // kw["every"])\n'
COSINE = ('if kind == "cosine":\n'
          '    total = kw["total_steps"]\n'
          '    if step > total:\n'
          '        return 0.0\n'
          '    return base_lr * 0.5 * (1.0 + math.cos(math.pi * step / total))\n')
WARMUP = ('if kind == "warmup":\n'
          '    warm, total = kw["warmup_steps"], kw["total_steps"]\n'
          '    if step < warm:\n'
          '        return base_lr * (step + 1) / warm\n'
          '    if step > total:\n'
          '        return 0.0\n'
          '    return base_lr * 0.5 * (1.0 + math.cos(math.pi * (step - warm) / (total - warm)))\n')
RAISE = ("raise ValueError(f\"unknown kind {kind!r}: use 'constant', 'step', 'cosine' or "
         "'warmup'\")")


def schedule(constant=CONSTANT, step=STEP, cosine=COSINE, warmup=WARMUP, tail=RAISE):
    """The reference lr_schedule with one of its parts replaced."""
    return {"lr_schedule": fn("lr_schedule", "step, base_lr, kind, **kw",
                              constant + step + cosine + warmup + tail) + SCHEDULE_VALUES}


def schedule_body(body):
    return {"lr_schedule": fn("lr_schedule", "step, base_lr, kind, **kw", body) + SCHEDULE_VALUES}


def but(*tests):
    return [t for t in ALL if t not in tests]


# Wrong answers: (answers by grade_id, the tests that must fail, the tests that must pass).
WRONG = {
    # --- standardize --------------------------------------------------------------------------
    "std_statistics_of_the_test_set": (
        standardize("mu = x_other.mean(axis=0)\nsigma = x_other.std(axis=0)\n" + GUARD + APPLY),
        ["test_standardize"], SCHEDULE_TESTS),
    "std_fit_again_on_the_other_set": (  # fit_transform on the test set too
        standardize("def scale(x):\n"
                    "    s = x.std(axis=0)\n"
                    "    return (x - x.mean(axis=0)) / np.where(s > 0, s, 1.0)\n"
                    "return scale(x_train), scale(x_other)"),
        ["test_standardize"], SCHEDULE_TESTS),
    "std_statistics_of_both_sets": (
        standardize("both = np.concatenate([x_train, x_other])\n"
                    "mu = both.mean(axis=0)\nsigma = both.std(axis=0)\n" + GUARD + APPLY),
        ["test_standardize"], SCHEDULE_TESTS),
    "std_constant_column_divided_by_zero": (
        standardize(MOMENTS + APPLY),
        ["test_standardize_constant"], ["test_standardize", *SCHEDULE_TESTS]),
    "std_variance_instead_of_std": (
        standardize("mu = x_train.mean(axis=0)\nsigma = x_train.var(axis=0)\n" + GUARD + APPLY),
        ["test_standardize"], SCHEDULE_TESTS),
    "std_ddof_1_guarded": (
        standardize("mu = x_train.mean(axis=0)\nsigma = x_train.std(axis=0, ddof=1)\n"
                    + GUARD + APPLY),
        ["test_standardize"], SCHEDULE_TESTS),
    "std_ddof_1_unguarded": (
        standardize("mu = x_train.mean(axis=0)\nsigma = x_train.std(axis=0, ddof=1)\n" + APPLY),
        ["test_standardize", "test_standardize_constant"], SCHEDULE_TESTS),
    "std_rows_instead_of_columns": (
        standardize("def scale(x):\n"
                    "    s = x.std(axis=1, keepdims=True)\n"
                    "    return (x - x.mean(axis=1, keepdims=True)) / np.where(s > 0, s, 1.0)\n"
                    "return scale(x_train), scale(x_other)"),
        ["test_standardize"], SCHEDULE_TESTS),
    "std_one_mean_for_the_whole_array": (
        standardize("mu = x_train.mean()\nsigma = x_train.std()\n" + APPLY),
        ["test_standardize"], SCHEDULE_TESTS),
    "std_not_centred": (
        standardize(MOMENTS + GUARD + "return x_train / sigma, x_other / sigma"),
        ["test_standardize"], SCHEDULE_TESTS),
    "std_not_scaled": (
        standardize("mu = x_train.mean(axis=0)\nreturn x_train - mu, x_other - mu"),
        ["test_standardize"], SCHEDULE_TESTS),
    "std_epsilon_added": (
        standardize(MOMENTS + "sigma = sigma + 1e-8\n" + APPLY),
        ["test_standardize", "test_standardize_constant"], SCHEDULE_TESTS),
    "std_tiny_floor": (
        standardize(MOMENTS + "sigma = np.maximum(sigma, 1e-12)\n" + APPLY),
        ["test_standardize_constant"], ["test_standardize", *SCHEDULE_TESTS]),
    "std_returns_only_x_train": (
        standardize(MOMENTS + GUARD + "return (x_train - mu) / sigma"),
        STANDARDIZE_TESTS, SCHEDULE_TESTS),
    "std_sets_swapped": (
        standardize(MOMENTS + GUARD + "return (x_other - mu) / sigma, (x_train - mu) / sigma"),
        ["test_standardize"], SCHEDULE_TESTS),
    # --- lr_schedule: step ----------------------------------------------------------------------
    "step_drops_at_every_minus_one": (  # steps counted from 1
        schedule(step='if kind == "step":\n'
                      '    return base_lr * kw["drop"] ** ((step + 1) // kw["every"])\n'),
        ["test_schedule_step"], but("test_schedule_step")),
    "step_drops_one_step_late": (
        schedule(step='if kind == "step":\n'
                      '    return base_lr * kw["drop"] ** ((step - 1) // kw["every"])\n'),
        ["test_schedule_step"], but("test_schedule_step")),
    "step_smooth_exponential": (
        schedule(step='if kind == "step":\n'
                      '    return base_lr * kw["drop"] ** (step / kw["every"])\n'),
        ["test_schedule_step"], but("test_schedule_step")),
    "step_multiplied_not_raised": (
        schedule(step='if kind == "step":\n'
                      '    return base_lr * kw["drop"] * (step // kw["every"])\n'),
        ["test_schedule_step"], but("test_schedule_step")),
    "step_drops_every_step": (
        schedule(step='if kind == "step":\n    return base_lr * kw["drop"] ** step\n'),
        ["test_schedule_step"], but("test_schedule_step")),
    # --- lr_schedule: cosine --------------------------------------------------------------------
    "cosine_with_sin": (
        schedule(cosine=COSINE.replace("math.cos(", "math.sin(")),
        ["test_schedule_cosine"], but("test_schedule_cosine")),
    "cosine_rises_again_after_total_steps": (
        schedule(cosine=COSINE.replace("    if step > total:\n        return 0.0\n", "")),
        ["test_schedule_cosine"], but("test_schedule_cosine")),
    "cosine_never_reaches_zero": (
        schedule(cosine=COSINE.replace("step / total)", "step / (total + 1))")),
        ["test_schedule_cosine"], but("test_schedule_cosine")),
    "cosine_zero_one_step_early": (
        schedule(cosine=COSINE.replace("step > total", "step > total - 1")
                 .replace("step / total)", "step / max(total - 1, 1))")),
        ["test_schedule_cosine"], but("test_schedule_cosine")),
    "cosine_integer_division": (
        schedule(cosine=COSINE.replace("math.pi * step / total", "math.pi * (step // total)")),
        ["test_schedule_cosine"], but("test_schedule_cosine")),
    "cosine_quarter_turn": (
        schedule(cosine='if kind == "cosine":\n'
                        '    total = kw["total_steps"]\n'
                        '    quarter = math.pi * min(step, total) / (2 * total)\n'
                        '    return base_lr * math.cos(quarter)\n'),
        ["test_schedule_cosine"], but("test_schedule_cosine")),
    "cosine_without_the_half": (
        schedule(cosine=COSINE.replace("base_lr * 0.5 * ", "base_lr * ")),
        ["test_schedule_cosine"], but("test_schedule_cosine")),
    # --- lr_schedule: warmup --------------------------------------------------------------------
    "warmup_reaches_base_lr_one_step_late": (  # starts at 0 with step / W
        schedule(warmup=WARMUP.replace("(step + 1) / warm", "step / warm")),
        ["test_schedule_warmup"], but("test_schedule_warmup")),
    "warmup_one_step_too_long": (
        schedule(warmup=WARMUP.replace("if step < warm:", "if step <= warm:")),
        ["test_schedule_warmup"], but("test_schedule_warmup")),
    "warmup_cosine_ignores_the_warmup": (
        schedule(warmup=WARMUP.replace("(step - warm) / (total - warm)", "step / total")),
        ["test_schedule_warmup"], but("test_schedule_warmup")),
    "warmup_cosine_starts_one_step_early": (
        schedule(warmup=WARMUP.replace("(step - warm) / (total - warm)",
                                       "(step - warm + 1) / (total - warm + 1)")),
        ["test_schedule_warmup"], but("test_schedule_warmup")),
    "warmup_integer_division": (
        schedule(warmup=WARMUP.replace("base_lr * (step + 1) / warm",
                                       "base_lr * ((step + 1) // warm)")),
        ["test_schedule_warmup"], but("test_schedule_warmup")),
    "warmup_rises_again_after_total_steps": (
        schedule(warmup=WARMUP.replace("    if step > total:\n        return 0.0\n", "")),
        ["test_schedule_warmup"], but("test_schedule_warmup")),
    # --- lr_schedule: an unknown kind -----------------------------------------------------------
    "unknown_kind_returns_none": (
        schedule(tail="return None"),
        ["test_schedule_unknown"], but("test_schedule_unknown")),
    "unknown_kind_falls_back_to_constant": (
        schedule(tail="return base_lr"),
        ["test_schedule_unknown"], but("test_schedule_unknown")),
    "unknown_kind_key_error": (
        schedule(tail="return {'none': 0.0}[kind]"),
        ["test_schedule_unknown"], but("test_schedule_unknown")),
    "unknown_kind_message_names_no_kind": (
        schedule(tail="raise ValueError('unknown schedule')"),
        ["test_schedule_unknown"], but("test_schedule_unknown")),
}

# Correct answers written differently from the reference: full marks.
CORRECT = {
    "std_sigma_fixed_in_place": standardize(
        "mu = np.mean(x_train, axis=0)\nsigma = np.std(x_train, axis=0)\n"
        "sigma[sigma == 0] = 1.0\n" + APPLY),
    "std_constant_column_zero_in_the_other_set": standardize(  # 0, not x - mu: accepted too
        MOMENTS
        + "train = np.divide(x_train - mu, sigma, out=np.zeros_like(x_train), where=sigma > 0)\n"
          "other = np.divide(x_other - mu, sigma, out=np.zeros(x_other.shape), "
          "where=sigma > 0)\n"
          "return train, other"),
    "std_sqrt_of_var": standardize(
        "mu = x_train.mean(0)\nsigma = np.sqrt(np.var(x_train, axis=0))\n"
        "sigma = np.where(sigma == 0, 1, sigma)\n" + APPLY),
    "std_written_out": standardize(
        "n = len(x_train)\nmu = x_train.sum(axis=0) / n\n"
        "sigma = np.sqrt(((x_train - mu) ** 2).sum(axis=0) / n)\n"
        "scale = np.array([s if s != 0 else 1.0 for s in sigma])\n"
        "return (x_train - mu) / scale, (x_other - mu) / scale"),
    "std_stacked_then_split": standardize(
        MOMENTS + GUARD + "z = (np.vstack([x_train, x_other]) - mu) / sigma\n"
        "return z[:len(x_train)], z[len(x_train):]"),
    "std_keepdims_copies": standardize(
        "mu = x_train.mean(axis=0, keepdims=True)\nsigma = x_train.std(axis=0, keepdims=True)\n"
        "sigma[sigma == 0] = 1\n"
        "a, b = x_train.copy(), x_other.copy()\na -= mu\na /= sigma\nb -= mu\nb /= sigma\n"
        "return a, b"),
    "schedule_dict_of_formulas": schedule_body(
        "formulas = {\n"
        "    'constant': lambda: base_lr,\n"
        "    'step': lambda: base_lr * kw['drop'] ** (step // kw['every']),\n"
        "    'cosine': lambda: base_lr * (1 + np.cos(np.pi * min(step, kw['total_steps'])\n"
        "                                        / kw['total_steps'])) / 2,\n"
        "    'warmup': lambda: warmup(),\n"
        "}\n"
        "def warmup():\n"
        "    W, T = kw['warmup_steps'], kw['total_steps']\n"
        "    if step < W:\n"
        "        return base_lr * (step + 1) / W\n"
        "    return base_lr * (1 + np.cos(np.pi * min(step - W, T - W) / (T - W))) / 2\n"
        "if kind not in formulas:\n"
        "    raise ValueError(f'kind must be one of {sorted(formulas)}, not {kind!r}')\n"
        "return float(formulas[kind]())"),
    "schedule_match_statement": schedule_body(
        "match kind:\n"
        "    case 'constant':\n"
        "        return base_lr\n"
        "    case 'step':\n"
        "        return base_lr * math.pow(kw['drop'], math.floor(step / kw['every']))\n"
        "    case 'cosine':\n"
        "        t = min(step / kw['total_steps'], 1.0)\n"
        "        return base_lr * math.cos(math.pi * t / 2) ** 2\n"
        "    case 'warmup':\n"
        "        W, T = kw['warmup_steps'], kw['total_steps']\n"
        "        if step + 1 <= W:\n"
        "            return base_lr * (step + 1) / W\n"
        "        t = min((step - W) / (T - W), 1.0)\n"
        "        return base_lr * math.cos(math.pi * t / 2) ** 2\n"
        "    case _:\n"
        "        raise ValueError('kind: constant, step, cosine or warmup')"),
    "schedule_warmup_reuses_cosine": schedule(
        warmup='if kind == "warmup":\n'
               '    warm = kw["warmup_steps"]\n'
               '    if step < warm:\n'
               '        return base_lr * (step + 1) / warm\n'
               '    return lr_schedule(step - warm, base_lr, "cosine",\n'
               '                       total_steps=kw["total_steps"] - warm)\n'),
    "schedule_numpy_scalars_and_np_clip": schedule_body(
        "kinds = ('constant', 'step', 'cosine', 'warmup')\n"
        "if kind not in kinds:\n"
        "    raise ValueError('unknown kind ' + repr(kind) + '; known: ' + ', '.join(kinds))\n"
        "if kind == 'constant':\n"
        "    return np.float64(base_lr)\n"
        "if kind == 'step':\n"
        "    return np.float64(base_lr) * np.power(kw['drop'], step // kw['every'])\n"
        "W = kw.get('warmup_steps', 0)\n"
        "if step < W:\n"
        "    return np.float64(base_lr) * (step + 1) / W\n"
        "progress = np.clip((step - W) / (kw['total_steps'] - W), 0.0, 1.0)\n"
        "return 0.5 * base_lr * (1.0 + np.cos(np.pi * progress))"),
    "schedule_values_rewritten": {
        "lr_schedule": fn("lr_schedule", "step, base_lr, kind, **kw",
                          CONSTANT + STEP + COSINE + WARMUP + RAISE)
        + "\n\ndef schedule_values(num_steps, base_lr, kind, **kw):\n"
          "    rates = np.empty(num_steps)\n"
          "    for t in range(num_steps):\n"
          "        rates[t] = lr_schedule(t, base_lr, kind, **kw)\n"
          "    return rates\n"},
    "both_rewritten_with_prints": {  # prints are never marked down
        **standardize("print('standardising', x_train.shape, x_other.shape)\n"
                      + MOMENTS + GUARD + APPLY),
        **schedule(constant='if kind == "constant":\n'
                            '    print("constant rate", base_lr)\n'
                            '    return base_lr\n')},
}


# Mistakes that only the learner's own process can see (an input changed in place): the
# notebook's check names them, the grader cannot (catalogue_harness, TAUGHT).
TAUGHT = {
    "std_changes_x_train_in_place": (
        standardize(MOMENTS + "sigma[sigma == 0] = 1.0\n"
                    "x_other = (x_other - mu) / sigma\n"
                    "x_train -= mu\nx_train /= sigma\nreturn x_train, x_other"),
        "test_standardize", "changed its input x_train in place"),
}


# What the grader's message says of each wrong answer: (grade id, phrase).
NAMED = {
    "std_statistics_of_the_test_set": ("test_standardize", "other (test) set"),
    "std_fit_again_on_the_other_set": ("test_standardize", "other (test) set"),
    "std_statistics_of_both_sets": ("test_standardize", "both sets together"),
    "std_constant_column_divided_by_zero": ("test_standardize_constant",
                                            "divides a constant column by zero"),
    "std_variance_instead_of_std": ("test_standardize", "variance instead of the standard"),
    "std_ddof_1_guarded": ("test_standardize", "ddof=1"),
    "std_ddof_1_unguarded": ("test_standardize", "ddof=1"),
    "std_rows_instead_of_columns": ("test_standardize", "rows instead of columns"),
    "std_one_mean_for_the_whole_array": ("test_standardize", "over the whole array"),
    "std_not_centred": ("test_standardize", "without subtracting the mean"),
    "std_not_scaled": ("test_standardize", "does not divide by the std"),
    "std_epsilon_added": ("test_standardize_constant", "small epsilon"),
    "std_returns_only_x_train": ("test_standardize", "expected a tuple"),
    "step_drops_at_every_minus_one": ("test_schedule_step", "drops one step early"),
    "step_drops_one_step_late": ("test_schedule_step", "drops one step late"),
    "step_smooth_exponential": ("test_schedule_step", "decays smoothly"),
    "step_multiplied_not_raised": ("test_schedule_step", "instead of raising drop"),
    "step_drops_every_step": ("test_schedule_step", "drops every step"),
    "cosine_with_sin": ("test_schedule_cosine", "sin instead of cos"),
    "cosine_rises_again_after_total_steps": ("test_schedule_cosine", "rises again"),
    "cosine_never_reaches_zero": ("test_schedule_cosine", "never reaches 0"),
    "cosine_zero_one_step_early": ("test_schedule_cosine", "reaches 0 one step early"),
    "cosine_integer_division": ("test_schedule_cosine", "integer division"),
    "cosine_quarter_turn": ("test_schedule_cosine", "quarter turn"),
    "cosine_without_the_half": ("test_schedule_cosine", "leaves out the 0.5"),
    "warmup_reaches_base_lr_one_step_late": ("test_schedule_warmup", "one step late"),
    "warmup_one_step_too_long": ("test_schedule_warmup", "one step too long"),
    "warmup_cosine_ignores_the_warmup": ("test_schedule_warmup", "ignores the warm-up"),
    "warmup_cosine_starts_one_step_early": ("test_schedule_warmup", "starts one step early"),
    "warmup_integer_division": ("test_schedule_warmup", "integer division"),
    "warmup_rises_again_after_total_steps": ("test_schedule_warmup", "rises again"),
    "unknown_kind_returns_none": ("test_schedule_unknown", "returned a value"),
    "unknown_kind_falls_back_to_constant": ("test_schedule_unknown", "returned a value"),
    "unknown_kind_key_error": ("test_schedule_unknown", "expected ValueError"),
    "unknown_kind_message_names_no_kind": ("test_schedule_unknown", "does not name"),
}
