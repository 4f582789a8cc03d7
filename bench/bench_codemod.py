"""Speed of ``python -m gluonbridge.codemod`` on a corpus, against baselines from the same run.

    python bench/bench_codemod.py CORPUS_DIR [--repeat 3]

CORPUS_DIR holds unpacked sources (e.g. ``pip download --no-deps gluoncv==0.10.5.post0
gluonnlp==0.10.0 gluonts==0.17.0`` and unzip/untar them). Goals (issue 5):

* one process: codemod time <= 1.0x a bare libcst parse + code regeneration of the same files;
* ``--jobs 2`` at least 1.7x faster than ``--jobs 1``.

The codemod runs as ``--check`` (nothing written) with all default rules; prints medians.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import libcst as cst  # noqa: E402

from gluonbridge.codemod.cli import main  # noqa: E402
from gluonbridge.codemod.files import python_files  # noqa: E402
from gluonbridge.codemod.migrate_file import read_source  # noqa: E402


def bare_libcst(paths: list) -> None:
    for path in paths:
        cst.parse_module(read_source(path)[0]).code


def codemod(corpus: Path, jobs: int) -> None:
    with contextlib.redirect_stderr(io.StringIO()):
        main([str(corpus), "--check", "--no-progress", "--quiet", "--jobs", str(jobs)])


def interleaved_medians(actions: dict, repeat: int) -> dict:
    """Median seconds of each action, run in turn ``repeat`` times (so load drifts hit all)."""
    times: dict = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            start = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    paths = list(python_files([str(args.corpus)]))
    print(f"{len(paths)} files")
    medians = interleaved_medians({"bare": lambda: bare_libcst(paths),
                                   "one": lambda: codemod(args.corpus, 1),
                                   "two": lambda: codemod(args.corpus, 2)}, args.repeat)
    baseline, one, two = medians["bare"], medians["one"], medians["two"]
    print(f"bare libcst parse+codegen : {baseline:7.2f} s (median of {args.repeat})")
    print(f"codemod --jobs 1          : {one:7.2f} s  ratio {one / baseline:.2f}x  (goal <= 1.0x)")
    print(f"codemod --jobs 2          : {two:7.2f} s  speed-up {one / two:.2f}x  (goal >= 1.7x)")


if __name__ == "__main__":
    run()
