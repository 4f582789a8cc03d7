"""A small model written the MXNet 1.x way (name_scope, prefix=, params.get).

With `from mxnet import gluon` this is plain MXNet 1.x code; the example imports gluonbridge's
Gluon instead, so the same definition builds under either naming mode.
"""
from gluonbridge import gluon
from gluonbridge.gluon import nn


class Head(gluon.HybridBlock):
    """A custom block with its own parameter (1.x: params.get; 2.x: a Parameter attribute)."""

    def __init__(self, classes, **kwargs):
        super().__init__(**kwargs)
        legacy = self._naming.semantics == "mx1"
        with (self.name_scope() if legacy else _nothing()):
            self.fc = nn.Dense(classes)
            self.scale = (self.params.get("scale", shape=(1,)) if legacy
                          else gluon.Parameter("scale", shape=(1,)))


def _nothing():
    import contextlib
    return contextlib.nullcontext()


def build(classes=10):
    """The example network: a conv stem, two conv stages and a head."""
    net = nn.HybridSequential()
    legacy = net._naming.semantics == "mx1"
    with (net.name_scope() if legacy else _nothing()):
        net.add(nn.Conv2D(8, 3, padding=1, in_channels=3), nn.BatchNorm(), nn.Activation("relu"))
        for stage in range(2):
            body = nn.HybridSequential(**({"prefix": f"stage{stage}_"} if legacy else {}))
            with (body.name_scope() if legacy else _nothing()):
                body.add(nn.Conv2D(8, 3, padding=1), nn.BatchNorm(), nn.Activation("relu"))
            net.add(body)
        net.add(nn.GlobalAvgPool2D(), Head(classes))
    return net
