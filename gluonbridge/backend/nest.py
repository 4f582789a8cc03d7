"""Nested call arguments and results: MXNet's recurrent blocks take and return lists of states
(``layer(x, [h, c])`` -> ``(out, [h, c])``). A graph has flat inputs and outputs, so calls are
flattened to their leaves and rebuilt after, with the same list/tuple structure.

    leaves, spec = flatten((x, [h, c]))     # [x, h, c], spec
    unflatten(spec, leaves)                 # (x, [h, c])
"""
from __future__ import annotations

LEAF = None   # the spec of one leaf
ABSENT = "None"   # the spec of a None argument (MXNet passes it on as None; no graph input)


def flatten(value):
    """``(leaves, spec)``: the non-list/tuple values of ``value`` depth first, and a hashable
    description of its structure (``LEAF`` or ``(type, (child specs...))``)."""
    if value is None:
        return [], ABSENT
    if not isinstance(value, (list, tuple)):
        return [value], LEAF
    leaves, specs = [], []
    for item in value:
        sub, spec = flatten(item)
        leaves.extend(sub)
        specs.append(spec)
    return leaves, (list if isinstance(value, list) else tuple, tuple(specs))


def unflatten(spec, leaves):
    """The structure ``spec`` describes, filled with ``leaves`` in order."""
    leaves = iter(leaves)
    out = _build(spec, leaves)
    if next(leaves, _END) is not _END:
        raise ValueError("more leaves than the structure holds")
    return out


_END = object()


def _build(spec, leaves):
    if spec is LEAF:
        return next(leaves)
    if spec == ABSENT:
        return None
    kind, children = spec
    return kind(_build(child, leaves) for child in children)
