"""Resampling and region ops: UpSampling, _contrib_BilinearResize2D,
_contrib_AdaptiveAvgPooling2D, _contrib_ROIAlign, ROIPooling.

Resizes and adaptive pools of a static spatial shape are linear maps along H and W: they lower
to ``A_h @ x @ A_w^T`` with the interpolation (or window-mean) matrices computed here from
MXNet's own index rules, which both backends compute alike (ONNX Resize's coordinate modes and
the reference evaluator's Resize differ from MXNet in edge handling).
"""
from __future__ import annotations

import math

import numpy as np

from ...graph.attrs import Bool, Float, Int, Ints, Str
from .common import FLT_MAX, binary
from .registry import Unsupported, op


def _spatial_map(g, data, rows, cols):
    """``rows @ data @ cols^T`` over the last two axes (rows: (out_h, H), cols: (out_w, W))."""
    n, c, h, w = data.shape
    out_h, out_w = rows.shape[0], cols.shape[0]
    right = g.node("MatMul", [data, g.constant(cols.T.astype(np.float32), data.dtype)],
                   (n, c, h, out_w), data.dtype)
    return g.node("MatMul", [g.constant(rows.astype(np.float32), data.dtype), right],
                  (n, c, out_h, out_w), data.dtype)


# ---------------------------------------------------------------- UpSampling

def _upsampling_shape(a, *shapes):
    if any(len(s) != 4 for s in shapes if s is not None):
        raise Unsupported("an input that is not 4-d (N, C, H, W)")
    data = shapes[0]
    out_hw = (data[2] * a.scale, data[3] * a.scale)
    if a.sample_type == "bilinear":
        return (data[0], data[1]) + out_hw
    for s in shapes:
        # MXNet scales each input by out_h / h on both axes
        if out_hw[0] % s[2] or out_hw[0] // s[2] * s[3] != out_hw[1]:
            raise Unsupported(f"an input of shape {tuple(s)} that does not scale to the output "
                              f"size {out_hw}")
    channels = sum(s[1] for s in shapes) if a.multi_input_mode == "concat" else data[1]
    if a.multi_input_mode == "sum" and any(s[1] != data[1] for s in shapes):
        raise Unsupported("multi_input_mode='sum' over inputs with different channels")
    return (data[0], channels) + out_hw


def _bilinear_kernel(scale):
    return 2 * scale - scale % 2


def _upsampling_weights(a, data, *_):
    if a.sample_type != "bilinear":
        return {}
    k = _bilinear_kernel(a.scale)
    return {"arg1": (data[1], 1, k, k)}


@op("UpSampling", inputs="*data",
    attrs={"scale": Int(required=True), "sample_type": Str(required=True,
                                                            choices={"nearest", "bilinear"}),
           "num_filter": Int(0), "multi_input_mode": Str("concat", choices={"concat", "sum"})},
    shape=_upsampling_shape, weights=_upsampling_weights)
def upsampling(g, a, *inputs):
    """nearest: every input repeated to ``scale`` times the first input's size, then
    concatenated along the channels (or summed); bilinear: MXNet's Deconvolution with the
    weight input (kernel ``2s - s % 2``, stride ``s``, pad ``ceil((s - 1) / 2)``, one group per
    channel, no bias)."""
    data = inputs[0]
    out = _upsampling_shape(a, *[v.shape for v in inputs])
    if a.sample_type == "bilinear":
        if len(inputs) != 2:
            g.fail(f"bilinear sampling with {len(inputs)} inputs (data and weight expected)")
        k, s = _bilinear_kernel(a.scale), a.scale
        p = int(math.ceil((s - 1) / 2.0))
        channels = data.shape[1]
        return g.node("ConvTranspose", [data, inputs[1]], out, data.dtype, kernel_shape=[k, k],
                      strides=[s, s], pads=[p] * 4, group=channels)
    parts = [_nearest(g, v, out[2] // v.shape[2], out[3] // v.shape[3]) for v in inputs]
    if len(parts) == 1:
        return parts[0]
    if a.multi_input_mode == "concat":
        return g.node("Concat", parts, out, data.dtype, axis=1)
    total = parts[0]
    for part in parts[1:]:
        total = binary(g, "Add", total, part)
    return total


def _nearest(g, data, sh, sw):
    """Each pixel repeated ``sh`` x ``sw`` times (exact: a gather along each axis)."""
    n, c, h, w = data.shape
    if sh != 1:
        data = g.node("Gather", [data, g.constant(np.arange(h * sh) // sh, np.int64)],
                      (n, c, h * sh, w), data.dtype, axis=2)
    if sw != 1:
        data = g.node("Gather", [data, g.constant(np.arange(w * sw) // sw, np.int64)],
                      (n, c, h * sh, w * sw), data.dtype, axis=3)
    return data


# ---------------------------------------------------------------- BilinearResize2D

_RESIZE_MODES = {"size", "odd_scale", "like", "to_even_down", "to_even_up", "to_odd_down",
                 "to_odd_up"}


def _resize_size(a, data, like=None):
    """MXNet 1.9.1's output (height, width) (float32 scales, truncated)."""
    h, w = data[2], data[3]
    f32 = np.float32
    if a.mode == "size":
        if a.scale_height is not None:
            if a.scale_width is None:
                raise Unsupported("scale_height without scale_width")
            return int(f32(a.scale_height) * f32(h)), int(f32(a.scale_width) * f32(w))
        return a.height, a.width
    if a.mode == "odd_scale":
        if a.scale_height is None or a.scale_width is None:
            raise Unsupported("mode='odd_scale' without scale_height and scale_width")
        return tuple(int(f32(x) * f32(s)) if x % 2 == 0 else int(f32(x - 1) * f32(s)) + 1
                     for x, s in ((h, a.scale_height), (w, a.scale_width)))
    if a.mode == "like":
        if like is None or len(like) != 4:
            raise Unsupported("mode='like' without a 4-d like input")
        return like[2], like[3]
    even = a.mode.startswith("to_even")
    step = 1 if a.mode.endswith("up") else -1
    return tuple(x if (x % 2 == 0) == even else x + step for x in (h, w))


def _resize_shape(a, data, like=None):
    if len(data) != 4:
        raise Unsupported(f"a {len(data)}-d input")
    out = _resize_size(a, data, like)
    if min(out) < 1:
        raise Unsupported(f"an output size {out}")
    return (data[0], data[1]) + tuple(out)


def _bilinear_matrix(size_in, size_out, align_corners):
    """MXNet's bilinear weights along one axis as a (size_out, size_in) matrix."""
    m = np.zeros((size_out, size_in), np.float64)
    for i in range(size_out):
        if align_corners:
            ratio = (size_in - 1) / (size_out - 1) if size_out > 1 else 0.0
            src = ratio * i
        else:
            src = max((i + 0.5) * size_in / size_out - 0.5, 0.0)
        low = int(src)
        step = 1 if low < size_in - 1 else 0
        frac = src - low
        m[i, low] += 1.0 - frac
        m[i, low + step] += frac
    return m


@op("_contrib_BilinearResize2D", "BilinearResize2D", inputs=("data", "like"),
    attrs={"height": Int(1), "width": Int(1), "scale_height": Float(None),
           "scale_width": Float(None), "mode": Str("size", choices=_RESIZE_MODES),
           "align_corners": Bool(True)},
    shape=_resize_shape)
def bilinear_resize(g, a, data, like=None):
    """``align_corners`` (MXNet's default) maps the corners onto each other; otherwise the
    half-pixel rule with negative source coordinates clamped to 0."""
    out = _resize_shape(a, data.shape, like.shape if like is not None else None)
    return _spatial_map(g, data, _bilinear_matrix(data.shape[2], out[2], a.align_corners),
                        _bilinear_matrix(data.shape[3], out[3], a.align_corners))


# ---------------------------------------------------------------- AdaptiveAvgPooling2D

def _adaptive_size(a, data):
    if len(data) != 4:
        raise Unsupported(f"a {len(data)}-d input")
    size = a.output_size or (1,)
    if len(size) == 1:
        size = size * 2
    if len(size) != 2:
        raise Unsupported(f"output_size={a.raw.get('output_size')!r}")
    return size


def _window_matrix(size_in, size_out):
    """Window means along one axis: window i is ``[floor(i in / out), ceil((i + 1) in / out))``."""
    m = np.zeros((size_out, size_in), np.float64)
    for i in range(size_out):
        start = (i * size_in) // size_out
        end = -((-(i + 1) * size_in) // size_out)
        m[i, start:end] = 1.0 / (end - start)
    return m


@op("_contrib_AdaptiveAvgPooling2D", "AdaptiveAvgPooling2D",
    attrs={"output_size": Ints(())},
    shape=lambda a, data: tuple(data[:2]) + tuple(_adaptive_size(a, data)))
def adaptive_avg_pooling(g, a, data):
    oh, ow = _adaptive_size(a, data.shape)
    return _spatial_map(g, data, _window_matrix(data.shape[2], oh),
                        _window_matrix(data.shape[3], ow))


# ---------------------------------------------------------------- ROIAlign, ROIPooling

def _roi_shape(a, data, rois):
    if len(data) != 4 or len(rois) != 2 or rois[1] != 5:
        raise Unsupported(f"data {tuple(data)} with rois {tuple(rois)} (need 4-d data and "
                          "(R, 5) rois)")
    ph, pw = a.pooled_size if len(a.pooled_size) == 2 else a.pooled_size * 2
    return (rois[0], data[1], ph, pw)


def _split_rois(g, rois):
    """(batch indices as int64 (R,), boxes (R, 4))."""
    r = rois.shape[0]
    index = g.node("Slice", [rois, g.constant([0], np.int64), g.constant([1], np.int64),
                             g.constant([1], np.int64)], (r, 1), rois.dtype)
    index = g.node("Squeeze", [index, g.constant([1], np.int64)], (r,), rois.dtype)
    index = g.node("Cast", [index], (r,), np.int64, to=7)
    boxes = g.node("Slice", [rois, g.constant([1], np.int64), g.constant([5], np.int64),
                             g.constant([1], np.int64)], (r, 4), rois.dtype)
    return index, boxes


@op("_contrib_ROIAlign", "ROIAlign", inputs=("data", "rois"),
    attrs={"pooled_size": Ints(required=True), "spatial_scale": Float(required=True),
           "sample_ratio": Int(-1), "position_sensitive": Bool(False, choices={False}),
           "aligned": Bool(False)},
    shape=_roi_shape)
def roi_align(g, a, data, rois):
    """ONNX RoiAlign (avg) is MXNet's: bins of ``roi / pooled``, ``sample_ratio`` (or
    ``ceil(roi / pooled)`` when <= 0) samples per bin side, bilinear samples (0 beyond one
    pixel outside), ``aligned`` = the half-pixel shift; unaligned rois at least 1 pixel. A roi
    whose batch index is negative (the -1 rows GluonCV's FPN detectors pad their proposals
    with) gives zeros, as MXNet documents (ONNX refuses the index: it reads sample 0)."""
    index, boxes = _split_rois(g, rois)
    out = _roi_shape(a, data.shape, rois.shape)
    zero = g.constant(0, np.int64)
    pooled = g.node("RoiAlign", [data, boxes, g.node("Max", [index, zero], index.shape,
                                                            np.int64)],
                    out, data.dtype, mode="avg", output_height=out[2], output_width=out[3],
                    sampling_ratio=max(int(a.sample_ratio), 0),
                    spatial_scale=float(a.spatial_scale),
                    coordinate_transformation_mode="half_pixel" if a.aligned
                    else "output_half_pixel")
    ignored = _unsqueeze(g, g.node("Less", [index, zero], index.shape, np.bool_), [1, 2, 3])
    return g.node("Where", [ignored, g.constant(0.0, data.dtype), pooled], out, data.dtype)


def _unsqueeze(g, value, axes):
    shape = list(value.shape)
    for axis in sorted(axes):
        shape.insert(axis, 1)
    return g.node("Unsqueeze", [value, g.constant(list(axes), np.int64)], tuple(shape),
                  value.dtype)


def _c_round(g, x):
    """C ``round`` (half away from zero; ONNX Round is half to even)."""
    up = g.node("Floor", [binary(g, "Add", g.node("Abs", [x], x.shape, x.dtype), 0.5)],
                x.shape, x.dtype)
    return binary(g, "Mul", up, g.node("Sign", [x], x.shape, x.dtype))


def _roi_bins(g, start, end, pooled, size):
    """(bin starts, bin ends) of shape (R, pooled) for roi corners ``start``/``end`` (R, 1),
    MXNet's ROIPooling rule: length ``max(end - start + 1, 1)``, bin ``length / pooled``,
    ``[floor(i bin), ceil((i + 1) bin))`` shifted by ``start`` and clipped to ``[0, size]``."""
    r = start.shape[0]
    length = binary(g, "Max", binary(g, "Add", binary(g, "Sub", end, start), 1.0),
                    g.constant(1.0, start.dtype))
    step = binary(g, "Div", length, float(pooled))
    index = g.constant(np.arange(pooled, dtype=np.float32).reshape(1, pooled))
    lo = g.node("Floor", [binary(g, "Mul", index, step)], (r, pooled), start.dtype)
    hi = g.node("Ceil", [binary(g, "Mul", binary(g, "Add", index, 1.0), step)], (r, pooled),
                start.dtype)
    zero, top = g.constant(0.0, start.dtype), g.constant(float(size), start.dtype)
    lo = g.node("Clip", [binary(g, "Add", lo, start), zero, top], (r, pooled), start.dtype)
    hi = g.node("Clip", [binary(g, "Add", hi, start), zero, top], (r, pooled), start.dtype)
    return lo, hi


def _bin_mask(g, lo, hi, size):
    """(R, pooled, size): position inside the bin."""
    pos = g.constant(np.arange(size, dtype=np.float32).reshape(1, 1, size))
    lo3, hi3 = _unsqueeze(g, lo, [2]), _unsqueeze(g, hi, [2])
    shape = lo.shape + (size,)
    return g.node("And", [g.node("GreaterOrEqual", [pos, lo3], shape, np.bool_),
                          g.node("Less", [pos, hi3], shape, np.bool_)], shape, np.bool_)


@op("ROIPooling", "roi_pooling", "_npx_roi_pooling", inputs=("data", "rois"),
    attrs={"pooled_size": Ints(required=True), "spatial_scale": Float(required=True)},
    shape=_roi_shape)
def roi_pooling(g, a, data, rois):
    """MXNet's ROIPooling by explicit ops (the reference evaluator has no MaxRoiPool): roi
    corners ``round(x * spatial_scale)``, each bin the max over its window (masked with
    -FLT_MAX, first along W then along H), an empty bin 0."""
    n, c, h, w = data.shape
    r, _, ph, pw = _roi_shape(a, data.shape, rois.shape)
    index, boxes = _split_rois(g, rois)
    corners = _c_round(g, binary(g, "Mul", boxes, float(a.spatial_scale)))
    cols = [g.node("Slice", [corners, g.constant([i], np.int64), g.constant([i + 1], np.int64),
                             g.constant([1], np.int64)], (r, 1), data.dtype) for i in range(4)]
    h_lo, h_hi = _roi_bins(g, cols[1], cols[3], ph, h)
    w_lo, w_hi = _roi_bins(g, cols[0], cols[2], pw, w)
    feat = g.node("Gather", [data, index], (r, c, h, w), data.dtype, axis=0)
    low = g.constant(-FLT_MAX, data.dtype)
    mask_w = _unsqueeze(g, _bin_mask(g, w_lo, w_hi, w), [1, 2])          # (R, 1, 1, PW, W)
    cut = g.node("Where", [mask_w, _unsqueeze(g, feat, [3]), low], (r, c, h, pw, w),
                 data.dtype)
    cut = g.node("ReduceMax", [cut], (r, c, h, pw), data.dtype, axes=[4], keepdims=0)
    mask_h = _unsqueeze(g, _bin_mask(g, h_lo, h_hi, h), [1, 4])          # (R, 1, PH, H, 1)
    cut = g.node("Where", [mask_h, _unsqueeze(g, cut, [2]), low], (r, c, ph, h, pw), data.dtype)
    out = g.node("ReduceMax", [cut], (r, c, ph, pw), data.dtype, axes=[3], keepdims=0)
    empty_h = g.node("LessOrEqual", [h_hi, h_lo], (r, ph), np.bool_)
    empty_w = g.node("LessOrEqual", [w_hi, w_lo], (r, pw), np.bool_)
    empty = g.node("Or", [_unsqueeze(g, empty_h, [1, 3]), _unsqueeze(g, empty_w, [1, 2])],
                   (r, 1, ph, pw), np.bool_)
    return g.node("Where", [empty, g.constant(0.0, data.dtype), out], (r, c, ph, pw),
                  data.dtype)
