"""Speed of eager ``mx.nd`` ops against MXNet 1.9.1's imperative calls of the same ops.

    GLUONBRIDGE_ORACLE_DIR=/work/main/.oracles python bench/bench_eager.py [--repeat 200]

For relu, add, FullyConnected, softmax and reshape on a small (10x10) and a large (1000x1000)
array: the median time of one call after the first (gluonbridge: its cached session; MXNet: the
call followed by ``wait_to_read``; both processes warmed by one other call first), their ratio (goal <= 2x), and gluonbridge's first call of a
new signature (a one-op graph lowered and a session built; goal <= 20 ms) and its first call at
a new shape (n + 1: a shape-free session is reused, others rebuilt), with MXNet's first call
beside them; then the median first call of twenty unary ops (a new op, then a new shape). The
MXNet side runs in the mx1 oracle venv, in its own process.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CASES = {   # name -> (op, arrays as shapes, attributes); "n" is the size
    "relu": ("relu", [("n", "n")], {}),
    "add": ("broadcast_add", [("n", "n"), ("n", "n")], {}),
    "FullyConnected": ("FullyConnected", [("n", "n"), ("n", "n"), ("n",)], {"num_hidden": "n"}),
    "softmax": ("softmax", [("n", "n")], {}),
    "reshape": ("Reshape", [("n", "n")], {"shape": (-1,)}),
}
SIZES = (10, 1000)

TIMER = """
import json, statistics, sys, time
import numpy as np
def concrete(value, n):
    if value == "n":
        return n
    if isinstance(value, (list, tuple)):
        return type(value)(concrete(v, n) for v in value)
    return value
def bench(nd, cases, sizes, repeat, sync):
    sync(nd.relu(nd.array([[1.0]])))     # imports and one-time setup are not a first call
    out = {}
    for label, (op, shapes, attrs) in cases.items():
        for n in sizes:
            arrays = [nd.array(np.random.rand(*concrete(s, n)).astype("float32")) for s in shapes]
            attrs_n = {k: concrete(v, n) for k, v in attrs.items()}
            fn = getattr(nd, op)
            t = time.perf_counter(); sync(fn(*arrays, **attrs_n)); first = time.perf_counter() - t
            grown = [nd.array(np.random.rand(*concrete(s, n + 1)).astype("float32"))
                     for s in shapes]
            attrs_grown = {k: concrete(v, n + 1) for k, v in attrs.items()}
            t = time.perf_counter(); sync(fn(*grown, **attrs_grown))
            new_shape = time.perf_counter() - t
            times = []
            reps = repeat if n < 100 else max(5, repeat // 20)
            for _ in range(reps):
                t = time.perf_counter(); sync(fn(*arrays, **attrs_n))
                times.append(time.perf_counter() - t)
            out[f"{label} {n}"] = [first, statistics.median(times), new_shape]
    return out
"""


def mxnet_times(repeat):
    python = Path(os.environ.get("GLUONBRIDGE_ORACLE_DIR", ".oracles")) / "mx1" / "bin" / "python"
    code = TIMER + f"""
import mxnet as mx
print(json.dumps(bench(mx.nd, {CASES!r}, {SIZES!r}, {repeat}, lambda r: r.wait_to_read())))
"""
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def gluonbridge_times(repeat):
    namespace = {}
    exec(TIMER, namespace)
    from gluonbridge import ndarray as nd
    return namespace["bench"](nd, CASES, SIZES, repeat, lambda r: r)


FIRST_CALL_OPS = ("sin", "cos", "tan", "sinh", "cosh", "arcsin", "arctan", "exp", "log",
                  "sqrt", "abs", "negative", "sigmoid", "floor", "ceil", "square", "expm1",
                  "log1p", "rsqrt", "softsign")


def first_calls():
    """gluonbridge's first call of each of FIRST_CALL_OPS on a 10x10 array (a new op: lowered,
    written, a session built) and then on a 12x11 one (a new shape): the medians."""
    import numpy as np
    from gluonbridge import ndarray as nd
    new_op, new_shape = [], []
    for op in FIRST_CALL_OPS:
        fn = getattr(nd, op)
        for shape, times in (((10, 10), new_op), ((12, 11), new_shape)):
            x = nd.array(np.random.rand(*shape).astype("float32"))
            t = time.perf_counter()
            fn(x)
            times.append(time.perf_counter() - t)
    return statistics.median(new_op), statistics.median(new_shape)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    ours = gluonbridge_times(args.repeat)
    theirs = mxnet_times(args.repeat)
    print(f"{'case':<20}{'gluonbridge':>13}{'mxnet 1.9.1':>13}{'ratio':>7}"
          f"{'first call':>12}{'new shape':>11}{'mxnet first':>13}")
    for key, (first, median, new_shape) in ours.items():
        mx_first, mx_median, _ = theirs[key]
        print(f"{key:<20}{median * 1e6:>10.1f} us{mx_median * 1e6:>10.1f} us"
              f"{median / mx_median:>6.2f}x{first * 1e3:>9.1f} ms{new_shape * 1e3:>8.1f} ms"
              f"{mx_first * 1e3:>10.1f} ms")
    new_op, new_shape = first_calls()
    print(f"first calls, median of {len(FIRST_CALL_OPS)} unary ops: new op "
          f"{new_op * 1e3:.1f} ms, then a new shape {new_shape * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
