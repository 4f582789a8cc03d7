"""Executing Gluon blocks without MXNet: trace to ONNX, run on onnxruntime or onnx.reference.

``graph`` (the traced graph and its symbols), ``ops`` (the op table), ``trace`` (tracing),
``runtime`` (sessions, backend choice). onnx and onnxruntime are imported only when a block is
first executed.
"""
from .graph import IncompatibleInputError, LoweringError
from .runtime import BACKENDS, current, use

__all__ = ["IncompatibleInputError", "LoweringError", "BACKENDS", "current", "use"]
