"""The graph a HybridBlock is traced into, and the symbolic values flowing through it.

A :class:`Symbol` is one ONNX value with a static shape and dtype; arithmetic on it records ONNX
nodes in its :class:`Graph`. Weights become initializers (never graph inputs, so onnxruntime can
constant-fold and fuse them).
"""
from __future__ import annotations

import numpy as np

OPSET = 17       # LayerNormalization needs 17; BatchNormalization must be >= 14 (no momentum)
IR_VERSION = 8   # set explicitly: onnx >= 1.23 stamps a version onnxruntime refuses


class LoweringError(ValueError):
    """A block uses an op or attribute the ONNX lowering does not support."""


class IncompatibleInputError(ValueError):
    """An input's shape or dtype does not fit a block's Parameters (MXNet's message, with the
    block path)."""


class Graph:
    """Nodes, initializers, inputs and outputs of one traced model."""

    def __init__(self):
        self.nodes = []
        self.initializers = {}     # name -> numpy array
        self.inputs = []           # Symbols
        self.outputs = []          # Symbols
        self.block_path = []       # paths of the blocks being traced, innermost last
        self.paths = {}            # id(block) -> structural path (set by the tracer)
        self.parameter_name = None  # Parameter -> initializer name (set by the tracer)
        self._counter = 0

    def fresh(self, hint: str) -> str:
        self._counter += 1
        return f"{hint}_{self._counter}"

    def input(self, name, shape, dtype):
        sym = Symbol(self, name, tuple(shape), np.dtype(dtype))
        self.inputs.append(sym)
        return sym

    def initializer(self, name, array):
        self.initializers[name] = array
        return Symbol(self, name, tuple(array.shape), array.dtype)

    def constant(self, value, dtype=np.float32):
        value = np.asarray(value, dtype=dtype)
        return self.initializer(self.fresh("const"), value)

    def parameter(self, value, shape, op, data=None):
        """The Symbol of an op's weight input with the ``shape`` the op needs: a Parameter
        reference is bound here (unknown dimensions filled in, deferred initialization
        finished, its data added as an initializer). With ``data``, the op's input, the two
        dtypes must agree (MXNet: "This layer requires uniform type")."""
        if isinstance(value, ParamRef):
            value = value.bind(self, tuple(int(d) for d in shape), op)
        elif tuple(value.shape) != tuple(shape):
            self.fail(op, f"weight of shape {value.shape} where {tuple(shape)} is needed")
        if data is not None and data.dtype != value.dtype:
            raise IncompatibleInputError(
                f"Error in block '{self.where()}' (op {op}): This layer requires uniform type. "
                f"Expected '{value.dtype}' v.s. given '{data.dtype}' at 'data': cast the input "
                f"(x.astype('{value.dtype}')) or the block (block.cast('{data.dtype}'))")
        return value

    def node(self, op_type, inputs, shape, dtype, n_outputs=1, **attrs):
        """Record one ONNX node; returns its output Symbol (the first, if several)."""
        outputs = [self.fresh(op_type) for _ in range(n_outputs)]
        self.nodes.append((op_type, [i.name if isinstance(i, Symbol) else i for i in inputs],
                           outputs, attrs))
        return Symbol(self, outputs[0], tuple(int(d) for d in shape), np.dtype(dtype))

    def where(self) -> str:
        return (self.block_path[-1] if self.block_path else "") or "<root>"

    def fail(self, op, detail):
        raise LoweringError(f"block '{self.where()}': op {op}: {detail} is not supported by the "
                            "ONNX lowering")

    def to_onnx(self, name="gluonbridge"):
        import onnx
        from onnx import helper, numpy_helper

        def value_info(sym):
            return helper.make_tensor_value_info(
                sym.name, helper.np_dtype_to_tensor_dtype(sym.dtype), list(sym.shape))

        nodes = [helper.make_node(op, ins, outs, **attrs) for op, ins, outs, attrs in self.nodes]
        inits = [numpy_helper.from_array(np.ascontiguousarray(a), n)
                 for n, a in self.initializers.items()]
        graph = helper.make_graph(nodes, name, [value_info(s) for s in self.inputs],
                                  [value_info(s) for s in self.outputs], inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                                  producer_name="gluonbridge")
        model.ir_version = IR_VERSION
        return model


class Symbol:
    """A value in a traced graph; supports the arithmetic and methods Gluon code uses."""

    __slots__ = ("graph", "name", "shape", "dtype")

    def __init__(self, graph, name, shape, dtype):
        self.graph, self.name, self.shape, self.dtype = graph, name, shape, dtype

    @property
    def device(self):
        """The device MXNet code asks for (``self.weight.data(x.device)``): always the CPU."""
        from ..device import current_device
        return current_device()

    ctx = context = device

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        return f"<Symbol {self.name} shape={self.shape} dtype={self.dtype}>"

    def _binary(self, other, op, reverse=False):
        from . import ops
        a, b = (other, self) if reverse else (self, other)
        return ops.elementwise(self.graph, op, a, b)

    def __add__(self, other):
        return self._binary(other, "Add")

    def __radd__(self, other):
        return self._binary(other, "Add", reverse=True)

    def __sub__(self, other):
        return self._binary(other, "Sub")

    def __rsub__(self, other):
        return self._binary(other, "Sub", reverse=True)

    def __mul__(self, other):
        return self._binary(other, "Mul")

    def __rmul__(self, other):
        return self._binary(other, "Mul", reverse=True)

    def __truediv__(self, other):
        return self._binary(other, "Div")

    def __rtruediv__(self, other):
        return self._binary(other, "Div", reverse=True)

    def __neg__(self):
        return self._binary(-1.0, "Mul")

    def reshape(self, *shape, **kwargs):
        from . import ops
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        return ops.OPS["reshape"](self.graph, self, shape=shape, **kwargs)

    def transpose(self, *axes):
        from . import ops
        axes = axes[0] if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes
        return ops.OPS["transpose"](self.graph, self, axes=axes or None)

    def swapaxes(self, dim1, dim2):
        from . import ops
        return ops.OPS["swapaxes"](self.graph, self, dim1=dim1, dim2=dim2)

    def flatten(self):
        from . import ops
        return ops.OPS["flatten"](self.graph, self)

    def astype(self, dtype):
        from . import ops
        return ops.OPS["cast"](self.graph, self, dtype=dtype)


class ParamRef:
    """A Parameter handed to ``hybrid_forward`` (or returned by ``Parameter.data()``) during
    tracing; it becomes an initializer when an op tells its shape (or on first arithmetic)."""

    __slots__ = ("param",)

    def __init__(self, param):
        self.param = param

    @property
    def shape(self):
        return self.param.shape

    def bind(self, graph, shape, op):
        param = self.param
        if param._shape is not None and len(param._shape) == len(shape) and any(
                0 < have != need for have, need in zip(param._shape, shape)):
            raise IncompatibleInputError(
                f"Error in block '{graph.where()}' (op {op}): Shape inconsistent, Provided = "
                f"[{','.join(map(str, param._shape))}], "
                f"inferred shape=({','.join(map(str, shape))}) for Parameter "
                f"'{param.name}': the input does not fit the shape the Parameter was built or "
                "loaded with")
        try:
            param._complete_shape(shape)
        except AssertionError as e:
            graph.fail(op, f"parameter '{param.name}': {e}")
        name = graph.parameter_name(param)
        array = graph.initializers.setdefault(name, param._data)
        return Symbol(graph, name, tuple(array.shape), array.dtype)
