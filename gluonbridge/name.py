"""Mirrors ``mxnet.name``: the NameManager contexts that number top-level blocks (legacy naming)."""
from .naming.legacy import NameManager, Prefix

__all__ = ["NameManager", "Prefix"]
