"""Mirrors ``mxnet.numpy_extension`` (``mx.npx``): the neural-network operators under their MXNet
2 names (``npx.fully_connected``, ``npx.convolution``, ``npx.batch_norm``, ``npx.pooling``, ...),
recording into the trace of the HybridBlock being executed."""
from .backend.trace import resolve as _resolve, traced_op as _traced_op


def set_np(shape=True, array=True, dtype=False):
    """Accepted for compatibility: gluonbridge's semantics follow the naming mode instead."""


def is_np_array():
    from . import naming
    return naming.current().api.numpy_arrays


def __getattr__(name):
    op_name = _resolve("npx", name)
    if op_name is not None:
        return _traced_op(name, op_name)
    raise AttributeError(f"gluonbridge.npx has no attribute {name!r} (not an op the ONNX lowering "
                         "supports; see gluonbridge/backend/ops/)")
