"""Benchmark: model-zoo inference on onnxruntime vs MXNet 1.9.1 hybridized, in the same run.

For resnet50_v1, mobilenet1.0 and densenet121 at batch 1 and 8 (float32, 224x224), both sides
run with the same number of threads (default 1): MXNet in its oracle venv with OMP_NUM_THREADS,
gluonbridge with GLUONBRIDGE_THREADS. Reported: median latency over --runs calls after warm-up,
the ratio gluonbridge / MXNet (goal <= 0.7), and gluonbridge's first-call cost (trace + ONNX
session creation) separately.

    python bench/bench_onnx.py [--runs 20] [--threads 1] [--models resnet50_v1,...]
"""
import argparse
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
    ours = gluonbridge_interpreter("legacy")
    ours.env.update(GLUONBRIDGE_THREADS=threads, OMP_NUM_THREADS=threads)
    print(f"threads={threads}, median of {args.runs} runs")
    print(f"{'model':<14} {'batch':>5} {'MXNet ms':>9} {'ORT ms':>8} {'ratio':>6} {'first call ms':>14}")
    worst = 0.0
    for model in args.models.split(","):
        for batch in map(int, args.batches.split(",")):
            fill = dict(model=model, batch=batch, runs=args.runs)
            theirs = mx1.run(TIMER.format(**MXNET, **fill))
            mine = ours.run(TIMER.format(**GLUONBRIDGE, **fill))
            ratio = mine["median_s"] / theirs["median_s"]
            worst = max(worst, ratio)
            print(f"{model:<14} {batch:>5} {theirs['median_s'] * 1e3:>9.1f} "
                  f"{mine['median_s'] * 1e3:>8.1f} {ratio:>6.2f} {mine['first_s'] * 1e3:>14.0f}")
    print(f"worst ratio {worst:.2f} (goal <= 0.7): {'met' if worst <= 0.7 else 'NOT met'}")


if __name__ == "__main__":
    main()
