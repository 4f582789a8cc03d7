"""Benchmark: building deep block trees in gluonbridge vs the real MXNet, in the same run.

Trees (written in MXNet 1.x style for legacy, 2.x style for structural):
  resnet50-like  a ResNet-50-shaped tree of custom bottleneck blocks (about 180 blocks, 270
                 parameters), built from nn layers only (no model zoo);
  stress-2000    2,000 blocks: 200 custom cells of nine layers each.

Each tree is built REPEATS times in one process per interpreter (fresh name counters each time);
the median is reported. Ratios are gluonbridge / MXNet (goal: <= 0.5). Needs the oracles
(bash tests/oracle/install.sh).

    python bench/bench_naming.py [--repeats 15]
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.oracle.harness import find_oracle, gluonbridge_interpreter, to_gluonbridge  # noqa: E402

RESNET50_LIKE = """
class Bottleneck(gluon.HybridBlock):
    def __init__(self, channels, stride, downsample, **kwargs):
        super().__init__(**kwargs)
        with SCOPE(self):
            self.body = nn.HybridSequential(**PREFIX(''))
            with SCOPE(self.body):
                for c, k in ((channels // 4, 1), (channels // 4, 3), (channels, 1)):
                    self.body.add(nn.Conv2D(c, k, padding=k // 2, use_bias=False))
                    self.body.add(nn.BatchNorm())
                    self.body.add(nn.Activation('relu'))
            if downsample:
                self.downsample = nn.HybridSequential(**PREFIX(''))
                with SCOPE(self.downsample):
                    self.downsample.add(nn.Conv2D(channels, 1, strides=stride, use_bias=False))
                    self.downsample.add(nn.BatchNorm())
            else:
                self.downsample = None

def build():
    net = nn.HybridSequential()
    with SCOPE(net):
        net.add(nn.Conv2D(64, 7, 2, 3, use_bias=False), nn.BatchNorm(), nn.Activation('relu'),
                nn.MaxPool2D(3, 2, 1))
        channels = 256
        for stage, blocks in enumerate((3, 4, 6, 3)):
            stage_net = nn.HybridSequential(**PREFIX('stage%d_' % (stage + 1)))
            with SCOPE(stage_net):
                for i in range(blocks):
                    stage_net.add(Bottleneck(channels, 1 if stage == 0 or i else 2, i == 0))
            net.add(stage_net)
            channels *= 2
        net.add(nn.GlobalAvgPool2D(), nn.Dense(1000))
    return net
"""

STRESS_2000 = """
class Cell(gluon.HybridBlock):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with SCOPE(self):
            self.conv = nn.Conv2D(8, 3)
            self.bn = nn.BatchNorm()
            self.act = nn.Activation('relu')
            self.fc = nn.Dense(8)
            self.ln = nn.LayerNorm()
            self.drop = nn.Dropout(0.1)
            self.pool = nn.MaxPool2D()
            self.out = nn.Dense(8, activation='tanh')

def build():
    net = nn.HybridSequential()
    with SCOPE(net):
        for _ in range(200):
            net.add(Cell())
    return net
"""

TIMER = """
import contextlib, statistics, time
from mxnet import gluon
from mxnet.gluon import nn
LEGACY = {legacy!r}
def SCOPE(block):
    return block.name_scope() if LEGACY else contextlib.nullcontext()
def PREFIX(prefix):
    return {{'prefix': prefix}} if LEGACY else {{}}
{tree}
times = []
blocks = 0
for _ in range({repeats}):
    fresh = mx.name.NameManager() if LEGACY else contextlib.nullcontext()
    with fresh:
        t = time.perf_counter()
        net = build()
        params = net.collect_params()
        times.append(time.perf_counter() - t)
def count(b):
    kids = b._children.values()
    return 1 + sum(count(k if LEGACY else k()) for k in kids)
result = {{'median_s': statistics.median(times), 'blocks': count(net), 'params': len(list(params.keys()))}}
"""


def measure(interp, tree, legacy, repeats, rename):
    code = TIMER.format(legacy=legacy, tree=tree, repeats=repeats)
    return interp.run(to_gluonbridge(code) if rename else code)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args()
    mx1, mx2 = find_oracle("mx1"), find_oracle("mx2")
    if mx1 is None or mx2 is None:
        sys.exit("bench_naming: the MXNet oracles are missing; run `bash tests/oracle/install.sh`")
    print(f"{'tree':<14} {'mode':<11} {'blocks':>6} {'params':>6} {'MXNet ms':>9} "
          f"{'gluonbridge ms':>14} {'ratio':>6}")
    worst = 0.0
    for tree_name, tree in (("resnet50-like", RESNET50_LIKE), ("stress-2000", STRESS_2000)):
        for mode, oracle, legacy in (("legacy", mx1, True), ("structural", mx2, False)):
            theirs = measure(oracle, tree, legacy, args.repeats, rename=False)
            ours = measure(gluonbridge_interpreter(mode), tree, legacy, args.repeats, rename=True)
            assert (ours["blocks"], ours["params"]) == (theirs["blocks"], theirs["params"])
            ratio = ours["median_s"] / theirs["median_s"]
            worst = max(worst, ratio)
            print(f"{tree_name:<14} {mode:<11} {ours['blocks']:>6} {ours['params']:>6} "
                  f"{theirs['median_s'] * 1e3:>9.1f} {ours['median_s'] * 1e3:>14.1f} "
                  f"{ratio:>6.3f}")
    print(f"worst ratio {worst:.3f} (goal <= 0.5): {'met' if worst <= 0.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
