"""The op table, split by family; :mod:`.registry` holds the table and the entry type.

Importing this package registers every entry: ``OPS`` maps every spelling to its
:class:`~.registry.Op`.
"""
from . import (activation, detection, elementwise, heads, nn, norm, quantization,  # noqa: F401
               reduce, shape, vision)
from .registry import (OPS, Op, Unsupported, aux_positions, graph_rule, lookup, num_outputs, op,
                       register)

__all__ = ["OPS", "Op", "Unsupported", "aux_positions", "graph_rule", "lookup", "num_outputs",
           "op", "register"]
