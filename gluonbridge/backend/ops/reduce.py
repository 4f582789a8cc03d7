"""Reductions: sum, mean, max, min, prod, nansum, nanprod, norm, argmax, argmin (``axis`` one int
or a tuple, ``keepdims``, ``exclude``) in their 1.x form (reducing every axis gives shape
``(1,)``) and numpy form (``_npi_*``/``_np_*``: shape ``()``, an output ``dtype``); moments
(mean and variance)."""
from __future__ import annotations

import numpy as np

from ...graph.attrs import Bool, Dtype, Float, Int, IntOrInts, Ints
from .common import binary
from .elementwise import onnx_dtype, to_integer
from .registry import Unsupported, op


def _axes(a, data):
    ndim = len(data)
    if a.axis is None or (a.axis == () and not getattr(a, "numpy_mode", False)):
        axes = list(range(ndim))
    else:
        axes = sorted({x % ndim for x in ((a.axis,) if isinstance(a.axis, int) else a.axis)})
    return [i for i in range(ndim) if i not in axes] if getattr(a, "exclude", False) else axes


def _reduced(a, data, numpy_mode):
    axes = _axes(a, data)
    if a.keepdims:
        return tuple(1 if i in axes else d for i, d in enumerate(data))
    out = tuple(d for i, d in enumerate(data) if i not in axes)
    return out if out or numpy_mode else (1,)


def _reduce(g, onnx_op, data, axes, keepdims, out_shape):
    if not axes:
        return g.node("Identity", [data], out_shape, data.dtype)
    if onnx_op == "ReduceSum":      # axes an input from opset 13, the others from 18
        out = g.node(onnx_op, [data, g.constant(axes, np.int64)], out_shape if keepdims else
                     tuple(d for i, d in enumerate(data.shape) if i not in axes), data.dtype,
                     keepdims=int(keepdims))
    else:
        out = g.node(onnx_op, [data], tuple(d for i, d in enumerate(data.shape) if i not in axes)
                     if not keepdims else out_shape, data.dtype, axes=axes,
                     keepdims=int(keepdims))
    if out.shape != tuple(out_shape):          # 1.x: a full reduction has shape (1,)
        out = g.node("Reshape", [out, g.shape_constant(out_shape)], out_shape, data.dtype)
    return out


def _nan_to(g, data, value):
    is_nan = g.node("IsNaN", [data], data.shape, np.dtype(bool))
    return g.node("Where", [is_nan, g.constant(value, data.dtype), data], data.shape, data.dtype)


_PREPARE = {"nansum": lambda g, x: _nan_to(g, x, 0), "nanprod": lambda g, x: _nan_to(g, x, 1)}


def numpy_default_dtype(onnx_op, data):
    """MXNet 2.0.0b1's result dtype of a numpy-mode reduction given no ``dtype``: ``mean``
    float32 (of any input, float64 included), ``sum``/``prod`` of bools int64, else the
    input's."""
    data = np.dtype(data)
    if onnx_op == "ReduceMean":
        return np.dtype(np.float32)
    if onnx_op in ("ReduceSum", "ReduceProd") and data == np.bool_:
        return np.dtype(np.int64)
    return data


def _declare(onnx_op, names, numpy_mode, prepare=None):
    attrs = {"axis": IntOrInts(None), "keepdims": Bool(False)}
    if numpy_mode:
        attrs.update(dtype=Dtype(None), initial=Float(None))
    else:
        attrs["exclude"] = Bool(False)

    def shape(a, data):
        a.numpy_mode = numpy_mode
        if getattr(a, "initial", None) is not None:
            raise Unsupported(f"initial={a.initial!r}")
        return _reduced(a, data, numpy_mode)

    def dtype(a, data):
        if getattr(a, "dtype", None) is not None:
            return a.dtype
        return numpy_default_dtype(onnx_op, data) if numpy_mode else data

    @op(names[0], *names[1:], attrs=attrs, shape=shape, dtype=dtype)
    def lower(g, a, data):
        out_shape = shape(a, data.shape)
        if prepare is not None:
            data = prepare(g, data)
        wanted = dtype(a, data.dtype)
        if wanted != data.dtype:
            data = g.node("Cast", [data], data.shape, wanted, to=onnx_dtype(wanted))
        axes = _axes(a, data.shape)
        if onnx_op == "ReduceMean" and axes and data.dtype.kind == "f" and \
                not all(data.shape[i] for i in axes):       # MXNet: 0 / 0, NaN (ONNX: 0)
            total = _reduce(g, "ReduceSum", data, axes, a.keepdims, out_shape)
            return binary(g, "Div", total, 0.0)
        return _reduce(g, onnx_op, data, axes, a.keepdims, out_shape)


for _onnx, _legacy, _numpy in [
        ("ReduceMean", ("mean",), ("_npi_mean", "_np_mean")),
        ("ReduceSum", ("sum", "sum_axis"), ("_npi_sum", "_np_sum")),
        ("ReduceMax", ("max", "max_axis"), ("_npi_max", "_np_max")),
        ("ReduceMin", ("min", "min_axis"), ("_npi_min", "_np_min")),
        ("ReduceProd", ("prod",), ("_npi_prod", "_np_prod"))]:
    _declare(_onnx, _legacy, False)
    _declare(_onnx, _numpy, True)
_declare("ReduceSum", ("nansum",), False, _PREPARE["nansum"])
_declare("ReduceProd", ("nanprod",), False, _PREPARE["nanprod"])


@op("norm", attrs={"ord": Int(2, choices={1, 2}), "axis": IntOrInts(None),
                   "keepdims": Bool(False), "out_dtype": Dtype(None)},
    shape=lambda a, data: _reduced(a, data, False),
    dtype=lambda a, data: a.out_dtype or data)
def norm(g, a, data):
    if a.ord == 2 and data.dtype.kind in "iu":
        out = _integer_l2(g, data, _axes(a, data.shape), a.keepdims,
                          _reduced(a, data.shape, False))
    else:
        out = _reduce(g, "ReduceL2" if a.ord == 2 else "ReduceL1", data, _axes(a, data.shape),
                      a.keepdims, _reduced(a, data.shape, False))
    if a.out_dtype is not None and a.out_dtype != out.dtype:
        out = g.node("Cast", [out], out.shape, a.out_dtype, to=onnx_dtype(a.out_dtype))
    return out


def _integer_l2(g, data, axes, keepdims, out_shape):
    """MXNet's L2 norm of integers: its scaled sum of squares (scale = the largest |x| so far,
    ratios divided in the integer type) leaves ``max|x| * sqrt(how many |x| equal it)``,
    truncated."""
    magnitude = g.node("Abs", [data], data.shape, data.dtype)
    kept = tuple(1 if i in axes else d for i, d in enumerate(data.shape))
    largest = _reduce(g, "ReduceMax", magnitude, axes, True, kept)
    ties = g.node("Cast", [binary(g, "Equal", magnitude, largest, np.dtype(bool))], data.shape,
                  np.float64, to=onnx_dtype(np.float64))
    count = _reduce(g, "ReduceSum", ties, axes, keepdims, out_shape)
    scale = g.node("Cast", [_reduce(g, "ReduceMax", magnitude, axes, keepdims, out_shape)],
                   out_shape, np.float64, to=onnx_dtype(np.float64))
    value = binary(g, "Mul", scale, g.node("Sqrt", [count], out_shape, np.float64))
    return to_integer(g, value, data.dtype)


def _arg_shape(numpy_mode):
    def rule(a, data):
        if a.axis is None:
            return (1,) * len(data) if a.keepdims else (() if numpy_mode else (1,))
        axis = a.axis % len(data)
        if a.keepdims:
            return tuple(1 if i == axis else d for i, d in enumerate(data))
        return tuple(d for i, d in enumerate(data) if i != axis)
    return rule


def _declare_arg(onnx_op, names, numpy_mode):
    rule = _arg_shape(numpy_mode)

    @op(names[0], *names[1:], attrs={"axis": Int(None), "keepdims": Bool(False)}, shape=rule,
        dtype=lambda a, data: np.dtype(np.int64) if numpy_mode else data)
    def lower(g, a, data):
        out_shape = rule(a, data.shape)
        axis = 0 if a.axis is None else a.axis % data.ndim
        if a.axis is None:
            data = g.node("Reshape", [data, g.constant([-1], np.int64)],
                          (int(np.prod(data.shape)),), data.dtype)
        index = g.node(onnx_op, [data], out_shape, np.int64, axis=axis, keepdims=int(a.keepdims))
        if a.axis is None:
            index = g.node("Reshape", [index, g.shape_constant(out_shape)], out_shape, np.int64)
        dtype = np.dtype(np.int64) if numpy_mode else data.dtype
        return index if dtype == np.int64 else g.node("Cast", [index], out_shape, dtype,
                                                       to=onnx_dtype(dtype))


_declare_arg("ArgMax", ("argmax",), False)
_declare_arg("ArgMin", ("argmin",), False)
_declare_arg("ArgMax", ("_npi_argmax",), True)
_declare_arg("ArgMin", ("_npi_argmin",), True)


def _moments_shape(a, data):
    if not a.axes:
        raise Unsupported("no axes (MXNet's moments refuses them: name every axis for moments "
                          "over the whole array)")
    a.axis = a.axes
    return [_reduced(a, data, False)] * 2


def _moments_dtype(a, data):
    if np.dtype(data) == np.float16:
        raise Unsupported("a float16 array (MXNet 1.9.1 accumulates its variance in float16, "
                          "which overflows; cast the data to float32 first)")
    return data


@op("moments", attrs={"axes": Ints(None), "keepdims": Bool(False)}, shape=_moments_shape,
    dtype=_moments_dtype, num_outputs=2)
def moments(g, a, data):
    """``[mean, var]`` over ``axes``: the sum divided by the count, then the mean of the squared
    deviations from that mean. Integers as MXNet's integer kernels: each division truncated.
    (In a graph that leaves the mean unused, MXNet 1.9.1 skips writing it and takes the
    variance around uninitialised memory: E[x**2], or NaN; this is the variance.)"""
    out_shape = _moments_shape(a, data.shape)[0]
    axes = _axes(a, data.shape)
    kept = tuple(1 if i in axes else d for i, d in enumerate(data.shape))
    work = data.dtype if data.dtype.kind == "f" else np.dtype(np.float64)
    dims = g.node("Gather", [g.node("Shape", [data], (data.ndim,), np.int64),
                             g.constant(axes, np.int64)], (len(axes),), np.int64)
    count = g.node("Cast", [g.node("ReduceProd", [dims], (), np.int64, keepdims=0)], (), work,
                   to=onnx_dtype(work))     # at run time: the batch may be among the axes

    def average(x, shape, keepdims):
        total = _reduce(g, "ReduceSum", x, axes, keepdims, shape)
        if x.dtype.kind == "f":
            return binary(g, "Div", total, count)
        wide = g.node("Cast", [total], total.shape, work, to=onnx_dtype(work))
        quotient = binary(g, "Div", wide, count)      # exact below 2**53, then truncated
        return g.node("Cast", [quotient], total.shape, x.dtype, to=onnx_dtype(x.dtype))
    mean = average(data, kept, True)
    deviation = binary(g, "Sub", data, mean)
    var = average(binary(g, "Mul", deviation, deviation), out_shape, a.keepdims)
    if a.keepdims:
        return [mean, var]
    return [g.node("Reshape", [mean, g.shape_constant(out_shape)], out_shape, data.dtype), var]
