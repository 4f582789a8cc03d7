"""A small model written the MXNet 1.x way: name_scope, prefix=, params.get, hybrid_forward.

This is plain MXNet 1.x code with one change: it imports Gluon from gluonbridge instead of
mxnet. examples/main.py migrates it to MXNet 2 style with the codemod.
"""
from gluonbridge import gluon
from gluonbridge.gluon import nn


class Head(gluon.HybridBlock):
    """Classifier head with its own learnable scale (a custom 1.x parameter)."""

    def __init__(self, classes, **kwargs):
        super(Head, self).__init__(**kwargs)
        with self.name_scope():
            self.fc = nn.Dense(classes)
            self.scale = self.params.get("scale", shape=(1,), init="ones")

    def hybrid_forward(self, F, x, scale):
        return F.broadcast_mul(self.fc(x), scale)


def _stage(index, channels):
    stage = nn.HybridSequential(prefix="stage%d_" % index)
    with stage.name_scope():
        stage.add(nn.Conv2D(channels, 3, padding=1), nn.BatchNorm(), nn.Activation("relu"))
    return stage


def build(classes=10):
    """The example network: a conv stem, two conv stages and a head."""
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Conv2D(8, 3, padding=1, in_channels=3), nn.BatchNorm(), nn.Activation("relu"))
        for index in range(2):
            net.add(_stage(index, 8))   # stage0_, stage1_ inside the net's scope
        net.add(nn.GlobalAvgPool2D(), Head(classes))
    return net
