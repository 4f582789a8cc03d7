"""Deformable ConvNets ops: _contrib_DeformableConvolution (v1) and
_contrib_ModulatedDeformableConvolution (v2, with a mask).

A deformable convolution samples its input at each kernel tap moved by a learnt offset, then
convolves the samples (MXNet's deformable im2col and a grouped matrix product). ``offset`` is
``(N, deformable_groups * 2 * kh * kw, Ho, Wo)``: per deformable group, a (dy, dx) pair per
kernel position in row-major order; ``mask`` (v2) is ``(N, deformable_groups * kh * kw, Ho, Wo)``.
The input channels are split evenly among the deformable groups.

The two versions interpolate differently (MXNet 1.9.1's CPU kernels):

* v1: a sample point (y, x) outside ``[0, H) x [0, W)`` reads 0; inside, a coordinate in the
  last row/column band is clamped to it (``y >= H - 1`` reads row ``H - 1`` only);
* v2: bilinear with each of the four neighbours outside the input reading 0 (a point up to one
  pixel outside still sees the border), then times the mask.

MXNet 2 registers the same ops (the same parameters and CPU kernels) as
``_npx_deformable_convolution`` and ``_npx_modulated_deformable_convolution`` (``npx.*``).

ONNX 17 has no DeformConv: the samples are composed from GatherElements and arithmetic.
"""
from __future__ import annotations

import numpy as np

from ...graph.attrs import Int, Str
from .common import binary, reshape, within
from .nn import _CONV_ATTRS, _conv_geometry, _conv_shape
from .registry import Unsupported, op
from .sampling import _channel, _neighbour

_ATTRS = dict(_CONV_ATTRS, num_deformable_group=Int(1),
              layout=Str(None, choices={None, "NCHW"}))


def _geometry(a, data, offset, mask=None):
    """(kernel, stride, dilate, pad, output shape), checking the inputs against each other."""
    if len(a.kernel) != 2:
        raise Unsupported(f"kernel={a.raw.get('kernel')!r} (MXNet computes 2-d kernels only)")
    k, s, d, p = _conv_geometry(a, data)
    out = _conv_shape(a, data)
    groups, dgroups = a.num_group, a.num_deformable_group
    taps = k[0] * k[1]
    if groups < 1 or dgroups < 1 or data[1] % groups or a.num_filter % groups \
            or data[1] % dgroups:
        raise Unsupported(f"{data[1]} channels, num_filter={a.num_filter}, num_group={groups}, "
                          f"num_deformable_group={dgroups} (each group count must divide the "
                          "channels and num_group the filters)")
    expected = (data[0], dgroups * 2 * taps) + out[2:]
    if offset is not None and tuple(offset) != expected:
        raise Unsupported(f"an offset of shape {tuple(offset)} (need {expected})")
    expected = (data[0], dgroups * taps) + out[2:]
    if mask is not None and tuple(mask) != expected:
        raise Unsupported(f"a mask of shape {tuple(mask)} (need {expected})")
    return k, s, d, p, out


def _weights(a, data, *_):
    return {"weight": (a.num_filter, data[1] // a.num_group) + tuple(a.kernel),
            "bias": (a.num_filter,)}


def _taps(k, s, d, p, out):
    """(1, 1, kh * kw * Ho * Wo) row and column of every tap before its offset."""
    rows = np.add.outer(np.arange(k[0]) * d[0] - p[0], np.arange(out[2]) * s[0])
    cols = np.add.outer(np.arange(k[1]) * d[1] - p[1], np.arange(out[3]) * s[1])
    shape = (k[0], k[1], out[2], out[3])
    return (np.broadcast_to(rows[:, None, :, None], shape).reshape(1, 1, -1),
            np.broadcast_to(cols[None, :, None, :], shape).reshape(1, 1, -1))


def _columns(g, data, offset, geometry, clamp):
    """The sampled columns ``(N * deformable_groups, C / deformable_groups, taps * Ho * Wo)``
    and, for v1, whether each point lies inside (broadcastable to the columns)."""
    k, s, d, p, out = geometry
    _, c, h, w = data.shape
    dgroups = offset.shape[1] // (2 * k[0] * k[1])
    taps, points = k[0] * k[1], out[2] * out[3]
    rows = dgroups * data.shape[0]
    dtype = data.dtype
    flat = g.node("Reshape", [data, g.shape_constant((-1, c // dgroups, h * w))],
                  (rows, c // dgroups, h * w), dtype)
    pairs = g.node("Reshape", [offset, g.shape_constant((-1, taps, 2, points))],
                   (rows, taps, 2, points), dtype)
    pairs = g.node("Transpose", [pairs], (rows, 2, taps, points), dtype, perm=[0, 2, 1, 3])
    pairs = g.node("Reshape", [pairs, g.shape_constant((-1, 2, taps * points))],
                   (rows, 2, taps * points), dtype)
    base_y, base_x = _taps(k, s, d, p, out)
    y = binary(g, "Add", _channel(g, pairs, 0), g.constant(base_y.astype(np.float32), dtype))
    x = binary(g, "Add", _channel(g, pairs, 1), g.constant(base_x.astype(np.float32), dtype))
    inside = None
    if clamp:
        inside = g.node("And", [within(g, y, 0, h, "Less"), within(g, x, 0, w, "Less")],
                        y.shape, np.bool_)
        y = binary(g, "Min", y, float(h - 1))
        x = binary(g, "Min", x, float(w - 1))
    y0 = g.node("Floor", [y], y.shape, dtype)
    x0 = g.node("Floor", [x], x.shape, dtype)
    ly, lx = binary(g, "Sub", y, y0), binary(g, "Sub", x, x0)
    weights_y = (binary(g, "Sub", g.constant(1.0, dtype), ly), ly)
    weights_x = (binary(g, "Sub", g.constant(1.0, dtype), lx), lx)
    total = None
    for dy in (0, 1):
        yi = _step(g, y0, dy, h if clamp else None)
        for dx in (0, 1):
            xi = _step(g, x0, dx, w if clamp else None)
            weight = binary(g, "Mul", weights_y[dy], weights_x[dx])
            term = binary(g, "Mul", weight, _neighbour(g, flat, xi, yi, w, h))
            total = term if total is None else binary(g, "Add", total, term)
    return total, inside


def _step(g, low, delta, clamp_to):
    """``low + delta``, kept at most ``clamp_to - 1`` (v1's last row/column)."""
    if not delta:
        return low
    high = binary(g, "Add", low, 1.0)
    return binary(g, "Min", high, float(clamp_to - 1)) if clamp_to is not None else high


def _convolve(g, a, columns, weight, bias, out):
    """The grouped product of the ``(N * dg, C / dg, taps * P)`` columns with ``weight``."""
    n, filters = out[0], out[1]
    groups = a.num_group
    per_group = weight.shape[1] * weight.shape[2] * weight.shape[3]
    points = out[2] * out[3]
    cols = g.node("Reshape", [columns, g.shape_constant((-1, groups, per_group, points))],
                  (n, groups, per_group, points), columns.dtype)
    mats = reshape(g, weight, (groups, filters // groups, per_group))
    product = g.node("MatMul", [mats, cols], (n, groups, filters // groups, points),
                     columns.dtype)
    result = reshape(g, product, out)
    if bias is None:
        return result
    return binary(g, "Add", result, reshape(g, bias, (filters, 1, 1)))


@op("_contrib_DeformableConvolution", "DeformableConvolution", "_npx_deformable_convolution",
    inputs=("data", "offset", "weight", "bias"), attrs=_ATTRS, weights=_weights,
    shape=lambda a, data, offset, *_: _geometry(a, data, offset)[4])
def deformable_convolution(g, a, data, offset, weight, bias=None):
    geometry = _geometry(a, data.shape, offset.shape)
    columns, inside = _columns(g, data, offset, geometry, clamp=True)
    columns = g.node("Where", [inside, columns, g.constant(0.0, columns.dtype)], columns.shape,
                     columns.dtype)
    return _convolve(g, a, columns, weight, bias, geometry[4])


@op("_contrib_ModulatedDeformableConvolution", "ModulatedDeformableConvolution",
    "_npx_modulated_deformable_convolution",
    inputs=("data", "offset", "mask", "weight", "bias"),
    attrs=dict(_ATTRS, im2col_step=Int(64)), weights=_weights,
    shape=lambda a, data, offset, mask, *_: _geometry(a, data, offset, mask)[4])
def modulated_deformable_convolution(g, a, data, offset, mask, weight, bias=None):
    geometry = _geometry(a, data.shape, offset.shape, mask.shape)
    columns, _ = _columns(g, data, offset, geometry, clamp=False)
    rows, _, length = columns.shape
    mask = g.node("Reshape", [mask, g.shape_constant((-1, 1, length))], (rows, 1, length),
                  mask.dtype)
    return _convolve(g, a, binary(g, "Mul", columns, mask), weight, bias, geometry[4])
