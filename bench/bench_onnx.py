"""Benchmark: model-zoo inference on onnxruntime and OpenVINO vs MXNet 1.9.1 hybridized, and
the first call with and without onnxruntime's session cache, in the same run.

For resnet50_v1, mobilenet1.0 and densenet121 at batch 1 and 8 (float32, 224x224), every side
runs in its own fresh process with the same number of threads (default 1): MXNet in its oracle
venv with OMP_NUM_THREADS, gluonbridge with GLUONBRIDGE_THREADS, once per installed backend
(GLUONBRIDGE_BACKEND). Steady state: the fastest of --runs calls after warm-up (on a shared
machine the minimum is the figure least disturbed by other jobs); ratios gluonbridge / MXNet
(goal <= 0.7) and OpenVINO / onnxruntime. First call (batch 1): hybridize (MXNet) or trace +
lowering + session creation (gluonbridge) + the call, for onnxruntime without the session cache,
with an empty one (building and writing the entry) and with the entry a previous process wrote.

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
for _ in range(3):
    {sync}(net(x))
times = []
for _ in range({runs}):
    t = time.perf_counter()
    {sync}(net(x))
    times.append(time.perf_counter() - t)
result = {{'best_s': min(times), 'median_s': statistics.median(times), 'first_s': first}}
"""

MXNET = dict(setup="from mxnet.gluon.model_zoo.vision import get_model", load="",
             hybridize="net.hybridize(static_alloc=True, static_shape=True)",
             make_input="mx.nd.array", sync="(lambda y: y.wait_to_read())")
GLUONBRIDGE = dict(setup="from gluonbridge.gluon.model_zoo.vision import get_model",
                   hybridize="net.hybridize()", make_input="np.asarray", sync="np.asarray",
                   load="")
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
    print(f"threads={threads}, fastest of {args.runs} runs; ratio: / MXNet")
    print(f"{'model':<14} {'batch':>5} {'MXNet ms':>9}" +
          "".join(f" {name[:8] + ' ms':>11} {'ratio':>6}" for name in sides) +
          (f" {'OV/ORT':>6}" if len(sides) == 2 else ""))
    worst = {name: 0.0 for name in sides}
    first = {}
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
            if batch == 1:
                first[model] = {"MXNet": theirs["first_s"],
                                **{name: got["first_s"] for name, got in mine.items()}}
    for name, ratio in worst.items():
        print(f"{name}: worst ratio {ratio:.2f} (goal <= 0.7): {'met' if ratio <= 0.7 else 'NOT met'}")
    _first_calls(first, threads, args.models.split(","))


def _first_calls(first, threads, models):
    """The first call at batch 1, in seconds, with onnxruntime's session cache empty (the
    process builds and writes the entry) and filled (a later process loads it)."""
    print("\nfirst call s (ratio / MXNet): hybridize or trace + session + the call, batch 1")
    sides = [s for s in ("onnxruntime", "openvino") if s in first[models[0]]]
    print(f"{'model':<14} {'MXNet':>7}" + "".join(f" {s[:11]:>15}" for s in sides) +
          f" {'ORT cache empty':>16} {'ORT cache hit':>16}")
    for model in models:
        with tempfile.TemporaryDirectory(prefix="bench_onnx_") as tmp:
            cached = gluonbridge_interpreter("legacy")
            cached.env.update(GLUONBRIDGE_THREADS=threads, OMP_NUM_THREADS=threads,
                              GLUONBRIDGE_BACKEND="onnxruntime", GLUONBRIDGE_SESSION_CACHE="1",
                              XDG_CACHE_HOME=tmp)
            path = str(Path(tmp) / "params")
            cached.run(SAVE.format(model=model, path=path))
            fill = dict(GLUONBRIDGE, model=model, batch=1, runs=1,
                        load=f"net.load_parameters({path!r})")
            empty = cached.run(TIMER.format(**fill))["first_s"]
            hit = cached.run(TIMER.format(**fill))["first_s"]
        base = first[model]["MXNet"]
        print(f"{model:<14} {base:>7.2f}" +
              "".join(f" {first[model][s]:>7.2f} ({first[model][s] / base:>4.2f})" for s in sides) +
              f" {empty:>8.2f} ({empty / base:>4.2f}) {hit:>8.2f} ({hit / base:>4.2f})", flush=True)


if __name__ == "__main__":
    main()
