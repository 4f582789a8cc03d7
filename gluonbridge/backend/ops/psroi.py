"""Position-sensitive roi pooling (R-FCN): _contrib_PSROIPooling and
_contrib_DeformablePSROIPooling, as MXNet 1.9.1's CPU kernels compute them.

Both pool ``rois`` (R, 5) rows ``[batch index, x1, y1, x2, y2]`` into (R, output_dim, P, P);
output channel ``ctop`` at bin (ph, pw) reads input channel
``(ctop * group_size + gh) * group_size + gw`` with ``gh = floor(ph * group_size / P)``.
"""
from __future__ import annotations

import numpy as np

from ...graph.attrs import Bool, Float, Int
from .common import binary, reshape, within
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


# ---------------------------------------------------------------- DeformablePSROIPooling

def _dps_part(a):
    return a.part_size if a.part_size > 0 else a.pooled_size


def _dps_shape(a, data, rois, trans=None):
    _check(data, rois, a.output_dim * a.group_size ** 2)
    if a.sample_per_part < 1:
        raise Unsupported(f"sample_per_part={a.sample_per_part} (need at least 1)")
    if not a.no_trans:
        part = _dps_part(a)
        if trans is None or len(trans) != 4 or trans[0] != rois[0] or trans[1] % 2 \
                or tuple(trans[2:]) != (part, part) or a.output_dim % (trans[1] // 2):
            raise Unsupported(f"trans of shape {None if trans is None else tuple(trans)} "
                              f"(need (R, 2 * classes, {part}, {part}) with classes dividing "
                              "output_dim)")
    return (rois[0], a.output_dim, a.pooled_size, a.pooled_size)


def _dps_offsets(g, a, trans, shape):
    """(R, output_dim, P, P) x and y shifts: ``trans[r, 2 class + (0 | 1), part_h, part_w]``
    times ``trans_std``, with ``part_h = floor(ph / P * part_size)``."""
    r, od, p, _ = shape
    classes, part = trans.shape[1] // 2, _dps_part(a)
    cell = np.floor(np.arange(p, dtype=np.float32) / np.float32(p)
                    * np.float32(part)).astype(np.int64)
    cls = (np.arange(od) // (od // classes))[:, None, None]
    flat = reshape(g, trans, (r, 2 * classes * part * part))
    shifts = []
    for xy in (0, 1):
        pick = ((cls * 2 + xy) * part + cell[None, :, None]) * part + cell[None, None, :]
        value = g.node("Gather", [flat, g.constant(pick.reshape(-1), np.int64)],
                       (r, od * p * p), trans.dtype, axis=1)
        shifts.append(binary(g, "Mul", reshape(g, value, shape), float(a.trans_std)))
    return shifts


@op("_contrib_DeformablePSROIPooling", "DeformablePSROIPooling",
    inputs=("data", "rois", "trans"), num_outputs=2,
    attrs={"spatial_scale": Float(required=True), "output_dim": Int(required=True),
           "group_size": Int(required=True), "pooled_size": Int(required=True),
           "part_size": Int(0), "sample_per_part": Int(1), "trans_std": Float(0.0),
           "no_trans": Bool(False)},
    shape=_dps_shape)
def deformable_psroi_pooling(g, a, data, rois, trans=None):
    """Each bin the mean of ``sample_per_part ** 2`` bilinear samples on a grid from the bin's
    corner (roi corners ``round(x) * scale - 0.5``, ``(round(x2) + 1) * scale - 0.5``, at
    least 0.1 long), the bin moved by ``trans * trans_std * roi size``; a sample beyond half a
    pixel outside the map is left out, the others clamped onto it; no sample: 0."""
    n, c, h, w = data.shape
    shape = _dps_shape(a, data.shape, rois.shape, None if trans is None else trans.shape)
    r, od, p, _ = shape
    s = a.sample_per_part
    index, boxes = _split_rois(g, rois)
    rounded = _c_round(g, boxes)
    scale = float(a.spatial_scale)
    starts = binary(g, "Sub", binary(g, "Mul", rounded, scale), 0.5)
    ends = binary(g, "Sub", binary(g, "Mul", binary(g, "Add", rounded, 1.0), scale), 0.5)
    grid = []
    for axis, (lo, hi) in enumerate(((1, 3), (0, 2))):      # y along the rows, then x
        start = reshape(g, _corner(g, starts, lo), (r, 1, 1, 1, 1))
        length = binary(g, "Max", binary(g, "Sub", reshape(g, _corner(g, ends, hi),
                                                           (r, 1, 1, 1, 1)), start),
                        g.constant(0.1, data.dtype))
        step = binary(g, "Div", length, float(p))
        bins = np.arange(p, dtype=np.float32).reshape((1, 1, p, 1, 1) if axis == 0
                                                      else (1, 1, 1, p, 1))
        corner = binary(g, "Add", binary(g, "Mul", g.constant(bins, data.dtype), step), start)
        grid.append((corner, length, step))
    if not a.no_trans:
        shift_x, shift_y = _dps_offsets(g, a, trans, shape)
        for i, shift in ((0, shift_y), (1, shift_x)):
            corner, length, step = grid[i]
            moved = binary(g, "Mul", _unsqueeze(g, shift, [4]), length)
            grid[i] = (binary(g, "Add", corner, moved), length, step)
    samples = np.arange(s, dtype=np.float32)
    points = []
    for i, (corner, _, step) in enumerate(grid):
        sub = binary(g, "Div", step, float(s))
        offsets = np.repeat(samples, s) if i == 0 else np.tile(samples, s)
        points.append(binary(g, "Add", corner, binary(
            g, "Mul", g.constant(offsets.reshape(1, 1, 1, 1, s * s), data.dtype), sub)))
    y, x = points
    inside = within(g, y, -0.5, h - 0.5)      # at most half a pixel outside the map
    inside = g.node("And", [inside, within(g, x, -0.5, w - 0.5)], inside.shape, np.bool_)
    y = g.node("Clip", [y, g.constant(0.0, y.dtype), g.constant(float(h - 1), y.dtype)],
               y.shape, y.dtype)
    x = g.node("Clip", [x, g.constant(0.0, x.dtype), g.constant(float(w - 1), x.dtype)],
               x.shape, x.dtype)
    plane = g.constant((_group_channels(od, a.group_size, p) * h * w)
                       .reshape(1, od, p, p, 1), np.int64)
    image = reshape(g, binary(g, "Mul", index, c * h * w), (r, 1, 1, 1, 1))
    base = binary(g, "Add", image, plane)
    flat = g.node("Reshape", [data, g.shape_constant((-1,))], (n * c * h * w,), data.dtype)
    value = _bilinear(g, flat, base, y, x, w)
    value = g.node("Where", [inside, value, g.constant(0.0, data.dtype)], value.shape,
                   data.dtype)
    total = g.node("ReduceSum", [value, g.constant([4], np.int64)], shape, data.dtype,
                   keepdims=0)
    count = g.node("ReduceSum", [g.node("Cast", [inside], inside.shape, data.dtype, to=1),
                                 g.constant([4], np.int64)], shape, data.dtype, keepdims=0)
    mean = binary(g, "Div", total, binary(g, "Max", count, g.constant(1.0, data.dtype)))
    none = g.node("Equal", [count, g.constant(0.0, data.dtype)], shape, np.bool_)
    return g.node("Where", [none, g.constant(0.0, data.dtype), mean], shape, data.dtype)


def _bilinear(g, flat, base, y, x, width):
    """MXNet's ``bilinear_interp_cpu`` at (y, x) inside the plane starting at ``base``:
    neighbours ``floor``/``ceil`` of each coordinate, weights from the floor, summed in
    MXNet's order."""
    y1, x1 = g.node("Floor", [y], y.shape, y.dtype), g.node("Floor", [x], x.shape, x.dtype)
    y2, x2 = g.node("Ceil", [y], y.shape, y.dtype), g.node("Ceil", [x], x.shape, x.dtype)
    dy, dx = binary(g, "Sub", y, y1), binary(g, "Sub", x, x1)
    one = g.constant(1.0, y.dtype)
    total = None
    for col, wx in ((x1, binary(g, "Sub", one, dx)), (x2, dx)):
        for row, wy in ((y1, binary(g, "Sub", one, dy)), (y2, dy)):
            pos = binary(g, "Add", binary(g, "Mul", row, float(width)), col)
            pos = binary(g, "Add", g.node("Cast", [pos], pos.shape, np.int64, to=7), base)
            value = g.node("Gather", [flat, pos], pos.shape, flat.dtype, axis=0)
            term = binary(g, "Mul", binary(g, "Mul", wx, wy), value)
            total = term if total is None else binary(g, "Add", total, term)
    return total
