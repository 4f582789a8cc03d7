"""The name-map file type: legacy full names <-> structural keys.

MXNet 1.x names a parameter after its prefix chain (``resnetv10_stage1_conv0_weight``); MXNet 2.x
keys it by attribute path (``features.5.0.body.0.weight``). A :class:`NameMap` pairs the two
(with the shape when known). It is read from a name-map JSON (:meth:`NameMap.from_json`, schema
below) or built by ``gluonbridge.translate`` (from a model, by prefix matching, from a symbol
graph), which also renames checkpoints through it.

Name-map JSON schema (version 2; version 1 is the same without fused entries, and is what a
map without them is written as)::

    {"format": "gluonbridge-namemap", "version": 2,
     "source": "free text: which model / MXNet version wrote it",      (optional)
     "entries": [{"legacy": "model0_dense0_weight", "structural": "0.weight",
                  "shape": [4, 3]},                                   (shape: list or null)
                 {"structural": "1.rnn_param", "shape": [352],        (a fused entry)
                  "fused": [{"legacy": "model0_lstm0_l0_i2h_weight",
                             "structural": "1._unfused.0.l_cell.i2h_weight", "shape": [16, 5]},
                            ...]},
                 ...]}

A dim of -1 in an entry's shape is unknown (deferred initialization) and matches any size.

A fused entry is one recurrent layer (``gluon.rnn.RNN/LSTM/GRU``): MXNet 2.x keeps its weights in
one flat array (``structural``), MXNet 1.x in one array per layer, direction and connection.
``fused`` lists those parts in the order they are concatenated into the flat array, each with
its 1.x full name (``legacy``), the key 1.9.1's ``save_parameters`` writes for it
(``structural``: ``_unfused.<layer>.[l_cell.|r_cell.]<conn>_<weight|bias>``) and its shape.
``gluonbridge.translate`` checks the order against MXNet's before using it.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Iterable

from .errors import CorruptHeaderError, NameMapError

SCHEMA_FORMAT = "gluonbridge-namemap"
SCHEMA_VERSION = 2
#: versions read; a map without fused entries is written as version 1, which older readers read
READ_VERSIONS = (1, 2)


@dataclass(frozen=True)
class Entry:
    legacy: str
    structural: str
    shape: tuple | None = None


@dataclass(frozen=True)
class FusedEntry:
    """One flat MXNet 2.x array (``structural``, e.g. ``'1.rnn_param'``) made of the per-gate
    MXNet 1.x arrays ``parts`` (:class:`Entry`, in concatenation order)."""
    structural: str
    shape: tuple | None
    parts: tuple


class NameMap:
    """A one-to-one map between legacy full names and structural keys (a name mapping twice on
    either side is a NameMapError listing every such name)."""

    def __init__(self, entries: Iterable, source: str = ""):
        self.entries = list(entries)
        self.source = source
        plain = self.plain_entries()
        fused_keys = [(e.structural, "fused") for e in self.entries if isinstance(e, FusedEntry)]
        ambiguous = []
        for side, other in (("legacy", "structural"), ("structural", "legacy")):
            seen = {}
            for entry in plain:
                seen.setdefault(getattr(entry, side), []).append(getattr(entry, other))
            if side == "structural":
                for key, what in fused_keys:
                    seen.setdefault(key, []).append(what)
            ambiguous += [f"ambiguous: {name!r} could be any of {group!r}"
                          for name, group in seen.items() if len(group) > 1]
        if ambiguous:
            raise NameMapError(source or None, "keys", "every key to translate one to one",
                               f"{len(ambiguous)} ambiguous:\n  " + "\n  ".join(ambiguous),
                               "check that the name map / target belongs to this model")
        self.by_legacy = {e.legacy: e for e in plain}
        self.by_structural = {e.structural: e for e in plain}
        self.by_structural.update((e.structural, e) for e in self.entries
                                  if isinstance(e, FusedEntry))
        #: the fused entry of each part (by identity of the part Entry)
        self.fused_of = {id(p): e for e in self.entries if isinstance(e, FusedEntry)
                         for p in e.parts}

    def plain_entries(self) -> list:
        """Every :class:`Entry`: the plain ones and the parts of fused entries."""
        out = []
        for entry in self.entries:
            out.extend(entry.parts if isinstance(entry, FusedEntry) else (entry,))
        return out

    @classmethod
    def from_json(cls, path) -> "NameMap":
        path = os.fspath(path)
        try:
            with open(path, encoding="utf-8") as fh:
                doc = json.load(fh)
        except (ValueError, UnicodeDecodeError, RecursionError) as err:
            raise CorruptHeaderError(path, None, "a name-map JSON document",
                                     str(err)[:80]) from None
        if not isinstance(doc, dict) or doc.get("format") != SCHEMA_FORMAT \
                or type(doc.get("version")) is not int or doc["version"] not in READ_VERSIONS \
                or not isinstance(doc.get("entries"), list):
            raise CorruptHeaderError(path, None, f'{{"format": "{SCHEMA_FORMAT}", "version": '
                                     f'{" or ".join(map(str, READ_VERSIONS))}, "entries": '
                                     f'[...]}}', repr(doc)[:80],
                                     "see gluonbridge/checkpoint/namemap.py for the schema")
        entries = []
        for i, item in enumerate(doc["entries"]):
            if isinstance(item, dict) and "fused" in item and doc["version"] >= 2:
                entries.append(_fused_from_json(path, f"entry {i}", item))
            else:
                entries.append(_entry_from_json(path, f"entry {i}", item))
        return cls(entries, path)

    def to_json(self) -> dict:
        fused = any(isinstance(e, FusedEntry) for e in self.entries)
        return {"format": SCHEMA_FORMAT, "version": SCHEMA_VERSION if fused else 1,
                "source": self.source, "entries": [_to_json(e) for e in self.entries]}


def _is_shape(shape) -> bool:
    return shape is None or (isinstance(shape, list) and all(type(d) is int for d in shape))


def _entry_from_json(path, where, item) -> Entry:
    shape = item.get("shape") if isinstance(item, dict) else None
    if not (isinstance(item, dict) and isinstance(item.get("legacy"), str)
            and isinstance(item.get("structural"), str) and _is_shape(shape)):
        raise CorruptHeaderError(path, where, '{"legacy": str, "structural": str, "shape": '
                                 '[int, ...] or null} (fused entries need version 2)',
                                 repr(item)[:80])
    return Entry(item["legacy"], item["structural"], None if shape is None else tuple(shape))


def _fused_from_json(path, where, item) -> FusedEntry:
    shape, parts = item.get("shape"), item.get("fused")
    if not (isinstance(item.get("structural"), str) and _is_shape(shape)
            and isinstance(parts, list) and parts and "legacy" not in item):
        raise CorruptHeaderError(path, where, '{"structural": str, "shape": [int] or null, '
                                 '"fused": [{"legacy": ..., "structural": ..., "shape": ...}, '
                                 '...]}', repr(item)[:80])
    return FusedEntry(item["structural"], None if shape is None else tuple(shape),
                      tuple(_entry_from_json(path, f"{where} part {j}", part)
                            for j, part in enumerate(parts)))


def _to_json(entry) -> dict:
    shape = None if entry.shape is None else list(entry.shape)
    if isinstance(entry, FusedEntry):
        return {"structural": entry.structural, "shape": shape,
                "fused": [_to_json(part) for part in entry.parts]}
    return {"legacy": entry.legacy, "structural": entry.structural, "shape": shape}
