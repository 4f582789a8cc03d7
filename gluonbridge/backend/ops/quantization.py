"""INT8 ops of mx.contrib.quantization: _contrib_quantize_v2, _contrib_dequantize.

MXNet 1.9.1's CPU build runs these through MKL-DNN, whose ranges are ``127.5`` (int8) and
``255.5`` (uint8) rather than 127/255 (measured in the oracle): with ``m = max(|min|, |max|)``
(the calibrated range, or the data's own min/max when uncalibrated),

* quantize int8: ``q = clip(rint(x * (127.5 / m)), -128, 127)``, ranges out ``(-m, m)``;
* quantize uint8: ``q = clip(rint(x * (255.5 / m)), 0, 255)``, ranges out ``(min, max)`` as given;
* dequantize: ``q * (m / 127.5)`` (int8) or ``q * (m / 255.5)`` (uint8);

``rint`` rounds half to even (MKL-DNN's reorder), which ONNX Round does too. ``out_type='auto'``
is uint8 for a calibrated range with ``min >= 0``, else int8; uncalibrated ``auto`` picks the
dtype from the data at run time and is refused.
"""
from __future__ import annotations

import numpy as np

from ...graph.attrs import Float, Str
from .common import binary
from .registry import Unsupported, op

_RANGE = {np.dtype(np.int8): 127.5, np.dtype(np.uint8): 255.5}
_LIMITS = {np.dtype(np.int8): (-128, 127), np.dtype(np.uint8): (0, 255)}
_ONNX = {np.dtype(np.int8): 3, np.dtype(np.uint8): 2}


def _out_type(a):
    if a.out_type != "auto":
        return np.dtype(a.out_type)
    if a.min_calib_range is None or a.max_calib_range is None:
        raise Unsupported("out_type='auto' without a calibrated range (the dtype would depend "
                          "on the data)")
    return np.dtype(np.uint8 if a.min_calib_range >= 0 else np.int8)


@op("_contrib_quantize_v2", "quantize_v2", "_npx_quantize_v2", uniform=False, num_outputs=3,
    attrs={"out_type": Str("int8", choices={"int8", "uint8", "auto"}),
           "min_calib_range": Float(None), "max_calib_range": Float(None)},
    shape=lambda a, data: [tuple(data), (1,), (1,)],
    dtype=lambda a, data: [_out_type(a), np.float32, np.float32])
def quantize_v2(g, a, data):
    dtype = _out_type(a)
    f32 = np.float32
    if a.min_calib_range is not None and a.max_calib_range is not None:
        low, high = f32(a.min_calib_range), f32(a.max_calib_range)
        m = max(abs(low), abs(high))
        scale = g.constant(f32(_RANGE[dtype]) / m)
        ranges = (-m, m) if dtype == np.int8 else (low, high)
        out_min, out_max = g.constant([ranges[0]]), g.constant([ranges[1]])
    else:
        ones = (1,) * data.ndim
        low = g.node("ReduceMin", [data], ones, np.float32, keepdims=1)
        high = g.node("ReduceMax", [data], ones, np.float32, keepdims=1)
        m = g.node("Max", [g.node("Abs", [low], ones, np.float32),
                           g.node("Abs", [high], ones, np.float32)], ones, np.float32)
        m = g.node("Reshape", [m, g.constant([1], np.int64)], (1,), np.float32)
        scale = binary(g, "Div", g.constant(f32(_RANGE[dtype])), m)
        if dtype == np.int8:
            out_min, out_max = g.node("Neg", [m], (1,), np.float32), m
        else:
            out_min = g.node("Reshape", [low, g.constant([1], np.int64)], (1,), np.float32)
            out_max = g.node("Reshape", [high, g.constant([1], np.int64)], (1,), np.float32)
    lo, hi = _LIMITS[dtype]
    q = g.node("Round", [binary(g, "Mul", data, scale)], data.shape, np.float32)
    q = g.node("Clip", [q, g.constant(float(lo)), g.constant(float(hi))], data.shape, np.float32)
    q = g.node("Cast", [q], data.shape, dtype, to=_ONNX[dtype])
    return [q, out_min, out_max]


def dequantize_nodes(g, q, low, high):
    """``q`` (int8/uint8) back to float32 with its range ``low``/``high`` (Values of shape
    (1,))."""
    if q.dtype not in _RANGE:
        g.fail(f"dequantizing {q.dtype} data (int8/uint8 only)")
    m = g.node("Max", [g.node("Abs", [low], low.shape, np.float32),
                       g.node("Abs", [high], high.shape, np.float32)], low.shape, np.float32)
    scale = binary(g, "Div", m, g.constant(np.float32(_RANGE[q.dtype])))
    value = g.node("Cast", [q], q.shape, np.float32, to=1)
    return binary(g, "Mul", value, scale)


@op("_contrib_dequantize", "dequantize", "_npx_dequantize",
    inputs=("data", "min_range", "max_range"), uniform=False,
    attrs={"out_type": Str("float32", choices={"float32"})},
    shape=lambda a, data, *_: tuple(data), dtype=lambda a, *_: np.float32)
def dequantize(g, a, data, low, high):
    return dequantize_nodes(g, data, low, high)
