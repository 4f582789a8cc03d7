"""Mirrors ``mxnet.numpy`` (``mx.np``) for MXNet 2-style ``forward`` code.

Array creation returns gluonbridge NDArrays; every operator of the ONNX op table is available
under its MXNet 2 name (``np.concatenate``, ``np.clip``, ...) and records into the trace of the
HybridBlock being executed.
"""
from .backend.trace import resolve as _resolve, traced_op as _traced_op
from .ndarray import NDArray as ndarray, array, ones, zeros  # noqa: F401

float16, float32, float64 = "float16", "float32", "float64"
int8, int32, int64, uint8 = "int8", "int32", "int64", "uint8"


def __getattr__(name):
    op_name = _resolve("np", name)
    if op_name is not None:
        return _traced_op(name, op_name)
    raise AttributeError(f"gluonbridge.np has no attribute {name!r} (not an op the ONNX lowering "
                         "supports; see gluonbridge/backend/ops/)")
