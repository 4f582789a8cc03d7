"""Layers with weights and windows: FullyConnected, Convolution, Deconvolution, Pooling,
Dropout, Embedding."""
from __future__ import annotations

import math

import numpy as np

from ...graph.attrs import Bool, Dtype, Float, Int, Ints, Str
from .common import FLT_MAX, binary, fill, same_shape
from .registry import Unsupported, op

_CHANNELS_FIRST = {None, "NCW", "NCHW", "NCDHW"}


def _fc_in_units(a, data):
    return int(np.prod(data[1:])) if a.flatten else data[-1]


@op("FullyConnected", "fully_connected", "_npx_fully_connected",
    inputs=("data", "weight", "bias"),
    attrs={"num_hidden": Int(required=True), "no_bias": Bool(False), "flatten": Bool(True)},
    weights=lambda a, data, *_: {"weight": (a.num_hidden, _fc_in_units(a, data)),
                                 "bias": (a.num_hidden,)},
    shape=lambda a, data, *_: ((data[0], a.num_hidden) if a.flatten
                               else tuple(data[:-1]) + (a.num_hidden,)))
def fully_connected(g, a, data, weight, bias=None):
    if a.flatten:
        in_units = int(np.prod(data.shape[1:]))
        if data.ndim != 2:
            data = g.node("Flatten", [data], (data.shape[0], in_units), data.dtype, axis=1)
        inputs = [data, weight] + ([bias] if bias is not None else [])
        return g.node("Gemm", inputs, (data.shape[0], a.num_hidden), data.dtype, transB=1)
    w_t = g.node("Transpose", [weight], (data.shape[-1], a.num_hidden), weight.dtype,
                 perm=[1, 0])
    out = g.node("MatMul", [data, w_t], data.shape[:-1] + (a.num_hidden,), data.dtype)
    return binary(g, "Add", out, bias) if bias is not None else out


_CONV_ATTRS = {"kernel": Ints(required=True), "stride": Ints(()), "dilate": Ints(()),
               "pad": Ints(()), "num_filter": Int(required=True), "num_group": Int(1),
               "no_bias": Bool(False), "layout": Str(None, choices=_CHANNELS_FIRST)}


def _conv_geometry(a, data):
    """(kernel, stride, dilate, pad) of a convolution on an input of shape ``data``."""
    n = len(a.kernel)
    if len(data) != n + 2:
        raise Unsupported(f"a {len(data)}-d input for a {n}-d kernel")
    return a.kernel, fill(a.stride, n, 1), fill(a.dilate, n, 1), fill(a.pad, n, 0)


def _conv_shape(a, data, *_):
    k, s, d, p = _conv_geometry(a, data)
    spatial = tuple((x + 2 * pi - di * (ki - 1) - 1) // si + 1
                    for x, pi, di, ki, si in zip(data[2:], p, d, k, s))
    return (data[0], a.num_filter) + spatial


@op("Convolution", "convolution", "_npx_convolution", inputs=("data", "weight", "bias"),
    attrs=_CONV_ATTRS, shape=_conv_shape,
    weights=lambda a, data, *_: {"weight": (a.num_filter, data[1] // a.num_group) + a.kernel,
                                 "bias": (a.num_filter,)})
def convolution(g, a, data, weight, bias=None):
    k, s, d, p = _conv_geometry(a, data.shape)
    out = _conv_shape(a, data.shape)
    return g.node("Conv", [data, weight] + ([bias] if bias is not None else []), out, data.dtype,
                  kernel_shape=list(k), strides=list(s), dilations=list(d), pads=list(p) * 2,
                  group=int(a.num_group))


def _deconv_geometry(a, data):
    """(kernel, stride, dilate, pad, adj): with a ``target_shape`` MXNet ignores ``pad`` and
    ``adj`` and takes ``total = stride (in - 1) + dilated kernel - target``, ``adj = total % 2``,
    ``pad = (total + 1) // 2`` (so the output is the target)."""
    k, s, d, p = _conv_geometry(a, data)
    adj = fill(a.adj, len(k), 0)
    if a.target_shape and any(a.target_shape):
        if len(a.target_shape) != len(k) or not all(a.target_shape):
            raise Unsupported(f"target_shape={a.raw.get('target_shape')!r}")
        totals = [si * (x - 1) + di * (ki - 1) + 1 - t
                  for x, si, di, ki, t in zip(data[2:], s, d, k, a.target_shape)]
        if min(totals) < 0:
            raise Unsupported(f"target_shape={a.raw.get('target_shape')!r} larger than the "
                              "full deconvolution")
        p = tuple((t + 1) // 2 for t in totals)
        adj = tuple(t % 2 for t in totals)
    return k, s, d, p, adj


def _deconv_shape(a, data, *_):
    k, s, d, p, adj = _deconv_geometry(a, data)
    spatial = tuple((x - 1) * si - 2 * pi + di * (ki - 1) + ai + 1
                    for x, si, pi, di, ki, ai in zip(data[2:], s, p, d, k, adj))
    return (data[0], a.num_filter) + spatial


@op("Deconvolution", "deconvolution", "_npx_deconvolution", inputs=("data", "weight", "bias"),
    attrs=dict(_CONV_ATTRS, no_bias=Bool(True), adj=Ints(()), target_shape=Ints(())),
    shape=_deconv_shape,
    weights=lambda a, data, *_: {"weight": (data[1], a.num_filter // a.num_group) + a.kernel,
                                 "bias": (a.num_filter,)})
def deconvolution(g, a, data, weight, bias=None):
    """ConvTranspose; with groups, one ConvTranspose per group and a Concat (onnx 1.23's
    reference ConvTranspose fails on groups)."""
    k, s, d, p, adj = _deconv_geometry(a, data.shape)
    out = _deconv_shape(a, data.shape)
    attrs = dict(kernel_shape=list(k), strides=list(s), dilations=list(d), pads=list(p) * 2,
                 output_padding=list(adj))
    groups = int(a.num_group)
    if groups == 1:
        return g.node("ConvTranspose", [data, weight] + ([bias] if bias is not None else []),
                      out, data.dtype, **attrs)
    cin, cout = data.shape[1] // groups, a.num_filter // groups
    parts = []
    for i in range(groups):
        piece = [_channels(g, data, i * cin, cin, 1), _channels(g, weight, i * cin, cin, 0)]
        if bias is not None:
            piece.append(_channels(g, bias, i * cout, cout, 0))
        parts.append(g.node("ConvTranspose", piece, out[:1] + (cout,) + out[2:], data.dtype,
                            **attrs))
    return g.node("Concat", parts, out, data.dtype, axis=1)


def _channels(g, value, start, count, axis):
    shape = value.shape[:axis] + (count,) + value.shape[axis + 1:]
    return g.node("Slice", [value, g.constant([start], np.int64),
                            g.constant([start + count], np.int64), g.constant([axis], np.int64)],
                  shape, value.dtype)


def _pool_geometry(a, data):
    """(kernel, stride, pad, ceil, output spatial sizes) with MXNet's rounding ('full' =
    ceil, only where it changes the size)."""
    n = len(data) - 2
    if n < 1:
        raise Unsupported(f"{len(data)}-d input")
    if a.global_pool:
        return None, None, None, False, (1,) * n
    k, s, p = fill(a.kernel, n, 1), fill(a.stride, n, 1), fill(a.pad, n, 0)
    if len(k) != n:
        raise Unsupported(f"kernel={a.raw.get('kernel')!r} for a {len(data)}-d input")
    sizes = data[2:]
    ceil = a.pooling_convention == "full" and any((x + 2 * pi - ki) % si
                                                  for x, pi, ki, si in zip(sizes, p, k, s))
    rounding = math.ceil if ceil else math.floor
    out = tuple(rounding((x + 2 * pi - ki) / si) + 1 for x, pi, ki, si in zip(sizes, p, k, s))
    return k, s, p, ceil, out


@op("Pooling", "pooling", "_npx_pooling",
    attrs={"kernel": Ints(()), "pool_type": Str("max", choices={"max", "avg", "sum", "lp"}),
           "global_pool": Bool(False), "stride": Ints(()), "pad": Ints(()),
           # 'same' fails in 1.9.1 for every input (an index error on 1-d, a rank check else)
           "pooling_convention": Str("valid", choices={"valid", "full"}),
           "count_include_pad": Bool(None), "layout": Str(None, choices=_CHANNELS_FIRST),
           "p_value": Int(None), "output_size": Ints(None, choices={None})},
    shape=lambda a, data: tuple(data[:2]) + _pool_geometry(a, data)[4],
    # MXNet 1.9.1's MKLDNN max pooling keeps a workspace output
    num_outputs=lambda raw: 2 if raw.get("pool_type", "max") == "max" and raw.get(
        "layout", "NCHW") in ("NCW", "NCHW", "NCDHW") else 1)
def pooling(g, a, data):
    """Max/avg/sum/lp pooling with MXNet's output sizes and edge rules, in a form onnxruntime
    and the reference evaluator both compute exactly (onnx 1.23's reference MaxPool mishandles
    padding at stride 1, and its ceil-mode AveragePool uses wrong windows):

    * max: padding (and the extra end padding of ceil mode) made explicit with -FLT_MAX, which
      is also what MXNet emits for a window that lies wholly in the padding;
    * avg in ceil ('full') mode: a sum pool over zero-padded input divided by MXNet's per-window
      divisor (the window clipped to ``[-pad, size + pad)``, or to the real elements when
      ``count_include_pad`` is False; 0 for a window wholly in the padding);
    * sum: the window sum (zero padding); lp: ``(sum x**p) ** (1/p)`` with MXNet's signed
      powers (p 1, 2, 3: ``x**3`` keeps the sign and the root is the real cube root);
    * otherwise the plain ONNX op (ONNX's count_include_pad default is 0, MXNet's is 1).
    """
    k, s, p, ceil, out = _pool_geometry(a, data.shape)
    out_shape = data.shape[:2] + out
    if a.pool_type == "lp" and a.p_value not in (1, 2, 3):
        g.fail(f"p_value={a.p_value!r} (MXNet 1.9.1 pools lp with p 1, 2, 3)")
    if a.pool_type == "lp":
        data = _lp_power(g, data, a.p_value)
    if a.global_pool:
        if a.pool_type in ("max", "avg"):
            return g.node("GlobalMaxPool" if a.pool_type == "max" else "GlobalAveragePool",
                          [data], out_shape, data.dtype)
        total = g.node("ReduceSum", [data, g.constant(list(range(2, data.ndim)), np.int64)],
                       out_shape, data.dtype, keepdims=1)
        return _lp_root(g, total, a.p_value) if a.pool_type == "lp" else total
    include = True if a.count_include_pad is None else bool(a.count_include_pad)
    if a.pool_type == "avg" and not ceil:
        return g.node("AveragePool", [data], out_shape, data.dtype, kernel_shape=list(k),
                      strides=list(s), pads=list(p) * 2, count_include_pad=int(include))
    if a.pool_type == "max" and not any(p) and not ceil:
        return g.node("MaxPool", [data], out_shape, data.dtype, kernel_shape=list(k),
                      strides=list(s))
    sizes = data.shape[2:]
    end = [max((o - 1) * si + ki - x - pi, 0) for o, si, ki, x, pi in zip(out, s, k, sizes, p)]
    if any(p) or any(end):
        data = g.node("Pad", [data, g.constant([0, 0] + list(p) + [0, 0] + end, np.int64),
                              g.constant(-FLT_MAX if a.pool_type == "max" else 0.0, data.dtype)],
                      data.shape[:2] + tuple(x + pi + e for x, pi, e in zip(sizes, p, end)),
                      data.dtype)
    if a.pool_type == "max":
        return g.node("MaxPool", [data], out_shape, data.dtype, kernel_shape=list(k),
                      strides=list(s))
    mean = g.node("AveragePool", [data], out_shape, data.dtype, kernel_shape=list(k),
                  strides=list(s))
    if a.pool_type == "avg":
        scale = float(np.prod(k)) / _window_sizes(sizes, out, k, s, p, include)
        return binary(g, "Mul", mean, g.constant(scale.reshape((1, 1) + out), data.dtype))
    total = binary(g, "Mul", mean, float(np.prod(k)))
    return _lp_root(g, total, a.p_value) if a.pool_type == "lp" else total


def _lp_power(g, data, p):
    if p == 1:
        return data
    return binary(g, "Mul", data, data) if p == 2 else binary(
        g, "Mul", binary(g, "Mul", data, data), data)


def _lp_root(g, total, p):
    if p == 1:
        return total
    if p == 2:
        return g.node("Sqrt", [total], total.shape, total.dtype)
    root = binary(g, "Pow", g.node("Abs", [total], total.shape, total.dtype), 1.0 / 3.0)
    return binary(g, "Mul", root, g.node("Sign", [total], total.shape, total.dtype))


def _window_sizes(sizes, out, kernel, stride, pad, include_pad):
    """MXNet's divisor for every output position of an average pool (at least 1)."""
    per_axis = []
    for x, o, k, s, p in zip(sizes, out, kernel, stride, pad):
        start = np.arange(o) * s - p
        end = np.minimum(start + k, x + p)
        if not include_pad:
            start, end = np.maximum(start, 0), np.minimum(end, x)
        per_axis.append(np.maximum(end - start, 1))
    divisor = per_axis[0]
    for axis in per_axis[1:]:
        divisor = np.multiply.outer(divisor, axis)
    return divisor.astype(np.float64)


@op("Dropout", "dropout", "_npx_dropout",
    attrs={"p": Float(0.5), "mode": Str("training", choices={"training"}), "axes": Ints(())},
    shape=same_shape, num_outputs=2)
def dropout(g, a, data):
    """Identity at inference (``mode='always'``, dropout at inference, is refused)."""
    return data


@op("Embedding", "embedding", "_npx_embedding", inputs=("data", "weight"), uniform=False,
    attrs={"input_dim": Int(required=True), "output_dim": Int(required=True),
           "dtype": Dtype(np.dtype(np.float32)), "sparse_grad": Bool(False)},
    weights=lambda a, data, *_: {"weight": (a.input_dim, a.output_dim)},
    shape=lambda a, data, *_: tuple(data) + (a.output_dim,),
    dtype=lambda a, data, weight=None: weight if weight is not None else a.dtype)
def embedding(g, a, data, weight):
    """MXNet truncates float indices toward zero and clamps out-of-range ones."""
    idx = g.node("Cast", [data], data.shape, np.int64, to=7)
    idx = g.node("Clip", [idx, g.constant(0, np.int64), g.constant(a.input_dim - 1, np.int64)],
                 data.shape, np.int64)
    return g.node("Gather", [weight, idx], data.shape + (a.output_dim,), weight.dtype, axis=0)
