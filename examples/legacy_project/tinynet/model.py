"""TinyNet, written for MXNet 1.x Gluon."""
import mxnet as mx
from mxnet.gluon import nn


def _make_stage(channels, stage_index):
    stage = nn.HybridSequential(prefix='stage%d_' % stage_index)
    with stage.name_scope():
        stage.add(nn.Conv2D(channels, kernel_size=3, padding=1))
        stage.add(nn.BatchNorm())
    return stage


class TinyNet(nn.HybridBlock):
    def __init__(self, classes=10, prefix=None, params=None):
        super(TinyNet, self).__init__(prefix=prefix, params=params)
        # features first, then the classifier
        with self.name_scope():
            self.features = nn.HybridSequential(prefix='')
            for i, channels in enumerate([8, 16]):
                self.features.add(_make_stage(channels, i + 1))
            self.scale = self.params.get('scale', shape=(1,), init=mx.init.One())
            self.output = nn.Dense(classes, prefix='fc_')  # the classifier

    def hybrid_forward(self, F, x, scale):
        x = F.relu(self.features(x))
        return F.broadcast_mul(self.output(x), scale)


def build(ctx=mx.cpu()):
    net = TinyNet()
    net.collect_params().initialize(mx.init.Xavier(), ctx=ctx)
    net.collect_params('.*batchnorm.*').setattr('lr_mult', 0.5)
    return net
