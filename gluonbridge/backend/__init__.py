"""Executing Gluon blocks without MXNet: trace to a graph of MXNet ops, lower it to ONNX, run it
on onnxruntime or onnx.reference.

``symbol`` (the values a trace hands user code), ``trace`` (recording MXNet ops), ``ops`` (the
op table: attributes, shape rules, lowerings), ``lower`` (graph -> ONNX model), ``runtime``
(sessions, backend choice). onnx and onnxruntime are imported only when a graph is lowered or run.
"""
from .errors import IncompatibleInputError, LoweringError
from .runtime import BACKENDS, current, use

__all__ = ["IncompatibleInputError", "LoweringError", "BACKENDS", "current", "use"]
