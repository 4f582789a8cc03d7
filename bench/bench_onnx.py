"""Benchmark: model-zoo inference on onnxruntime and OpenVINO vs MXNet 1.9.1 hybridized, in the
same run.

For resnet50_v1, mobilenet1.0 and densenet121 at batch 1 and 8 (float32, 224x224), every side
runs with the same number of threads (default 1): MXNet in its oracle venv with OMP_NUM_THREADS,
gluonbridge with GLUONBRIDGE_THREADS, once per installed backend (GLUONBRIDGE_BACKEND).
Reported: median latency over --runs calls after warm-up, the ratios gluonbridge / MXNet (goal
<= 0.7) and OpenVINO / onnxruntime, and each side's first call (hybridize/trace + session
creation + the call) separately.

    python bench/bench_onnx.py [--runs 20] [--threads 1] [--models resnet50_v1,...]
"""
import argparse
import importlib.util
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.oracle.harness import find_oracle, gluonbridge_interpreter  # noqa: E402

TIMER = """
import statistics, time
import numpy as np
{setup}
net = get_model({model!r})
net.initialize()
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
result = {{'median_s': statistics.median(times), 'first_s': first}}
"""

MXNET = dict(setup="from mxnet.gluon.model_zoo.vision import get_model",
             hybridize="net.hybridize(static_alloc=True, static_shape=True)",
             make_input="mx.nd.array", sync="(lambda y: y.wait_to_read())")
GLUONBRIDGE = dict(setup="from gluonbridge.gluon.model_zoo.vision import get_model",
                   hybridize="net.hybridize()", make_input="np.asarray", sync="np.asarray")


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
                               GLUONBRIDGE_BACKEND=name)
    print(f"threads={threads}, median of {args.runs} runs; ratio: / MXNet; first: first call ms")
    print(f"{'model':<14} {'batch':>5} {'MXNet ms':>9} {'first':>6}" +
          "".join(f" {name[:8] + ' ms':>11} {'ratio':>6} {'first':>6}" for name in sides) +
          (f" {'OV/ORT':>6}" if len(sides) == 2 else ""))
    worst = {name: 0.0 for name in sides}
    for model in args.models.split(","):
        for batch in map(int, args.batches.split(",")):
            fill = dict(model=model, batch=batch, runs=args.runs)
            theirs = mx1.run(TIMER.format(**MXNET, **fill))
            row = f"{model:<14} {batch:>5} {theirs['median_s'] * 1e3:>9.1f} " \
                  f"{theirs['first_s'] * 1e3:>6.0f}"
            mine = {name: interp.run(TIMER.format(**GLUONBRIDGE, **fill))
                    for name, interp in sides.items()}
            for name, got in mine.items():
                ratio = got["median_s"] / theirs["median_s"]
                worst[name] = max(worst[name], ratio)
                row += f" {got['median_s'] * 1e3:>11.1f} {ratio:>6.2f} {got['first_s'] * 1e3:>6.0f}"
            if len(mine) == 2:
                row += f" {mine['openvino']['median_s'] / mine['onnxruntime']['median_s']:>6.2f}"
            print(row, flush=True)
    for name, ratio in worst.items():
        print(f"{name}: worst ratio {ratio:.2f} (goal <= 0.7): {'met' if ratio <= 0.7 else 'NOT met'}")


if __name__ == "__main__":
    main()
