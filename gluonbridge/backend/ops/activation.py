"""Activations and softmax: Activation, LeakyReLU (leaky, elu, selu, gelu, prelu, rrelu),
softmax, log_softmax, softmin, SoftmaxActivation."""
from __future__ import annotations

import numpy as np

from ...graph.attrs import Bool, Dtype, Float, Int, Str
from .common import FLT_MAX, binary, reshape, same_shape
from .elementwise import gelu_erf, softsign_nodes
from .registry import Unsupported, op

_ACTIVATIONS = {"relu": "Relu", "sigmoid": "Sigmoid", "tanh": "Tanh", "softrelu": "Softplus"}


def _unary(g, onnx_op, data):
    return g.node(onnx_op, [data], data.shape, data.dtype)


@op("Activation", "activation", "_npx_activation",
    attrs={"act_type": Str(required=True, choices=set(_ACTIVATIONS) | {
        "softsign", "log_sigmoid", "mish"})},
    shape=same_shape)
def activation(g, a, data):
    """``log_sigmoid`` (``-softplus(-x)``) and ``mish`` (``x tanh(softplus(x))``) exist from
    MXNet 2.0."""
    if a.act_type == "softsign":
        return softsign_nodes(g, data)
    if a.act_type == "log_sigmoid":
        return _unary(g, "Neg", _unary(g, "Softplus", _unary(g, "Neg", data)))
    if a.act_type == "mish":
        return binary(g, "Mul", data, _unary(g, "Tanh", _unary(g, "Softplus", data)))
    return _unary(g, _ACTIVATIONS[a.act_type], data)


def _prelu_weights(a, data, gamma=None):
    if a.act_type != "prelu":
        return {}
    return {"gamma": (gamma[0],) if gamma and gamma[0] > 0 else (data[1],)}


@op("LeakyReLU", "leaky_relu", "_npx_leaky_relu", inputs=("data", "gamma"),
    attrs={"act_type": Str("leaky", choices={"leaky", "elu", "selu", "gelu", "prelu", "rrelu"}),
           "slope": Float(0.25), "lower_bound": Float(0.125), "upper_bound": Float(0.334)},
    shape=lambda a, data, *_: [data, data] if a.act_type == "rrelu" else data,
    weights=_prelu_weights,
    # rrelu also outputs its (training) mask
    num_outputs=lambda raw: 2 if raw.get("act_type") == "rrelu" else 1)
def leaky_relu(g, a, data, gamma=None):
    """rrelu at inference is leaky with the mean slope ``(lower_bound + upper_bound) / 2``; its
    second output, the training mask, MXNet leaves unwritten at inference (whatever the memory
    held): it is lowered as zeros."""
    if a.act_type == "leaky":
        return g.node("LeakyRelu", [data], data.shape, data.dtype, alpha=float(a.slope))
    if a.act_type == "rrelu":
        slope = (a.lower_bound + a.upper_bound) / 2.0
        out = g.node("LeakyRelu", [data], data.shape, data.dtype, alpha=float(slope))
        return [out, binary(g, "Mul", data, 0.0)]
    if a.act_type == "elu":
        return g.node("Elu", [data], data.shape, data.dtype, alpha=float(a.slope))
    if a.act_type == "selu":
        return g.node("Selu", [data], data.shape, data.dtype)
    if a.act_type == "gelu":
        return gelu_erf(g, data)
    # prelu: MXNet broadcasts the slope along axis 1; ONNX PRelu broadcasts trailing axes
    channels = gamma.shape[0]
    trailing = (channels,) + (1,) * max(data.ndim - 2, 0)
    slope = reshape(g, gamma, trailing if channels > 1 else (1,))
    return g.node("PRelu", [data, slope], data.shape, data.dtype)


_SOFTMAX_ATTRS = {"axis": Int(-1), "temperature": Float(None), "dtype": Dtype(None),
                  "use_length": Bool(False)}


def _softmax_shape(a, data, length=None):
    if not -len(data) <= a.axis < len(data):
        raise Unsupported(f"axis={a.axis} for a {len(data)}-d input")
    if a.use_length:
        axis = a.axis % len(data)
        if axis == 0:
            raise Unsupported("use_length along axis 0 (the batch axis)")
        if length is None or tuple(length) != tuple(data[:axis]) + tuple(data[axis + 1:]):
            raise Unsupported(f"use_length with a length input of shape {length} for data "
                              f"{tuple(data)} along axis {a.axis}")
    return data


def _softmax_dtype(a, data, length=None):
    return a.dtype if a.dtype is not None else data


def _softmax_nodes(g, a, data, length, negate=False, log=False):
    """MXNet's softmax family: ``x / temperature`` (negated for softmin) in the output dtype;
    with ``use_length`` the positions at or past ``length`` along the axis are 0 (and a row of
    length 0 is all 0)."""
    axis = a.axis % data.ndim
    if a.dtype is not None and a.dtype != data.dtype:
        data = g.node("Cast", [data], data.shape, a.dtype, to=_onnx_dtype(a.dtype))
    if a.temperature not in (None, 1.0):
        data = binary(g, "Div", data, float(a.temperature))
    if negate:
        data = _unary(g, "Neg", data)
    if not a.use_length:
        return g.node("LogSoftmax" if log else "Softmax", [data], data.shape, data.dtype,
                      axis=axis)
    steps = np.arange(data.shape[axis], dtype=np.float32).reshape(
        [data.shape[axis] if i == axis else 1 for i in range(data.ndim)])
    length = g.node("Cast", [length], length.shape, np.float32, to=1)
    length = g.node("Unsqueeze", [length, g.constant([axis], np.int64)],
                    length.shape[:axis] + (1,) + length.shape[axis:], np.float32)
    mask = g.node("Less", [g.constant(steps), length], data.shape, np.bool_)
    kept = g.node("Where", [mask, data, g.constant(-FLT_MAX, data.dtype)], data.shape,
                  data.dtype)
    out = g.node("Softmax", [kept], data.shape, data.dtype, axis=axis)
    return g.node("Where", [mask, out, g.constant(0.0, data.dtype)], data.shape, data.dtype)


def _onnx_dtype(dtype):
    from onnx import helper
    return helper.np_dtype_to_tensor_dtype(np.dtype(dtype))


@op("softmax", "_npx_softmax", inputs=("data", "length"), uniform=False, attrs=_SOFTMAX_ATTRS,
    shape=_softmax_shape, dtype=_softmax_dtype)
def softmax(g, a, data, length=None):
    return _softmax_nodes(g, a, data, length)


@op("softmin", inputs=("data", "length"), uniform=False, attrs=_SOFTMAX_ATTRS,
    shape=_softmax_shape, dtype=_softmax_dtype)
def softmin(g, a, data, length=None):
    return _softmax_nodes(g, a, data, length, negate=True)


@op("log_softmax", "_npx_log_softmax", attrs=dict(_SOFTMAX_ATTRS, use_length=Bool(
    False, choices={False})), shape=_softmax_shape, dtype=_softmax_dtype)
def log_softmax(g, a, data):
    """MXNet 1.9.1's log_softmax takes no length input."""
    return _softmax_nodes(g, a, data, None, log=True)


@op("SoftmaxActivation", attrs={"mode": Str("instance", choices={"instance", "channel"})},
    shape=same_shape)
def softmax_activation(g, a, data):
    """``instance``: over the last axis (MXNet flattens to (rows, last)); ``channel``: over
    axis 1."""
    return g.node("Softmax", [data], data.shape, data.dtype,
                  axis=1 if a.mode == "channel" else data.ndim - 1)
