"""Benchmark: the course's numpy network against the same network in PyTorch, one epoch on a CPU.

    .venv-bench/bin/python bench/torch_bench.py [--threads 1 2] [--rounds 3] [--epochs 7]

(`python3 course.py bench torch` installs PyTorch into .venv-bench and runs this.) The numpy side
is the course's own reference code, read from the solution notebooks: the layers and
two_layer_loss of 04, and sgd, iterate_minibatches and train of 05, whose training step
(two_layer_loss, then params[name], configs[name] = sgd(...)) runs as written, one epoch per call.
PyTorch trains the same 64-H-10 ReLU network with torch.nn.Linear, F.cross_entropy,
loss.backward() and torch.optim.SGD, from the same weights, on the same digits, with the same
learning rate, batch size and order of the samples in every epoch.

Reports numpy epoch time / torch epoch time (goal: <= 1.0, no slower than PyTorch) in float64 and
float32. numpy and torch run in separate processes, alternating (numpy, torch, numpy, ...), each
with numpy's BLAS, OpenMP and torch limited to the same number of threads; the medians are over
all of a framework's timed epochs. First, one step of each from the same weights must give the
same loss and parameters (within 1e-10 in float64). Results go to bench/results/torch.json.
"""
import argparse
import ast
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
NB04 = ROOT / "solutions" / "04_backward_pass" / "04_backward_pass.ipynb"
NB05 = ROOT / "solutions" / "05_gradient_descent" / "05_gradient_descent.ipynb"
LAYERS = ["dense_forward", "dense_backward", "relu_forward", "relu_backward",
          "softmax_cross_entropy", "two_layer_loss"]
TRAINING = ["sgd", "iterate_minibatches", "init_network", "network_loss", "train"]
LR = 0.2  # the learning rate notebook 05 trains its digits network with
TOLERANCE = {"float64": 1e-10, "float32": 1e-5}
NOISY = 2.0  # a row whose slowest epoch took this many times its fastest was disturbed


def function_sources(notebook, names):
    """The source of each named function, from the notebook's code cells (the last one wins)."""
    found = {}
    for cell in json.loads(notebook.read_text())["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue  # IPython magics; no cell that defines a training function has them
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name in names:
                found[node.name] = ast.get_source_segment(source, node)
    missing = [name for name in names if name not in found]
    if missing:
        raise SystemExit(f"{notebook.relative_to(ROOT)} defines no {', '.join(missing)}")
    return [found[name] for name in names]


def course_network(fused=False):
    """A namespace holding the course's train; its network_loss is 04's two_layer_loss, or with
    fused=True notebook 05's own network_loss (the same network written as one function)."""
    namespace = {"np": np}
    for source in function_sources(NB05, TRAINING) + ([] if fused else
                                                      function_sources(NB04, LAYERS)):
        exec(compile(source, "<course>", "exec"), namespace)
    if not fused:
        namespace["network_loss"] = namespace["two_layer_loss"]
    return namespace


def torch_network(params):
    """torch.nn.Sequential(Linear, ReLU, Linear) holding a copy of the course's params."""
    import torch

    dtype = torch.float64 if params["W1"].dtype == np.float64 else torch.float32
    (D, H), C = params["W1"].shape, params["W2"].shape[1]
    model = torch.nn.Sequential(torch.nn.Linear(D, H), torch.nn.ReLU(), torch.nn.Linear(H, C))
    model.to(dtype)
    with torch.no_grad():
        for layer, k in ((model[0], "1"), (model[2], "2")):
            layer.weight.copy_(torch.from_numpy(params["W" + k].T))  # torch stores W as (out, in)
            layer.bias.copy_(torch.from_numpy(params["b" + k]))
    return model


class CourseTrainer:
    """The course's train, one epoch per call, carrying the params from epoch to epoch."""

    def __init__(self, course, x, y, H, dtype, batch_size):
        self.course, self.batch_size = course, batch_size
        self.params = {k: v.astype(dtype) for k, v in course["init_network"](
            x.shape[1], H, 10, seed=0).items()}
        self.x, self.y = x.astype(dtype), y

    def epoch(self, seed):
        self.params, history = self.course["train"](self.params, self.x, self.y, lr=LR,
                                                    batch_size=self.batch_size, num_epochs=1,
                                                    seed=seed)
        return history[0]


class TorchTrainer:
    """The same network in PyTorch, from the same params, on the same data and batches."""

    def __init__(self, params, x, y, batch_size):
        import torch

        self.model = torch_network(params)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=LR)
        self.x, self.y = torch.from_numpy(x), torch.from_numpy(y)
        self.batch_size = batch_size

    def epoch(self, seed):
        """One epoch in the order iterate_minibatches draws: rng(seed).permutation, then slices."""
        import torch
        import torch.nn.functional as F

        order = torch.from_numpy(np.random.default_rng(seed).permutation(len(self.x)))
        batch_losses = []
        for start in range(0, len(self.x), self.batch_size):
            batch = order[start:start + self.batch_size]
            self.optimizer.zero_grad()
            loss = F.cross_entropy(self.model(self.x[batch]), self.y[batch])
            loss.backward()
            self.optimizer.step()
            batch_losses.append(loss.item())  # as the course's train records each batch's loss
        return float(np.mean(batch_losses))

    def params(self):
        layers = {"1": self.model[0], "2": self.model[2]}
        return {**{"W" + k: m.weight.detach().numpy().T for k, m in layers.items()},
                **{"b" + k: m.bias.detach().numpy() for k, m in layers.items()}}


def difference(course, x, y, dtype):
    """max |numpy - torch| over the loss and the params after one epoch of both from the same
    start: one step when x holds a single batch of 32."""
    ours = CourseTrainer(course, x, y, 64, dtype, 32)
    theirs = TorchTrainer(ours.params, ours.x, y, 32)
    gaps = [abs(ours.epoch(0) - theirs.epoch(0))]
    if ours.params["W1"].dtype != np.dtype(dtype):
        raise SystemExit(f"the course's train turned {dtype} params into {ours.params['W1'].dtype}")
    return max(gaps + [float(np.max(np.abs(ours.params[k] - v)))
                       for k, v in theirs.params().items()])


def epoch_times(epochs, args):
    """Seconds per epoch of each named trainer, interleaved so that load hits them alike."""
    times = {name: [] for name in epochs}
    for i in range(args.warmup + args.epochs):
        for name, epoch in epochs.items():
            started = time.perf_counter()
            epoch(seed=i)
            if i >= args.warmup:
                times[name].append(time.perf_counter() - started)
    return times


def owner(path):
    parts = Path(path).parts
    return parts[parts.index("site-packages") + 1] if "site-packages" in parts else path


def worker(args):
    """Time one framework with this process's thread count; print the figures as JSON.

    numpy and torch run in separate processes, so that the idle thread pool of one library
    (OpenBLAS and OpenMP workers spin a while before they sleep) never competes with the other's
    work: with 2 threads on 2 cores that alone slowed the other several times.
    """
    import threadpoolctl

    from bpkit.datasets import digits

    data = digits(seed=0)
    x, y = data["x_train"], data["y_train"]
    layered = course_network()
    figures = {"framework": args.framework, "threads": args.worker, "times": {}}
    if args.framework == "torch":
        import torch

        torch.set_num_threads(args.worker)
        figures.update(torch=torch.__version__, torch_threads=torch.get_num_threads())
        figures["agreement"] = {dtype: {"one_step": difference(layered, x[:32], y[:32], dtype),
                                        "one_epoch": difference(layered, x, y, dtype)}
                                for dtype in ("float64", "float32")}
    else:
        fused = course_network(fused=True)
    for dtype in ("float64", "float32"):
        for H in args.hidden:
            for batch_size in args.batch:
                course = CourseTrainer(layered, x, y, H, dtype, batch_size)
                if args.framework == "torch":
                    epochs = {"torch": TorchTrainer(course.params, course.x, y, batch_size).epoch}
                else:
                    epochs = {"numpy": course.epoch, "numpy_fused": CourseTrainer(
                        fused, x, y, H, dtype, batch_size).epoch}
                times = epoch_times(epochs, args)
                figures["times"][f"{dtype} {H} {batch_size}"] = times
    # threadpoolctl lists every BLAS and OpenMP runtime loaded (scipy brings its own OpenBLAS,
    # torch its libgomp; torch's MKL is linked in and follows torch.set_num_threads): name the
    # package each comes with, so that every thread count can be checked.
    figures["thread_pools"] = [f"{owner(p['filepath'])} {p['internal_api']}: {p['num_threads']}"
                               for p in threadpoolctl.threadpool_info()]
    print(json.dumps(figures))


def run_worker(framework, threads, args):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads),
               MKL_NUM_THREADS=str(threads))
    cmd = [sys.executable, __file__, "--worker", str(threads), "--framework", framework,
           "--epochs", str(args.epochs), "--warmup", str(args.warmup),
           "--hidden", *map(str, args.hidden), "--batch", *map(str, args.batch)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"the {framework} run with {threads} thread(s) failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def summary(runs, args):
    """Medians over all rounds per thread count and configuration, and their ratios."""
    figures = {}
    for threads in args.threads:
        mine = [r for r in runs if r["threads"] == threads]
        torch_runs = [r for r in mine if r["framework"] == "torch"]
        agreement = {dtype: {
            "one_step": max(r["agreement"][dtype]["one_step"] for r in torch_runs),
            "one_epoch": max(r["agreement"][dtype]["one_epoch"] for r in torch_runs),
            "tolerance": TOLERANCE[dtype]} for dtype in TOLERANCE}
        for a in agreement.values():
            a["ok"] = a["one_step"] <= a["tolerance"]
        rows = []
        for key in mine[0]["times"]:
            times = {}
            for r in mine:
                for name, t in r["times"][key].items():
                    times.setdefault(name, []).extend(t)
            medians = {name: float(np.median(t)) for name, t in times.items()}
            dtype, H, batch_size = key.split()
            rows.append({"dtype": dtype, "hidden": int(H), "batch_size": int(batch_size),
                         "timed_epochs": len(times["torch"]),
                         **{f"{name}_ms": 1e3 * m for name, m in medians.items()},
                         "ratio": medians["numpy"] / medians["torch"],
                         "ratio_fused": medians["numpy_fused"] / medians["torch"],
                         "ratio_range": [min(times["numpy"]) / max(times["torch"]),
                                         max(times["numpy"]) / min(times["torch"])],
                         "noisy": any(max(t) > NOISY * min(t) for t in times.values())})
        figures[threads] = {"torch": torch_runs[0]["torch"],
                            "torch_threads": torch_runs[0]["torch_threads"],
                            "thread_pools": {r["framework"]: r["thread_pools"] for r in mine},
                            "agreement": agreement, "rows": rows}
    return figures


def report(figures, args):
    first = next(iter(figures.values()))
    print(f"One epoch of training on the digits (1347 samples, 64-H-10 ReLU, SGD lr {LR}); "
          f"median of {args.rounds} x {args.epochs} epochs (after {args.warmup} warm-up), numpy "
          f"and torch in separate processes, alternating; torch {first['torch']}, "
          f"{os.cpu_count()} cores\n")
    for threads, f in figures.items():
        print(f"{threads} thread(s): torch.get_num_threads() = {f['torch_threads']}; threads per "
              f"pool: {'; '.join(f['thread_pools']['numpy'])} (numpy's process), "
              f"{'; '.join(f['thread_pools']['torch'])} (torch's)")
        for dtype, a in f["agreement"].items():
            print(f"  same start, one step, {dtype}: max |numpy - torch| over loss and params = "
                  f"{a['one_step']:.1e} ({'OK' if a['ok'] else 'MISMATCH'}, tolerance "
                  f"{a['tolerance']:.0e}); after one whole epoch: {a['one_epoch']:.1e}")
    print("\n| threads | dtype | H | batch | numpy ms/epoch | torch ms/epoch | numpy / torch "
          "| range (min–max) | goal ≤ 1.0 | 05's network_loss / torch |")
    print("|---:|---|---:|---:|---:|---:|---:|---|---|---:|")
    for threads, f in figures.items():
        for r in f["rows"]:
            print(f"| {threads} | {r['dtype']} | {r['hidden']} | {r['batch_size']} | "
                  f"{r['numpy_ms']:.2f} | {r['torch_ms']:.2f} | **{r['ratio']:.2f}** | "
                  f"{r['ratio_range'][0]:.2f}–{r['ratio_range'][1]:.2f} | "
                  f"{'PASS' if r['ratio'] <= 1.0 else 'OVER'}{' (noisy)' if r['noisy'] else ''} | "
                  f"{r['ratio_fused']:.2f} |")
    print("\nnumpy: the course's two_layer_loss (04) trained by its train and sgd (05); the last "
          "column times notebook 05's one-function network_loss in its place. range: fastest "
          "numpy epoch / slowest torch epoch to slowest numpy / fastest torch; noisy: some "
          f"epoch of the row took over {NOISY:.0f}x another of the same kind (load from "
          "elsewhere; with 2 threads on 2 cores, one busy core can stall every matrix product).")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2],
                        help="thread counts, each run in its own processes")
    parser.add_argument("--rounds", type=int, default=3,
                        help="numpy, torch, numpy, torch, ...: processes per framework")
    parser.add_argument("--epochs", type=int, default=7, help="timed epochs per process")
    parser.add_argument("--warmup", type=int, default=2, help="untimed epochs first")
    parser.add_argument("--hidden", type=int, nargs="+", default=[64, 256])
    parser.add_argument("--batch", type=int, nargs="+", default=[32, 128])
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--framework", choices=["numpy", "torch"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        sys.path.insert(0, str(ROOT))
        return worker(args)
    started = time.perf_counter()
    runs = [run_worker(framework, threads, args) for _ in range(args.rounds)
            for threads in args.threads for framework in ("numpy", "torch")]
    figures = summary(runs, args)
    report(figures, args)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "torch.json").write_text(json.dumps({
        "cores": os.cpu_count(), "rounds": args.rounds, "epochs": args.epochs,
        "warmup": args.warmup, "lr": LR, "by_threads": figures, "runs": runs,
        "seconds": time.perf_counter() - started}, indent=1) + "\n")
    if not all(a["ok"] for f in figures.values() for a in f["agreement"].values()):
        raise SystemExit("numpy and torch disagree after one step from the same weights")


if __name__ == "__main__":
    main()
