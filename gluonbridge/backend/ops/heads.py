"""Training heads at inference, as MXNet 1.9.1 computes their forward: SoftmaxOutput (softmax),
LinearRegressionOutput / MAERegressionOutput / SVMOutput (identity), LogisticRegressionOutput
(sigmoid), MakeLoss / make_loss (identity; gradient attributes such as ``grad_scale`` change
nothing forward), IdentityAttachKLSparseReg (identity: its sparseness penalty and its
``moving_avg`` auxiliary state only enter the gradient). BlockGrad is in :mod:`.elementwise`.

A head's ``label`` input only matters for the gradient: :func:`without_labels` drops it from a
graph, so a symbol file's ``softmax_label`` need not be fed nor loaded.
"""
from __future__ import annotations

import numpy as np

from ...graph.attrs import Bool, Float, Str
from .common import reshape, same_shape
from .registry import OPS, op

_LOSS_ATTRS = {"grad_scale": Float(1.0)}


def _softmax_label(a, data, label=None):
    """The label shape MXNet infers: (n, ...) without axis 1 (multi_output), the data without
    its last axis (preserve_shape), else (n,)."""
    if data is None:
        return {}
    if a.multi_output:
        return {"label": (data[0],) + tuple(data[2:])}
    return {"label": tuple(data[:-1]) if a.preserve_shape else (data[0],)}


def _same_label(a, data, label=None):
    return {"label": tuple(data)} if data is not None else {}


@op("SoftmaxOutput", "Softmax", inputs=("data", "label"),
    attrs={"grad_scale": Float(1.0), "ignore_label": Float(-1.0), "multi_output": Bool(False),
           "use_ignore": Bool(False), "preserve_shape": Bool(False),
           "normalization": Str("null", choices={"null", "batch", "valid"}),
           "out_grad": Bool(False), "smooth_alpha": Float(0.0)},
    shape=same_shape, weights=_softmax_label)
def softmax_output(g, a, data, label=None):
    """``multi_output``: softmax over axis 1 of (n, c, ...); ``preserve_shape``: over the last
    axis; otherwise over all axes but the first (the data seen as (n, -1)), except on 4-d
    float32 data, where MXNet 1.9.1's oneDNN kernel takes the last axis."""
    if a.multi_output:
        return g.node("Softmax", [data], data.shape, data.dtype, axis=1)
    if a.preserve_shape or data.ndim <= 2 or (data.ndim == 4 and data.dtype == np.float32):
        return g.node("Softmax", [data], data.shape, data.dtype, axis=-1)
    size = int(np.prod(data.shape[1:]))
    flat = g.node("Flatten", [data], (data.shape[0], size), data.dtype, axis=1)
    out = g.node("Softmax", [flat], flat.shape, data.dtype, axis=-1)
    return reshape(g, out, data.shape)


@op("LinearRegressionOutput", inputs=("data", "label"), attrs=_LOSS_ATTRS, shape=same_shape,
    weights=_same_label)
def linear_regression_output(g, a, data, label=None):
    return data


@op("MAERegressionOutput", inputs=("data", "label"), attrs=_LOSS_ATTRS, shape=same_shape,
    weights=_same_label)
def mae_regression_output(g, a, data, label=None):
    return data


@op("LogisticRegressionOutput", inputs=("data", "label"), attrs=_LOSS_ATTRS, shape=same_shape,
    weights=_same_label)
def logistic_regression_output(g, a, data, label=None):
    return g.node("Sigmoid", [data], data.shape, data.dtype)


def _svm_label(a, data, label=None):
    """SVMOutput's label: the data's shape without its last axis."""
    return {"label": tuple(data[:-1])} if data is not None else {}


@op("SVMOutput", inputs=("data", "label"),
    attrs={"margin": Float(1.0), "regularization_coefficient": Float(1.0),
           "use_linear": Bool(False)},
    shape=same_shape, weights=_svm_label)
def svm_output(g, a, data, label=None):
    return data


@op("MakeLoss", attrs={"grad_scale": Float(1.0), "valid_thresh": Float(0.0),
                       "normalization": Str("null", choices={"null", "batch", "valid"})},
    shape=same_shape)
def make_loss(g, a, data):
    return data


@op("make_loss", shape=same_shape)
def make_loss_nnvm(g, a, data):
    return data


def _moving_avg(a, data, moving_avg=None):
    """The auxiliary state: one running mean per channel (axis 1)."""
    return {"moving_avg": (data[1],)} if data is not None and len(data) > 1 else {}


@op("IdentityAttachKLSparseReg", inputs=("data", "moving_avg"), aux=("moving_avg",),
    attrs={"sparseness_target": Float(0.1), "penalty": Float(0.001), "momentum": Float(0.9)},
    shape=same_shape, weights=_moving_avg)
def identity_attach_kl_sparse_reg(g, a, data, moving_avg=None):
    return data


LABELLED = ("SoftmaxOutput", "LinearRegressionOutput", "MAERegressionOutput",
            "LogisticRegressionOutput", "SVMOutput")


def label_variables(graph) -> set:
    """Names of the variables that only feed the ``label`` input of training heads."""
    labels, other = set(), set()
    for node in graph.nodes:
        entry = OPS.get(node.op)
        is_head = entry is not None and entry.name in LABELLED
        for position, e in enumerate(node.inputs):
            if graph.nodes[e.node].is_variable:
                (labels if is_head and position == 1 else other).add(graph.nodes[e.node].name)
    return labels - other


def without_labels(graph, keep=()):
    """``graph`` with the label inputs of its training heads removed (variables named
    in ``keep`` stay): they take no part in the forward computation. Returns the graph with
    the label variables gone (nodes in MXNet's order, see :meth:`Graph.reachable`)."""
    labels = label_variables(graph) - set(keep)
    if not labels:
        return graph
    for node in graph.nodes:
        entry = OPS.get(node.op)
        if entry is not None and entry.name in LABELLED and len(node.inputs) > 1 \
                and graph.nodes[node.inputs[1].node].name in labels:
            node.inputs = node.inputs[:1]
    return graph.reachable()
