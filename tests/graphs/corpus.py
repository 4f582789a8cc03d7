"""Reading the generated graph corpus: cases, their files, inputs and expected outputs.

``GraphCorpus(root)`` wraps a directory written by tests/oracle/graph_corpus (see its table.py);
``ensure(cache_root, full)`` makes that directory once per content hash of the generator code,
safely when several pytest-xdist workers ask at once.
"""
from __future__ import annotations

import fcntl
import json
import shutil
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from tests.oracle.graph_corpus import run


@dataclass(frozen=True)
class CorpusCase:
    """One generated case: ``dir`` holds model-symbol.json, model-0000.params, inputs.npz,
    expected.npz and case.json (``meta``)."""
    dir: Path

    @cached_property
    def meta(self) -> dict:
        return json.loads((self.dir / "case.json").read_text())

    @property
    def name(self) -> str:
        return self.meta["name"]

    @property
    def symbol_file(self) -> Path:
        return self.dir / self.meta["symbol_file"]

    @property
    def param_file(self) -> Path:
        return self.dir / self.meta["param_file"]

    @property
    def input_names(self) -> list:
        return [i["name"] for i in self.meta["inputs"]]

    @property
    def batches(self) -> list:
        return self.meta["batches"]

    @property
    def rtol(self) -> float:
        return self.meta["rtol"]

    def input_shapes(self, batch: int) -> dict:
        return {i["name"]: tuple(i["shapes"][str(batch)]) for i in self.meta["inputs"]}

    def inputs(self, batch: int) -> list:
        with np.load(self.dir / "inputs.npz") as z:
            return [z[f"{n}@{batch}"] for n in self.input_names]

    def expected(self, batch: int) -> list:
        with np.load(self.dir / "expected.npz") as z:
            return [z[f"{k}@{batch}"] for k in range(self.meta["outputs"])]


class GraphCorpus:
    def __init__(self, root):
        self.root = Path(root)

    @cached_property
    def names(self) -> list:
        return sorted(p.parent.name for p in self.root.glob("*/case.json"))

    def __iter__(self):
        return (self.case(n) for n in self.names)

    def __len__(self) -> int:
        return len(self.names)

    def case(self, name: str) -> CorpusCase:
        return CorpusCase(self.root / name)


def ensure(cache_root, full: bool = False) -> GraphCorpus:
    """The corpus for the current generator code under ``cache_root``, generated if missing:
    written into a temporary directory and renamed into place under an exclusive lock."""
    cache_root = Path(cache_root)
    cache_root.mkdir(parents=True, exist_ok=True)
    final = cache_root / f"graphs-{run.content_hash()}{'-full' if full else ''}"
    with open(cache_root / f"{final.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not final.exists():
            tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}-", dir=cache_root))
            try:
                run.generate(tmp, slow=full)
                tmp.chmod(0o755)  # mkdtemp's 0700 would hide a shared cache from other users
                tmp.rename(final)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    return GraphCorpus(final)
