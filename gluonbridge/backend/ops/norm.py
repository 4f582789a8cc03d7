"""Normalization: BatchNorm (inference: running statistics), LayerNorm, InstanceNorm, GroupNorm,
L2Normalization, LRN."""
from __future__ import annotations

import numpy as np

from ...graph.attrs import Bool, Float, Int, Str
from .common import binary, move_axis_to_1, reshape, restore_axis, same_shape
from .registry import Unsupported, op


def _axis(axis, data):
    if not -len(data) <= axis < len(data):
        raise Unsupported(f"axis={axis} for a {len(data)}-d input")
    return axis % len(data)


def _fix_gamma(a, params):
    """MXNet overwrites gamma with ones on every forward when ``fix_gamma`` (inference too)."""
    gamma = params.get("gamma")
    if a.fix_gamma and gamma is not None:
        gamma.set_data(np.ones(gamma.raw_shape, dtype=gamma.array().dtype))


@op("BatchNorm", "batch_norm", "_npx_batch_norm", "BatchNorm_v1", "SyncBatchNorm",
    "_contrib_SyncBatchNorm",
    inputs=("data", "gamma", "beta", "moving_mean", "moving_var"),
    aux=("moving_mean", "moving_var"), num_outputs=3,
    attrs={"eps": Float(1e-3), "momentum": Float(0.9), "fix_gamma": Bool(True),
           "use_global_stats": Bool(False), "axis": Int(1),
           "output_mean_var": Bool(False, choices={False}),
           # 2.0.0b1 writes these (for its quantized fusion) on every BatchNorm
           "min_calib_range": Float(None), "max_calib_range": Float(None)},
    weights=lambda a, data, *_: dict.fromkeys(("gamma", "beta", "moving_mean", "moving_var"),
                                              (data[_axis(a.axis, data)],)),
    shape=same_shape, at_trace=_fix_gamma)
def batch_norm(g, a, data, gamma, beta, moving_mean, moving_var):
    """Inference batch norm (running statistics). The defaults are the MXNet *op*'s (eps 1e-3,
    fix_gamma True), which apply to symbol files without those attributes; Gluon's BatchNorm
    passes its own. ``fix_gamma`` ignores the stored gamma."""
    axis = a.axis % data.ndim
    channels = (data.shape[axis],)
    if a.fix_gamma:
        gamma = g.constant(np.ones(channels), dtype=data.dtype)
    perm = None
    if axis != 1:
        perm, data = move_axis_to_1(g, data, axis)
    out = g.node("BatchNormalization", [data, gamma, beta, moving_mean, moving_var], data.shape,
                 data.dtype, epsilon=float(a.eps))
    return restore_axis(g, out, perm) if perm else out


@op("LayerNorm", "layer_norm", "_npx_layer_norm", inputs=("data", "gamma", "beta"), num_outputs=3,
    attrs={"axis": Int(-1), "eps": Float(1e-5), "output_mean_var": Bool(False, choices={False})},
    weights=lambda a, data, *_: dict.fromkeys(("gamma", "beta"), (data[_axis(a.axis, data)],)),
    shape=same_shape)
def layer_norm(g, a, data, gamma, beta):
    """MXNet normalizes over one axis; ONNX LayerNormalization over ``axis..end``, so a
    non-last axis is moved last and back."""
    axis = a.axis % data.ndim
    perm = None
    if axis != data.ndim - 1:
        perm = [i for i in range(data.ndim) if i != axis] + [axis]
        data = g.node("Transpose", [data], tuple(data.shape[i] for i in perm), data.dtype,
                      perm=perm)
    out = g.node("LayerNormalization", [data, gamma, beta], data.shape, data.dtype, axis=-1,
                 epsilon=float(a.eps))
    return restore_axis(g, out, perm) if perm else out


@op("InstanceNorm", "instance_norm", "_npx_instance_norm", inputs=("data", "gamma", "beta"),
    num_outputs=3,
    attrs={"eps": Float(1e-3)},
    weights=lambda a, data, *_: dict.fromkeys(("gamma", "beta"), (data[1],)),
    shape=same_shape)
def instance_norm(g, a, data, gamma, beta):
    return g.node("InstanceNormalization", [data, gamma, beta], data.shape, data.dtype,
                  epsilon=float(a.eps))


def _group_norm_weights(a, data, gamma=None, beta=None):
    """MXNet 1.9.1 keeps one gamma/beta per group, 2.0 one per channel; a parameter of known
    shape says which, a deferred one is per channel."""
    if a.num_groups < 1 or data[1] % a.num_groups:
        raise Unsupported(f"num_groups={a.num_groups} for {data[1]} channels")
    known = gamma if gamma is not None else beta
    size = known[0] if known is not None and known[0] in (a.num_groups, data[1]) else data[1]
    return dict.fromkeys(("gamma", "beta"), (size,))


@op("GroupNorm", "group_norm", "_npx_group_norm", inputs=("data", "gamma", "beta"),
    num_outputs=3,
    attrs={"num_groups": Int(1), "eps": Float(1e-5),
           "output_mean_var": Bool(False, choices={False})},
    weights=_group_norm_weights, shape=same_shape)
def group_norm(g, a, data, gamma, beta):
    """Normalize each group of ``C / num_groups`` channels (and all positions) by its mean and
    (biased) variance, then ``gamma``/``beta`` per group or per channel (their length)."""
    n, c = data.shape[:2]
    groups = a.num_groups
    rest = int(np.prod(data.shape[1:])) // groups
    # 0 keeps the batch dimension symbolic
    flat = g.node("Reshape", [data, g.constant([0, groups, -1], np.int64)], (n, groups, rest),
                  data.dtype)
    mean = g.node("ReduceMean", [flat], (n, groups, 1), data.dtype, axes=[2], keepdims=1)
    centred = binary(g, "Sub", flat, mean)
    var = g.node("ReduceMean", [binary(g, "Mul", centred, centred)], (n, groups, 1),
                 data.dtype, axes=[2], keepdims=1)
    std = g.node("Sqrt", [binary(g, "Add", var, float(a.eps))], var.shape, data.dtype)
    normed = binary(g, "Div", centred, std)
    if gamma.shape[0] == groups and groups != c:
        scale = reshape(g, gamma, (groups, 1))
        shift = reshape(g, beta, (groups, 1))
        out = binary(g, "Add", binary(g, "Mul", normed, scale), shift)
        return g.node("Reshape", [out, g.shape_constant(data.shape)], data.shape, data.dtype)
    out = g.node("Reshape", [normed, g.shape_constant(data.shape)], data.shape, data.dtype)
    trailing = (c,) + (1,) * (data.ndim - 2)
    return binary(g, "Add", binary(g, "Mul", out, reshape(g, gamma, trailing)),
                  reshape(g, beta, trailing))


_L2_AXES = {"instance": lambda nd: list(range(1, nd)), "channel": lambda nd: [1],
            "spatial": lambda nd: list(range(2, nd))}


@op("L2Normalization",
    attrs={"mode": Str("instance", choices=set(_L2_AXES)), "eps": Float(1e-10)},
    shape=same_shape, num_outputs=2)
def l2_normalization(g, a, data):
    """``x / sqrt(sum(x^2) + eps)`` over every axis but the batch (instance), over axis 1
    (channel) or over the axes after 1 (spatial)."""
    axes = _L2_AXES[a.mode](data.ndim)
    if a.mode != "instance" and data.ndim < (2 if a.mode == "channel" else 3):
        g.fail(f"mode={a.mode!r} on a {data.ndim}-d input")
    if not axes:       # a 1-d input: MXNet normalizes each element alone
        total = binary(g, "Mul", data, data)
        return binary(g, "Div", data, g.node("Sqrt", [binary(g, "Add", total, float(a.eps))],
                                             data.shape, data.dtype))
    kept = tuple(1 if i in axes else d for i, d in enumerate(data.shape))
    total = g.node("ReduceSumSquare", [data], kept, data.dtype, axes=axes, keepdims=1)
    norm = g.node("Sqrt", [binary(g, "Add", total, float(a.eps))], kept, data.dtype)
    return binary(g, "Div", data, norm)


@op("LRN",
    attrs={"nsize": Int(required=True), "alpha": Float(1e-4), "beta": Float(0.75),
           "knorm": Float(2.0)},
    shape=same_shape, num_outputs=2)
def lrn(g, a, data):
    """MXNet's ``x (knorm + alpha / nsize * sum over the nsize channels around of x^2)
    ^ -beta`` (odd sizes). ONNX LRN means the same, but the reference evaluator's LRN is off
    by 1e-2, so the window sum is an AveragePool over the channels of ``x^2`` times nsize."""
    if a.nsize % 2 == 0 or data.ndim < 3:
        g.fail(f"nsize={a.nsize} on a {data.ndim}-d input (odd sizes on (N, C, ...) only)")
    n, c = data.shape[:2]
    rest = int(np.prod(data.shape[2:]))
    square = binary(g, "Mul", data, data)
    square = g.node("Reshape", [square, g.constant([0, 1, c, rest], np.int64)], (n, 1, c, rest),
                    data.dtype)
    half = a.nsize // 2
    mean = g.node("AveragePool", [square], square.shape, data.dtype, kernel_shape=[a.nsize, 1],
                  pads=[half, 0, half, 0], count_include_pad=1)
    mean = g.node("Reshape", [mean, g.shape_constant(data.shape)], data.shape, data.dtype)
    base = binary(g, "Add", binary(g, "Mul", mean, float(a.alpha)), float(a.knorm))
    return binary(g, "Mul", data, binary(g, "Pow", base, -float(a.beta)))
