"""Benchmark: ``SymbolBlock.imports`` + the first call on resnet50_v1's exported graph, gluonbridge
vs MXNet 1.9.1 in the same run (issue 10, "Speed": goal ratio <= 1.0).

MXNet 1.9.1 exports the model (random weights, batch 1, 224x224) into a temporary folder; then,
``--repeat`` times in turn, each side imports the files and runs one batch in a fresh process
(libraries already imported, onnx and onnxruntime included: only the import of the graph and
the first call are timed). gluonbridge runs three ways: without its session cache, with an
empty cache (the process that fills it; the entry is written on a thread of its own while the
call goes on, and the process's end waits for it, untimed) and with the entry there.
Both sides use the same thread count (default 1). Prints the medians and the ratios.

    python bench/bench_imports.py [--repeat 5] [--threads 1] [--model resnet50_v1]
"""
import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.oracle.harness import find_oracle, gluonbridge_interpreter  # noqa: E402

EXPORT = """
import numpy as np
from mxnet.gluon.model_zoo.vision import get_model
net = get_model({model!r})
net.initialize()
net.hybridize()
net(mx.nd.array(np.zeros((1, 3, 224, 224), dtype="float32")))
net.export({prefix!r}, epoch=0)
result = True
"""

TIMER = """
import time
import numpy as np
{setup}
x = {make_input}(np.random.RandomState(0).rand(1, 3, 224, 224).astype("float32"))
t = time.perf_counter()
net = SymbolBlock.imports({prefix!r} + "-symbol.json", ["data"], {prefix!r} + "-0000.params")
{sync}(net(x))
result = time.perf_counter() - t
"""

MXNET = dict(setup="from mxnet.gluon import SymbolBlock", make_input="mx.nd.array",
             sync="(lambda y: y.wait_to_read())")
# onnx and onnxruntime are imported before timing, as MXNet's libraries are by `import mxnet`
WAYS = ("cache off", "cache empty", "cache hit")
GLUONBRIDGE = dict(setup="from gluonbridge.gluon import SymbolBlock\nimport onnx, onnxruntime",
                   make_input="np.asarray", sync="np.asarray")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--model", default="resnet50_v1")
    args = ap.parse_args()
    mx1 = find_oracle("mx1")
    if mx1 is None:
        sys.exit("bench_imports: the MXNet 1.9.1 oracle is missing; run "
                 "`bash tests/oracle/install.sh`")
    threads = str(args.threads)
    mx1.env.update(OMP_NUM_THREADS=threads, MXNET_CPU_WORKER_NTHREADS=threads)
    ours = gluonbridge_interpreter("legacy")
    ours.env.update(GLUONBRIDGE_THREADS=threads, OMP_NUM_THREADS=threads)
    with tempfile.TemporaryDirectory() as tmp:
        prefix = str(Path(tmp) / args.model)
        mx1.run(EXPORT.format(model=args.model, prefix=prefix))
        theirs, mine = [], {way: [] for way in WAYS}
        for trial in range(args.repeat):
            theirs.append(mx1.run(TIMER.format(**MXNET, prefix=prefix)))
            timer = TIMER.format(**GLUONBRIDGE, prefix=prefix)
            ours.env.update(GLUONBRIDGE_SESSION_CACHE="0")
            mine["cache off"].append(ours.run(timer))
            ours.env.update(GLUONBRIDGE_SESSION_CACHE="1",
                            XDG_CACHE_HOME=str(Path(tmp) / f"cache{trial}"))
            mine["cache empty"].append(ours.run(timer))
            mine["cache hit"].append(ours.run(timer))
    base = statistics.median(theirs)
    print(f"{args.model}: SymbolBlock.imports + first call, threads={threads}, median of "
          f"{args.repeat}")
    print(f"  MXNet 1.9.1                {base * 1e3:8.0f} ms")
    for way, times in mine.items():
        ratio = statistics.median(times) / base
        print(f"  gluonbridge, {way:12s}  {statistics.median(times) * 1e3:8.0f} ms   ratio "
              f"{ratio:.2f} (goal <= 1.0): {'met' if ratio <= 1.0 else 'NOT met'}")

if __name__ == "__main__":
    main()
