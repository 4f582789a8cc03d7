"""Mirrors ``mxnet.numpy`` (``mx.np``).

Array creation returns gluonbridge NDArrays; every operator of the op table is a function under
its MXNet 2 name (``np.add`` is ``_npi_add``, ``np.concatenate``, ``np.clip``, ...): eager on
arrays, recorded into the trace of the HybridBlock being executed when given its Symbols (see
:mod:`gluonbridge.backend.eager`).
"""
from .ndarray import NDArray as ndarray, array, empty, full, ones, zeros  # noqa: F401

float16, float32, float64 = "float16", "float32", "float64"
int8, int32, int64, uint8 = "int8", "int32", "int64", "uint8"


def split(ary, indices_or_sections, axis=0):
    """``np.split``: an int makes that many equal sections, a list of indices splits before
    each (MXNet 2 passes them to ``_npi_split`` after a leading 0). Always a list."""
    from .backend import eager
    if isinstance(indices_or_sections, int):
        out = eager.function("_npi_split")(ary, indices=(), axis=axis,
                                          sections=indices_or_sections)
    else:
        out = eager.function("_npi_split")(ary, indices=(0,) + tuple(indices_or_sections),
                                          axis=axis, sections=0)
    return out if isinstance(out, list) else [out]


def __getattr__(name):
    from .backend import eager
    return eager.NP.get(name)


def __dir__():
    from .backend import eager
    return sorted(set(globals()) | set(eager.NP.names()))
