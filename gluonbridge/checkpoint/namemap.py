"""Legacy full names <-> structural keys, and the report of a translation.

MXNet 1.x names a parameter after its prefix chain (``resnetv10_stage1_conv0_weight``); MXNet 2.x
keys it by attribute path (``features.5.0.body.0.weight``). A :class:`NameMap` pairs the two
(with the shape when known). It comes from one of:

(a) a model: :func:`namemap_from_model` calls a factory (``--model pkg.module:factory``) in
    legacy naming mode and pairs the Block's full names with its structural keys
    (:mod:`.model_namemap`);
(b) a name-map JSON (:meth:`NameMap.from_json`, schema below), written by ``compat/`` from a
    user's own MXNet model;
(c) a legacy ``-symbol.json`` plus the target's keys (:func:`namemap_from_symbol`);
(d) no model: :func:`match_by_prefix` strips the common top-level prefix (``model0_`` vs
    ``model1_``) on both sides and matches equal remainders, reporting every ambiguity.

Name-map JSON schema (version 1)::

    {"format": "gluonbridge-namemap", "version": 1,
     "source": "free text: which model / MXNet version wrote it",      (optional)
     "entries": [{"legacy": "model0_dense0_weight", "structural": "0.weight",
                  "shape": [4, 3]},                                   (shape: list or null)
                 ...]}

A dim of -1 in an entry's shape is unknown (deferred initialization) and matches any size.

Keys may carry MXNet's ``arg:`` / ``aux:`` roles (``export()`` files); translation looks up the
name without the role and puts the role back only if asked.

:func:`translate` renames a checkpoint's tensors and returns a :class:`LoadReport` that collects
every missing, unexpected, ambiguous and shape-mismatched entry before anything fails, as
PyTorch's ``load_state_dict`` does; :meth:`LoadReport.raise_if_errors` raises one
:class:`NameMapError` listing them all.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from typing import Iterable

from .errors import CorruptHeaderError, NameMapError
from .tensor import Checkpoint

SCHEMA_FORMAT = "gluonbridge-namemap"
SCHEMA_VERSION = 1
ROLES = ("arg:", "aux:")


def split_role(key: str):
    """``'arg:w'`` -> ``('arg:', 'w')``; keys without a role give ``('', key)``."""
    for role in ROLES:
        if key.startswith(role):
            return role, key[len(role):]
    return "", key


@dataclass(frozen=True)
class Entry:
    legacy: str
    structural: str
    shape: tuple | None = None


@dataclass
class LoadReport:
    """Every problem found while translating or loading, collected before failing."""
    missing: list = field(default_factory=list)          # expected keys the file lacks
    unexpected: list = field(default_factory=list)       # file keys nothing expects
    ambiguous: list = field(default_factory=list)        # (name, [candidates])
    shape_mismatch: list = field(default_factory=list)   # (key, shape in file, expected shape)
    renamed: list = field(default_factory=list)          # (old key, new key)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unexpected or self.ambiguous or self.shape_mismatch)

    def problems(self) -> list:
        lines = [f"missing: {k!r}" for k in self.missing]
        lines += [f"unexpected: {k!r}" for k in self.unexpected]
        lines += [f"ambiguous: {k!r} could be any of {c!r}" for k, c in self.ambiguous]
        lines += [f"shape mismatch: {k!r} is {tuple(a)} in the file, expected {tuple(b)}"
                  for k, a, b in self.shape_mismatch]
        return lines

    def summary(self) -> str:
        return (f"{len(self.renamed)} renamed, {len(self.missing)} missing, "
                f"{len(self.unexpected)} unexpected, {len(self.ambiguous)} ambiguous, "
                f"{len(self.shape_mismatch)} shape mismatches")

    def raise_if_errors(self, path=None) -> None:
        if not self.ok:
            raise NameMapError(path, "keys", "every key to translate one to one",
                               self.summary() + ":\n  " + "\n  ".join(self.problems()),
                               "check that the name map / target belongs to this model")


class NameMap:
    """A one-to-one map between legacy full names and structural keys."""

    def __init__(self, entries: Iterable[Entry], source: str = ""):
        self.entries = list(entries)
        self.source = source
        report = LoadReport()
        for side in ("legacy", "structural"):
            seen = {}
            for entry in self.entries:
                name = getattr(entry, side)
                seen.setdefault(name, []).append(entry)
            report.ambiguous += [(name, [getattr(e, "structural" if side == "legacy" else "legacy")
                                         for e in group])
                                 for name, group in seen.items() if len(group) > 1]
        report.raise_if_errors(source or None)
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


def namemap_from_model(factory, source: str = "model") -> NameMap:
    """Option (a): ``factory()``, called under legacy naming, builds a gluonbridge Block (or
    returns ``[(legacy_name, structural_key, shape), ...]``); ``factory`` may also be the Block.
    """
    from .model_namemap import model_entries
    return NameMap(model_entries(factory, source), source=source)


def _top_prefix(names) -> str:
    """The ``<first component>_`` prefix every name shares (``'model0_'``), or ''."""
    heads = {name.split("_", 1)[0] + "_" for name in names if "_" in name}
    if len(heads) == 1 and all("_" in name for name in names):
        return heads.pop()
    return ""


def match_by_prefix(source, target) -> tuple:
    """Option (d): pair ``source`` and ``target`` lists of ``(name, shape)`` by their names with
    each side's common top-level prefix stripped. Returns ``(NameMap, LoadReport)``; names with
    no partner, or several, are reported, never guessed."""
    source, target = list(source), list(target)
    src_prefix = _top_prefix([split_role(n)[1] for n, _ in source])
    dst_prefix = _top_prefix([split_role(n)[1] for n, _ in target])

    def by_stripped(items, prefix):
        table = {}
        for name, shape in items:
            bare = split_role(name)[1]
            table.setdefault(bare[len(prefix):], []).append((bare, shape))
        return table

    src, dst = by_stripped(source, src_prefix), by_stripped(target, dst_prefix)
    report, entries = LoadReport(), []
    for stripped, found in src.items():
        wanted = dst.get(stripped, [])
        if len(found) > 1 or len(wanted) > 1:
            report.ambiguous.append((found[0][0], [w[0] for w in wanted] or [f[0] for f in found]))
        elif not wanted:
            report.unexpected.append(found[0][0])
        else:
            (name, shape), (key, expected) = found[0], wanted[0]
            if shape is not None and expected is not None and tuple(shape) != tuple(expected):
                report.shape_mismatch.append((name, shape, expected))
            entries.append(Entry(name, key, None if expected is None else tuple(expected)))
    report.missing += [w[0][0] for s, w in dst.items() if s not in src and len(w) == 1]
    report.ambiguous += [(w[0][0], [x[0] for x in w]) for s, w in dst.items()
                         if s not in src and len(w) > 1]
    return NameMap(entries, "prefix match") if report.ok else None, report


def namemap_from_symbol(symbol, target) -> tuple:
    """Option (c): the legacy parameter names of a ``-symbol.json`` paired with ``target``.

    ``target`` is either the MXNet 2.x ``-symbol.json`` of the same model (``export()`` in 2.x),
    or a list of ``(key, shape)`` in the target model's order (a 2.x ``save_parameters`` file).
    With a target graph, variables are paired by node position after checking both graphs have
    the same operators in the same order: exact, nothing guessed. With a key list, names that
    match after prefix stripping are paired by name; otherwise the lists are paired by position,
    which only holds when the graph order equals the registration order (not for ResNet, whose
    downsample branch runs first): every pair is shape-checked and every disagreement reported.
    """
    from .symbol_json import load_symbol, parameter_nodes
    legacy = symbol if isinstance(symbol, dict) else load_symbol(symbol)
    source = parameter_nodes(legacy)
    if isinstance(target, dict) or isinstance(target, (str, os.PathLike)):
        return _pair_graphs(legacy, source, target if isinstance(target, dict)
                            else load_symbol(target))
    source = [(name, shape) for name, shape, _role in source]
    namemap, report = match_by_prefix(source, target)
    if namemap is not None or any(split_role(k)[1].count(".") == 0 for k, _ in target):
        return namemap, report
    return _pair_in_order(source, list(target), "symbol order")


def _pair_graphs(legacy, source, structural) -> tuple:
    from .symbol_json import parameter_nodes
    report = LoadReport()
    graphs = [_topology(legacy), _topology(structural)]
    if graphs[0] != graphs[1]:
        first = next((i for i, (a, b) in enumerate(zip(*graphs)) if a != b), min(map(len, graphs)))
        report.ambiguous.append((f"node {first}", ["the two graphs differ here: "
                                                   "not the same model?"]))
        return None, report
    target = parameter_nodes(structural)
    return _pair_in_order([(n, s) for n, s, _ in source], [(k, s) for k, s, _ in target],
                          "graph position")


def _topology(graph) -> list:
    """Per node: is it a variable, and which (node, output) pairs feed it. Operator names are
    left out: 2.x renames them (``elemwise_add`` -> ``_npi_add``) in the same graph."""
    return [(node["op"] == "null", [tuple(e[:2]) for e in node.get("inputs", [])])
            for node in graph["nodes"]]


def _pair_in_order(source, target, how) -> tuple:
    report = LoadReport()
    report.missing += [k for k, _ in target[len(source):]]
    report.unexpected += [n for n, _ in source[len(target):]]
    entries = []
    for (name, shape), (key, expected) in zip(source, target):
        if shape is not None and expected is not None and not _shape_fits(shape, expected):
            report.shape_mismatch.append((name, shape, expected))
        known = expected if expected is not None and all(d > 0 for d in expected) else None
        entries.append(Entry(name, split_role(key)[1], None if known is None else tuple(known)))
    return (NameMap(entries, how) if report.ok else None), report


def _shape_fits(shape, expected, unknown=(0, -1), either_side=True) -> bool:
    """Equal rank and dims, a dim in ``unknown`` matching any size: on both sides for symbol
    shapes (0 in 1.x, -1 in 2.x, at export time), only in ``expected`` for a file's tensor."""
    return len(shape) == len(expected) and all(
        a == b or b in unknown or (either_side and a in unknown)
        for a, b in zip(shape, expected))


def translate(checkpoint: Checkpoint, namemap: NameMap, to: str = "structural",
              keep_roles: bool = False) -> tuple:
    """Rename every tensor ``to`` ``'structural'`` keys or ``'legacy'`` names.

    Keys already in the target naming pass unchanged. Returns ``(Checkpoint, LoadReport)``;
    the checkpoint is None when the report has problems.
    """
    forward = namemap.by_legacy if to == "structural" else namemap.by_structural
    backward = namemap.by_structural if to == "structural" else namemap.by_legacy
    report, tensors, used = LoadReport(), [], set()
    for tensor in checkpoint.tensors:
        role, name = split_role(tensor.key or "")
        entry = forward.get(name) or backward.get(name)
        if entry is None:
            report.unexpected.append(tensor.key)
            continue
        used.add(entry)
        new = getattr(entry, to)
        if entry.shape is not None and tensor.shape is not None \
                and not _shape_fits(tensor.shape, entry.shape, unknown=(-1,), either_side=False):
            report.shape_mismatch.append((tensor.key, tensor.shape, entry.shape))
        key = role + new if keep_roles else new
        if key != tensor.key:
            report.renamed.append((tensor.key, key))
        tensors.append(tensor.renamed(key))
    report.missing += [getattr(e, to) for e in namemap.entries if e not in used]
    if not report.ok:
        return None, report
    return replace(checkpoint, tensors=tensors, container="dict"), report
