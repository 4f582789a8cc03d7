"""The name-map file type: legacy full names <-> structural keys.

MXNet 1.x names a parameter after its prefix chain (``resnetv10_stage1_conv0_weight``); MXNet 2.x
keys it by attribute path (``features.5.0.body.0.weight``). A :class:`NameMap` pairs the two
(with the shape when known). It is read from a name-map JSON (:meth:`NameMap.from_json`, schema
below) or built by ``gluonbridge.translate`` (from a model, by prefix matching, from a symbol
graph), which also renames checkpoints through it.

Name-map JSON schema (version 1)::

    {"format": "gluonbridge-namemap", "version": 1,
     "source": "free text: which model / MXNet version wrote it",      (optional)
     "entries": [{"legacy": "model0_dense0_weight", "structural": "0.weight",
                  "shape": [4, 3]},                                   (shape: list or null)
                 ...]}

A dim of -1 in an entry's shape is unknown (deferred initialization) and matches any size.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Iterable

from .errors import CorruptHeaderError, NameMapError

SCHEMA_FORMAT = "gluonbridge-namemap"
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Entry:
    legacy: str
    structural: str
    shape: tuple | None = None


class NameMap:
    """A one-to-one map between legacy full names and structural keys (a name mapping twice on
    either side is a NameMapError listing every such name)."""

    def __init__(self, entries: Iterable[Entry], source: str = ""):
        self.entries = list(entries)
        self.source = source
        ambiguous = []
        for side, other in (("legacy", "structural"), ("structural", "legacy")):
            seen = {}
            for entry in self.entries:
                seen.setdefault(getattr(entry, side), []).append(getattr(entry, other))
            ambiguous += [f"ambiguous: {name!r} could be any of {group!r}"
                          for name, group in seen.items() if len(group) > 1]
        if ambiguous:
            raise NameMapError(source or None, "keys", "every key to translate one to one",
                               f"{len(ambiguous)} ambiguous:\n  " + "\n  ".join(ambiguous),
                               "check that the name map / target belongs to this model")
        self.by_legacy = {e.legacy: e for e in self.entries}
        self.by_structural = {e.structural: e for e in self.entries}

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
                or doc.get("version") != SCHEMA_VERSION or not isinstance(doc.get("entries"), list):
            raise CorruptHeaderError(path, None, f'{{"format": "{SCHEMA_FORMAT}", "version": '
                                     f'{SCHEMA_VERSION}, "entries": [...]}}', repr(doc)[:80],
                                     "see gluonbridge/checkpoint/namemap.py for the schema")
        entries = []
        for i, item in enumerate(doc["entries"]):
            shape = item.get("shape") if isinstance(item, dict) else None
            if not (isinstance(item, dict) and isinstance(item.get("legacy"), str)
                    and isinstance(item.get("structural"), str)
                    and (shape is None or (isinstance(shape, list)
                                           and all(type(d) is int for d in shape)))):
                raise CorruptHeaderError(path, f"entry {i}", '{"legacy": str, "structural": '
                                         'str, "shape": [int, ...] or null}', repr(item)[:80])
            entries.append(Entry(item["legacy"], item["structural"],
                                 None if shape is None else tuple(shape)))
        return cls(entries, path)

    def to_json(self) -> dict:
        return {"format": SCHEMA_FORMAT, "version": SCHEMA_VERSION, "source": self.source,
                "entries": [{"legacy": e.legacy, "structural": e.structural,
                             "shape": None if e.shape is None else list(e.shape)}
                            for e in self.entries]}
