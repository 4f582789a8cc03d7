"""SqueezeNet 1.0 ("SqueezeNet: AlexNet-level accuracy with 50x fewer parameters and <0.5MB model
size", arXiv:1602.07360) and 1.1 (the official SqueezeNet repository's v1.1)."""
from ... import nn
from ...block import HybridBlock
from ..model_store import DEFAULT_ROOT, load_pretrained
from ._common import hybrid_concurrent, legacy_prefix

__all__ = ["SqueezeNet", "squeezenet1_0", "squeezenet1_1"]


def _make_fire(squeeze_channels, expand1x1_channels, expand3x3_channels):
    """A fire module: a 1x1 squeeze, then 1x1 and 3x3 expansions concatenated. Every container
    has an empty prefix, so under legacy naming all its layers are named ``squeezenet0_...``."""
    out = nn.HybridSequential(**legacy_prefix(""))
    out.add(_make_fire_conv(squeeze_channels, 1))
    paths = hybrid_concurrent(axis=1, prefix="")
    paths.add(_make_fire_conv(expand1x1_channels, 1))
    paths.add(_make_fire_conv(expand3x3_channels, 3, 1))
    out.add(paths)
    return out


def _make_fire_conv(channels, kernel_size, padding=0):
    out = nn.HybridSequential(**legacy_prefix(""))
    out.add(nn.Conv2D(channels, kernel_size, padding=padding))
    out.add(nn.Activation("relu"))
    return out


def _pool():
    return nn.MaxPool2D(pool_size=3, strides=2, ceil_mode=True)


# version -> (stem convolution (channels, kernel), the feature layers after it: "pool" or the
# (squeeze, expand 1x1, expand 3x3) channels of a fire module)
_FEATURES = {
    "1.0": ((96, 7), ["pool", (16, 64, 64), (16, 64, 64), (32, 128, 128), "pool",
                      (32, 128, 128), (48, 192, 192), (48, 192, 192), (64, 256, 256), "pool",
                      (64, 256, 256)]),
    "1.1": ((64, 3), ["pool", (16, 64, 64), (16, 64, 64), "pool", (32, 128, 128),
                      (32, 128, 128), "pool", (48, 192, 192), (48, 192, 192), (64, 256, 256),
                      (64, 256, 256)]),
}


class SqueezeNet(HybridBlock):
    """SqueezeNet ``version`` '1.0' or '1.1': fire modules in ``features``, then a 1x1
    convolution classifier with global average pooling in ``output``."""

    def __init__(self, version, classes=1000, **kwargs):
        super().__init__(**kwargs)
        if version not in ["1.0", "1.1"]:
            raise AssertionError("Unsupported SqueezeNet version {version}:"
                                 "1.0 or 1.1 expected".format(version=version))
        (stem_channels, stem_kernel), layers = _FEATURES[version]
        with self._own_scope():
            self.features = nn.HybridSequential(**legacy_prefix(""))
            self.features.add(nn.Conv2D(stem_channels, kernel_size=stem_kernel, strides=2))
            self.features.add(nn.Activation("relu"))
            for layer in layers:
                self.features.add(_pool() if layer == "pool" else _make_fire(*layer))
            self.features.add(nn.Dropout(0.5))

            self.output = nn.HybridSequential(**legacy_prefix(""))
            self.output.add(nn.Conv2D(classes, kernel_size=1))
            self.output.add(nn.Activation("relu"))
            self.output.add(nn.AvgPool2D(13))
            self.output.add(nn.Flatten())

    def hybrid_forward(self, F, x):
        return self.output(self.features(x))


def get_squeezenet(version, pretrained=False, ctx=None, root=DEFAULT_ROOT, **kwargs):
    """SqueezeNet ``version`` ('1.0' or '1.1'). ``pretrained``: False, True (file in ``root``),
    a directory or a file; ``ctx`` is accepted for MXNet compatibility."""
    net = SqueezeNet(version, **kwargs)
    return load_pretrained(net, "squeezenet%s" % version, pretrained, root)


def squeezenet1_0(**kwargs):
    """SqueezeNet 1.0."""
    return get_squeezenet("1.0", **kwargs)


def squeezenet1_1(**kwargs):
    """SqueezeNet 1.1."""
    return get_squeezenet("1.1", **kwargs)
