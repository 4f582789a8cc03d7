"""The values user code handles while a block is traced: :class:`Symbol` (one output of a graph
node, with the shape and dtype inferred when it was recorded) and :class:`ParamRef` (a Parameter
handed to ``hybrid_forward`` or returned by ``Parameter.data()``; it becomes a variable node
when an op uses it). Arithmetic and methods record MXNet ops in the active trace."""
from __future__ import annotations

import numbers

# Array methods Gluon code calls on a Symbol (MXNet 1.x Symbol's) -> (the 1.x op, the numpy-mode
# op) they record;
# the methods with their own signatures (reshape, transpose, ...) are defined on Symbol.
METHODS = {name: (name, f"_npi_{name}") for name in (
    "sum", "mean", "max", "min", "prod", "argmax", "argmin", "clip", "tile", "squeeze",
    "expand_dims", "broadcast_to", "take", "sort", "argsort", "flip", "exp", "log", "sqrt",
    "square", "tanh", "sin", "cos", "floor", "ceil", "sign", "reciprocal", "log1p",
    "expm1", "log2", "log10", "cbrt", "rint", "fix", "trunc")}
METHODS.update({name: (name, name) for name in (
    "slice", "slice_axis", "slice_like", "reshape_like", "broadcast_like", "broadcast_axes",
    "pick", "one_hot", "topk", "split", "zeros_like", "ones_like", "norm", "nansum", "nanprod",
    "sigmoid", "relu", "softmax", "log_softmax", "round", "shape_array", "size_array")})
METHODS.update({"abs": ("abs", "_npi_absolute"), "repeat": ("repeat", "_npi_repeats"),
                "flatten": ("Flatten", "Flatten"), "swapaxes": ("SwapAxis", "SwapAxis")})


class _Arithmetic:
    """``+ - * / **``, negation and ``> >= < <= == !=``, recorded as MXNet's Symbol arithmetic records
    them."""

    __slots__ = ()

    def _arith(self, other, kind, reverse=False):
        return self._tracer().arith(kind, self, other, reverse)

    def __add__(self, other):
        return self._arith(other, "add")

    def __radd__(self, other):
        return self._arith(other, "add", True)

    def __sub__(self, other):
        return self._arith(other, "sub")

    def __rsub__(self, other):
        return self._arith(other, "sub", True)

    def __mul__(self, other):
        return self._arith(other, "mul")

    def __rmul__(self, other):
        return self._arith(other, "mul", True)

    def __truediv__(self, other):
        return self._arith(other, "div")

    def __rtruediv__(self, other):
        return self._arith(other, "div", True)

    def __pow__(self, other):
        return self._arith(other, "pow")

    def __rpow__(self, other):
        return self._arith(other, "pow", True)

    def __neg__(self):
        tracer = self._tracer()
        if tracer.numpy_mode:                  # 2.0.0b1's ``np.negative``; 1.x multiplies by -1
            return tracer.call("_npi_negative", (self,), {}, hint="negative")
        return self._arith(-1.0, "mul")

    def __gt__(self, other):
        return self._arith(other, "gt")

    def __ge__(self, other):
        return self._arith(other, "ge")

    def __lt__(self, other):
        return self._arith(other, "lt")

    def __le__(self, other):
        return self._arith(other, "le")

    def __eq__(self, other):
        if not isinstance(other, (_Arithmetic, int, float)):
            return NotImplemented             # MXNet refuses other types; Python says False
        return self._arith(other, "eq")

    def __ne__(self, other):
        if not isinstance(other, (_Arithmetic, int, float)):
            return NotImplemented
        return self._arith(other, "ne")

    __hash__ = object.__hash__                # recorded values stay usable as dict keys


class _Methods(_Arithmetic):
    """The array methods MXNet's Symbol has (``x.reshape(...)``, ``x.sum(axis=1)``, ...),
    recorded as ops in the active trace; Symbols and Parameters alike have them, as a
    Parameter is a variable Symbol in MXNet's traced ``hybrid_forward``."""

    __slots__ = ()

    def _method(self, op_name, *args, **kwargs):
        return self._tracer().call(op_name, (self,) + args, kwargs, hint=op_name.lower())

    def __getattr__(self, name):
        ops = METHODS.get(name)
        if ops is None:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute {name!r}")
        from .ops import OPS
        tracer = self._tracer()
        op_name = ops[1] if tracer.numpy_mode and ops[1] in OPS else ops[0]

        def method(*args, **kwargs):
            return tracer.call(op_name, (self,) + args, kwargs, hint=name)
        method.__name__ = name
        return method

    def reshape(self, *shape, **kwargs):
        """1.x: ``Reshape`` with its codes (0 copies a dimension, ...). Numpy mode: as 2.0.0b1's
        ``ndarray.reshape``, ``_npi_reshape`` (``_npx_reshape``'s codes: -1 infers, -2 copies a
        dimension, ...), which takes ``order`` as its only keyword."""
        given = shape[0] if len(shape) == 1 else shape
        shape = given if isinstance(given, (tuple, list)) else shape
        if self._tracer().numpy_mode:
            unknown = set(kwargs) - {"order"}
            if unknown:
                raise TypeError(f"{sorted(unknown)[0]!r} is an invalid keyword argument for "
                                "reshape() on a numpy-mode array; pass the shape positionally")
            if not shape:
                raise TypeError("reshape() takes exactly 1 argument (0 given)")
            return self._method("_npi_reshape", newshape=tuple(shape),
                                order=kwargs.get("order", "C"))
        shape = kwargs.pop("shape", given)     # x.reshape(shape=(...)), as MXNet accepts
        # a lone number is recorded as given, as 1.9.1 writes it (reshape(-1): shape='-1')
        return self._method("Reshape", shape=shape if isinstance(shape, numbers.Integral)
                            else tuple(shape), **kwargs)

    def transpose(self, *axes, **kwargs):
        axes = axes[0] if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes
        axes = kwargs.pop("axes", axes)        # x.transpose(axes=(...))
        return self._method("transpose", **({"axes": tuple(axes)} if axes else {}))

    @property
    def T(self):
        """The axes reversed (``x.transpose()``), as on an MXNet 2 ndarray or Symbol."""
        return self.transpose()

    def astype(self, dtype):
        return self._method("Cast", dtype=dtype)


class Symbol(_Methods):
    """Output ``index`` of node ``node`` of the graph being traced.

    Reading ``shape`` marks the trace as depending on the traced batch size (user code may
    bake ``x.shape[0]`` into an attribute), so its graph is not reused for other batch sizes.
    """

    __slots__ = ("tracer", "node", "index", "_shape", "dtype")

    def __init__(self, tracer, node, index, shape, dtype):
        self.tracer, self.node, self.index = tracer, node, index
        self._shape, self.dtype = shape, dtype

    @property
    def shape(self):
        self.tracer.shape_read = True
        return self._shape

    def _tracer(self):
        return self.tracer

    @property
    def name(self):
        """The node's name (MXNet's ``Symbol.name``)."""
        return self.tracer.graph.nodes[self.node].name

    @property
    def device(self):
        """The device MXNet code asks for (``self.weight.data(x.device)``): always the CPU."""
        from ..device import current_device
        return current_device()

    ctx = context = device

    @property
    def ndim(self):
        return len(self._shape)

    def __repr__(self):
        return f"<Symbol {self.name} shape={self._shape} dtype={self.dtype}>"


class ParamRef(_Methods):
    """A Parameter used inside a trace."""

    __slots__ = ("param",)

    def __init__(self, param):
        self.param = param

    def _tracer(self):
        from .trace import current_trace
        return current_trace()

    @property
    def shape(self):
        return self.param.shape

    @property
    def dtype(self):
        return self.param.dtype
