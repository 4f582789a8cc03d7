"""Run the per-file migration over many files, in worker processes when --jobs > 1."""
from __future__ import annotations

import concurrent.futures
import gc
from functools import partial
from typing import Iterator, Sequence

from gluonbridge.codemod.migrate_file import migrate_file


def run(paths: Sequence, options, write: bool, want_diff: bool, jobs: int) -> Iterator:
    """Yield a FileResult per path, in the order of ``paths``."""
    task = partial(migrate_file, options=options, write=write, want_diff=want_diff)
    if jobs <= 1 or len(paths) <= 1:
        yield from map(task, paths)
        return
    chunk = max(1, min(16, len(paths) // (jobs * 8)))
    gc.freeze()     # the forked workers' collections skip (and so do not copy) what we hold
    try:
        with concurrent.futures.ProcessPoolExecutor(max_workers=jobs,
                                                    initializer=_warm_up) as pool:
            yield from pool.map(task, paths, chunksize=chunk)
    finally:
        gc.unfreeze()


def _warm_up() -> None:
    import gluonbridge.codemods.engine  # noqa: F401  (libcst and the rules, once per worker)
