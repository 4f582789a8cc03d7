"""Lowering a graph of MXNet ops to an ONNX model, through the op table.

:func:`to_onnx` walks the graph in order: variables become graph inputs (role ``input``) or
initializers (parameters: never graph inputs, so onnxruntime can constant-fold and fuse them),
every op node is handed to its entry's lowering with a :class:`Builder`. Opset 17 (LayerNormalization
needs it; BatchNormalization must be >= 14), IR version 8 (set explicitly: onnx >= 1.23 stamps a
version onnxruntime refuses). The traps behind each lowering are in shared/spec/onnx-lowering.md.
"""
from __future__ import annotations

import numpy as np

from ..graph.infer import infer
from .errors import unsupported
from .ops import registry

OPSET = 17
IR_VERSION = 8


class Value:
    """One ONNX value with its static shape and dtype."""

    __slots__ = ("name", "shape", "dtype")

    def __init__(self, name, shape, dtype):
        self.name, self.shape, self.dtype = name, tuple(int(d) for d in shape), np.dtype(dtype)

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        return f"<Value {self.name} {self.shape} {self.dtype}>"


class Builder:
    """The ONNX nodes and initializers being emitted; ``where`` names the node being lowered
    (for errors)."""

    def __init__(self):
        self.nodes = []           # (op_type, input names, output names, attrs)
        self.initializers = {}    # name -> numpy array
        self.where, self.op = "<graph>", None
        self._counter = 0

    def fresh(self, hint):
        self._counter += 1
        return f"{hint}_{self._counter}"

    def initializer(self, name, array):
        self.initializers[name] = array
        return Value(name, array.shape, array.dtype)

    def constant(self, value, dtype=np.float32):
        value = np.asarray(value, dtype=dtype)
        return self.initializer(self.fresh("const"), value)

    def shape_constant(self, shape):
        """The int64 target of a Reshape: the one place shape constants are made."""
        return self.constant(tuple(int(d) for d in shape), np.int64)

    def node(self, op_type, inputs, shape, dtype, n_outputs=1, **attrs):
        """Record one ONNX node; returns its (first) output Value."""
        outputs = [self.fresh(op_type) for _ in range(n_outputs)]
        self.nodes.append((op_type, [i.name for i in inputs], outputs, attrs))
        return Value(outputs[0], shape, dtype)

    def fail(self, detail):
        raise unsupported(self.where, self.op, detail)


def to_onnx(graph, inputs, params, name="gluonbridge", where=None):
    """The ModelProto of ``graph``. ``inputs``: name -> (shape, dtype) of the data inputs, in
    graph-input order; ``params``: name -> numpy array of every parameter variable.
    ``where(index)`` names node ``index`` in errors (default: ``node '<name>'``)."""
    import onnx  # noqa: F401  (fail early with the real import error)
    from onnx import helper, numpy_helper

    known_shapes = {n: s for n, (s, _) in inputs.items()}
    known_dtypes = {n: d for n, (_, d) in inputs.items()}
    known_shapes.update({n: a.shape for n, a in params.items()})
    known_dtypes.update({n: a.dtype for n, a in params.items()})
    shapes, dtypes = infer(graph, registry.graph_rule, known_shapes, known_dtypes)
    builder = Builder()
    values = []
    graph_inputs = []
    for i, node in enumerate(graph.nodes):
        if node.is_variable:
            if node.name in params:
                values.append([builder.initializer(node.name, params[node.name])])
            elif node.name in inputs:
                value = Value(node.name, shapes[i][0], dtypes[i][0])
                graph_inputs.append(value)
                values.append([value])
            else:
                raise unsupported(f"node '{node.name}'", "null",
                                  "a variable that is neither an input nor a parameter")
            continue
        entry = registry.lookup(node.op, f"node '{node.name}'")
        builder.where = where(i) if where else f"node '{node.name}'"
        builder.op = entry.name
        a = entry.parse(node.attrs, builder.where)
        args = [values[e.node][e.index] for e in node.inputs]
        out = entry.lower(builder, a, *args)
        values.append(list(out) if isinstance(out, (list, tuple)) else [out])
    outputs = []
    for head in graph.heads:
        value = values[head.node][head.index]
        if value.name in builder.initializers or value in graph_inputs or value in outputs:
            value = builder.node("Identity", [value], value.shape, value.dtype)
        outputs.append(value)
    graph_inputs.sort(key=lambda v: list(inputs).index(v.name))

    used = {name for _, ins, _, _ in builder.nodes for name in ins}

    def value_info(v):
        return helper.make_tensor_value_info(v.name, helper.np_dtype_to_tensor_dtype(v.dtype),
                                             list(v.shape))

    nodes = [helper.make_node(op, ins, outs, **attrs) for op, ins, outs, attrs in builder.nodes]
    inits = [numpy_helper.from_array(np.ascontiguousarray(a), n)
             for n, a in builder.initializers.items() if n in used]
    proto = helper.make_graph(nodes, name, [value_info(v) for v in graph_inputs],
                              [value_info(v) for v in outputs], inits)
    model = helper.make_model(proto, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="gluonbridge")
    model.ir_version = IR_VERSION
    return model
