"""Recurrent layers in name maps and in renamed checkpoints.

A name map describes a recurrent layer with one fused entry
(:class:`~gluonbridge.checkpoint.namemap.FusedEntry`): MXNet 2.x's flat ``rnn_param`` key and
the per-gate MXNet 1.x parts in concatenation order. This module

* groups per-gate entries into fused entries (:func:`group_entries`): the model builder does it
  before writing a map, and :func:`grouped` does it for version-1 maps, which list the parts as
  plain entries;
* reads the layer's layout off a fused entry, checking that its parts are listed in MXNet's
  order (:func:`layout_of`);
* fuses per-gate tensors into the flat one and splits a flat tensor into the per-gate ones for
  :func:`gluonbridge.translate.matching.translate`;
* splits a checkpoint's flat arrays against the per-gate keys and shapes of a target MXNet 1.x
  file (:func:`split_for_target`, ``convert --to mx1 --target``).
"""
from __future__ import annotations

from dataclasses import replace

from ..checkpoint.errors import NameMapError
from ..checkpoint.namemap import Entry, FusedEntry, NameMap
from ..checkpoint.tensor import tensor_from_array
from .report import split_role
from .rnn_weights import (RNNWeightsError, find_rnn_groups, flat_keys, fuse, layout_from_shapes,
                          local_key, split)

FUSED_NAME = "rnn_param"
UNKNOWN = -1


def _local(part: Entry):
    """A part's local key (``l0_i2h_weight``), read from its 1.9.1 key, else its full name."""
    for name in (part.structural, part.legacy):
        parsed = local_key(name)
        if parsed is not None:
            return parsed[2]
    return None


def group_entries(entries) -> list:
    """``entries`` with every complete group of per-gate entries (their structural keys 1.9.1's
    ``_unfused`` keys of one layer) replaced, where its first part was, by one
    :class:`FusedEntry` listing the parts in the flat order. Other entries are kept as they
    are."""
    entries = list(entries)
    plain = {e.structural: e for e in entries if isinstance(e, Entry)}
    groups, _ = find_rnn_groups(plain)
    fused_of = {}
    for group in groups:
        if group.fused_key is None:
            continue
        parts = tuple(plain[group.keys[local]] for local in
                      flat_keys(group.num_layers, group.bidirectional, group.projection))
        fused = FusedEntry(group.fused_key, _flat_shape(parts), parts)
        fused_of.update((id(part), fused) for part in parts)
    out, placed = [], set()
    for entry in entries:
        fused = fused_of.get(id(entry))
        if fused is None:
            out.append(entry)
        elif id(fused) not in placed:
            placed.add(id(fused))
            out.append(fused)
    return out


def _flat_shape(parts):
    if any(part.shape is None for part in parts):
        return None
    try:
        layout = layout_from_shapes({_local(part): part.shape for part in parts})
    except RNNWeightsError:
        return None
    return (layout.size,) if layout.input_size else (UNKNOWN,)


def grouped(namemap: NameMap) -> NameMap:
    """``namemap`` with its per-gate entries grouped (:func:`group_entries`)."""
    entries = group_entries(namemap.entries)
    if len(entries) == len(namemap.entries):
        return namemap
    return NameMap(entries, namemap.source)


def layout_of(entry: FusedEntry, flat_size=None, path=None):
    """The :class:`~gluonbridge.translate.rnn_weights.RNNLayout` of a fused entry, its input size
    read from ``flat_size`` when the parts' shapes leave it unknown. NameMapError if the parts are
    not one recurrent layer in MXNet's flat order, lack shapes, or do not add up to
    ``flat_size`` elements (the message gives the expected and found counts)."""
    where = f"fused entry {entry.structural!r}"
    locals_ = [_local(part) for part in entry.parts]
    if None in locals_:
        bad = entry.parts[locals_.index(None)]
        raise NameMapError(path, where, "per-gate parts (l0_i2h_weight style names)",
                           repr(bad.legacy))
    if any(part.shape is None for part in entry.parts):
        raise NameMapError(path, where, "the shape of every part (it fixes the layer's sizes)",
                           "a part without a shape", "write the name map with shapes "
                           "(compat.namemap or convert --model)")
    try:
        layout = layout_from_shapes(dict(zip(locals_, (p.shape for p in entry.parts))))
        expected = [key for key, _ in layout.entries()]
        if locals_ != expected:
            raise RNNWeightsError(f"parts in the order {locals_}, not MXNet's {expected}")
        if flat_size is not None and not layout.input_size:
            layout = layout.with_input_size_from(flat_size)
        if flat_size is not None and flat_size != layout.size:
            raise RNNWeightsError(f"expected {layout.size} elements for {layout.describe()}, "
                                  f"found {flat_size}")
    except RNNWeightsError as err:
        raise NameMapError(path, where, "parts that make one recurrent layer", str(err),
                           "check that the name map / model / target belongs to this "
                           "file") from None
    for (_, shape), part in zip(layout.entries(), entry.parts):
        if any(d != UNKNOWN and d != s for d, s in zip(part.shape, shape)) \
                or len(part.shape) != len(shape):
            raise NameMapError(path, f"{where}, part {part.legacy!r}", f"shape {shape} for "
                               f"{layout.describe()}", str(tuple(part.shape)))
    return layout


def split_tensor(entry: FusedEntry, tensor, to: str, role: str, path=None) -> list:
    """The per-gate tensors of the flat ``tensor``, keyed by the parts' ``to`` names (with
    ``role`` in front)."""
    flat = tensor.to_numpy()
    layout = layout_of(entry, flat.size if flat.ndim == 1 else None, path)
    if flat.ndim != 1:
        raise NameMapError(path, f"key {tensor.key!r}", "a 1-D flat recurrent array",
                           f"shape {flat.shape}")
    arrays = split(flat, layout)
    return [tensor_from_array(role + getattr(part, to), arrays[local])
            for part, (local, _) in zip(entry.parts, layout.entries())]


def fuse_tensors(entry: FusedEntry, tensors: dict, key: str, path=None):
    """The flat tensor ``key`` of the per-gate ``tensors`` (part -> Tensor), all present."""
    arrays = {_local(part): tensors[part].to_numpy() for part in entry.parts}
    try:
        return tensor_from_array(key, fuse(arrays, layout_from_shapes(
            {local: a.shape for local, a in arrays.items()})))
    except RNNWeightsError as err:
        raise NameMapError(path, f"fused entry {entry.structural!r}", "per-gate arrays that "
                           "make one recurrent layer", str(err)) from None


def split_for_target(checkpoint, target, path=None):
    """``checkpoint`` with each flat recurrent array split into the per-gate keys and shapes of
    ``target`` (``[(key, shape)]`` of an MXNet 1.x file: ``save_parameters``'s ``_unfused``
    keys, or full names) that does not have it. A flat array goes to the target group whose
    ``rnn_param`` key it is; with full names, whose keys do not say that, only one flat array
    and one group pair up.
    NameMapError when a flat array finds no group, or does not add up to it."""
    shapes = {split_role(key)[1]: shape for key, shape in target}
    flats = [t for t in checkpoint.tensors if split_role(t.key or "")[1].split(".")[-1]
             == FUSED_NAME and split_role(t.key)[1] not in shapes]
    if not flats:
        return checkpoint
    groups, _ = find_rnn_groups(shapes)
    by_key = {g.fused_key: g for g in groups if g.fused_key is not None}
    full = [g for g in groups if g.fused_key is None]
    replaced = {}
    for tensor in flats:
        name = split_role(tensor.key)[1]
        group = by_key.get(name) or (full[0] if len(full) == 1 == len(flats) else None)
        if group is None:
            raise NameMapError(path, f"key {tensor.key!r}", "a recurrent layer of the target "
                               "to split it into", f"target layers {sorted(by_key) or 'none'} "
                               f"keyed by rnn_param, {len(full)} by full names",
                               "use --model or --namemap when the target's keys do not say "
                               "which layer is which")
        parts = tuple(Entry(key, key, tuple(shapes[key])) for key in
                      (group.keys[local] for local in
                       flat_keys(group.num_layers, group.bidirectional, group.projection)))
        entry = FusedEntry(name, None, parts)
        replaced[id(tensor)] = split_tensor(entry, tensor, "legacy", split_role(tensor.key)[0],
                                            path)
    tensors = []
    for tensor in checkpoint.tensors:
        tensors.extend(replaced.get(id(tensor), (tensor,)))
    return replace(checkpoint, tensors=tensors)
