"""``convert --to onnx`` of resnet50_v1's exported graph, end to end as a CLI process, against
MXNet 1.9.1's own exporter (``mx.onnx.export_model``). Goal (issue 10): <= 1 s.

    python3 bench/bench_convert_onnx.py [--repeat 5] [--mxnet-python PY]

The graph is exported by MXNet 1.9.1 (the mx1 oracle: ``model_zoo.vision.resnet50_v1``,
initialized, hybridized, run once, ``export``) into a temporary folder. Both sides are timed as
whole processes (interpreter start-up, imports, reading, writing, fsync), median of ``--repeat``
after one untimed run that lets Python write its bytecode caches (an installed package has
them; PYTHONDONTWRITEBYTECODE is unset for the children). Wall time and CPU time (user + sys)
are both printed: on a loaded machine the wall time is mostly waiting for a core.
MXNet's exporter imports ``onnx.mapping``, gone from current onnx, and the oracle venvs hold no
onnx at all: ``--mxnet-python`` names an interpreter with mxnet 1.9.1 and an old onnx (e.g. a
scratch venv whose .pth adds the mx1 oracle's site-packages, with ``onnx==1.14.1`` and
``protobuf<4``); without one, only gluonbridge's time is reported. Not run by the test suite.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.oracle.harness import find_oracle  # noqa: E402

GOAL_S = 1.0
SHAPE = (1, 3, 224, 224)
EXPORT = """
net = mx.gluon.model_zoo.vision.resnet50_v1()
net.initialize(mx.init.Xavier())
net.hybridize()
net(mx.nd.zeros({shape}))
net.export({prefix!r})
result = True
"""
MXNET_EXPORT = """
import sys, numpy as np, mxnet as mx
mx.onnx.export_model(sys.argv[1], sys.argv[2], [{shape}], np.float32, sys.argv[3])
"""


def timed(argv, env=None) -> tuple:
    """(wall seconds, CPU seconds) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(map(str, argv))}\n{done.stderr[-3000:]}")
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median_of(repeat, argv, env=None) -> tuple:
    """Median wall and CPU seconds of ``repeat`` runs, after one untimed run."""
    env = {k: v for k, v in (env or os.environ).items() if k != "PYTHONDONTWRITEBYTECODE"}
    timed(argv, env)
    runs = [timed(argv, env) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--mxnet-python", metavar="PY",
                        help="a python with mxnet 1.9.1 and an onnx MXNet's exporter imports")
    args = parser.parse_args()
    mx1 = find_oracle("mx1")
    if mx1 is None:
        raise SystemExit("the mx1 oracle is not installed (bash tests/oracle/install.sh)")
    with tempfile.TemporaryDirectory(prefix="gb_bench_onnx_") as tmp:
        prefix = os.path.join(tmp, "resnet50_v1")
        mx1.run(EXPORT.format(shape=SHAPE, prefix=prefix))
        symbol, params = f"{prefix}-symbol.json", f"{prefix}-0000.params"
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
        ours, ours_cpu = median_of(args.repeat, [
            sys.executable, "-m", "gluonbridge.convert", symbol, os.path.join(tmp, "gb.onnx"),
            "--to", "onnx", "--input", "data:" + ",".join(map(str, SHAPE)), "--force"], env)
        size = os.path.getsize(os.path.join(tmp, "gb.onnx")) / 2**20
        print(f"gluonbridge convert --to onnx, resnet50_v1 ({size:.0f} MiB): median {ours:.3f} s "
              f"wall, {ours_cpu:.3f} s CPU, of {args.repeat} (goal <= {GOAL_S} s wall: "
              f"{'met' if ours <= GOAL_S else 'MISSED'}; load average {os.getloadavg()[0]:.1f})")
        if args.mxnet_python is None:
            print("MXNet 1.9.1's exporter: not run (the oracle venvs have no onnx; pass "
                  "--mxnet-python)")
            return
        theirs, theirs_cpu = median_of(args.repeat, [
            args.mxnet_python, "-c", MXNET_EXPORT.format(shape=SHAPE), symbol, params,
            os.path.join(tmp, "mx.onnx")], dict(os.environ, PYTHONPATH=""))
        print(f"MXNet 1.9.1 mx.onnx.export_model: median {theirs:.3f} s wall, {theirs_cpu:.3f} s "
              f"CPU, of {args.repeat}")
        print(f"ratio gluonbridge / MXNet: {ours / theirs:.3f} wall, {ours_cpu / theirs_cpu:.3f} "
              "CPU")


if __name__ == "__main__":
    main()
