"""gluonbridge's array type: a numpy array with the NDArray methods user code calls.

Blocks return :class:`NDArray`; ``np.asarray`` accepts it as it is, and ``asnumpy()``,
``asscalar()`` and ``context`` work as in MXNet.
"""
import numpy as np

from .device import current_device


class NDArray(np.ndarray):
    """A numpy array that also answers ``asnumpy()``/``asscalar()`` like an MXNet NDArray."""

    def asnumpy(self):
        return np.asarray(self).copy()

    def asscalar(self):
        return self.item()

    @property
    def device(self):
        return current_device()

    ctx = context = device


def array(source, dtype=None, ctx=None):
    """An NDArray from any array-like; Python numbers and lists default to float32 (MXNet)."""
    if dtype is None and not isinstance(source, np.ndarray):
        dtype = np.float32
    return np.array(source, dtype=dtype).view(NDArray)


def zeros(shape, dtype=np.float32, ctx=None):
    return np.zeros(shape, dtype=dtype).view(NDArray)


def ones(shape, dtype=np.float32, ctx=None):
    return np.ones(shape, dtype=dtype).view(NDArray)


def full(shape, val, ctx=None, dtype=np.float32, out=None):
    """An NDArray of ``shape`` filled with ``val`` (float32 unless ``dtype``, as in MXNet 1.x)."""
    if out is not None:
        out[...] = val
        return out
    return np.full(shape, val, dtype=dtype).view(NDArray)
