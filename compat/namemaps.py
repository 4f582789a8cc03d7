"""namemap(block): the legacy-name <-> structural-key JSON that gluonbridge's translator reads
(``python -m gluonbridge.convert IN OUT --to mx2 --namemap MAP.json``)."""
from __future__ import annotations

import json

from ._backend import describe, is_mx2


class LegacyNamesUnavailable(RuntimeError):
    """The model carries no MXNet 1.x names (MXNet 2, gluonbridge structural mode)."""


def _known_shape(param):
    shape = param.shape
    return tuple(shape) if shape is not None and all(d > 0 for d in shape) else None


def namemap(block, path=None) -> dict:
    """Pair each Parameter's 1.x full name (``collect_params()``) with its structural key
    (``_collect_params_with_prefix()``, the first key when shared) by Parameter identity; the
    shape when known (run one batch first to complete deferred shapes). Written atomically to
    ``path`` if given. Parameters with only one of the two names are left out: a
    ``params.get`` result never assigned to an attribute has no key (``save_parameters`` skips
    it), a bare ``Parameter`` attribute is not collected on 1.x.

    On MXNet 2 (or gluonbridge's structural mode) the 1.x names do not exist: this raises
    :class:`LegacyNamesUnavailable`; run it on the same model definition under MXNet 1.x or
    gluonbridge's legacy naming instead.
    """
    if is_mx2(block):
        raise LegacyNamesUnavailable(
            f"{describe(block)} keys parameters structurally only; the MXNet 1.x names come from "
            "the same model built under MXNet 1.x (or gluonbridge with GLUONBRIDGE_NAMING=legacy"
            "): run compat.namemap there")
    from gluonbridge.checkpoint.namemap import Entry, NameMap
    keys = {}
    for key, param in block._collect_params_with_prefix().items():
        keys.setdefault(id(param), key)
    entries = [Entry(name, keys[id(param)], _known_shape(param))
               for name, param in block.collect_params().items() if id(param) in keys]
    source = f"compat.namemap({type(block).__name__} '{block.prefix}') under {describe(block)}"
    doc = NameMap(entries, source).to_json()
    if path is not None:
        from gluonbridge.atomic import atomic_output
        with atomic_output(path, force=True) as out:
            out.write((json.dumps(doc, indent=1) + "\n").encode("utf-8"))
    return doc
