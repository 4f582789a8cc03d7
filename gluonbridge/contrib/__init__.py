"""Mirrors ``mxnet.contrib``: only ``amp`` (accepted as a no-op)."""
from . import amp  # noqa: F401
