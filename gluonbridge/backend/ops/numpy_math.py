"""NumPy functions MXNet 2 added as ``_npi_*`` ops (``np.isnan``, ``np.arctan2``, ``np.fmod``,
``np.cumsum``, ``np.tril``...), with MXNet 2.0.0b1's result dtypes and refusals (probed on
2.0.0b1; tests/test_eager_oracle.py compares every one with it).

Dtype rules of the binary ops (``RULES``): "float" takes two floating arrays (their promotion);
"arith" is the arithmetic rule of :func:`.elementwise.numpy_result`; "same" takes two arrays of
one dtype. None of them has a bool kernel.
"""
from __future__ import annotations

import math

import numpy as np

from ...graph.attrs import Bool, Dtype, Int, IntOrInts, Ints
from .common import binary, broadcast, same_shape
from .elementwise import (as_dtype, no_bool_kernel, numpy_float_dtype, numpy_float_math,
                          numpy_result, onnx_dtype)
from .reduce import _axes, _reduce, _reduced
from .registry import Unsupported, op

_BOOL = np.dtype(bool)


def _unary(g, onnx_op, x, dtype=None):
    return g.node(onnx_op, [x], x.shape, dtype or x.dtype)


# ------------------------------------------------------------------ unary
def _is(test):
    """A bool-valued test of a float array; integer and bool arrays (never NaN or infinite)
    are tested as float32."""
    def lower(g, a, data):
        if data.dtype.kind != "f":
            data = as_dtype(g, data, np.float32)
        return test(g, data)
    return lower


_TESTS = {
    "_npi_isnan": lambda g, x: _unary(g, "IsNaN", x, _BOOL),
    "_npi_isinf": lambda g, x: g.node("IsInf", [x], x.shape, _BOOL),
    "_npi_isposinf": lambda g, x: g.node("IsInf", [x], x.shape, _BOOL, detect_negative=0),
    "_npi_isneginf": lambda g, x: g.node("IsInf", [x], x.shape, _BOOL, detect_positive=0),
    "_npi_isfinite": lambda g, x: _unary(g, "Not", g.node("Or", [
        g.node("IsInf", [x], x.shape, _BOOL), _unary(g, "IsNaN", x, _BOOL)], x.shape, _BOOL)),
}
for _name, _test in _TESTS.items():
    op(_name, shape=same_shape, dtype=lambda a, data: _BOOL)(_is(_test))

# degrees and radians: float math (integers and bools give float16/float32, as np.sin)
for _names, _factor in ((("_npi_degrees", "_npi_rad2deg"), 180.0 / math.pi),
                        (("_npi_radians", "_npi_deg2rad"), math.pi / 180.0)):
    op(_names[0], *_names[1:], shape=same_shape, dtype=lambda a, data: numpy_float_dtype(data))(
        lambda g, a, data, _build=numpy_float_math(
            lambda g, x, _f=_factor: binary(g, "Mul", x, _f)): _build(g, data))


def _no_bool(name):
    def check(g, data):
        if data.dtype == _BOOL:
            g.fail(no_bool_kernel(name))
    return check


@op("_npi_fabs", shape=same_shape)
def fabs(g, a, data):
    """``|x|`` in the input's dtype (MXNet keeps integers integer, unlike NumPy)."""
    _no_bool("fabs")(g, data)
    return _unary(g, "Abs", data)


@op("_npi_positive", shape=same_shape)
def positive(g, a, data):
    return _unary(g, "Identity", data)


# ------------------------------------------------------------------ binary
def _binary_dtype(rule, name):
    def dtype(a, lhs, rhs):
        lhs, rhs = np.dtype(lhs), np.dtype(rhs)
        if _BOOL in (lhs, rhs):
            raise Unsupported(no_bool_kernel(name))
        if rule == "float" and (lhs.kind != "f" or rhs.kind != "f"):
            raise Unsupported(f"inputs of dtypes {lhs} and {rhs}: MXNet 2's {name} takes "
                              "floating arrays (cast with astype)")
        return numpy_result("same" if rule == "same" else "arith", name, lhs, rhs)
    return dtype


def _arctan2(g, y, x):
    """atan2 from atan: ``atan(y / x)`` moved by +-pi where x < 0, +-pi/2 where x == 0."""
    shape = broadcast(y.shape, x.shape)
    base = _unary(g, "Atan", binary(g, "Div", y, x))
    zero = g.constant(0.0, x.dtype)
    y_negative = binary(g, "Less", y, zero, _BOOL)
    half_turn = g.node("Where", [y_negative, g.constant(-math.pi, x.dtype),
                                 g.constant(math.pi, x.dtype)], shape, x.dtype)
    left = binary(g, "Add", base, half_turn)
    quarter = g.node("Where", [y_negative, g.constant(-math.pi / 2, x.dtype),
                               g.constant(math.pi / 2, x.dtype)], shape, x.dtype)
    on_axis = g.node("Where", [binary(g, "Equal", y, zero, _BOOL), zero, quarter], shape,
                     x.dtype)
    return g.node("Where", [binary(g, "Less", x, zero, _BOOL), left, g.node(
        "Where", [binary(g, "Equal", x, zero, _BOOL), on_axis, base], shape, x.dtype)],
        shape, x.dtype)


def _floor_divide(g, lhs, rhs):
    """``floor(a / b)``; integers: the truncated quotient, one less where the signs differ and
    the division is not exact (Python's ``//``)."""
    if lhs.dtype.kind == "f":
        return _unary(g, "Floor", binary(g, "Div", lhs, rhs))
    quotient = binary(g, "Div", lhs, rhs)
    inexact = _unary(g, "Not", binary(g, "Equal", binary(g, "Mul", quotient, rhs), lhs, _BOOL),
                     _BOOL)
    signs_differ = binary(g, "Xor", binary(g, "Less", lhs, g.constant(0, lhs.dtype), _BOOL),
                          binary(g, "Less", rhs, g.constant(0, rhs.dtype), _BOOL), _BOOL)
    lower = g.node("And", [inexact, signs_differ], quotient.shape, _BOOL)
    return binary(g, "Sub", quotient, g.node("Cast", [lower], quotient.shape, quotient.dtype,
                                             to=onnx_dtype(quotient.dtype)))


def _fmod(g, lhs, rhs):
    """C's fmod: the remainder with the dividend's sign (ONNX Mod with fmod=1); by 0 it is 0,
    as MXNet's mod."""
    shape = broadcast(lhs.shape, rhs.shape)
    zero = g.constant(0, lhs.dtype)
    safe = g.node("Where", [binary(g, "Equal", rhs, zero, _BOOL), g.constant(1, rhs.dtype), rhs],
                  rhs.shape, rhs.dtype)
    remainder = g.node("Mod", [lhs, safe], shape, lhs.dtype, fmod=1)
    return g.node("Where", [binary(g, "Equal", rhs, zero, _BOOL), zero, remainder], shape,
                  lhs.dtype)


def _copysign(g, lhs, rhs):
    """``|a|`` where ``b >= 0``, else ``-|a|`` (MXNet's test: a NaN ``b`` gives ``-|a|``)."""
    magnitude = _unary(g, "Abs", lhs)
    positive = binary(g, "GreaterOrEqual", rhs, g.constant(0, rhs.dtype), _BOOL)
    shape = broadcast(lhs.shape, rhs.shape)
    return g.node("Where", [positive, magnitude, _unary(g, "Neg", magnitude)], shape, lhs.dtype)


def _nan_ignoring(onnx_op):
    """fmax/fmin: the other operand where one is NaN."""
    def lower(g, lhs, rhs):
        shape = broadcast(lhs.shape, rhs.shape)
        both = g.node(onnx_op, [lhs, rhs], shape, lhs.dtype)
        if lhs.dtype.kind != "f":
            return both
        lhs_nan, rhs_nan = _unary(g, "IsNaN", lhs, _BOOL), _unary(g, "IsNaN", rhs, _BOOL)
        other = g.node("Where", [rhs_nan, lhs, both], shape, lhs.dtype)   # Where broadcasts
        return g.node("Where", [lhs_nan, rhs, other], shape, lhs.dtype)
    return lower


def _logaddexp(g, lhs, rhs):
    """``max + log1p(exp(-|a - b|))``, without overflow."""
    top = binary(g, "Max", lhs, rhs)
    gap = _unary(g, "Neg", _unary(g, "Abs", binary(g, "Sub", lhs, rhs)))
    return binary(g, "Add", top, _unary(g, "Log", binary(g, "Add", _unary(g, "Exp", gap), 1.0)))


def _ldexp(g, lhs, rhs):
    """``a * 2**b``."""
    if lhs.dtype.kind != "f":
        wide = np.dtype(np.float64)
        scaled = _ldexp(g, as_dtype(g, lhs, wide), as_dtype(g, rhs, wide))
        return g.node("Cast", [scaled], scaled.shape, lhs.dtype, to=onnx_dtype(lhs.dtype))
    return binary(g, "Mul", lhs, binary(g, "Pow", g.constant(2.0, rhs.dtype), rhs))


for _name, _rule, _compute in (
        ("_npi_arctan2", "float", _arctan2), ("_npi_floor_divide", "arith", _floor_divide),
        ("_npi_fmod", "same", _fmod), ("_npi_copysign", "same", _copysign),
        ("_npi_fmax", "same", _nan_ignoring("Max")), ("_npi_fmin", "same", _nan_ignoring("Min")),
        ("_npi_logaddexp", "float", _logaddexp), ("_npi_ldexp", "same", _ldexp)):
    _dtype = _binary_dtype(_rule, _name[len("_npi_"):])
    op(_name, inputs=("lhs", "rhs"), uniform=False,
       shape=lambda a, lhs, rhs: broadcast(lhs, rhs), dtype=_dtype)(
        lambda g, a, lhs, rhs, _c=_compute, _d=_dtype: _c(
            g, as_dtype(g, lhs, _d(a, lhs.dtype, rhs.dtype)),
            as_dtype(g, rhs, _d(a, lhs.dtype, rhs.dtype))))


# ------------------------------------------------------------------ reductions and scans
def _numpy_reduced(a, data):
    """A numpy-mode reduction's output shape (a full reduction is 0-d)."""
    a.numpy_mode = True
    return _reduced(a, data, True)


def _truth(g, data):
    if data.dtype == _BOOL:
        return data
    return _unary(g, "Not", binary(g, "Equal", data, g.constant(0, data.dtype), _BOOL), _BOOL)


def _declare_truth_reduction(name, onnx_op):
    """np.all (ReduceMin of the truth values as int32: an empty array is all true) / np.any
    (ReduceSum: an empty one has none)."""
    attrs = {"axis": IntOrInts(None), "keepdims": Bool(False)}

    @op(name, attrs=attrs, shape=_numpy_reduced, dtype=lambda a, data: _BOOL)
    def lower(g, a, data):
        values = as_dtype(g, _truth(g, data), np.int64)
        out = _reduce(g, onnx_op, values, _axes(a, data.shape), a.keepdims,
                      _numpy_reduced(a, data.shape))
        return _truth(g, out)


_declare_truth_reduction("_npi_all", "ReduceMin")
_declare_truth_reduction("_npi_any", "ReduceSum")


_CUMSUM = dict(attrs={"axis": Int(None), "dtype": Dtype(None)},
               shape=lambda a, data: data if a.axis is not None else (int(np.prod(data)),),
               dtype=lambda a, data: a.dtype or (np.dtype(np.int64) if data == _BOOL else data))


@op("_npi_cumsum", **_CUMSUM)
def cumsum(g, a, data):
    """Running sums along ``axis`` (of the flattened array without one)."""
    dtype = a.dtype or (np.dtype(np.int64) if data.dtype == _BOOL else data.dtype)
    axis = a.axis
    if axis is None:
        size = int(np.prod(data.shape))
        data = g.node("Reshape", [data, g.shape_constant((size,))], (size,), data.dtype)
        axis = 0
    data = as_dtype(g, data, dtype)
    return g.node("CumSum", [data, g.constant(axis % max(data.ndim, 1), np.int64)], data.shape,
                  dtype)


@op("_np_cumsum", "cumsum", **_CUMSUM)
def cumsum_1x(g, a, data):
    """MXNet 1.9.1's cumsum (``F.cumsum`` writes ``_np_cumsum``): as np.cumsum, but its kernel
    refuses a negative axis. A float16 result may differ from MXNet's in its last digits on
    long axes: MXNet rounds every partial sum to float16, onnxruntime's CumSum need not."""
    if a.axis is not None and a.axis < 0:
        g.fail(f"axis={a.axis}: MXNet 1.9.1's cumsum refuses a negative axis (give "
               f"axis={a.axis % max(data.ndim, 1)})")
    return cumsum(g, a, data)


def _declare_moment(name, root):
    """np.var / np.std: the mean squared deviation over ``axis`` with ``ddof``, in the input's
    dtype. For integers MXNet takes the mean in the integer dtype (truncated); the deviations
    from it are then computed in float64 and the result truncated."""
    attrs = {"axis": IntOrInts(None), "dtype": Dtype(None), "ddof": Int(0),
             "keepdims": Bool(False)}

    def dtype(a, data):
        if np.dtype(data) == _BOOL:
            raise Unsupported(no_bool_kernel(name[len("_npi_"):]))
        return a.dtype or data

    @op(name, attrs=attrs, shape=_numpy_reduced, dtype=dtype)
    def lower(g, a, data):
        out_dtype = dtype(a, data.dtype)
        work = out_dtype if out_dtype.kind == "f" else np.dtype(np.float64)
        x = as_dtype(g, data, work)
        axes = _axes(a, data.shape)
        count = int(np.prod([data.shape[i] for i in axes])) if axes else 1
        mean = _reduce(g, "ReduceMean", x, axes, True,
                       tuple(1 if i in axes else d for i, d in enumerate(data.shape)))
        if out_dtype.kind != "f":
            mean = g.node("Cast", [g.node("Cast", [mean], mean.shape, np.int64,
                                          to=onnx_dtype(np.int64))], mean.shape, work,
                          to=onnx_dtype(work))
        deviation = binary(g, "Sub", x, mean)
        total = _reduce(g, "ReduceSum", binary(g, "Mul", deviation, deviation), axes,
                        a.keepdims, _numpy_reduced(a, data.shape))
        result = binary(g, "Div", total, float(max(count - a.ddof, 0)))
        if root:
            result = _unary(g, "Sqrt", result)
        return as_dtype(g, result, out_dtype)


_declare_moment("_npi_var", False)
_declare_moment("_npi_std", True)


# ------------------------------------------------------------------ triangles
def _declare_triangle(name, upper):
    """np.tril / np.triu; of a vector, of the square matrix repeating it in every row."""
    @op(name, attrs={"k": Int(0)},
        shape=lambda a, data: data if len(data) > 1 else (data[0], data[0]))
    def lower(g, a, data):
        _no_bool(name[len("_npi_"):])(g, data)
        if data.ndim == 0:
            g.fail("a 0-d array")
        if data.ndim == 1:
            square = (data.shape[0],) * 2
            data = g.node("Expand", [data, g.shape_constant(square)], square, data.dtype)
        return g.node("Trilu", [data, g.constant(a.k, np.int64)], data.shape, data.dtype,
                      upper=int(upper))


_declare_triangle("_npi_tril", False)
_declare_triangle("_npi_triu", True)


# ------------------------------------------------------------------ stacking and moving axes
def _stack_layout(kind, shape):
    """An input's shape as np.hstack/vstack/dstack/column_stack first reshapes it (NumPy's
    ``atleast_1d``/``atleast_2d``/``atleast_3d`` rules; column_stack makes a vector a column)."""
    shape = tuple(shape)
    if kind == "hstack":
        return shape or (1,)
    if kind == "vstack":
        return shape if len(shape) >= 2 else (1,) + (shape or (1,))
    if kind == "column_stack":
        return shape if len(shape) >= 2 else (shape or (1,)) + (1,)
    if len(shape) >= 3:      # dstack
        return shape
    return {0: (1, 1, 1), 1: (1,) + shape + (1,), 2: shape + (1,)}[len(shape)]


_STACK_AXIS = {"hstack": None, "vstack": 0, "dstack": 2, "column_stack": 1}


def _stack_axis(kind, shapes):
    axis = _STACK_AXIS[kind]
    return (0 if len(shapes[0]) == 1 else 1) if axis is None else axis


def _stacked_shape(kind, shapes):
    shapes = [_stack_layout(kind, s) for s in shapes]
    axis = _stack_axis(kind, shapes)
    rest = {s[:axis] + s[axis + 1:] for s in shapes}
    if len(rest) != 1 or len({len(s) for s in shapes}) != 1:
        raise Unsupported(f"np.{kind} of arrays of shapes {shapes} (all but axis {axis} must "
                          "agree)")
    out = list(shapes[0])
    out[axis] = sum(s[axis] for s in shapes)
    return tuple(out)


def _declare_stack(kind):
    @op(f"_npi_{kind}", inputs="*data", attrs={"num_args": Int(None), "dim": Int(None)},
        shape=lambda a, *data: _stacked_shape(kind, data))
    def lower(g, a, *data):
        parts = []
        for x in data:
            layout = _stack_layout(kind, x.shape)
            parts.append(x if layout == x.shape else
                         g.node("Reshape", [x, g.shape_constant(layout)], layout, x.dtype))
        axis = _stack_axis(kind, [p.shape for p in parts])
        return g.node("Concat", parts, _stacked_shape(kind, [x.shape for x in data]),
                      data[0].dtype, axis=axis)


for _kind in _STACK_AXIS:
    _declare_stack(_kind)


def _moved_axes(a, ndim):
    source = [s % ndim for s in a.source]
    destination = [d % ndim for d in a.destination]
    if len(source) != len(destination) or len(set(source)) != len(source) or \
            len(set(destination)) != len(destination):
        raise Unsupported(f"source={a.source!r}, destination={a.destination!r}")
    order = [i for i in range(ndim) if i not in source]
    for d, s in sorted(zip(destination, source)):
        order.insert(d, s)
    return order


@op("_npi_moveaxis", attrs={"source": Ints(required=True), "destination": Ints(required=True)},
    shape=lambda a, data: tuple(data[i] for i in _moved_axes(a, len(data))))
def moveaxis(g, a, data):
    perm = _moved_axes(a, data.ndim)
    return g.node("Transpose", [data], tuple(data.shape[i] for i in perm), data.dtype, perm=perm)


def _roll_axis(g, data, shift, axis):
    size = data.shape[axis]
    shift = shift % size if size else 0
    if not shift:
        return data

    def part(start, end):
        shape = list(data.shape)
        shape[axis] = end - start
        return g.node("Slice", [data, g.constant([start], np.int64), g.constant([end], np.int64),
                                g.constant([axis], np.int64)], tuple(shape), data.dtype)
    return g.node("Concat", [part(size - shift, size), part(0, size - shift)], data.shape,
                  data.dtype, axis=axis)


@op("_npi_roll", attrs={"shift": Ints(None), "axis": Ints(None)}, shape=same_shape)
def roll(g, a, data):
    """np.roll: elements shifted along ``axis`` (of the flattened array without one),
    wrapping around."""
    shifts = list(a.shift or (0,))
    if a.axis is None:
        size = int(np.prod(data.shape))
        flat = g.node("Reshape", [data, g.shape_constant((size,))], (size,), data.dtype)
        rolled = _roll_axis(g, flat, sum(shifts), 0)
        return g.node("Reshape", [rolled, g.shape_constant(data.shape)], data.shape, data.dtype)
    axes = [x % data.ndim for x in a.axis]
    if len(shifts) == 1:
        shifts = shifts * len(axes)
    if len(shifts) != len(axes):
        g.fail(f"shift={a.shift!r} for axis={a.axis!r}")
    for shift, axis in zip(shifts, axes):
        data = _roll_axis(g, data, shift, axis)
    return data


# ------------------------------------------------------------------ np.dot
def _np_dot_shape(a, lhs, rhs):
    lhs, rhs = tuple(lhs), tuple(rhs)
    if not lhs or not rhs:
        return lhs or rhs
    inner_r = rhs[0] if len(rhs) == 1 else rhs[-2]
    if lhs[-1] != inner_r:
        raise Unsupported(f"np.dot of shapes {lhs} and {rhs} (the last axis of the first must "
                          "match the second-to-last of the second)")
    return lhs[:-1] + rhs[:-2] + rhs[-1:] if len(rhs) > 1 else lhs[:-1]


@op("_npi_dot", inputs=("lhs", "rhs"), uniform=False, shape=_np_dot_shape,
    dtype=lambda a, lhs, rhs: numpy_result("arith", "dot", lhs, rhs))
def np_dot(g, a, lhs, rhs):
    """NumPy's dot: a product over the last axis of ``lhs`` and the second-to-last of ``rhs``
    (its only axis for a vector); a 0-d operand multiplies."""
    dtype = numpy_result("arith", "dot", lhs.dtype, rhs.dtype)
    lhs, rhs = as_dtype(g, lhs, dtype), as_dtype(g, rhs, dtype)
    shape = _np_dot_shape(a, lhs.shape, rhs.shape)
    if not lhs.shape or not rhs.shape:
        return binary(g, "Mul", lhs, rhs)
    if rhs.ndim <= 2:       # MatMul's broadcasting is dot's here
        return g.node("MatMul", [lhs, rhs], shape, dtype)
    k, m = rhs.shape[-2], rhs.shape[-1]
    lead = rhs.shape[:-2]
    perm = [rhs.ndim - 2] + list(range(rhs.ndim - 2)) + [rhs.ndim - 1]     # K first
    moved = g.node("Transpose", [rhs], (k,) + lead + (m,), dtype, perm=perm)
    right = g.node("Reshape", [moved, g.shape_constant((k, -1))],
                   (k, int(np.prod(lead)) * m), dtype)
    out = g.node("MatMul", [lhs, right], lhs.shape[:-1] + (int(np.prod(lead)) * m,), dtype)
    return g.node("Reshape", [out, g.shape_constant(shape)], shape, dtype)
