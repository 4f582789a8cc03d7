"""INT8 ops of mx.contrib.quantization: _contrib_quantize_v2, _contrib_dequantize,
_contrib_requantize and the fused MKL-DNN nodes quantize_net makes.

MXNet 1.9.1's CPU build runs these through MKL-DNN, whose ranges are ``127.5`` (int8) and
``255.5`` (uint8) rather than 127/255 (measured in the oracle): with ``m = max(|min|, |max|)``
(the calibrated range, or the data's own min/max when uncalibrated),

* quantize int8: ``q = clip(rint(x * (127.5 / m)), -128, 127)``, ranges out ``(-m, m)``;
* quantize uint8: ``q = clip(rint(x * (255.5 / m)), 0, 255)``, ranges out ``(min, max)`` as given;
* dequantize: ``q * (m / 127.5)`` (int8) or ``q * (m / 255.5)`` (uint8);

``rint`` rounds half to even (MKL-DNN's reorder), which ONNX Round does too. ``out_type='auto'``
is uint8 for a calibrated range with ``min >= 0``, else int8 (uncalibrated too, whatever the
data: MXNet's ``GetQuantizeOutputType`` decides from the attributes alone).
"""
from __future__ import annotations

import numpy as np

from ...graph.attrs import Bool, Float, Str
from .. import cpu
from . import nn   # Convolution geometry; Pooling's entry, which quantized pooling shares
from . import shape  # noqa: F401  Concat's entry, which quantized concat shares
from .common import binary, reshape
from .registry import OPS, Unsupported, op

_RANGE = {np.dtype(np.int8): 127.5, np.dtype(np.uint8): 255.5}
_LIMITS = {np.dtype(np.int8): (-128, 127), np.dtype(np.uint8): (0, 255)}
_ONNX = {np.dtype(np.int8): 3, np.dtype(np.uint8): 2}


def _calibrated(a):
    return a.min_calib_range is not None and a.max_calib_range is not None


def _out_type(a):
    if a.out_type != "auto":
        return np.dtype(a.out_type)
    return np.dtype(np.uint8 if _calibrated(a) and a.min_calib_range >= 0 else np.int8)


@op("_contrib_quantize_v2", "quantize_v2", uniform=False, num_outputs=3,
    attrs={"out_type": Str("int8", choices={"int8", "uint8", "auto"}),
           "min_calib_range": Float(None), "max_calib_range": Float(None)},
    shape=lambda a, data: [tuple(data), (1,), (1,)],
    dtype=lambda a, data: [_out_type(a), np.float32, np.float32])
def quantize_v2(g, a, data):
    dtype = _out_type(a)
    f32 = np.float32
    if _calibrated(a):
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
    return [_saturate(g, binary(g, "Mul", data, scale), dtype), out_min, out_max]


def dequantize_nodes(g, q, low, high):
    """``q`` (int8/uint8) back to float32 with its range ``low``/``high`` (Values of shape
    (1,))."""
    if q.dtype not in _RANGE:
        g.fail(f"dequantizing {q.dtype} data (int8/uint8 only)")
    scale = binary(g, "Div", _range_max(g, low, high), g.constant(np.float32(_RANGE[q.dtype])))
    value = g.node("Cast", [q], q.shape, np.float32, to=1)
    return binary(g, "Mul", value, scale)


@op("_contrib_dequantize", "dequantize",
    inputs=("data", "min_range", "max_range"), uniform=False,
    attrs={"out_type": Str("float32", choices={"float32"})},
    shape=lambda a, data, *_: tuple(data), dtype=lambda a, *_: np.float32)
def dequantize(g, a, data, low, high):
    return dequantize_nodes(g, data, low, high)


_INT32_RANGE = np.float32(2147483648.0)   # MinAbs(INT32_MIN, INT32_MAX) as a float


@op("_contrib_requantize", "requantize", inputs=("data", "min_range", "max_range"),
    uniform=False, num_outputs=3,
    attrs={"out_type": Str("int8", choices={"int8", "uint8", "auto"}),
           "min_calib_range": Float(None), "max_calib_range": Float(None)},
    shape=lambda a, data, *_: [tuple(data), (1,), (1,)],
    dtype=lambda a, *_: [_out_type(a), np.float32, np.float32])
def requantize(g, a, data, low, high):
    """int32 data (one unit = ``m_in / 2**31``, ``m_in`` the largest |range|) to int8/uint8 as
    MKL-DNN's requantize does: the new range ``r`` is the calibrated one, else
    ``max|data| * m_in / 2**31`` (found in the data); ``q = sat(rint(data * (m_in / 2**31) *
    (Q / r)))`` with ``Q`` 127 (int8, range ``(-r, r)``) or 255 (uint8, ``(0, r)``)."""
    if data.dtype != np.int32:
        g.fail(f"requantizing {data.dtype} data (int32 only)")
    f32 = np.float32
    dtype = _out_type(a)
    first = _range_max(g, low, high)
    x = g.node("Cast", [data], data.shape, f32, to=1)
    if _calibrated(a):
        real = g.constant([max(abs(f32(a.min_calib_range)), abs(f32(a.max_calib_range)))])
    else:
        ones = (1,) * data.ndim
        peak = g.node("ReduceMax", [g.node("Abs", [x], x.shape, f32)], ones, f32, keepdims=1)
        peak = g.node("Reshape", [peak, g.constant([1], np.int64)], (1,), f32)
        real = binary(g, "Div", binary(g, "Mul", peak, first), g.constant(_INT32_RANGE))
    levels = f32(127.0 if dtype == np.int8 else 255.0)
    scale = binary(g, "Mul", binary(g, "Div", first, g.constant(_INT32_RANGE)),
                   binary(g, "Div", g.constant(levels), real))
    out_min = g.node("Neg", [real], (1,), f32) if dtype == np.int8 else g.constant([0.0])
    return [_saturate(g, binary(g, "Mul", x, scale), dtype), out_min, real]


def _saturate(g, value, dtype, limits=None):
    """``value`` rounded half to even, clipped to the limits of ``limits`` (default:
    ``dtype``) and cast to ``dtype``."""
    lo, hi = _LIMITS[limits or dtype]
    q = g.node("Round", [value], value.shape, np.float32)
    q = g.node("Clip", [q, g.constant(float(lo)), g.constant(float(hi))], q.shape, np.float32)
    return g.node("Cast", [q], q.shape, dtype, to=_ONNX[dtype])


def _int32_range(g, weight_max, data_max, data_dtype, weight_first):
    """The float range MXNet gives an uncalibrated int32 output (QuantizationRangeForS8S8/S8U8
    Multiplication): ``(m_a / Q_a) * (m_b / Q_b) * 2**31``, ``Q`` 127, except 255 for the
    second operand when the data is uint8 (the data is ``a`` in FullyConnected, ``b`` in
    Convolution: ``weight_first``). Returns (min, max) Values of shape (1,)."""
    f32 = np.float32
    unsigned = data_dtype == np.uint8
    first, second = (weight_max, data_max) if weight_first else (data_max, weight_max)
    a = binary(g, "Div", first, g.constant(f32(127.0)))
    b = binary(g, "Div", second, g.constant(f32(255.0 if unsigned else 127.0)))
    high = binary(g, "Mul", binary(g, "Mul", a, b), g.constant(_INT32_RANGE))
    return g.node("Neg", [high], high.shape, f32), high


# ---------------------------------------------------------------- fused MKL-DNN int8 nodes
#
# Measured against the oracle on CPUs without VNNI (AVX2) and with AVX-512 VNNI, reproduced
# exactly; the description is of the first:
#
# * _sg_mkldnn_conv (quantized): Convolution (+BatchNorm folded into the float weights and
#   bias, ``alpha = gamma / sqrt(var + eps)`` in double as MXNet's double eps makes it)
#   (+relu); data scale ``ds = R / m_data``; ``ws = 127.5 / max|w|`` per output channel when
#   calibrated, over the whole weight when not; halved for int8 data (oneDNN's weight scale
#   adjustment on CPUs without VNNI: ``adj`` 0.5), ``q_w = clip(rint(w ws adj))``, MXNet's
#   int32 bias ``rint(b ds ws)`` scaled by ``adj``; uint8 data runs AVX2's u8 x s8 products
#   summed in channel pairs with int16 saturation. Calibrated output
#   ``clip(rint((acc + bias) * (R_out / m_out / ds / ws / adj)))`` (relu); a fused sum adds
#   ``q_sum * (R_out / m_out) / (R_sum / m_sum)`` (relu) in the sum's own buffer, so an int8
#   sum into a uint8 output saturates at 127. Uncalibrated: int32 ``(acc + bias) / adj`` with
#   the range ``(m_w / 127) (m_data / Q) 2**31`` (``Q`` 127 for int8 data, 255 for uint8).
# * _sg_mkldnn_fully_connected (quantized, weights and bias already int8 with their ranges):
#   ``ws = 127.5 / m_w``, int32 bias ``round(q_b * (ds ws / (127.5 / m_b)))`` (C's round, half
#   away from zero), the products summed as AVX2's GEMM does (:func:`_saturating_matmul`);
#   output as above, ``acc / ds / ws`` with enable_float_output, or uncalibrated int32 ``acc``
#   with the range ``(m_data / 127) (m_w / Q) 2**31``.
# * _contrib_quantized_pooling: max is exact; avg rounds half to even.
#
# Not reproduced: MXNet's clamp of a weight or bias scale against int32 overflow of the bias
# (GetWeightScales, the FullyConnected bias rescale), reached only when the data's range is some
# 1e-5 of the weights'.
#
# The integer accumulations run as float32 Conv/MatMul on integer values: exact while every
# partial sum stays below 2**24 (true for these layer sizes). On a CPU with AVX-512 VNNI,
# MXNet itself computes differently: no weight halving and exact int32 sums (no int16
# saturation). The lowerings follow the CPU they run on (:func:`.cpu.has_vnni`), as MXNet does.

def _static(g, value, what):
    array = g.initializers.get(value.name)
    if array is None:
        g.fail(f"{what} computed at run time (int8 weights must be parameters)")
    return np.asarray(array)


def _range_max(g, low, high):
    return g.node("Max", [g.node("Abs", [low], low.shape, np.float32),
                          g.node("Abs", [high], high.shape, np.float32)], low.shape, np.float32)


def _data_scale(g, q, low, high):
    return binary(g, "Div", g.constant(np.float32(_RANGE[q.dtype])), _range_max(g, low, high))


def _out_scale(a):
    """(dtype, ``R_out / m_out``) of a calibrated fused node's output."""
    low, high = np.float32(a.min_calib_range), np.float32(a.max_calib_range)
    dtype = np.dtype(np.uint8 if low >= 0 else np.int8)
    return dtype, np.float32(_RANGE[dtype]) / max(abs(low), abs(high))


def _requant_scale(g, a, ds, ws):
    """MXNet's requantize scale ``R_out / m_out / ds / ws`` in its float order."""
    _, out_scale = _out_scale(a)
    return binary(g, "Div", binary(g, "Div", g.constant(out_scale), ds), ws)


def _requantize_out(g, a, value, relu, residual=None, post_relu=False):
    """(output, min, max) of a calibrated fused node from ``value`` (the accumulator times
    :func:`_requant_scale`): (relu), plus a fused sum's quantized input ``(q_sum, low, high)``
    scaled by ``(R_out / m_out) / (R_sum / m_sum)`` (relu), rounded half to even and
    saturated. A sum of the other int8 type is added in place in the sum's buffer, so the
    result saturates to the sum's limits (an int8 sum into a uint8 output stops at 127)."""
    f32 = np.float32
    dtype, out_scale = _out_scale(a)
    limit_dtype = dtype
    if relu:
        value = g.node("Relu", [value], value.shape, np.float32)
    if residual is not None:
        q_sum, sum_low, sum_high = residual
        limit_dtype = q_sum.dtype
        factor = binary(g, "Div", g.constant(out_scale), _data_scale(g, q_sum, sum_low,
                                                                      sum_high))
        term = binary(g, "Mul", g.node("Cast", [q_sum], q_sum.shape, np.float32, to=1), factor)
        value = binary(g, "Add", value, term)
    if post_relu:
        value = g.node("Relu", [value], value.shape, np.float32)
    return [_saturate(g, value, dtype, limit_dtype), g.constant([f32(a.min_calib_range)]),
            g.constant([f32(a.max_calib_range)])]


def _sg_conv_inputs(conv, bn):
    names = ["data", "weight"]
    if conv is not None and str(conv.get("attrs", {}).get("no_bias", "False")).lower() not in (
            "true", "1"):
        names.append("bias")
    if bn is not None:
        names += ["gamma", "beta", "moving_mean", "moving_var"]
    return names


def _sg_conv_parts(a):
    import json
    subs = json.loads(a.raw.get("__subgraphs__", "[]"))
    nodes = [n for sub in subs for n in sub["nodes"]]
    pick = lambda op: next((n for n in nodes if n["op"] == op), None)  # noqa: E731
    add = next((i for i, n in enumerate(nodes) if n["op"] in ("elemwise_add", "_plus",
                                                              "_Plus")), len(nodes))
    acts = [(i, n) for i, n in enumerate(nodes) if n["op"] in ("Activation", "clip")]
    pre = next((n for i, n in acts if i < add), None)
    post = next((n for i, n in acts if i > add), None)
    return pick("Convolution"), pick("BatchNorm"), (pre, post), [
        n for n in nodes if n["op"] not in ("null", "Convolution", "BatchNorm", "Activation",
                                            "clip", "elemwise_add", "_plus", "_Plus")]


def _sg_conv_shape(a, data, *rest):
    conv, _, _, others = _sg_conv_parts(a)
    if conv is None or others or not a.quantized:
        raise Unsupported("a fused convolution other than quantized Convolution(+BatchNorm)"
                          "(+relu or relu6)(+sum)(+relu)" + (f" (has {others[0]['op']})" if others
                                                     else ""))
    c = OPS["Convolution"].parse(conv.get("attrs", {}), "subgraph")
    return [nn._conv_shape(c, data), (1,), (1,)]


def _sg_conv_dtype(a, *dtypes):
    if not _calibrated(a):
        return [np.int32, np.float32, np.float32]
    return [np.uint8 if a.min_calib_range >= 0 else np.int8, np.float32, np.float32]


_SG_ATTRS = {"quantized": Bool(False), "with_bn": Bool(False), "with_act": Bool(False),
             "with_sum": Bool(False), "with_postsum_act": Bool(False),
             "min_calib_range": Float(None), "max_calib_range": Float(None),
             "enable_float_output": Bool(False), "with_eltwise": Bool(False)}


@op("_sg_mkldnn_conv", inputs="*data", uniform=False, num_outputs=3,
    attrs=_SG_ATTRS, shape=_sg_conv_shape, dtype=_sg_conv_dtype)
def sg_mkldnn_conv(g, a, *inputs):
    conv, bn, (act, post_act), _ = _sg_conv_parts(a)
    if act is not None and act["op"] == "clip":
        # MXNet 1.9.1 drops a fused relu6 (clip from 0) without a sum: "output_scale can do
        # the cut off" (the saturation to the calibrated uint8 range); int32 outputs unclipped
        if a.with_sum or float(act.get("attrs", {}).get("a_min", "nan")) != 0.0:
            g.fail(f"a fused clip {act.get('attrs')} (MXNet fuses clip(0, a_max) without a "
                   "sum only)")
        act = None
    for one in (act, post_act):
        if one is not None and one.get("attrs", {}).get("act_type") != "relu":
            g.fail(f"a fused activation {one['op']} {one.get('attrs')}")
    c = OPS["Convolution"].parse(conv.get("attrs", {}), g.where)
    names = _sg_conv_inputs(conv, bn) + (["sum"] if a.with_sum else [])
    ranges = 4 if a.with_sum else 2
    if len(inputs) != len(names) + ranges:
        g.fail(f"{len(inputs)} inputs (expected {names} and their ranges)")
    given = dict(zip(names, inputs))
    data, low, high = inputs[0], inputs[len(names)], inputs[len(names) + 1]
    residual = (given["sum"], inputs[-2], inputs[-1]) if a.with_sum else None
    w = _static(g, given["weight"], "the weight").astype(np.float32)
    b = (_static(g, given["bias"], "the bias").astype(np.float32) if "bias" in given
         else np.zeros(w.shape[0], np.float32))
    if bn is not None:
        battrs = OPS["BatchNorm"].parse(bn.get("attrs", {}), g.where)
        gamma = _static(g, given["gamma"], "gamma").astype(np.float32)
        if battrs.fix_gamma:
            gamma = np.ones_like(gamma)
        # MXNet: float alpha = gamma / sqrt(var + eps), the eps (a double) making it double
        var = _static(g, given["moving_var"], "moving_var").astype(np.float32)
        scale = (gamma.astype(np.float64) / np.sqrt(var.astype(np.float64) + float(battrs.eps))
                 ).astype(np.float32)
        w = w * scale.reshape(-1, *([1] * (w.ndim - 1)))
        b = (b - _static(g, given["moving_mean"], "moving_mean")) * scale + _static(
            g, given["beta"], "beta")
        w, b = w.astype(np.float32), b.astype(np.float32)
    f32 = np.float32
    vnni = cpu.has_vnni()
    halve = data.dtype == np.int8 and not vnni    # oneDNN's s8-source weight adjustment
    adj = f32(0.5) if halve else f32(1.0)
    if _calibrated(a):   # one weight scale per output channel
        ws = (f32(127.5) / np.abs(w).reshape(w.shape[0], -1).max(1)).astype(f32)
    else:                # one for the whole weight (MXNet's int32-output path)
        ws = np.full(w.shape[0], f32(127.5) / np.abs(w).max(), f32)
    qw = np.clip(np.rint(w * (ws * adj).reshape(-1, *([1] * (w.ndim - 1)))), -128,
                 127).astype(f32)
    ds = _data_scale(g, data, low, high)                                  # (1,)
    # MXNet's int32 bias rint(b ds ws); oneDNN scales it by the adjustment in float
    bias = g.node("Round", [binary(g, "Mul", g.constant(b), binary(g, "Mul", ds, g.constant(
        ws)))], (len(b),), f32)
    if halve:
        bias = binary(g, "Mul", bias, float(adj))
    x = g.node("Cast", [data], data.shape, f32, to=1)
    out = _sg_conv_shape(a, data.shape)[0]
    k, s, d, p = nn._conv_geometry(c, data.shape)
    if halve or vnni:    # exact int32 sums
        acc = g.node("Conv", [x, g.constant(qw)], out, f32, kernel_shape=list(k),
                     strides=list(s), dilations=list(d), pads=list(p) * 2,
                     group=int(c.num_group))
    else:
        acc = _saturating_conv(g, c, x, qw, out, k, s, d, p)
    acc = _int32_sums(g, acc)
    acc = binary(g, "Add", acc, g.node("Reshape", [bias, g.constant(
        [-1] + [1] * (len(out) - 2), np.int64)], (len(b),) + (1,) * (len(out) - 2), f32))
    if not _calibrated(a):   # int32 out: the adjustment undone, no requantization
        value = binary(g, "Mul", acc, float(1 / adj))
        if act is not None:
            value = g.node("Relu", [value], value.shape, f32)
        if residual is not None:   # the sum's values copied into the int32 output, scaled
            q_sum, sum_low, sum_high = residual   # by (ds ws) / (R_sum / m_sum)
            factor = binary(g, "Div", binary(g, "Mul", ds, g.constant(ws[0])),
                            _data_scale(g, q_sum, sum_low, sum_high))
            value = binary(g, "Add", value, binary(g, "Mul", g.node(
                "Cast", [q_sum], q_sum.shape, f32, to=1), factor))
            if post_act is not None:
                value = g.node("Relu", [value], value.shape, f32)
        value = g.node("Cast", [g.node("Round", [value], value.shape, f32)], value.shape,
                       np.int32, to=6)
        return [value, *_int32_range(g, g.constant([np.abs(w).max()]),
                                     _range_max(g, low, high), data.dtype, True)]
    scale = _requant_scale(g, a, ds, g.constant(ws))                       # (C,)
    if halve:            # oneDNN divides its output scales by the adjustment
        scale = binary(g, "Div", scale, float(adj))
    scale = g.node("Reshape", [scale, g.constant([-1] + [1] * (len(out) - 2), np.int64)],
                   (len(b),) + (1,) * (len(out) - 2), f32)
    return _requantize_out(g, a, binary(g, "Mul", acc, scale), act is not None, residual,
                           post_act is not None)


def _saturating_conv(g, c, x, qw, out, kernel, stride, dilate, pad):
    """The u8 x s8 convolution as AVX2 computes it without VNNI: products of adjacent input
    channels summed in pairs with int16 saturation, then accumulated in int32. One grouped
    1x1 Conv per kernel position (each group one channel pair), clipped, summed over pairs."""
    if c.num_group != 1:
        g.fail("a grouped int8 convolution on uint8 data")
    f32 = np.float32
    n, cin = x.shape[:2]
    oc = qw.shape[0]
    if cin % 2:
        x = g.node("Pad", [x, g.constant([0, 0] + [0] * len(kernel) + [0, 1] +
                                         [0] * len(kernel), np.int64)],
                   (n, cin + 1) + x.shape[2:], f32)
        qw = np.concatenate([qw, np.zeros((oc, 1) + qw.shape[2:], f32)], axis=1)
        cin += 1
    pairs = cin // 2
    if any(pad):
        x = g.node("Pad", [x, g.constant([0, 0] + list(pad) + [0, 0] + list(pad), np.int64)],
                   x.shape[:2] + tuple(xi + 2 * pi for xi, pi in zip(x.shape[2:], pad)), f32)
    spatial = out[2:]
    total = None
    for offset in np.ndindex(*kernel):
        starts = [o * di for o, di in zip(offset, dilate)]
        ends = [st + (sz - 1) * si + 1 for st, sz, si in zip(starts, spatial, stride)]
        axes = list(range(2, 2 + len(kernel)))
        part = g.node("Slice", [x, g.constant(starts, np.int64), g.constant(ends, np.int64),
                                g.constant(axes, np.int64), g.constant(list(stride), np.int64)],
                      (n, cin) + tuple(spatial), f32)
        weight = qw[(slice(None), slice(None)) + tuple(offset)]               # (OC, IC)
        weight = weight.reshape(oc, pairs, 2).transpose(1, 0, 2).reshape(pairs * oc, 2)
        weight = weight.reshape((pairs * oc, 2) + (1,) * len(kernel))
        pair_sums = g.node("Conv", [part, g.constant(weight)], (n, pairs * oc) + tuple(spatial),
                           f32, kernel_shape=[1] * len(kernel), group=pairs)
        pair_sums = g.node("Clip", [pair_sums, g.constant(-32768.0), g.constant(32767.0)],
                           pair_sums.shape, f32)
        size = int(np.prod(spatial))
        pair_sums = g.node("Reshape", [pair_sums, g.constant([0, pairs, oc, -1], np.int64)],
                           (n, pairs, oc, size), f32)
        summed = g.node("ReduceSum", [pair_sums, g.constant([1], np.int64)], (n, oc, size),
                        f32, keepdims=0)
        total = summed if total is None else binary(g, "Add", total, summed)
    # 0 keeps the batch symbolic
    return g.node("Reshape", [total, g.constant([0, oc] + list(spatial), np.int64)],
                  (n, oc) + tuple(spatial), f32)


def _sg_fc_parts(a):
    import json
    subs = json.loads(a.raw.get("__subgraphs__", "[]"))
    return [n for sub in subs for n in sub["nodes"] if n["op"] != "null"]


def _sg_fc_eltwise(a):
    """The fused activation's act_type (None without one)."""
    nodes = _sg_fc_parts(a)
    ops = [n["op"] for n in nodes]
    if ops == ["FullyConnected"] and not a.with_eltwise:
        return None
    act = nodes[-1].get("attrs", {}).get("act_type") if len(nodes) == 2 else None
    if (ops != ["FullyConnected", "Activation"] or not a.with_eltwise or act != "relu"
            or not a.quantized):
        raise Unsupported("a fused fully connected node other than a quantized "
                          "FullyConnected(+Activation relu)" + (f" (has {ops[1:]})" if
                                                                len(ops) > 1 else ""))
    return act


def _sg_fc_shape(a, data, *rest):
    _sg_fc_eltwise(a)
    if not a.quantized:
        raise Unsupported("a float fused fully connected node")
    fc = OPS["FullyConnected"].parse(_sg_fc_parts(a)[0].get("attrs", {}), "subgraph")
    shape = (data[0], fc.num_hidden) if fc.flatten else tuple(data[:-1]) + (fc.num_hidden,)
    return [shape] if a.enable_float_output else [shape, (1,), (1,)]


def _sg_fc_dtype(a, *dtypes):
    """MXNet's: uint8 only with a fused relu (whatever the calibrated range), else int8."""
    if a.enable_float_output:
        return [np.float32]
    if not _calibrated(a):
        return [np.int32, np.float32, np.float32]
    return [np.uint8 if _sg_fc_eltwise(a) else np.int8, np.float32, np.float32]


@op("_sg_mkldnn_fully_connected", inputs="*data", uniform=False,
    num_outputs=lambda raw: 1 if str(raw.get("enable_float_output", "False")).lower() in (
        "true", "1") else 3,
    attrs=_SG_ATTRS, shape=_sg_fc_shape, dtype=_sg_fc_dtype)
def sg_mkldnn_fully_connected(g, a, *inputs):
    fc = OPS["FullyConnected"].parse(_sg_fc_parts(a)[0].get("attrs", {}), g.where)
    if fc.no_bias or len(inputs) != 9:
        g.fail(f"{len(inputs)} inputs (data, int8 weight and bias, and their ranges)")
    data, weight, bias, dlow, dhigh, wlow, whigh, blow, bhigh = inputs
    f32 = np.float32
    ds = _data_scale(g, data, dlow, dhigh)
    ws = binary(g, "Div", g.constant(f32(127.5)), _range_max(g, wlow, whigh))
    bs = binary(g, "Div", g.constant(f32(127.5)), _range_max(g, blow, bhigh))
    scale_in = binary(g, "Mul", ds, ws)
    # MXNet's int32 bias: std::round (half away from zero) of q_b * (ds ws / bs)
    qb = binary(g, "Mul", g.node("Cast", [bias], bias.shape, f32, to=1),
                binary(g, "Div", scale_in, bs))
    qb = _round_half_away(g, qb)
    x = g.node("Cast", [data], data.shape, f32, to=1)
    if fc.flatten and x.ndim != 2:
        x = g.node("Flatten", [x], (x.shape[0], int(np.prod(x.shape[1:]))), f32, axis=1)
    lead = x.shape[:-1]
    if x.ndim != 2:     # flatten=False: the leading axes as rows
        x = g.node("Reshape", [x, g.constant([-1, x.shape[-1]], np.int64)],
                   (int(np.prod(lead)), x.shape[-1]), f32)
    qw = _static(g, weight, "the weight").astype(f32)
    if cpu.has_vnni():   # exact int32 sums
        acc = g.node("MatMul", [x, g.constant(np.ascontiguousarray(qw.T))],
                     (x.shape[0], qw.shape[0]), f32)
    else:
        acc = _saturating_matmul(g, x, qw, data.dtype == np.int8)
    acc = _int32_sums(g, acc)
    if len(lead) != 1:
        acc = reshape(g, acc, lead + (fc.num_hidden,))
    acc = binary(g, "Add", acc, qb)
    if a.enable_float_output:
        return binary(g, "Mul", acc, binary(g, "Div", binary(g, "Div", g.constant(f32(1.0)),
                                                             ds), ws))
    relu = _sg_fc_eltwise(a) is not None
    if not _calibrated(a):   # int32 out, no requantization (the relu on the int32 sums)
        if relu:
            acc = g.node("Relu", [acc], acc.shape, f32)
        value = g.node("Cast", [acc], acc.shape, np.int32, to=6)
        return [value, *_int32_range(g, _range_max(g, wlow, whigh), _range_max(g, dlow, dhigh),
                                     data.dtype, False)]
    dtype = np.dtype(_sg_fc_dtype(a)[0])
    low, high = f32(a.min_calib_range), f32(a.max_calib_range)
    out_scale = f32(_RANGE[dtype]) / max(abs(low), abs(high))
    if relu:   # oneDNN's eltwise post-op: out_scale * relu(acc * ((1 / ds) / ws))
        value = binary(g, "Mul", acc, binary(g, "Div", binary(g, "Div", g.constant(
            f32(1.0)), ds), ws))
        value = binary(g, "Mul", g.node("Relu", [value], value.shape, f32), out_scale)
    else:
        value = binary(g, "Mul", acc, binary(g, "Div", binary(g, "Div", g.constant(out_scale),
                                                              ds), ws))
    return [_saturate(g, value, dtype), g.constant([low]), g.constant([high])]


def _int32_sums(g, acc):
    """The integer sums of a float Conv/MatMul held as int32 and back: onnxruntime's graph
    optimizer would otherwise fold the constant scales and bias that follow into the Conv or
    MatMul (ConvMulFusion, MatMulScaleFusion), whose float sums then round differently."""
    whole = g.node("Cast", [acc], acc.shape, np.int32, to=6)
    return g.node("Cast", [whole], acc.shape, np.float32, to=1)


def _round_half_away(g, value):
    """C's round(): half away from zero (ONNX Round is half to even; ties are exact)."""
    f32 = np.float32
    even = g.node("Round", [value], value.shape, f32)
    tie = g.node("Equal", [g.node("Abs", [binary(g, "Sub", value, even)], value.shape, f32),
                           g.constant(f32(0.5))], value.shape, np.bool_)
    away = binary(g, "Add", value, binary(g, "Mul", g.node("Sign", [value], value.shape, f32),
                                          f32(0.5)))
    return g.node("Where", [tie, away, even], value.shape, f32)


def _saturating_matmul(g, x, qw, shift):
    """``x @ qw.T`` of integer values (x (M, K) float, qw (N, K) int8 values) as oneDNN's
    AVX2 int8 GEMM computes it without VNNI: the u8 x s8 products of adjacent K summed in
    pairs with int16 saturation, then in int32; int8 data (``shift``) is first made u8 by
    adding 128, which a ``128 * sum(qw)`` compensation takes back. Measured against the
    oracle's FullyConnected (the saturation changes results)."""
    f32 = np.float32
    m, k = x.shape
    n = qw.shape[0]
    if shift:
        x = binary(g, "Add", x, f32(128.0))
    if k % 2:
        x = g.node("Pad", [x, g.constant([0, 0, 0, 1], np.int64)], (m, k + 1), f32)
        qw = np.concatenate([qw, np.zeros((n, 1), f32)], axis=1)
        k += 1
    pairs = k // 2
    x = g.node("Reshape", [x, g.constant([0, pairs, 2], np.int64)], (m, pairs, 2), f32)
    x = g.node("Transpose", [x], (pairs, m, 2), f32, perm=[1, 0, 2])
    w = qw.reshape(n, pairs, 2).transpose(1, 2, 0)                         # (pairs, 2, N)
    sums = g.node("MatMul", [x, g.constant(np.ascontiguousarray(w))], (pairs, m, n), f32)
    sums = g.node("Clip", [sums, g.constant(-32768.0), g.constant(32767.0)], sums.shape, f32)
    acc = g.node("ReduceSum", [sums, g.constant([0], np.int64)], (m, n), f32, keepdims=0)
    if shift:
        acc = binary(g, "Sub", acc, g.constant(f32(128.0) * qw.sum(1, dtype=f32)))
    return acc


def _pool_entry():
    return OPS["Pooling"]


@op("_contrib_quantized_pooling", "quantized_pooling", inputs=("data", "min_data", "max_data"),
    uniform=False, num_outputs=3,
    attrs=dict(_pool_entry().attrs),
    shape=lambda a, data, *_: [_pool_entry().shape(a, data), (1,), (1,)],
    dtype=lambda a, data, *_: [data, np.float32, np.float32])
def quantized_pooling(g, a, data, low, high):
    """Pooling on the int8/uint8 values (through float: exact), averages rounded half to
    even; the range passes through."""
    if a.pool_type not in ("max", "avg"):
        g.fail(f"pool_type={a.pool_type!r}")
    x = g.node("Cast", [data], data.shape, np.float32, to=1)
    out = _pool_entry().lower(g, a, x)
    if a.pool_type == "avg":
        out = g.node("Round", [out], out.shape, np.float32)
    out = g.node("Cast", [out], out.shape, data.dtype, to=_ONNX[data.dtype])
    return [out, low, high]


@op("_contrib_quantized_flatten", "quantized_flatten", inputs=("data", "min_data", "max_data"),
    uniform=False, num_outputs=3,
    shape=lambda a, data, *_: [(data[0], int(np.prod(data[1:]))), (1,), (1,)],
    dtype=lambda a, data, *_: [data, np.float32, np.float32])
def quantized_flatten(g, a, data, low, high):
    out = g.node("Flatten", [data], (data.shape[0], int(np.prod(data.shape[1:]))), data.dtype,
                 axis=1)
    return [out, low, high]


def _rescale(g, q, factor, dtype):
    """oneDNN's reorder of int8/uint8 ``q`` into ``dtype`` with the output scale ``factor``
    (float32): ``sat(rint(q * factor))``."""
    return _saturate(g, binary(g, "Mul", g.node("Cast", [q], q.shape, np.float32, to=1),
                               factor), dtype)


def _concat_dtype(a, *dtypes):
    data = dtypes[:len(dtypes) // 3]
    out = np.int8 if any(np.dtype(d) == np.int8 for d in data) else np.uint8
    return [out, np.float32, np.float32]


def _concat_entry():
    return OPS["Concat"]


@op("_contrib_quantized_concat", "quantized_concat", inputs="*data", uniform=False,
    num_outputs=3, attrs={"dim": _concat_entry().attrs["dim"]},
    shape=lambda a, *shapes: [_concat_entry().shape(a, *shapes[:len(shapes) // 3]), (1,), (1,)],
    dtype=_concat_dtype)
def quantized_concat(g, a, *inputs):
    """Concat of int8/uint8 data with ranges: the output range ``(min(0, mins), max(0, maxs))``
    (int8 if any input is, else uint8); each input reordered into it with the scale
    ``(R_out / m_out) / (R_i / m_i)`` (rounded half to even, saturated)."""
    count = len(inputs) // 3
    if len(inputs) != 3 * count or count == 0:
        g.fail(f"{len(inputs)} inputs (expected the data and a min and a max for each)")
    data, ranges = inputs[:count], inputs[count:]
    dtype = np.dtype(_concat_dtype(a, *[d.dtype for d in inputs])[0])
    low, high = g.constant([np.float32(0.0)]), g.constant([np.float32(0.0)])
    for i in range(count):
        low = g.node("Min", [low, ranges[2 * i]], (1,), np.float32)
        high = g.node("Max", [high, ranges[2 * i + 1]], (1,), np.float32)
    out_scale = binary(g, "Div", g.constant(np.float32(_RANGE[dtype])), _range_max(g, low, high))
    parts = [_rescale(g, q, binary(g, "Div", out_scale, _data_scale(
        g, q, ranges[2 * i], ranges[2 * i + 1])), dtype) for i, q in enumerate(data)]
    out = _concat_entry().lower(g, a, *parts)
    return [out, low, high]


def _add_dtype(a, lhs, rhs, *ranges):
    if not _calibrated(a):
        return [np.int32, np.float32, np.float32]
    return [lhs if np.dtype(lhs) == np.dtype(rhs) else np.int8, np.float32, np.float32]


@op("_contrib_quantized_elemwise_add", "quantized_elemwise_add",
    inputs=("lhs", "rhs", "lhs_min", "lhs_max", "rhs_min", "rhs_max"), uniform=False,
    num_outputs=3, attrs={"min_calib_range": Float(None), "max_calib_range": Float(None)},
    shape=lambda a, lhs, *_: [tuple(lhs), (1,), (1,)], dtype=_add_dtype)
def quantized_elemwise_add(g, a, lhs, rhs, lhs_min, lhs_max, rhs_min, rhs_max):
    """MKL-DNN's sum of two int8/uint8 tensors ``dst = sat(rint(s_a q_a + s_b q_b))``.
    Calibrated: ``s = (R_out / m_out) / (R_in / m_in)``, the output int8 unless both inputs
    share a type. Uncalibrated: int32 output of range ``+-(m_a + m_b)``, ``s = m_in 2**31 /
    ((m_a + m_b) R_a)`` (``R_a``: the first input's range, as MXNet writes it). Inputs of
    different types: the uint8 one is first reordered into int8 with its scale (saturating)
    and then added with scale 1."""
    f32 = np.float32
    out_dtype = np.dtype(_add_dtype(a, lhs.dtype, rhs.dtype)[0])
    out_range = g.constant(f32(_INT32_RANGE if out_dtype == np.int32 else _RANGE[out_dtype]))
    m_a, m_b = _range_max(g, lhs_min, lhs_max), _range_max(g, rhs_min, rhs_max)
    if _calibrated(a):
        low, high = g.constant([f32(a.min_calib_range)]), g.constant([f32(a.max_calib_range)])
        out_scale = binary(g, "Div", out_range, _range_max(g, low, high))
        scales = [binary(g, "Div", out_scale, _data_scale(g, q, lo, hi))
                  for q, lo, hi in ((lhs, lhs_min, lhs_max), (rhs, rhs_min, rhs_max))]
    else:
        high = binary(g, "Add", m_a, m_b)
        low = g.node("Neg", [high], (1,), f32)
        first = g.constant(f32(_RANGE[lhs.dtype]))
        second = g.constant(f32(_RANGE[rhs.dtype] if lhs.dtype != rhs.dtype
                                else _RANGE[lhs.dtype]))
        scales = [binary(g, "Div", binary(g, "Mul", m, out_range),
                         binary(g, "Mul", high, r)) for m, r in ((m_a, first), (m_b, second))]
    values = [lhs, rhs]
    if lhs.dtype != rhs.dtype:
        u8 = 0 if lhs.dtype == np.uint8 else 1
        values[u8] = _rescale(g, values[u8], scales[u8], np.dtype(np.int8))
        scales[u8] = g.constant(f32(1.0))
    terms = [binary(g, "Mul", g.node("Cast", [v], v.shape, f32, to=1), s)
             for v, s in zip(values, scales)]
    total = binary(g, "Add", terms[0], terms[1])
    if out_dtype == np.int32:
        total = g.node("Round", [total], total.shape, f32)
        total = g.node("Clip", [total, g.constant(-2147483648.0), g.constant(2147483520.0)],
                       total.shape, f32)
        out = g.node("Cast", [total], total.shape, np.int32, to=6)
    else:
        out = _saturate(g, total, out_dtype)
    return [out, low, high]


def _bn_entry():
    return OPS["BatchNorm"]


def _bn_shape(a, data, *_):
    if not _calibrated(a):
        raise Unsupported("an uncalibrated quantized BatchNorm (MXNet 1.9.1 refuses to run "
                          "one: quantize with calib_mode 'naive' or 'entropy')")
    return [tuple(data), (1,), (1,)]


@op("_contrib_quantized_batch_norm", "quantized_batch_norm",
    inputs=("data", "gamma", "beta", "moving_mean", "moving_var", "min_data", "max_data"),
    aux=("moving_mean", "moving_var"), uniform=False, num_outputs=3,
    attrs={k: v for k, v in _bn_entry().attrs.items() if k != "output_mean_var"},
    shape=_bn_shape, dtype=lambda a, *_: [np.int8, np.float32, np.float32])
def quantized_batch_norm(g, a, data, gamma, beta, moving_mean, moving_var, low, high):
    """MKL-DNN's int8 BatchNorm: uint8 data first reordered to int8 (scale 127.5 / 255.5,
    saturating); per channel ``w = gamma invstd m_data / m_out``, ``b = (beta - mean gamma
    invstd) 127.5 / m_out`` (``invstd = 1 / sqrt(var + eps)``, MXNet's float; gamma as
    stored, whatever fix_gamma) run by oneDNN with mean 0 and variance 1:
    ``q = sat(rint(fma(q_in, w / sqrt(1 + eps), b)))``, the range the calibrated one."""
    f32 = np.float32
    x = data
    if x.dtype == np.uint8:
        x = _rescale(g, x, g.constant(f32(127.5) / f32(255.5)), np.dtype(np.int8))
    elif x.dtype != np.int8:
        g.fail(f"a quantized BatchNorm of {x.dtype} data (int8/uint8 only)")
    axis = a.axis % data.ndim
    stat = {n: _static(g, v, n).astype(f32) for n, v in (
        ("gamma", gamma), ("beta", beta), ("moving_mean", moving_mean),
        ("moving_var", moving_var))}
    invstd = (1.0 / np.sqrt(stat["moving_var"].astype(np.float64) + float(a.eps))).astype(f32)
    gi = stat["gamma"] * invstd
    m_out = max(abs(f32(a.min_calib_range)), abs(f32(a.max_calib_range)))
    shift = ((stat["beta"] - stat["moving_mean"] * stat["gamma"] * invstd) * f32(127.5)
             / m_out).astype(f32)
    weight = binary(g, "Div", binary(g, "Mul", g.constant(gi), _range_max(g, low, high)), m_out)
    weight = binary(g, "Div", weight, np.sqrt(f32(1.0) + f32(a.eps), dtype=f32))
    per_channel = [-1] + [1] * (data.ndim - 1 - axis)
    weight = g.node("Reshape", [weight, g.constant(per_channel, np.int64)],
                    (len(gi),) + (1,) * (data.ndim - 1 - axis), f32)
    # the fused multiply-add rounded once: exact in float64, then to float32
    f64 = np.float64
    value = binary(g, "Mul", g.node("Cast", [x], x.shape, f64, to=11),
                   g.node("Cast", [weight], weight.shape, f64, to=11))
    value = binary(g, "Add", value, g.constant(shift.reshape(per_channel), f64))
    value = g.node("Cast", [value], value.shape, f32, to=1)
    return [_saturate(g, value, np.dtype(np.int8)), g.constant([f32(a.min_calib_range)]),
            g.constant([f32(a.max_calib_range)])]


@op("_contrib_quantized_act", "quantized_act", inputs=("data", "min_data", "max_data"),
    uniform=False, num_outputs=3, attrs={"act_type": Str("relu", choices={"relu"})},
    shape=lambda a, data, *_: [tuple(data), (1,), (1,)],
    dtype=lambda a, data, *_: [data, np.float32, np.float32])
def quantized_act(g, a, data, low, high):
    """relu on the int8/uint8 values; the range passes through unchanged."""
    x = g.node("Cast", [data], data.shape, np.float32, to=1)
    out = g.node("Relu", [x], x.shape, np.float32)
    return [g.node("Cast", [out], out.shape, data.dtype, to=_ONNX[data.dtype]), low, high]
