"""Benchmark: recurrent inference on gluonbridge (onnxruntime) vs MXNet 1.9.1 hybridized.

Two models, float32, same thread count on both sides (default 1; MXNet in its oracle venv with
OMP_NUM_THREADS, gluonbridge with GLUONBRIDGE_THREADS):

* ``lm``: Embedding(10000, 650) -> 2-layer LSTM(650) -> Dense(10000), sequence 35, batch 20;
* ``tagger``: Embedding(10000, 128) -> bidirectional GRU(128) -> Dense(32), sequence 35,
  batch 20.

Reported: median latency over --runs calls after warm-up and the ratio gluonbridge / MXNet
(goal <= 0.7).

    python bench/bench_rnn.py [--runs 20] [--threads 1]
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
rnn, nn = gluon.rnn, gluon.nn

class Net(gluon.HybridBlock):
    def __init__(self, recurrent, classes, embed):
        super().__init__()
        with self.name_scope():
            self.embed = nn.Embedding(10000, embed)
            self.rnn = recurrent
            self.out = nn.Dense(classes, flatten=False)

    def hybrid_forward(self, F, x):
        return self.out(self.rnn(self.embed(x)))

if {model!r} == "lm":
    net = Net(rnn.LSTM(650, num_layers=2), 10000, 650)
else:
    net = Net(rnn.GRU(128, bidirectional=True), 32, 128)
net.initialize()
net.hybridize({hybridize})
x = {make_input}(np.random.RandomState(0).randint(0, 10000, (35, 20)).astype('float32'))
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

MXNET = dict(setup="import mxnet as mx\nfrom mxnet import gluon",
             hybridize="static_alloc=True, static_shape=True", make_input="mx.nd.array",
             sync="(lambda y: y.wait_to_read())")
GLUONBRIDGE = dict(setup="from gluonbridge import gluon", hybridize="", make_input="np.asarray",
                   sync="np.asarray")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    mx1 = find_oracle("mx1")
    if mx1 is None:
        sys.exit("bench_rnn: the MXNet 1.9.1 oracle is missing; run `bash tests/oracle/install.sh`")
    threads = str(args.threads)
    mx1.env.update(OMP_NUM_THREADS=threads, MXNET_CPU_WORKER_NTHREADS=threads)
    ours = gluonbridge_interpreter("legacy")
    ours.env.update(GLUONBRIDGE_THREADS=threads, OMP_NUM_THREADS=threads)
    print(f"threads={threads}, median of {args.runs} runs")
    print(f"{'model':<8} {'MXNet ms':>9} {'ORT ms':>8} {'ratio':>6} {'first call ms':>14}")
    worst = 0.0
    for model in ("lm", "tagger"):
        fill = dict(model=model, runs=args.runs)
        theirs = mx1.run(TIMER.format(**MXNET, **fill))
        mine = ours.run(TIMER.format(**GLUONBRIDGE, **fill))
        ratio = mine["median_s"] / theirs["median_s"]
        worst = max(worst, ratio)
        print(f"{model:<8} {theirs['median_s'] * 1e3:>9.1f} {mine['median_s'] * 1e3:>8.1f} "
              f"{ratio:>6.2f} {mine['first_s'] * 1e3:>14.0f}")
    print(f"worst ratio {worst:.2f} (goal <= 0.7): {'met' if worst <= 0.7 else 'NOT met'}")


if __name__ == "__main__":
    main()
