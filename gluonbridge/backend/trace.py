"""Tracing a block's forward into a :class:`~gluonbridge.backend.graph.Graph`.

While a trace is active (one per thread), HybridBlocks called with Symbols record ops instead of
computing: ``hybrid_forward(F, x, **params)`` gets an op namespace ``F`` and a ParamRef per
registered Parameter (1.x style); ``forward(x)`` code reads ``self.weight.data()``, which returns
the ParamRef, and calls ``mx.np``/``mx.npx`` ops (2.x style).
"""
from __future__ import annotations

import functools
import threading

import numpy as np

from .graph import Graph, LoweringError, ParamRef, Symbol
from .ops import OPS

_state = threading.local()


def current_graph():
    """The graph being traced in this thread, or None."""
    return getattr(_state, "graph", None)


class OpNamespace:
    """``F`` inside ``hybrid_forward``: every registered op, bound to the graph being traced;
    ``F.np`` and ``F.npx`` are the same ops under their MXNet 2 names."""

    def __init__(self, graph):
        self._graph = graph

    @property
    def np(self):
        return self

    @property
    def npx(self):
        return self

    def __getattr__(self, name):
        if name not in OPS:
            raise LoweringError(f"block '{self._graph.where()}': op F.{name} is not supported by "
                                "the ONNX lowering")
        return functools.partial(OPS[name], self._graph)


def traced_op(name):
    """``mx.np.<name>`` / ``mx.npx.<name>`` for 2.x-style ``forward`` code: records the op in the
    active trace."""
    def call(*args, **kwargs):
        graph = current_graph()
        if graph is None:
            raise RuntimeError(f"{name}() runs only inside a HybridBlock being executed: gluonbridge "
                               "runs Gluon code by tracing it to ONNX (call the block on arrays)")
        return OPS[name](graph, *args, **kwargs)
    call.__name__ = name
    return call


def block_paths(root):
    """id(block) -> structural path, for error messages that name the failing block."""
    paths = {}

    def walk(block, path):
        paths.setdefault(id(block), path)
        for name, child in block._child_items():
            walk(child, f"{path}.{name}" if path else name)
    walk(root, "")
    return paths


def trace(block, arrays):
    """Trace ``block`` called on arrays of these shapes/dtypes; returns the Graph and the
    Parameters bound into it."""
    graph = Graph()
    names = block.parameter_table().initializer_names()
    bound = {}

    def parameter_name(param):
        bound[id(param)] = param
        return names.get(id(param)) or param.variable_name
    graph.parameter_name = parameter_name
    graph.paths = block_paths(block)
    input_names = ["data"] if len(arrays) == 1 else [f"data{i}" for i in range(len(arrays))]
    inputs = [graph.input(n, a.shape, a.dtype) for n, a in zip(input_names, arrays)]
    previous, _state.graph = current_graph(), graph
    try:
        out = block(*inputs)
    finally:
        _state.graph = previous
    outs = list(out) if isinstance(out, (list, tuple)) else [out]
    for i, sym in enumerate(outs):
        if isinstance(sym, ParamRef):
            sym = graph.parameter(sym, sym.param.shape, "output")
        if not isinstance(sym, Symbol):
            raise LoweringError(f"block '{type(block).__name__}' returned {type(sym).__name__}, "
                                "not an array computed from its inputs")
        if sym.name in graph.initializers or sym in inputs:
            sym = graph.node("Identity", [sym], sym.shape, sym.dtype)
        outs[i] = sym
    graph.outputs = outs
    return graph, list(bound.values()), isinstance(out, (list, tuple))


def as_input_array(value):
    arr = np.asarray(value)
    if arr.dtype == np.float64 and not isinstance(value, np.ndarray):
        arr = arr.astype(np.float32)   # Python lists default to float32, as in MXNet
    return arr
