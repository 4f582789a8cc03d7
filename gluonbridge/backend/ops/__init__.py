"""The op table, split by family; :mod:`.registry` holds the table and the entry type.

Importing this package registers every entry: ``OPS`` maps every spelling to its
:class:`~.registry.Op`.
"""
from . import activation, elementwise, heads, nn, norm, reduce, shape  # noqa: F401  (registration)
from .registry import (OPS, Op, Unsupported, aux_positions, graph_rule, lookup, num_outputs, op,
                       register)

__all__ = ["OPS", "Op", "Unsupported", "aux_positions", "graph_rule", "lookup", "num_outputs",
           "op", "register"]
