"""Mirrors ``mxnet.util``: the numpy-semantics switches. gluonbridge's semantics follow the naming
mode (structural = MXNet 2's numpy semantics), so the switches report it and change nothing."""
from . import naming


def is_np_array() -> bool:
    """True under structural naming (MXNet 2 with ``npx.set_np()``)."""
    return naming.current().api.numpy_arrays


is_np_shape = is_np_array


def set_np(shape=True, array=True, dtype=False):
    """Accepted for compatibility: the naming mode decides the semantics."""


def reset_np():
    """Accepted for compatibility: the naming mode decides the semantics."""


set_np_shape = set_np


def use_np(func):
    """Decorator accepted for compatibility (classes and functions are returned unchanged)."""
    return func


use_np_array = use_np_shape = use_np

