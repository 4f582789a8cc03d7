"""Mirrors ``mxnet.random`` (and ``mx.nd.random``) with MXNet's signatures, backed by numpy.

The draws come from numpy's generator, not MXNet's: ``seed(n)`` makes a gluonbridge run
repeatable, but the numbers differ from those MXNet draws with the same seed. Arrays default to
float32 (int32 for ``randint``) and to shape ``(1,)`` when no shape is given, as in MXNet.
"""
import numpy as np

from .ndarray import NDArray

_rng = np.random.RandomState()


def seed(seed_state, ctx="all"):
    """Seed the generator (``ctx`` is accepted; there is one generator)."""
    if not isinstance(seed_state, (int, np.integer)):
        raise ValueError("seed_state must be int")
    _rng.seed(int(seed_state))


def _out(values, dtype, out):
    values = np.asarray(values, dtype=dtype)
    if out is not None:
        out[...] = values
        return out
    return values.view(NDArray)


def _shape(shape):
    if shape is None:
        return (1,)
    return (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)


def uniform(low=0, high=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Draws from [low, high)."""
    return _out(_rng.uniform(low, high, _shape(shape)), dtype or np.float32, out)


def normal(loc=0, scale=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Draws from N(loc, scale²)."""
    return _out(_rng.normal(loc, scale, _shape(shape)), dtype or np.float32, out)


def randn(*shape, loc=0, scale=1, dtype=None, ctx=None, out=None, **kwargs):
    """``normal`` with the shape given as positional arguments."""
    return normal(loc, scale, shape or None, dtype, ctx, out)


def randint(low, high, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Integers from [low, high)."""
    return _out(_rng.randint(low, high, _shape(shape)), dtype or np.int32, out)


def shuffle(data, **kwargs):
    """A copy of ``data`` with its first axis shuffled."""
    data = np.asarray(data)
    return data[_rng.permutation(data.shape[0])].view(NDArray) if data.ndim else data.copy()
