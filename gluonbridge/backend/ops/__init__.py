"""The op table, split by family; :mod:`.registry` holds the table and the entry type.

Importing this package registers every entry: ``OPS`` maps every spelling to its
:class:`~.registry.Op`.
"""
from . import (activation, creation, detection, elementwise, heads, index, matmul, nn,  # noqa: F401
               norm, numpy_math, quantization, reduce, rnn, shape, slicing, vision)
from .registry import (OPS, Op, Unsupported, aux_positions, graph_rule, lookup, num_outputs, op,
                       register)

__all__ = ["OPS", "Op", "Unsupported", "aux_positions", "graph_rule", "lookup", "num_outputs",
           "op", "register"]
