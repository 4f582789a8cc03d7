"""Name maps without a model, and renaming a checkpoint through a name map.

* :func:`match_by_prefix`: strip each side's common top-level prefix (``model0_`` vs ``model1_``)
  and pair equal remainders, reporting every ambiguity, never guessing;
* :func:`namemap_from_symbol`: the legacy parameter names of a ``-symbol.json`` paired with the
  target's graph or keys;
* :func:`translate`: rename a checkpoint's tensors through a NameMap, with a LoadReport.
"""
from __future__ import annotations

import os
from dataclasses import replace

from ..checkpoint.namemap import Entry, FusedEntry, NameMap
from ..checkpoint.symbol_json import load_symbol, parameter_nodes
from ..checkpoint.tensor import Checkpoint
from .report import LoadReport, split_role


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
              keep_roles: bool = False, fused: bool = True) -> tuple:
    """Rename every tensor ``to`` ``'structural'`` keys or ``'legacy'`` names.

    Keys already in the target naming pass unchanged. Recurrent layers (the name map's fused
    entries, :mod:`.rnn_namemap`): to structural keys with ``fused`` (MXNet 2.x), per-gate
    arrays are fused into the flat ``rnn_param``; to legacy names, or to structural keys without
    ``fused`` (the ``_unfused`` keys of 1.9.1's ``save_parameters``), a flat array is split.
    Returns ``(Checkpoint, LoadReport)``; the checkpoint is None when the report has problems.
    """
    from . import rnn_namemap    # numpy: only when a checkpoint is renamed
    namemap = rnn_namemap.grouped(namemap)
    join = to == "structural" and fused
    forward = namemap.by_legacy if to == "structural" else namemap.by_structural
    backward = namemap.by_structural if to == "structural" else namemap.by_legacy
    report, tensors, used, pending = LoadReport(), [], set(), {}
    for tensor in checkpoint.tensors:
        role, name = split_role(tensor.key or "")
        entry = forward.get(name) or backward.get(name)
        if entry is None:
            report.unexpected.append(tensor.key)
            continue
        used.add(id(entry))
        whole = namemap.fused_of.get(id(entry))
        if isinstance(entry, FusedEntry) and not join:
            parts = rnn_namemap.split_tensor(entry, tensor, to, role if keep_roles else "",
                                             checkpoint.path)
            used.update(id(part) for part in entry.parts)
            report.renamed += [(tensor.key, part.key) for part in parts]
            tensors += parts
            continue
        if entry.shape is not None and tensor.shape is not None \
                and not _shape_fits(tensor.shape, entry.shape, unknown=(-1,), either_side=False):
            report.shape_mismatch.append((tensor.key, tensor.shape, entry.shape))
        if whole is not None and join:
            if id(whole) not in pending:
                pending[id(whole)] = (len(tensors), whole, role, {})
                tensors.append(None)            # the fused array goes where its first part was
            pending[id(whole)][3][entry] = tensor
            continue
        new = entry.structural if isinstance(entry, FusedEntry) else getattr(entry, to)
        key = role + new if keep_roles else new
        if key != tensor.key:
            report.renamed.append((tensor.key, key))
        tensors.append(tensor.renamed(key))
    for index, whole, role, parts in pending.values():
        lacking = [p for p in whole.parts if p not in parts]
        if lacking:
            report.missing += [f"{p.legacy} (part of {whole.structural})" for p in lacking]
            continue
        key = role + whole.structural if keep_roles else whole.structural
        tensors[index] = rnn_namemap.fuse_tensors(whole, parts, key, checkpoint.path)
        used.add(id(whole))
        report.renamed.append((f"[{len(parts)} per-gate arrays]", key))
    for entry in namemap.entries:
        if isinstance(entry, FusedEntry):
            seen = [id(p) in used for p in entry.parts]
            if id(entry) in used or (join and any(seen)):
                continue            # translated, or its missing parts are listed above
            report.missing += [entry.structural] if join else \
                [getattr(p, to) for p, found in zip(entry.parts, seen) if not found]
        elif id(entry) not in used:
            report.missing.append(getattr(entry, to))
    if not report.ok:
        return None, report
    return replace(checkpoint, tensors=[t for t in tensors if t is not None],
                   container="dict"), report
