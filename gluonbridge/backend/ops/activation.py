"""Activations and softmax: Activation, LeakyReLU (leaky, elu, selu, gelu, prelu), softmax,
log_softmax, SoftmaxActivation."""
from __future__ import annotations

from ...graph.attrs import Bool, Dtype, Float, Int, Str
from .common import reshape, same_shape
from .elementwise import gelu_erf, softsign_nodes
from .registry import op

_ACTIVATIONS = {"relu": "Relu", "sigmoid": "Sigmoid", "tanh": "Tanh", "softrelu": "Softplus"}


@op("Activation", "activation", "_npx_activation",
    attrs={"act_type": Str(required=True, choices=set(_ACTIVATIONS) | {"softsign"})},
    shape=same_shape)
def activation(g, a, data):
    if a.act_type == "softsign":
        return softsign_nodes(g, data)
    return g.node(_ACTIVATIONS[a.act_type], [data], data.shape, data.dtype)


def _prelu_weights(a, data, gamma=None):
    if a.act_type != "prelu":
        return {}
    return {"gamma": (gamma[0],) if gamma and gamma[0] > 0 else (data[1],)}


@op("LeakyReLU", "leaky_relu", "_npx_leaky_relu", inputs=("data", "gamma"),
    attrs={"act_type": Str("leaky", choices={"leaky", "elu", "selu", "gelu", "prelu"}),
           "slope": Float(0.25), "lower_bound": Float(0.125), "upper_bound": Float(0.334)},
    shape=same_shape, weights=_prelu_weights)
def leaky_relu(g, a, data, gamma=None):
    if a.act_type == "leaky":
        return g.node("LeakyRelu", [data], data.shape, data.dtype, alpha=float(a.slope))
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
                  "use_length": Bool(False, choices={False})}


@op("softmax", "_npx_softmax", attrs=_SOFTMAX_ATTRS, shape=same_shape)
def softmax(g, a, data):
    if a.temperature not in (None, 1.0):
        from .common import binary
        data = binary(g, "Div", data, float(a.temperature))
    return g.node("Softmax", [data], data.shape, data.dtype, axis=int(a.axis))


@op("log_softmax", "_npx_log_softmax", attrs=_SOFTMAX_ATTRS, shape=same_shape)
def log_softmax(g, a, data):
    return g.node("LogSoftmax", [data], data.shape, data.dtype, axis=int(a.axis))


@op("SoftmaxActivation", attrs={"mode": Str("instance", choices={"instance", "channel"})},
    shape=same_shape)
def softmax_activation(g, a, data):
    if a.mode == "instance" and data.ndim != 2:
        g.fail(f"mode='instance' on a {data.ndim}-d input")
    return g.node("Softmax", [data], data.shape, data.dtype, axis=1 if a.mode == "channel" else -1)
