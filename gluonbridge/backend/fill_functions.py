"""MXNet 1.x's fill functions called as ``F.zeros`` / ``F.ones`` / ``F.full`` inside a trace.

In a hybridized block ``F`` is ``mxnet.symbol``, whose ``zeros(shape, dtype=None)``,
``ones(shape, dtype=None)`` and ``full(shape, val, dtype=None)`` are Python functions, not
ops: they fill in float32 when no dtype is given, pass ``val`` as the float attribute
``value``, and record ``_zeros`` / ``_ones`` / ``_full`` named after those ops
(``net0__zeros0``). An exported graph keeps those attributes, so the trace does the same.
"""
from __future__ import annotations

import numpy as np


def _fill(op_name):
    def fill(tracer, shape, dtype=None, **kwargs):
        kwargs.update(shape=shape, dtype=np.float32 if dtype is None else dtype)
        return tracer.call(op_name, (), kwargs, hint=op_name)
    return fill


def full(tracer, shape, val, dtype=None, **kwargs):
    kwargs.update(shape=shape, dtype=np.float32 if dtype is None else dtype, value=float(val))
    return tracer.call("_full", (), kwargs, hint="_full")


# (namespace, name) -> function(tracer, *args, **kwargs)
FUNCTIONS = {("", "zeros"): _fill("_zeros"), ("", "ones"): _fill("_ones"), ("", "full"): full}
