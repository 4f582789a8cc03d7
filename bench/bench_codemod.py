"""Speed of ``python -m gluonbridge.codemod`` on a corpus, against baselines from the same run.

    python bench/bench_codemod.py [CORPUS_DIR] [--repeat 3]

CORPUS_DIR holds unpacked sources; by default the released GluonCV 0.10.5.post0, GluonNLP
0.10.0 and GluonTS 0.17.0 sources (890 files) are fetched with ``pip download`` (once, into the
cache the corpus test uses) and unpacked into a temporary folder. Goals (issue 5):

* one process: codemod time <= 1.0x a bare libcst parse + code regeneration of the same files;
* ``--jobs 2`` at least 1.7x faster than ``--jobs 1``.

The codemod runs as ``--check`` (nothing written) with all default rules; prints medians.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import libcst as cst  # noqa: E402

from gluonbridge.codemod.cli import main  # noqa: E402
from gluonbridge.codemod.files import python_files  # noqa: E402
from gluonbridge.codemod.migrate_file import read_source  # noqa: E402
from tests.codemod.corpus_sources import download, unpack  # noqa: E402


def bare_libcst(paths: list) -> None:
    for path in paths:
        cst.parse_module(read_source(path)[0]).code


def codemod(corpus: Path, jobs: int) -> None:
    with contextlib.redirect_stderr(io.StringIO()):
        main([str(corpus), "--check", "--no-progress", "--quiet", "--jobs", str(jobs)])


def cpu_seconds() -> float:
    """CPU time of this process and of its finished worker processes."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def interleaved_medians(actions: dict, repeat: int) -> dict:
    """Median (wall, CPU) seconds of each action, run in turn ``repeat`` times (so that load
    drifts hit all of them alike); CPU counts the worker processes too."""
    times: dict = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            wall, cpu = time.perf_counter(), cpu_seconds()
            action()
            times[name].append((time.perf_counter() - wall, cpu_seconds() - cpu))
    return {name: tuple(statistics.median(v[i] for v in values) for i in (0, 1))
            for name, values in times.items()}


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="?",
                        help="folder of sources (default: the GluonCV/GluonNLP/GluonTS corpus)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.corpus is None:
        with tempfile.TemporaryDirectory(prefix="gb_codemod_corpus_") as scratch:
            unpack(download(), Path(scratch))
            measure(Path(scratch), args.repeat)
    else:
        measure(args.corpus, args.repeat)


def measure(corpus: Path, repeat: int) -> None:
    paths = list(python_files([str(corpus)]))
    print(f"{len(paths)} files, {os.cpu_count()} cores, load average before: "
          f"{os.getloadavg()[0]:.1f}")
    medians = interleaved_medians({"bare": lambda: bare_libcst(paths),
                                   "one": lambda: codemod(corpus, 1),
                                   "two": lambda: codemod(corpus, 2)}, repeat)
    (bare, bare_cpu), (one, one_cpu), (two, two_cpu) = (medians["bare"], medians["one"],
                                                        medians["two"])
    print(f"medians of {repeat} runs (wall s / CPU s, workers included)")
    print(f"bare libcst parse+codegen : {bare:7.2f} / {bare_cpu:7.2f}")
    print(f"codemod --jobs 1          : {one:7.2f} / {one_cpu:7.2f}  ratio {one / bare:.2f}x wall, "
          f"{one_cpu / bare_cpu:.2f}x CPU  (goal <= 1.0x)")
    print(f"codemod --jobs 2          : {two:7.2f} / {two_cpu:7.2f}  speed-up {one / two:.2f}x  "
          f"(goal >= 1.7x); parallel CPU overhead {two_cpu / one_cpu:.2f}x")
    print(f"load average after: {os.getloadavg()[0]:.1f} (other processes share the cores: "
          "above the core count, the --jobs 2 speed-up cannot show)")


if __name__ == "__main__":
    run()
