"""Benchmark: model-zoo inference on onnxruntime and OpenVINO vs MXNet 1.9.1 hybridized, and
the first call with and without onnxruntime's session cache, in the same run.

For resnet50_v1, mobilenet1.0 and densenet121 at batch 1 and 8 (float32, 224x224), every side
runs in its own fresh process with the same number of threads (default 1): MXNet in its oracle
venv with OMP_NUM_THREADS, gluonbridge with GLUONBRIDGE_THREADS, once per installed backend
(GLUONBRIDGE_BACKEND). Steady state: the fastest of --runs calls after warm-up (on a shared
machine the minimum is the figure least disturbed by other jobs); ratios gluonbridge / MXNet
(goal <= 0.7) and OpenVINO / onnxruntime. First call (batch 1): hybridize (MXNet) or trace +
lowering + session creation (gluonbridge) + the call, for onnxruntime without the session cache,
with an empty one (the entry built after the call, on a thread of its own) and with the entry a previous process wrote;
fastest of --first-trials fresh processes each.

    python bench/bench_onnx.py [--runs 20] [--threads 1] [--models resnet50_v1,...]
"""
import argparse
import importlib.util
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.oracle.harness import find_oracle, gluonbridge_interpreter  # noqa: E402

TIMER = """
import statistics, time
import numpy as np
{setup}
net = get_model({model!r})
net.initialize()
{load}
{hybridize}
x = {make_input}(np.random.RandomState(0).rand({batch}, 3, 224, 224).astype('float32'))
t = time.perf_counter()
{sync}(net(x))
first = time.perf_counter() - t
{settle}
for _ in range(3):
    {sync}(net(x))
times = []
for _ in range({runs}):
    t = time.perf_counter()
    {sync}(net(x))
    times.append(time.perf_counter() - t)
result = {{'best_s': min(times), 'median_s': statistics.median(times), 'first_s': first}}
"""

# the fully optimized session replaces the quick first one on a thread: steady state is after it
SETTLE = "from gluonbridge.backend import session_cache\nsession_cache.wait()"
MXNET = dict(setup="from mxnet.gluon.model_zoo.vision import get_model", load="",
             hybridize="net.hybridize(static_alloc=True, static_shape=True)",
             make_input="mx.nd.array", sync="(lambda y: y.wait_to_read())", settle="")
GLUONBRIDGE = dict(setup="from gluonbridge.gluon.model_zoo.vision import get_model",
                   hybridize="net.hybridize()", make_input="np.asarray", sync="np.asarray",
                   load="", settle=SETTLE)
SAVE = """
import numpy as np
from gluonbridge.gluon.model_zoo.vision import get_model
net = get_model({model!r})
net.initialize()
net(np.zeros((1, 3, 224, 224), 'float32'))
net.save_parameters({path!r})
result = None
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--models", default="resnet50_v1,mobilenet1.0,densenet121")
    ap.add_argument("--batches", default="1,8")
    ap.add_argument("--first-trials", type=int, default=3)
    ap.add_argument("--first-only", action="store_true", help="only the first-call table")
    args = ap.parse_args()
    mx1 = find_oracle("mx1")
    if mx1 is None:
        sys.exit("bench_onnx: the MXNet 1.9.1 oracle is missing; run `bash tests/oracle/install.sh`")
    threads = str(args.threads)
    mx1.env.update(OMP_NUM_THREADS=threads, MXNET_CPU_WORKER_NTHREADS=threads)
    backends = [b for b in ("onnxruntime", "openvino") if importlib.util.find_spec(b)]
    sides = {}
    for name in backends:
        sides[name] = gluonbridge_interpreter("legacy")
        sides[name].env.update(GLUONBRIDGE_THREADS=threads, OMP_NUM_THREADS=threads,
                               GLUONBRIDGE_BACKEND=name, GLUONBRIDGE_SESSION_CACHE="0")
    if not args.first_only:
        _steady_state(sides, mx1, threads, args)
    _first_calls(sides, mx1, threads, args.models.split(","), args.first_trials)


def _steady_state(sides, mx1, threads, args):
    """The fastest of --runs calls after warm-up, per model and batch size, every side."""
    print(f"threads={threads}, fastest of {args.runs} runs; ratio: / MXNet")
    print(f"{'model':<14} {'batch':>5} {'MXNet ms':>9}" +
          "".join(f" {name[:8] + ' ms':>11} {'ratio':>6}" for name in sides) +
          (f" {'OV/ORT':>6}" if len(sides) == 2 else ""))
    worst = {name: 0.0 for name in sides}
    for model in args.models.split(","):
        for batch in map(int, args.batches.split(",")):
            fill = dict(model=model, batch=batch, runs=args.runs)
            theirs = mx1.run(TIMER.format(**MXNET, **fill))
            mine = {name: interp.run(TIMER.format(**GLUONBRIDGE, **fill))
                    for name, interp in sides.items()}
            row = f"{model:<14} {batch:>5} {theirs['best_s'] * 1e3:>9.1f}"
            for name, got in mine.items():
                ratio = got["best_s"] / theirs["best_s"]
                worst[name] = max(worst[name], ratio)
                row += f" {got['best_s'] * 1e3:>11.1f} {ratio:>6.2f}"
            if len(mine) == 2:
                row += f" {mine['openvino']['best_s'] / mine['onnxruntime']['best_s']:>6.2f}"
            print(row, flush=True)
    for name, ratio in worst.items():
        verdict = "met" if ratio <= 0.7 else "NOT met"
        print(f"{name}: worst ratio {ratio:.2f} (goal <= 0.7): {verdict}")


def _first_calls(sides, mx1, threads, models, trials):
    """The first call at batch 1 in seconds, fastest of ``trials`` fresh processes per side:
    MXNet; each backend without the session cache; onnxruntime with an empty cache (the process
    builds and writes the entry) and with the entry a previous process wrote."""
    print(f"\nfirst call s (ratio / MXNet), fastest of {trials} processes: hybridize or "
          "trace + session + the call, batch 1")
    names = list(sides) + ["ORT cache empty", "ORT cache hit"]
    print(f"{'model':<14} {'MXNet':>7}" + "".join(f" {n[:15]:>15}" for n in names))
    for model in models:
        times = {n: [] for n in ["MXNet"] + names}
        with tempfile.TemporaryDirectory(prefix="bench_onnx_") as tmp:
            path = str(Path(tmp) / "params")
            cached = gluonbridge_interpreter("legacy")
            cached.env.update(GLUONBRIDGE_THREADS=threads, OMP_NUM_THREADS=threads,
                              GLUONBRIDGE_BACKEND="onnxruntime", GLUONBRIDGE_SESSION_CACHE="1")
            cached.run(SAVE.format(model=model, path=path))
            load = f"net.load_parameters({path!r})"
            ours = TIMER.format(**dict(GLUONBRIDGE, load=load), model=model, batch=1, runs=1)
            for trial in range(trials):
                times["MXNet"].append(mx1.run(TIMER.format(**MXNET, model=model, batch=1,
                                                           runs=1))["first_s"])
                for name, interp in sides.items():
                    times[name].append(interp.run(ours)["first_s"])
                cached.env["XDG_CACHE_HOME"] = str(Path(tmp) / f"cache{trial}")
                times["ORT cache empty"].append(cached.run(ours)["first_s"])
                times["ORT cache hit"].append(cached.run(ours)["first_s"])
        best = {n: min(t) for n, t in times.items()}
        print(f"{model:<14} {best['MXNet']:>7.2f}" + "".join(
            f" {best[n]:>8.2f} ({best[n] / best['MXNet']:>4.2f})" for n in names), flush=True)


if __name__ == "__main__":
    main()
