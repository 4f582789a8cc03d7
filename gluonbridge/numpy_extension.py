"""Mirrors ``mxnet.numpy_extension`` (``mx.npx``): the neural-network operators under their MXNet
2 names (``npx.fully_connected``, ``npx.convolution``, ``npx.batch_norm``, ``npx.pooling``, ...):
eager on arrays, recorded into the trace of the HybridBlock being executed when given its
Symbols (see :mod:`gluonbridge.backend.eager`)."""


def set_np(shape=True, array=True, dtype=False):
    """Accepted for compatibility: gluonbridge's semantics follow the naming mode instead."""


def is_np_array():
    from . import naming
    return naming.current().api.numpy_arrays


def __getattr__(name):
    from .backend import eager
    return eager.NPX.get(name)


def __dir__():
    from .backend import eager
    return sorted(set(globals()) | set(eager.NPX.names()))
