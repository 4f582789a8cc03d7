"""Normalization: BatchNorm (inference: running statistics), LayerNorm, InstanceNorm."""
from __future__ import annotations

import numpy as np

from ...graph.attrs import Bool, Float, Int
from .common import move_axis_to_1, restore_axis, same_shape
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
