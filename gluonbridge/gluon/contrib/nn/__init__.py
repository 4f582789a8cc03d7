"""``mxnet.gluon.contrib.nn``: the MXNet 1.x names of the concatenating containers."""
from ...nn.basic_layers import Concatenate, HybridConcatenate, Identity


class Concurrent(Concatenate):
    """MXNet 1.x name of :class:`~gluonbridge.gluon.nn.Concatenate` (hint ``concurrent``)."""


class HybridConcurrent(HybridConcatenate):
    """MXNet 1.x name of :class:`~gluonbridge.gluon.nn.HybridConcatenate` (hint
    ``hybridconcurrent``)."""
