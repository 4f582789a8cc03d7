"""Converting large MXNet 1.x .params files: gluonbridge vs `cp` + `sync` vs MXNet's own path.

    python3 bench/bench_convert.py                 # two 1 GiB files, 5 runs each
    python3 bench/bench_convert.py --size-mib 128  # quick

Two files of float32 tensors, the cases of issue 14: "many" holds 64 tensors of 1/64 of the size
(16 MiB each at 1 GiB), "one" holds one tensor of half the size (512 MiB) and four smaller ones
(1/4, 1/8, 1/16, 1/16). For each, in one run on the same file (page cache warm for everyone),
runs interleaved and medians printed:
  * `cp` of the file, and `cp` followed by `sync` of the copy: gluonbridge fsyncs its output
    before renaming it into place (atomic, durable), so `cp + sync` is the like-for-like job;
  * `python -m gluonbridge.convert IN OUT --to mx2` and `--to safetensors` (wall time including
    interpreter start-up, and peak RSS of the process, against the budget of 100 MiB + the
    largest tensor);
  * the same two conversions in-process (`checkpoint.save`, fsync included, no start-up);
  * MXNet's own path: 1.9.1 `nd.load`, then 2.0.0b1 `save_parameters` of a Block holding the
    same arrays (loaded and set untimed), timed inside the oracles (start-up excluded);
  * `inspect` (index only): in-process and as a CLI.
The machine's load (`uptime`) is printed before and after: on a shared machine rely on the
ratios, which compare runs made side by side. Not run by the test suite.
"""
from __future__ import annotations

import argparse
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from gluonbridge.checkpoint import read_index, save  # noqa: E402
from tests.oracle.harness import find_oracle  # noqa: E402

MIB = 1 << 20
CASES = {   # name -> tensor sizes as fractions of the file
    "many": [1 / 64] * 64,
    "one": [1 / 2, 1 / 4, 1 / 8, 1 / 16, 1 / 16],
}
BUDGET_MIB = 100                # peak RSS allowed on top of the largest tensor (issue 14)


def make_params(path: Path, size_mib: int, fractions) -> int:
    """A V2 dict file of float32 tensors of the given fractions of ``size_mib``. Returns the
    largest tensor's byte size."""
    sizes = [int(size_mib * MIB * f) // 4 * 4 for f in fractions]
    chunk = os.urandom(MIB)
    with open(path, "wb") as fh:
        fh.write(struct.pack("<QQQ", 0x112, 0, len(sizes)))
        for nbytes in sizes:
            fh.write(struct.pack("<Iiiqiii", 0xF993FAC9, 0, 1, nbytes // 4, 1, 0, 0))
            left = nbytes
            while left:
                fh.write(chunk[:min(left, len(chunk))])
                left -= min(left, len(chunk))
        names = [f"layer{i}.weight".encode() for i in range(len(sizes))]
        fh.write(struct.pack("<Q", len(names)))
        for name in names:
            fh.write(struct.pack("<Q", len(name)) + name)
    return max(sizes)


def timed_process(argv) -> tuple:
    """(wall seconds, peak RSS in MiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{argv} failed: {proc.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


MX1_LOAD = """
import time, resource
t = time.perf_counter()
d = mx.nd.load({src!r})
for v in d.values():
    v.wait_to_read()
result = [time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]
"""
MX2_SAVE = """
import time, resource
with mx.util.np_array(False), mx.util.np_shape(False):
    d = mx.nd.load({src!r})
net = mx.gluon.Block()
for i, value in enumerate(d.values()):
    param = mx.gluon.Parameter("weight", shape=value.shape, init=mx.init.Zero())
    setattr(net, f"p{{i}}", param)
    param.initialize()
    param.set_data(value.as_np_ndarray())
del d
t = time.perf_counter()
net.save_parameters({dst!r})
result = [time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--case", choices=sorted(CASES), action="append",
                        help="only this case (repeatable; default: all)")
    parser.add_argument("--dir", default=None, help="scratch directory (default: a temp dir)")
    parser.add_argument("--no-oracles", action="store_true", help="skip MXNet's own path")
    args = parser.parse_args()
    print(f"load before: {os.popen('uptime').read().strip()}")
    with tempfile.TemporaryDirectory(prefix="gb_bench_", dir=args.dir) as scratch:
        for case in args.case or list(CASES):
            bench(args, Path(scratch), case)
    print(f"load after: {os.popen('uptime').read().strip()}")


def bench(args, scratch: Path, case: str) -> None:
    src = scratch / f"{case}.params"
    largest = make_params(src, args.size_mib, CASES[case])
    size = src.stat().st_size
    subprocess.run(["cat", str(src)], stdout=subprocess.DEVNULL, check=True)   # warm the cache
    python = sys.executable
    runs = {"cp": [], "cp+sync": [], "to npz": [], "to safetensors": [], "npz rss": [],
            "st rss": [], "npz in-process": [], "st in-process": []}
    for _ in range(args.repeat):
        subprocess.run(["sync"], check=True)
        copy_s = timed_process(["cp", str(src), str(scratch / "copy")])[0]
        runs["cp"].append(copy_s)
        runs["cp+sync"].append(copy_s + timed_process(["sync", str(scratch / "copy")])[0])
        subprocess.run(["sync"], check=True)
        wall, rss = timed_process([python, "-m", "gluonbridge.convert", str(src),
                                   str(scratch / "out.npz"), "--to", "mx2", "--force"])
        runs["to npz"].append(wall)
        runs["npz rss"].append(rss)
        subprocess.run(["sync"], check=True)
        wall, rss = timed_process([python, "-m", "gluonbridge.convert", str(src),
                                   str(scratch / "out.safetensors"), "--to", "safetensors",
                                   "--force"])
        runs["to safetensors"].append(wall)
        runs["st rss"].append(rss)
        for fmt, key in (("npz", "npz in-process"), ("safetensors", "st in-process")):
            subprocess.run(["sync"], check=True)
            start = time.perf_counter()
            save(scratch / f"out.{fmt}", read_index(src), fmt, force=True)
            runs[key].append(time.perf_counter() - start)
        for name in ("copy", "out.npz", "out.safetensors"):
            (scratch / name).unlink()
    inspect_times = []
    for _ in range(max(args.repeat, 5)):
        start = time.perf_counter()
        read_index(src)
        inspect_times.append(time.perf_counter() - start)
    inspect_cli = timed_process([python, "-m", "gluonbridge.inspect", str(src)])[0]

    med = {k: statistics.median(v) for k, v in runs.items()}
    gib = size / (1 << 30)
    count = len(CASES[case])
    print(f"\n[{case}] file: {size / MIB:.0f} MiB, {count} tensors, largest "
          f"{largest / MIB:.0f} MiB; {args.repeat} runs, medians")
    print(f"cp                      {med['cp']:.3f} s   {gib / med['cp']:.2f} GiB/s")
    print(f"cp + sync               {med['cp+sync']:.3f} s   {gib / med['cp+sync']:.2f} GiB/s")
    budget = BUDGET_MIB + largest / MIB
    for label, rss_key in (("to npz", "npz rss"), ("to safetensors", "st rss")):
        peak = max(runs[rss_key])
        print(f"gluonbridge {label:<15}{med[label]:.3f} s   {gib / med[label]:.2f} GiB/s   "
              f"vs cp {med['cp'] / med[label]:.2f}x, vs cp+sync "
              f"{med['cp+sync'] / med[label]:.2f}x (goal >= 0.8x)   peak RSS {peak:.0f} MiB "
              f"({'within' if peak <= budget else 'OVER'} the budget of {budget:.0f} MiB)")
    for label, key in (("npz", "npz in-process"), ("safetensors", "st in-process")):
        print(f"  in-process {label:<15}{med[key]:.3f} s   {gib / med[key]:.2f} GiB/s   vs cp "
              f"{med['cp'] / med[key]:.2f}x, vs cp+sync {med['cp+sync'] / med[key]:.2f}x   "
              "(checkpoint.save incl. fsync; no interpreter start-up)")
    print(f"inspect (read_index)    {statistics.median(inspect_times) * 1000:.1f} ms in-process, "
          f"{inspect_cli:.3f} s as a CLI (interpreter start-up included)")
    if not args.no_oracles:
        mxnet_path(args, scratch, src, med)


def mxnet_path(args, scratch: Path, src: Path, med: dict) -> None:
    mx1, mx2 = find_oracle("mx1"), find_oracle("mx2")
    if mx1 is None or mx2 is None:
        print("MXNet oracles not installed: skipping MXNet's own path")
        return
    loads, saves = [], []
    for _ in range(args.repeat):
        loads.append(mx1.run(MX1_LOAD.format(src=str(src))))
        saves.append(mx2.run(MX2_SAVE.format(src=str(src), dst=str(scratch / "mx.npz"))))
        (scratch / "mx.npz").unlink()
    load_s = statistics.median(r[0] for r in loads)
    save_s = statistics.median(r[0] for r in saves)
    mxnet = load_s + save_s
    print(f"MXNet path              {mxnet:.3f} s   (1.9.1 nd.load {load_s:.3f} s, peak RSS "
          f"{max(r[1] for r in loads):.0f} MiB; 2.0.0b1 save {save_s:.3f} s, peak RSS "
          f"{max(r[1] for r in saves):.0f} MiB; start-up excluded)")
    for label in ("to npz", "to safetensors"):
        print(f"gluonbridge {label} is {mxnet / med[label]:.1f}x faster than MXNet's path")


if __name__ == "__main__":
    main()
