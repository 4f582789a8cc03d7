"""Reductions: mean, sum, max (``axis`` one int or a tuple, ``keepdims``, ``exclude``)."""
from __future__ import annotations

import numpy as np

from ...graph.attrs import Bool, IntOrInts
from .common import reshape
from .registry import op


def _axes(a, data):
    ndim = len(data)
    if a.axis is None or a.axis == ():
        axes = list(range(ndim))
    else:
        axes = sorted({x % ndim for x in ((a.axis,) if isinstance(a.axis, int) else a.axis)})
    return [i for i in range(ndim) if i not in axes] if a.exclude else axes


def _reduced(a, data):
    axes = _axes(a, data)
    if a.keepdims:
        return tuple(1 if i in axes else d for i, d in enumerate(data))
    return tuple(d for i, d in enumerate(data) if i not in axes)


def _declare(onnx_op, names, numpy_names):
    """The 1.x op (a full reduction has shape (1,), as MXNet 1.x never makes 0-d arrays) and
    its 2.x numpy form (0-d)."""
    for spellings, legacy in ((names, True), (numpy_names, False)):
        _declare_one(onnx_op, spellings, legacy)


def _declare_one(onnx_op, names, legacy):
    def shape(a, data):
        out = _reduced(a, data)
        return (1,) if legacy and not out else out

    @op(names[0], *names[1:],
        attrs={"axis": IntOrInts(None), "keepdims": Bool(False), "exclude": Bool(False)},
        shape=shape)
    def lower(g, a, data):
        axes = _axes(a, data.shape)
        if onnx_op == "ReduceSum":      # axes an input from opset 13, the others from 18
            out = g.node(onnx_op, [data, g.constant(axes, np.int64)], _reduced(a, data.shape),
                         data.dtype, keepdims=int(a.keepdims))
        else:
            out = g.node(onnx_op, [data], _reduced(a, data.shape), data.dtype, axes=axes,
                         keepdims=int(a.keepdims))
        return reshape(g, out, (1,)) if out.shape != shape(a, data.shape) else out


_declare("ReduceMean", ("mean",), ("_npi_mean",))
_declare("ReduceSum", ("sum", "sum_axis"), ("_npi_sum",))
_declare("ReduceMax", ("max", "max_axis"), ("_npi_max",))
