"""Ops that make arrays: _zeros/_ones/_full (and numpy forms), _arange, _contrib_arange_like,
shape_array, size_array."""
from __future__ import annotations

import math

import numpy as np

from ...graph.attrs import Bool, Dtype, Float, Int, Ints, Str
from .elementwise import onnx_dtype
from .registry import Unsupported, op

_CTX = {"ctx": Str(None)}


def _fixed_shape(numpy_mode):
    """The ``shape`` attribute; in 1.x a 0 means "unknown" (inferred backward from a consumer,
    which static forward inference cannot do)."""
    def rule(a):
        if not numpy_mode and 0 in a.shape:
            raise Unsupported(f"shape={a.raw.get('shape')!r} (0: a dimension MXNet infers from "
                              "the consumer)")
        if any(d < 0 for d in a.shape):
            raise Unsupported(f"shape={a.raw.get('shape')!r}")
        return tuple(a.shape)
    return rule


def _declare_fill(names, value, numpy_mode):
    attrs = {"shape": Ints(()), "dtype": Dtype(np.dtype(np.float32)), **_CTX}
    if value is None:
        attrs["value"] = Float(required=True)
    shape = _fixed_shape(numpy_mode)

    @op(names[0], *names[1:], inputs=(), attrs=attrs, shape=lambda a: shape(a),
        dtype=lambda a: a.dtype)
    def lower(g, a):
        fill = a.value if value is None else value
        return g.constant(np.full(shape(a), fill, dtype=a.dtype), a.dtype)


_declare_fill(("_zeros", "zeros", "_zeros_without_dtype"), 0, False)
_declare_fill(("_ones", "ones"), 1, False)
_declare_fill(("_full", "full"), None, False)
_declare_fill(("_npi_zeros",), 0, True)
_declare_fill(("_npi_ones",), 1, True)
_declare_fill(("_npi_full",), None, True)


def _arange_values(a):
    start, stop = (0.0, a.start) if a.stop is None else (a.start, a.stop)
    if a.infer_range:
        raise Unsupported("infer_range=True")
    if a.step == 0:
        raise Unsupported("step=0")
    count = max(int(math.ceil((stop - start) / a.step)), 0)
    values = start + a.step * np.arange(count, dtype=np.float64)
    return np.repeat(values, a.repeat).astype(a.dtype)


_ARANGE_ATTRS = {"start": Float(required=True), "stop": Float(None), "step": Float(1.0),
                 "repeat": Int(1), "infer_range": Bool(False),
                 "dtype": Dtype(np.dtype(np.float32)), **_CTX}


@op("_arange", "arange", "_npi_arange", inputs=(), attrs=_ARANGE_ATTRS,
    shape=lambda a: _arange_values(a).shape, dtype=lambda a: a.dtype)
def arange(g, a):
    return g.constant(_arange_values(a), a.dtype)


def _arange_like_shape(a, data):
    return tuple(data) if a.axis is None else (data[a.axis % len(data)],)


@op("_contrib_arange_like", "arange_like", "_npx_arange_like",
    attrs={"start": Float(0.0), "step": Float(1.0), "repeat": Int(1), "axis": Int(None), **_CTX},
    shape=_arange_like_shape)
def arange_like(g, a, data):
    """``start + step * (i // repeat)`` over the run-time size of ``data`` (or its ``axis``)."""
    shape = g.node("Shape", [data], (data.ndim,), np.int64)
    out_shape = _arange_like_shape(a, data.shape)
    if a.axis is None:
        count = g.node("ReduceProd", [shape], (), np.int64, keepdims=0)
    else:
        count = g.node("Gather", [shape, g.constant(a.axis % data.ndim, np.int64)], (), np.int64)
    index = g.node("Range", [g.constant(0, np.int64), count, g.constant(1, np.int64)],
                   (int(np.prod(out_shape)),), np.int64)
    if a.repeat != 1:
        index = g.node("Div", [index, g.constant(a.repeat, np.int64)], index.shape, np.int64)
    values = g.node("Cast", [index], index.shape, data.dtype, to=onnx_dtype(data.dtype))
    values = g.node("Add", [g.node("Mul", [values, g.constant(a.step, data.dtype)], index.shape,
                                   data.dtype), g.constant(a.start, data.dtype)],
                    index.shape, data.dtype)
    target = shape if a.axis is None else g.node("Unsqueeze", [count, g.constant([0], np.int64)],
                                                 (1,), np.int64)
    return g.node("Reshape", [values, target], out_shape, data.dtype)


@op("shape_array", "_npi_shape_array", shape=lambda a, data: (len(data),),
    dtype=lambda a, data: np.dtype(np.int64))
def shape_array(g, a, data):
    return g.node("Shape", [data], (data.ndim,), np.int64)


@op("size_array", shape=lambda a, data: (1,), dtype=lambda a, data: np.dtype(np.int64))
def size_array(g, a, data):
    size = g.node("Size", [data], (), np.int64)
    return g.node("Reshape", [size, g.constant([1], np.int64)], (1,), np.int64)
