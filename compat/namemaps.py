"""namemap(block): the legacy-name <-> structural-key JSON that gluonbridge's translator reads
(``python -m gluonbridge.convert IN OUT --to mx2 --namemap MAP.json``)."""
from __future__ import annotations

import json

from ._backend import describe, is_mx2
from .checkpoints import parameter_table


class LegacyNamesUnavailable(RuntimeError):
    """The model carries no MXNet 1.x names (MXNet 2, gluonbridge structural mode)."""


def namemap(block, path=None) -> dict:
    """Pair each Parameter's 1.x full name (``collect_params()``) with its structural key
    by Parameter identity, as ``gluonbridge.translate.model`` does for the converter: the last
    key when shared (the one MXNet 2's ``save_parameters(deduplicate=True)`` writes), unknown
    dimensions as -1 (run one batch first to complete deferred shapes), Parameters with only one
    of the two names left out. Written atomically to ``path`` if given.

    On MXNet 2 (or gluonbridge's structural mode) the 1.x names do not exist: this raises
    :class:`LegacyNamesUnavailable`; run it on the same model definition under MXNet 1.x or
    gluonbridge's legacy naming instead.
    """
    if is_mx2(block):
        raise LegacyNamesUnavailable(
            f"{describe(block)} keys parameters structurally only; the MXNet 1.x names come from "
            "the same model built under MXNet 1.x (or gluonbridge with GLUONBRIDGE_NAMING=legacy"
            "): run compat.namemap there")
    from gluonbridge.checkpoint.namemap import NameMap
    from gluonbridge.translate.model import table_entries
    entries = table_entries(parameter_table(block))
    source = f"compat.namemap({type(block).__name__} '{block.prefix}') under {describe(block)}"
    doc = NameMap(entries, source).to_json()
    if path is not None:
        from gluonbridge.atomic import atomic_output
        with atomic_output(path, force=True) as out:
            out.write((json.dumps(doc, indent=1) + "\n").encode("utf-8"))
    return doc
