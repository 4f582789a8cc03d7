"""The op table, split by family; :mod:`.registry` holds the table and the entry type.

Importing this package registers every entry: ``OPS`` maps every spelling to its
:class:`~.registry.Op`.
"""
from . import (activation, amp, attention, box_decode, correlation, creation,  # noqa: F401
               deformable, detection, elementwise, heads, index, matmul, nn, norm, numpy_math,
               proposal, psroi, quantization, reduce, rnn, sampling, shape, slicing, vision)
from .registry import (OPS, Op, Unsupported, aux_positions, graph_rule, lookup, num_outputs, op,
                       register)

__all__ = ["OPS", "Op", "Unsupported", "aux_positions", "graph_rule", "lookup", "num_outputs",
           "op", "register"]
