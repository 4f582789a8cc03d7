"""Generate the corpus from the test interpreter: write.py in each oracle, then expect.py in mx1.

``generate(root, slow=False)`` fills ``root/<case>/`` for every selected case; the work is split
into shards run as oracle processes, ``jobs`` at a time. ``python -m tests.oracle.graph_corpus.run
OUT [--slow] [CASE ...]`` does the same from a shell. Nothing here imports MXNet.
"""
from __future__ import annotations

import concurrent.futures
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.oracle.graph_corpus import table
from tests.oracle.harness import oracle_python

PACKAGE_DIR = Path(__file__).resolve().parent
FIXTURES = PACKAGE_DIR.parents[1] / "data" / "graphs"
VENV = {"mx1": "mx1", "mx1np": "mx1", "mx2": "mx2", "mx2nd": "mx2"}  # case oracle -> venv


class GenerationError(RuntimeError):
    """An oracle process failed to write or run some cases; the message has its stderr."""


def content_hash() -> str:
    """Hash of everything that decides the corpus: generator code and crafted fixtures."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.glob("*.py")) + sorted(FIXTURES.glob("*.json")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def _run(venv: str, module: str, root: Path, names: list) -> None:
    env = dict(os.environ, PYTHONPATH=str(PACKAGE_DIR.parent), OMP_NUM_THREADS="1",
               MXNET_CPU_WORKER_NTHREADS="1")
    proc = subprocess.run([str(oracle_python(venv)), "-m", f"graph_corpus.{module}", str(root),
                           *names], capture_output=True, text=True, env=env, timeout=3600)
    if proc.returncode != 0:
        errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("graph_corpus:")]
        raise GenerationError(f"{venv} {module} failed (exit {proc.returncode}):\n"
                              + "\n".join(errors or proc.stderr.splitlines()[-30:]))


def _shards(cases, jobs):
    """Per oracle, cases dealt round-robin into at most ``jobs`` shards (heaviest first)."""
    weight = {"zoo": 3, "int8": 3}
    shards = []
    for oracle in VENV:
        mine = sorted((c for c in cases if c.oracle == oracle),
                      key=lambda c: -weight.get(c.kind, 1))
        n = jobs if oracle == "mx1" else 1
        for k in range(n):
            part = [c.name for c in mine[k::n]]
            if part:
                shards.append((VENV[oracle], part))
    return shards


def _parallel(tasks, jobs):
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_run, *t) for t in tasks]
        errors = [str(f.exception()) for f in futures if f.exception() is not None]
    if errors:
        raise GenerationError("\n".join(errors))


def generate(root, slow: bool = False, names=None, jobs: int = 2) -> float:
    """Write and compute every selected case under ``root``; returns the seconds taken."""
    start = time.monotonic()
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    cases = [table.by_name()[n] for n in names] if names else table.selected(slow)
    _parallel([(venv, "write", root, part) for venv, part in _shards(cases, jobs)], jobs)
    names = [c.name for c in cases]
    _parallel([("mx1", "expect", root, names[k::jobs]) for k in range(jobs)], jobs)
    refused = [n for n in names if "mx1_refused" in json.loads((root / n / "case.json").read_text())]
    if refused:
        _run("mx2", "expect", root, refused)
    return time.monotonic() - start


if __name__ == "__main__":
    args = sys.argv[1:]
    slow = "--slow" in args
    args = [a for a in args if a != "--slow"]
    took = generate(args[0], slow=slow, names=args[1:] or None)
    print(f"graph corpus written to {args[0]} in {took:.1f} s")
