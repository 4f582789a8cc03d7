"""Helpers the op families share: broadcasting, ONNX emitters used by several lowerings."""
from __future__ import annotations

import numpy as np

from ...checkpoint.dtypes import DTYPES

FLT_MAX = float(np.finfo(np.float32).max)


def broadcast(*shapes):
    return tuple(np.broadcast_shapes(*[tuple(s) for s in shapes]))


def same_shape(a, data, *rest):
    return data


def fill(values, n, default):
    """A per-axis tuple: ``values`` of length ``n`` (one value repeated), or ``default``."""
    if not values:
        return (default,) * n
    return tuple(values) * n if len(values) == 1 and n > 1 else tuple(values)


# the float types whose Pow is computed in float64
_NARROW_FLOATS = (np.dtype(np.float16), np.dtype(np.float32))


def binary(g, onnx_op, a, b, dtype=None):
    """``a <op> b`` with numpy broadcasting; a Python number becomes a constant of ``a``'s
    dtype. A float32/float16 ``Pow`` is computed in float64 and rounded once, as C's correctly
    rounded ``powf`` gives it (onnxruntime's float32 Pow is an ulp off it on some CPUs)."""
    if not hasattr(b, "name"):
        b = g.constant(b, dtype=a.dtype)
    shape = broadcast(a.shape, b.shape)
    if onnx_op == "Pow" and a.dtype in _NARROW_FLOATS and b.dtype == a.dtype:
        wide = [g.node("Cast", [x], x.shape, np.float64, to=DTYPES["float64"].onnx)
                for x in (a, b)]
        result = g.node("Pow", wide, shape, np.float64)
        return g.node("Cast", [result], shape, a.dtype, to=DTYPES[a.dtype.name].onnx)
    return g.node(onnx_op, [a, b], shape, dtype or a.dtype)


def within(g, value, low, high, upper="LessOrEqual"):
    """``low <= value <= high`` elementwise as a bool value (``upper="Less"``: ``< high``)."""
    bool_ = np.dtype(np.bool_)
    return g.node("And", [binary(g, "GreaterOrEqual", value, float(low), bool_),
                          binary(g, upper, value, float(high), bool_)], value.shape, bool_)


def reshape(g, data, shape):
    """Reshape to a static ``shape`` (the target constant comes from ``g.shape_constant``)."""
    shape = tuple(int(d) for d in shape)
    return g.node("Reshape", [data, g.shape_constant(shape)], shape, data.dtype)


def move_axis_to_1(g, data, axis):
    perm = list(range(data.ndim))
    perm.insert(1, perm.pop(axis))
    return perm, g.node("Transpose", [data], tuple(data.shape[i] for i in perm), data.dtype,
                        perm=perm)


def restore_axis(g, data, perm):
    inverse = [int(i) for i in np.argsort(perm)]
    return g.node("Transpose", [data], tuple(data.shape[i] for i in inverse), data.dtype,
                  perm=inverse)

