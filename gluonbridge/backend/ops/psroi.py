"""Position-sensitive roi pooling (R-FCN): _contrib_PSROIPooling and
_contrib_DeformablePSROIPooling, as MXNet 1.9.1's CPU kernels compute them.

Both pool ``rois`` (R, 5) rows ``[batch index, x1, y1, x2, y2]`` into (R, output_dim, P, P);
output channel ``ctop`` at bin (ph, pw) reads input channel
``(ctop * group_size + gh) * group_size + gw`` with ``gh = floor(ph * group_size / P)``.
"""
from __future__ import annotations

import numpy as np

from ...graph.attrs import Bool, Float, Int
from .common import binary, reshape
from .registry import Unsupported, op
from .vision import _bin_mask, _c_round, _split_rois, _unsqueeze


def _group_channels(output_dim, group_size, pooled):
    """(output_dim, P, P): the input channel every output position reads (float32 as MXNet
    computes the group cell)."""
    cell = np.floor(np.arange(pooled, dtype=np.float32) * np.float32(group_size)
                    / np.float32(pooled)).astype(np.int64)
    cell = np.clip(cell, 0, group_size - 1)
    ctop = np.arange(output_dim)[:, None, None]
    return (ctop * group_size + cell[None, :, None]) * group_size + cell[None, None, :]


def _check(data, rois, need):
    if len(data) != 4 or len(rois) != 2 or rois[1] != 5:
        raise Unsupported(f"data {tuple(data)} with rois {tuple(rois)} (need 4-d data and "
                          "(R, 5) rois)")
    if data[1] < need:
        raise Unsupported(f"{data[1]} input channels (need output_dim * group_size ** 2 = "
                          f"{need})")


def _corner(g, corners, i):
    r = corners.shape[0]
    return g.node("Slice", [corners, g.constant([i], np.int64), g.constant([i + 1], np.int64),
                            g.constant([1], np.int64)], (r, 1), corners.dtype)


# ---------------------------------------------------------------- PSROIPooling

def _ps_group(a):
    return a.group_size if a.group_size > 0 else a.pooled_size


def _ps_shape(a, data, rois):
    _check(data, rois, a.output_dim * _ps_group(a) ** 2)
    return (rois[0], a.output_dim, a.pooled_size, a.pooled_size)


def _ps_bins(g, start, end, pooled, size):
    """(R, P) integer bin bounds: the roi ``[start, end)`` (scaled, at least 0.1 long) cut in
    ``pooled`` bins, ``[floor(i * bin + start), ceil((i + 1) * bin + start))`` clipped to
    ``[0, size]``."""
    r = start.shape[0]
    length = binary(g, "Max", binary(g, "Sub", end, start), g.constant(0.1, start.dtype))
    step = binary(g, "Div", length, float(pooled))
    index = g.constant(np.arange(pooled, dtype=np.float32).reshape(1, pooled), start.dtype)
    lo = g.node("Floor", [binary(g, "Add", binary(g, "Mul", index, step), start)],
                (r, pooled), start.dtype)
    hi = g.node("Ceil", [binary(g, "Add", binary(g, "Mul", binary(g, "Add", index, 1.0), step),
                                start)], (r, pooled), start.dtype)
    zero, top = g.constant(0.0, start.dtype), g.constant(float(size), start.dtype)
    return (g.node("Clip", [lo, zero, top], (r, pooled), start.dtype),
            g.node("Clip", [hi, zero, top], (r, pooled), start.dtype))


@op("_contrib_PSROIPooling", "PSROIPooling", inputs=("data", "rois"),
    attrs={"spatial_scale": Float(required=True), "output_dim": Int(required=True),
           "pooled_size": Int(required=True), "group_size": Int(0)},
    shape=_ps_shape)
def psroi_pooling(g, a, data, rois):
    """Each bin the mean of its integer window (0 when empty): roi corners
    ``round(x1) * scale`` and ``(round(x2) + 1) * scale``. The window sums are products with
    0/1 window matrices."""
    n, c, h, w = data.shape
    r, od, p, _ = _ps_shape(a, data.shape, rois.shape)
    index, boxes = _split_rois(g, rois)
    rounded = _c_round(g, boxes)
    scale = float(a.spatial_scale)
    starts = binary(g, "Mul", rounded, scale)
    ends = binary(g, "Mul", binary(g, "Add", rounded, 1.0), scale)
    h_lo, h_hi = _ps_bins(g, _corner(g, starts, 1), _corner(g, ends, 3), p, h)
    w_lo, w_hi = _ps_bins(g, _corner(g, starts, 0), _corner(g, ends, 2), p, w)
    feat = g.node("Gather", [data, index], (r, c, h, w), data.dtype, axis=0)
    rows = g.node("Cast", [_unsqueeze(g, _bin_mask(g, h_lo, h_hi, h), [1])], (r, 1, p, h),
                  data.dtype, to=1)
    cols = g.node("Cast", [_bin_mask(g, w_lo, w_hi, w)], (r, p, w), data.dtype, to=1)
    cols = g.node("Transpose", [_unsqueeze(g, cols, [1])], (r, 1, w, p), data.dtype,
                  perm=[0, 1, 3, 2])
    sums = g.node("MatMul", [g.node("MatMul", [rows, feat], (r, c, p, w), data.dtype), cols],
                  (r, c, p, p), data.dtype)
    flat = reshape(g, sums, (r, c * p * p))
    pick = _group_channels(od, _ps_group(a), p) * p * p + np.arange(p * p).reshape(1, p, p)
    sums = reshape(g, g.node("Gather", [flat, g.constant(pick.reshape(-1), np.int64)],
                             (r, od * p * p), data.dtype, axis=1), (r, od, p, p))
    heights = _unsqueeze(g, binary(g, "Sub", h_hi, h_lo), [1, 3])     # (R, 1, P, 1)
    widths = _unsqueeze(g, binary(g, "Sub", w_hi, w_lo), [1, 2])      # (R, 1, 1, P)
    area = binary(g, "Mul", heights, widths)
    empty = g.node("LessOrEqual", [area, g.constant(0.0, data.dtype)], area.shape, np.bool_)
    mean = binary(g, "Div", sums, binary(g, "Max", area, g.constant(1.0, data.dtype)))
    return g.node("Where", [empty, g.constant(0.0, data.dtype), mean], (r, od, p, p),
                  data.dtype)
