"""``mxnet.gluon.contrib.nn``: the MXNet 1.x names of the concatenating containers, and
``SyncBatchNorm`` (cross-device batch norm: at inference it is BatchNorm)."""
from ...nn.basic_layers import BatchNorm, Concatenate, HybridConcatenate, Identity


class Concurrent(Concatenate):
    """MXNet 1.x name of :class:`~gluonbridge.gluon.nn.Concatenate` (hint ``concurrent``)."""


class HybridConcurrent(HybridConcatenate):
    """MXNet 1.x name of :class:`~gluonbridge.gluon.nn.HybridConcatenate` (hint
    ``hybridconcurrent``)."""


class SyncBatchNorm(BatchNorm):
    """MXNet 1.x's cross-device BatchNorm (hint ``syncbatchnorm``): the same parameters, and at
    inference the same result as :class:`~gluonbridge.gluon.nn.BatchNorm` (the device count
    only matters when training, which gluonbridge does not do)."""

    def __init__(self, in_channels=0, num_devices=None, momentum=0.9, epsilon=1e-5, center=True,
                 scale=True, use_global_stats=False, beta_initializer="zeros",
                 gamma_initializer="ones", running_mean_initializer="zeros",
                 running_variance_initializer="ones", **kwargs):
        super().__init__(1, momentum, epsilon, center, scale, use_global_stats, beta_initializer,
                         gamma_initializer, running_mean_initializer,
                         running_variance_initializer, in_channels, **kwargs)
