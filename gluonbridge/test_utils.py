"""Mirrors the basics of ``mxnet.test_utils`` that model tests call: comparisons on anything
array-like (NDArrays included) and the default context."""
import numpy as np

from .device import cpu


def default_context():
    """The context tests run on: always the CPU here."""
    return cpu()


default_device = default_context


def _numpy(a):
    return a.asnumpy() if hasattr(a, "asnumpy") else np.asarray(a)


def same(a, b):
    """Whether two arrays are exactly equal."""
    return np.array_equal(_numpy(a), _numpy(b))


def almost_equal(a, b, rtol=None, atol=None, equal_nan=False, use_broadcast=True):
    """Whether ``|a - b| <= atol + rtol * |b|`` everywhere (defaults 1e-5 and 1e-20)."""
    return np.allclose(_numpy(a), _numpy(b), rtol=1e-5 if rtol is None else rtol,
                       atol=1e-20 if atol is None else atol, equal_nan=equal_nan)


def assert_almost_equal(a, b, rtol=None, atol=None, names=("a", "b"), equal_nan=False,
                        use_broadcast=True, mismatches=(10, 10)):
    """Raise AssertionError naming the largest difference unless ``almost_equal``."""
    np.testing.assert_allclose(_numpy(a), _numpy(b), rtol=1e-5 if rtol is None else rtol,
                               atol=1e-20 if atol is None else atol, equal_nan=equal_nan,
                               err_msg=f"{names[0]} vs {names[1]}")
