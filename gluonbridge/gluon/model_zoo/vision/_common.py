"""What the zoo's architectures share: building the same source under both naming modes.

MXNet 1.9.1's zoo names sub-blocks with ``prefix=`` and ``name_scope``; MXNet 2.0.0b1's takes
neither and builds the same tree. The zoo modules say what 1.9.1 says, through these helpers, and
get 2.0.0b1's tree under structural naming.
"""
from .... import naming
from ... import nn
from ...contrib.nn import HybridConcurrent


def legacy_prefix(prefix):
    """Constructor keywords giving a block ``prefix`` under legacy naming; none under structural
    naming, where Blocks take no prefix (as in MXNet 2)."""
    return {"prefix": prefix} if naming.current().api.has_prefixes else {}


def hybrid_concurrent(axis=1, prefix=""):
    """The zoo's concatenating container: ``contrib.nn.HybridConcurrent(axis, prefix)`` as in
    MXNet 1.9.1 (legacy), ``nn.HybridConcatenate(axis)`` as in MXNet 2.0.0b1 (structural)."""
    if naming.current().api.has_prefixes:
        return HybridConcurrent(axis=axis, prefix=prefix)
    return nn.HybridConcatenate(axis=axis)
