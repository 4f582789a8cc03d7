"""A progress bar on stderr while files are migrated; silent when stderr is not a terminal."""
from __future__ import annotations

import sys
from typing import Iterable, Iterator


def progress(items: Iterable, total: int, enabled: bool = True) -> Iterator:
    if not enabled or not sys.stderr.isatty():
        yield from items
        return
    try:
        from tqdm import tqdm
    except ImportError:
        yield from items
        return
    yield from tqdm(items, total=total, unit="file", file=sys.stderr, leave=False)
