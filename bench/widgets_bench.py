"""Benchmark: how long each widget takes to answer one slider change.

    .venv/bin/python bench/widgets_bench.py [--repeat 15]

For every notebook's widget, the plain function behind it (what the widget calls when a slider
moves: compute, draw, encode the PNG) is called with the reference solution's own functions, for
a sequence of slider values, and the median time per call is reported in milliseconds and as a
ratio against a baseline measured in the same run: drawing an empty figure of the same size to
PNG, the floor cost of any matplotlib redraw, and against a new figure built for every move (what
the widgets did before bpkit.live). Goals (issue 5): under 100 ms per slider change;
under 300 ms where the change runs an experiment (picking another weight in notebook 04 runs the
learner's network 81 times). Results go to bench/results/widgets.json.
"""
import argparse
import contextlib
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ["BPKIT_HEADLESS"] = "1"  # the notebooks' own widgets are not built while loading

import nbformat  # noqa: E402
import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
RESULTS = ROOT / "bench" / "results" / "widgets.json"
GOAL_MS, EXPERIMENT_GOAL_MS = 100.0, 300.0


def load_notebook(name, until):
    """Run the solution's code cells before the first one containing `until`; return globals."""
    path = next((SOLUTIONS / name).glob("*.ipynb"))
    namespace = {"__name__": "__main__"}
    cwd = os.getcwd()
    os.chdir(path.parent)
    try:
        import matplotlib.pyplot as plt
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            if until in cell.source:
                break
            source = "\n".join(line for line in cell.source.splitlines()
                               if not line.lstrip().startswith(("%", "!")))
            with contextlib.redirect_stdout(io.StringIO()):  # the notebook's prints: not ours
                exec(compile(source, f"{path.name}", "exec"), namespace)
            plt.close("all")
    finally:
        os.chdir(cwd)
    return namespace


def time_calls(calls, repeat):
    """Median seconds per call over `repeat` passes through `calls` (after one warm-up pass)."""
    for call in calls:
        call()
    times = []
    for _ in range(repeat):
        for call in calls:
            started = time.perf_counter()
            outputs = call()
            times.append(time.perf_counter() - started)
            assert any("image/png" in o.get("data", {}) for o in outputs), outputs
    return statistics.median(times)


def baseline_calls(figsize, dpi=96):
    from bpkit.live import LiveFigure

    def blank():
        live = LiveFigure(figsize=figsize, dpi=dpi)
        return live.outputs("blank")
    return [blank]


# Each widget: (make_view, moves). A move takes the view and returns the outputs of one slider
# change. The widget keeps one view (its figure) across moves; "fresh" builds a new view for
# every move, as the widgets did before bpkit.live: a new figure, laid out and drawn in full.

def nb01_widget():
    from bpkit.views.neuron import NeuronView
    ns = load_notebook("01_forward_pass", "neuron_explorer(")
    neuron = lambda x, w, b: ns["sigmoid"](ns["dense"](x, w[:, None], np.array([b])))[:, 0]  # noqa: E731
    x, y = ns["two_blobs"](100, seed=0)
    return (lambda: NeuronView(x, y),
            [lambda view, w1=w1: view.update(neuron, "sigmoid", w1, -1.0, 0.5)
             for w1 in np.linspace(-2.0, 2.0, 9)])


def nb02_widget():
    from bpkit.views.losses import LossView
    ns = load_notebook("02_loss_functions", "loss_explorer(")
    losses = {"MSE": ns["mse_loss"], "BCE": ns["binary_cross_entropy"]}
    return (lambda: LossView(losses),
            [lambda view, p=p: view.update(p, 1.0) for p in np.linspace(0.05, 0.95, 9)])


def nb03_widget():
    from bpkit.plots.graph_trace import EXPRESSIONS
    from bpkit.views.graph import GraphView
    ns = load_notebook("03_chain_rule", "graph_explorer(")
    name = next(iter(EXPRESSIONS))
    return (lambda: GraphView(ns["Value"]),
            [lambda view, a=a: view.update(EXPRESSIONS[name], name, {"a": a, "b": -0.5})
             for a in np.linspace(-2.0, 2.0, 9)])


def nb04_widgets():
    from bpkit.plots.backprop import nudge_curve
    from bpkit.views.nudge import NudgeView
    ns = load_notebook("04_backward_pass", "nudge_explorer(")
    params = ns["init_params"](D=2, H=16, C=2)
    x, y = ns["x_moons"], ns["y_moons"]
    deltas = np.linspace(-1.0, 1.0, 81)

    def curve(column):  # what the widget computes when another weight is picked
        return nudge_curve(ns["two_layer_loss"], params, x, y, "W1", (0, column), deltas)
    first = curve(0)
    make = lambda: NudgeView("cross-entropy loss (nats)")  # noqa: E731
    nudges = [lambda view, d=d: view.update(first, d) for d in np.linspace(-1.0, 1.0, 9)]
    entries = [lambda view, c=c: view.update(curve(c), 0.5) for c in range(8)]
    return (make, nudges), (make, entries)


STEP_COUNTS = [7, 13, 22, 31, 45, 58, 76, 94]  # what a drag of a step-count slider passes


def nb05_widget(move="rate"):
    from bpkit.views.descent import DescentView
    ns = load_notebook("05_gradient_descent", "learning_rate_explorer(")
    make = lambda: DescentView(ns["bowl_loss"])  # noqa: E731
    if move == "steps":  # the slider the browser test drags: the step axis moves
        return (make, [lambda view, n=n: view.update(ns["bowl_grad"], ns["sgd"], ns["w_start"],
                                                     0.05, n) for n in STEP_COUNTS])
    return (make, [lambda view, r=r: view.update(ns["bowl_grad"], ns["sgd"], ns["w_start"], r, 30)
                   for r in np.geomspace(0.01, 0.5, 9)])


def nb06_widget(move="rate"):
    from bpkit.views.race import RaceView
    ns = load_notebook("06_optimizers", "optimizer_explorer(")
    make = lambda: RaceView(ns["valley_loss"], ns["valley_grad"], ns["w_start"])  # noqa: E731
    if move == "kappa":  # a new condition number redraws the contours too
        return (make, [lambda view, k=k: view.update(ns["updates"], 0.02, 0.9, 0.99, k, 60)
                       for k in np.geomspace(2.0, 500.0, 8)])
    if move == "steps":
        return (make, [lambda view, n=n: view.update(ns["updates"], 0.02, 0.9, 0.99, 50.0, n)
                       for n in STEP_COUNTS])
    return (make, [lambda view, r=r: view.update(ns["updates"], r, 0.9, 0.99, 50.0, 60)
                   for r in np.geomspace(0.002, 0.2, 9)])


def nb07_widget():
    from bpkit.views.deep import DepthView
    ns = load_notebook("07_deep_networks", "depth_explorer(")
    settings = [(depth, activation, init) for depth in (4, 8, 12)
                for activation, init in (("sigmoid", "small"), ("relu", "he"), ("tanh", "xavier"))]
    def move(view, setting):
        view.results.clear()  # a setting seen for the first time: the experiment runs
        return view.update(ns["depth_experiment"], *setting)
    return DepthView, [lambda view, s=s: move(view, s) for s in settings]


def nb08_widget(move="start"):
    from bpkit.views.landscapes import LandscapeView
    ns = load_notebook("08_local_minima_and_slow_convergence", "landscape_explorer(")
    moves = [((w1, 0.2), rate, kind, 60) for w1, rate, kind in
             zip(np.linspace(-1.5, 1.5, 8), np.geomspace(0.02, 0.2, 8),
                 ["constant", "step", "cosine", "warmup"] * 2)]
    if move == "steps":
        # 08's step slider moves in fives
        moves = [((0.3, 0.2), 0.05, "constant", 5 * (n // 5) + 5) for n in STEP_COUNTS]
    return (lambda: LandscapeView(ns["wells_loss"], minima=ns["minima"]),
            [lambda view, w0=w0, r=r, k=k, n=n: view.update(ns["wells_grad"], ns["sgd"],
                                                            ns["lr_schedule"], w0, r, k, n)
             for w0, r, k, n in moves])


def nb09_widget():
    from bpkit.views.regularization import RegularizationView
    ns = load_notebook("09_overfitting_and_regularization", "regularization_explorer(")
    settings = [(128, 20, 0.0, 0.0), (128, 160, 0.0, 0.0), (32, 80, 0.01, 0.25),
                (128, 160, 0.1, 0.5), (8, 40, 0.001, 0.1), (64, 160, 0.0, 0.75),
                (2, 10, 0.03, 0.0), (128, 80, 0.0003, 0.5)]

    def move(view, setting):
        view.results.clear()  # a setting seen for the first time: the training runs
        return view.update(ns["regularization_experiment"], *setting)
    return RegularizationView, [lambda view, s=s: move(view, s) for s in settings]


def nb10_widget():
    from bpkit.views.capstone import SearchView
    ns = load_notebook("10_capstone_digits", "search_explorer(")
    settings = [(width, rate) for rate in ns["rates"] for width in ns["widths"]]
    return (lambda: SearchView(ns["results"], ns["x_val"], ns["y_val"]),
            [lambda view, w=w, r=r: view.update(ns["predict"], w, r) for w, r in settings])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="passes over the slider values")
    args = parser.parse_args(argv)

    nb04_nudge, nb04_entry = nb04_widgets()
    widgets = [
        ("01 neuron explorer: move w1", nb01_widget(), (6.0, 4.8), GOAL_MS),
        ("02 loss explorer: move p", nb02_widget(), (8.4, 3.9), GOAL_MS),
        ("03 graph explorer: move a", nb03_widget(), (9.0, 5.0), GOAL_MS),
        ("04 nudge explorer: move δ", nb04_nudge, (6.8, 4.2), GOAL_MS),
        ("04 nudge explorer: pick another weight", nb04_entry, (6.8, 4.2), EXPERIMENT_GOAL_MS),
        ("05 learning-rate explorer: move the rate", nb05_widget(), (10.0, 4.0), GOAL_MS),
        ("05 learning-rate explorer: move the step count", nb05_widget("steps"), (10.0, 4.0),
         GOAL_MS),
        ("06 optimizer race: move the rate", nb06_widget(), (10.5, 4.2), GOAL_MS),
        ("06 optimizer race: move the step count", nb06_widget("steps"), (10.5, 4.2), GOAL_MS),
        ("06 optimizer race: move κ", nb06_widget("kappa"), (10.5, 4.2), EXPERIMENT_GOAL_MS),
        ("07 depth explorer: a new depth, activation or initialisation", nb07_widget(),
         (10.0, 4.0), EXPERIMENT_GOAL_MS),
        ("08 landscape explorer: move the start, rate, schedule", nb08_widget(), (10.0, 4.4),
         GOAL_MS),
        ("08 landscape explorer: move the step count", nb08_widget("steps"), (10.0, 4.4),
         GOAL_MS),
        ("09 regularization explorer: a new width, size, L2 strength or dropout rate (a "
         "training run)", nb09_widget(), (10.0, 4.0), EXPERIMENT_GOAL_MS),
        ("10 search explorer: another width or learning rate", nb10_widget(), (12.0, 3.9),
         GOAL_MS),
    ]
    rows = []
    for label, (make_view, moves), figsize, goal in widgets:
        base = time_calls(baseline_calls(figsize), args.repeat * 3)
        view = make_view()
        seconds = time_calls([lambda move=move: move(view) for move in moves], args.repeat)
        fresh = time_calls([lambda move=move: move(make_view()) for move in moves],
                           max(args.repeat // 3, 2))
        rows.append({"widget": label, "ms": 1e3 * seconds, "baseline_ms": 1e3 * base,
                     "ratio": seconds / base, "fresh_ms": 1e3 * fresh,
                     "speedup_vs_fresh": fresh / seconds, "goal_ms": goal,
                     "meets_goal": 1e3 * seconds <= goal})
    print("| widget, one slider change | median ms | vs blank figure (1.00) "
          "| a new figure per move | goal |")
    print("|---|---|---|---|---|")
    for row in rows:
        verdict = "PASS" if row["meets_goal"] else "OVER"
        print(f"| {row['widget']} | {row['ms']:.0f} | {row['ratio']:.2f} "
              f"(blank {row['baseline_ms']:.0f} ms) | {row['fresh_ms']:.0f} ms "
              f"({row['speedup_vs_fresh']:.1f}x slower) | < {row['goal_ms']:.0f} ms: {verdict} |")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"repeat": args.repeat, "rows": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
