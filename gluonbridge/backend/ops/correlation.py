"""Correlation (FlowNet, PWC-Net): the cost volume of two feature maps, as MXNet 1.9.1's CPU
kernel computes it (src/operator/correlation.cc).

Both (N, C, H, W) inputs are zero-padded by ``pad_size``. With ``R = max_displacement //
stride2`` the output has ``(2R + 1) ** 2`` channels; channel ``q`` is the displacement
``dy = (q // (2R + 1) - R) * stride2``, ``dx = (q % (2R + 1) - R) * stride2``. Output (i, j)
compares the ``kernel_size`` window of the first map whose top-left corner is
``(i * stride1 + max_displacement, j * stride1 + max_displacement)`` (padded coordinates) with
that window of the second map moved by (dy, dx): the mean over the window and the channels of
the products (``is_multiply``) or of the absolute differences. The output is ``ceil((H + 2 pad
- 2 border) / stride1)`` high (``border = max_displacement + kernel_size // 2``), likewise wide.

Lowered as one product map per displacement (a slice of the second map against a slice of the
first), its channel mean, and one AveragePool over the window at ``stride1`` for all of them.
"""
from __future__ import annotations

import math

import numpy as np

from ...graph.attrs import Bool, Int
from .common import binary
from .registry import Unsupported, op


def _geometry(a, data1):
    """(output height, output width, grid radius)."""
    if a.kernel_size % 2 == 0:
        raise Unsupported(f"kernel_size={a.kernel_size} (MXNet requires an odd kernel size)")
    if a.stride1 < 1 or a.stride2 < 1:
        raise Unsupported(f"stride1={a.stride1}, stride2={a.stride2} (both must be at least 1)")
    border = a.max_displacement + a.kernel_size // 2
    top = tuple(math.ceil((x + 2 * a.pad_size - 2 * border) / a.stride1) for x in data1[2:])
    if min(top) < 1:
        raise Unsupported(f"inputs of {tuple(data1[2:])} pixels with max_displacement="
                          f"{a.max_displacement}, kernel_size={a.kernel_size}, pad_size="
                          f"{a.pad_size}: the neighbourhood and kernel do not fit")
    return top[0], top[1], a.max_displacement // a.stride2


def _shape(a, data1, data2):
    if len(data1) != 4 or tuple(data1) != tuple(data2):
        raise Unsupported(f"inputs of shapes {tuple(data1)} and {tuple(data2)} (two 4-d inputs "
                          "of one shape)")
    height, width, radius = _geometry(a, data1)
    return (data1[0], (2 * radius + 1) ** 2, height, width)


def _window(g, value, top, left, height, width):
    """``value[:, :, top:top + height, left:left + width]``."""
    return g.node("Slice", [value, g.constant([top, left], np.int64),
                            g.constant([top + height, left + width], np.int64),
                            g.constant([2, 3], np.int64)],
                  value.shape[:2] + (height, width), value.dtype)


@op("Correlation", inputs=("data1", "data2"), num_outputs=3,
    attrs={"kernel_size": Int(1), "max_displacement": Int(1), "stride1": Int(1),
           "stride2": Int(1), "pad_size": Int(0), "is_multiply": Bool(True)},
    shape=_shape)
def correlation(g, a, data1, data2):
    out_h, out_w, radius = _geometry(a, data1.shape)
    k, md, pad = a.kernel_size, a.max_displacement, a.pad_size
    if pad:
        pads = g.constant([0, 0, pad, pad, 0, 0, pad, pad], np.int64)
        padded = data1.shape[:2] + tuple(x + 2 * pad for x in data1.shape[2:])
        data1 = g.node("Pad", [data1, pads], padded, data1.dtype)
        data2 = g.node("Pad", [data2, pads], padded, data2.dtype)
    # the rows and columns the windows of the first map cover
    span_h, span_w = (out_h - 1) * a.stride1 + k, (out_w - 1) * a.stride1 + k
    first = _window(g, data1, md, md, span_h, span_w)
    n = data1.shape[0]
    maps = []
    for q in range((2 * radius + 1) ** 2):
        dy = (q // (2 * radius + 1) - radius) * a.stride2
        dx = (q % (2 * radius + 1) - radius) * a.stride2
        second = _window(g, data2, md + dy, md + dx, span_h, span_w)
        if a.is_multiply:
            each = binary(g, "Mul", first, second)
        else:
            each = g.node("Abs", [binary(g, "Sub", first, second)], first.shape, first.dtype)
        maps.append(g.node("ReduceMean", [each], (n, 1, span_h, span_w), first.dtype, axes=[1],
                           keepdims=1))
    volume = maps[0] if len(maps) == 1 else g.node(
        "Concat", maps, (n, len(maps), span_h, span_w), first.dtype, axis=1)
    if k == 1 and a.stride1 == 1:
        return volume
    return g.node("AveragePool", [volume], (n, len(maps), out_h, out_w), first.dtype,
                  kernel_shape=[k, k], strides=[a.stride1, a.stride1])
