"""ResNet V1 ("Deep Residual Learning for Image Recognition", arXiv:1512.03385) and V2
("Identity Mappings in Deep Residual Networks", arXiv:1603.05027), 18 to 152 layers."""
from ... import nn
from ...block import HybridBlock
from ..model_store import DEFAULT_ROOT, load_pretrained
from ._common import legacy_prefix

__all__ = ["ResNetV1", "ResNetV2", "BasicBlockV1", "BasicBlockV2", "BottleneckV1",
           "BottleneckV2", "resnet18_v1", "resnet34_v1", "resnet50_v1", "resnet101_v1",
           "resnet152_v1", "resnet18_v2", "resnet34_v2", "resnet50_v2", "resnet101_v2",
           "resnet152_v2", "get_resnet"]


def _conv3x3(channels, stride, in_channels):
    return nn.Conv2D(channels, kernel_size=3, strides=stride, padding=1, use_bias=False,
                     in_channels=in_channels)


def _shortcut_v1(channels, stride, in_channels):
    """V1 projection shortcut: a strided 1x1 convolution and batch norm."""
    shortcut = nn.HybridSequential(**legacy_prefix(""))
    shortcut.add(nn.Conv2D(channels, kernel_size=1, strides=stride, use_bias=False,
                           in_channels=in_channels))
    shortcut.add(nn.BatchNorm())
    return shortcut


class _ResidualV1(HybridBlock):
    """A V1 residual unit: ``relu(body(x) + shortcut(x))``; the shortcut is ``downsample``
    (a projection) or the identity. ``residual_first``: the sum's operand order, as MXNet
    writes it (``residual + x`` in the basic block, ``x + residual`` in the bottleneck)."""

    residual_first = False

    def hybrid_forward(self, F, x):
        body = self.body(x)
        residual = self.downsample(x) if self.downsample is not None else x
        total = residual + body if self.residual_first else body + residual
        return F.Activation(total, act_type="relu")


class BasicBlockV1(_ResidualV1):
    """ResNet V1 basic block (two 3x3 convolutions), used by ResNet-18 and -34 V1."""

    residual_first = True

    def __init__(self, channels, stride, downsample=False, in_channels=0, **kwargs):
        super().__init__(**kwargs)
        self.body = nn.HybridSequential(**legacy_prefix(""))
        self.body.add(_conv3x3(channels, stride, in_channels))
        self.body.add(nn.BatchNorm())
        self.body.add(nn.Activation("relu"))
        self.body.add(_conv3x3(channels, 1, channels))
        self.body.add(nn.BatchNorm())
        self.downsample = _shortcut_v1(channels, stride, in_channels) if downsample else None


class BottleneckV1(_ResidualV1):
    """ResNet V1 bottleneck (1x1, 3x3, 1x1 convolutions), used by ResNet-50/101/152 V1."""

    def __init__(self, channels, stride, downsample=False, in_channels=0, **kwargs):
        super().__init__(**kwargs)
        self.body = nn.HybridSequential(**legacy_prefix(""))
        self.body.add(nn.Conv2D(channels // 4, kernel_size=1, strides=stride))
        self.body.add(nn.BatchNorm())
        self.body.add(nn.Activation("relu"))
        self.body.add(_conv3x3(channels // 4, 1, channels // 4))
        self.body.add(nn.BatchNorm())
        self.body.add(nn.Activation("relu"))
        self.body.add(nn.Conv2D(channels, kernel_size=1, strides=1))
        self.body.add(nn.BatchNorm())
        self.downsample = _shortcut_v1(channels, stride, in_channels) if downsample else None


class _ResidualV2(HybridBlock):
    """A V2 (pre-activation) residual unit: each ``bn<i>`` then relu then ``conv<i>``; the
    shortcut is ``downsample`` applied to the first activation, or the identity."""

    _depth = 0  # number of bn/conv pairs

    def hybrid_forward(self, F, x):
        residual = x
        for i in range(1, self._depth + 1):
            x = F.Activation(getattr(self, "bn%d" % i)(x), act_type="relu")
            if i == 1 and self.downsample is not None:
                residual = self.downsample(x)
            x = getattr(self, "conv%d" % i)(x)
        return x + residual


class BasicBlockV2(_ResidualV2):
    """ResNet V2 basic block (two 3x3 convolutions), used by ResNet-18 and -34 V2."""

    _depth = 2

    def __init__(self, channels, stride, downsample=False, in_channels=0, **kwargs):
        super().__init__(**kwargs)
        self.bn1 = nn.BatchNorm()
        self.conv1 = _conv3x3(channels, stride, in_channels)
        self.bn2 = nn.BatchNorm()
        self.conv2 = _conv3x3(channels, 1, channels)
        self.downsample = (nn.Conv2D(channels, 1, stride, use_bias=False, in_channels=in_channels)
                           if downsample else None)


class BottleneckV2(_ResidualV2):
    """ResNet V2 bottleneck (1x1, 3x3, 1x1 convolutions), used by ResNet-50/101/152 V2."""

    _depth = 3

    def __init__(self, channels, stride, downsample=False, in_channels=0, **kwargs):
        super().__init__(**kwargs)
        self.bn1 = nn.BatchNorm()
        self.conv1 = nn.Conv2D(channels // 4, kernel_size=1, strides=1, use_bias=False)
        self.bn2 = nn.BatchNorm()
        self.conv2 = _conv3x3(channels // 4, stride, channels // 4)
        self.bn3 = nn.BatchNorm()
        self.conv3 = nn.Conv2D(channels, kernel_size=1, strides=1, use_bias=False)
        self.downsample = (nn.Conv2D(channels, 1, stride, use_bias=False, in_channels=in_channels)
                           if downsample else None)


class _ResNet(HybridBlock):
    """What ResNet V1 and V2 share: ``features`` (stem, stages ``stage<i>_``, pooling head),
    then ``output``."""

    def _make_layer(self, block, layers, channels, stride, stage_index, in_channels=0):
        layer = nn.HybridSequential(**legacy_prefix("stage%d_" % stage_index))
        with layer._own_scope():
            layer.add(block(channels, stride, channels != in_channels, in_channels=in_channels,
                            **legacy_prefix("")))
            for _ in range(layers - 1):
                layer.add(block(channels, 1, False, in_channels=channels, **legacy_prefix("")))
        return layer

    def _add_stem(self, channels, thumbnail):
        if thumbnail:
            self.features.add(_conv3x3(channels, 1, 0))
        else:
            self.features.add(nn.Conv2D(channels, 7, 2, 3, use_bias=False))
            self.features.add(nn.BatchNorm())
            self.features.add(nn.Activation("relu"))
            self.features.add(nn.MaxPool2D(3, 2, 1))

    def hybrid_forward(self, F, x):
        return self.output(self.features(x))


class ResNetV1(_ResNet):
    """ResNet V1; ``block`` is BasicBlockV1 or BottleneckV1, ``layers`` the units per stage,
    ``channels`` the stem's then each stage's width; ``thumbnail`` for 32x32 inputs."""

    def __init__(self, block, layers, channels, classes=1000, thumbnail=False, **kwargs):
        super().__init__(**kwargs)
        if len(layers) != len(channels) - 1:
            raise AssertionError
        with self._own_scope():
            self.features = nn.HybridSequential(**legacy_prefix(""))
            self._add_stem(channels[0], thumbnail)
            for i, num_layer in enumerate(layers):
                stride = 1 if i == 0 else 2
                self.features.add(self._make_layer(block, num_layer, channels[i + 1], stride,
                                                   i + 1, in_channels=channels[i]))
            self.features.add(nn.GlobalAvgPool2D())
            self.output = nn.Dense(classes, in_units=channels[-1])


class ResNetV2(_ResNet):
    """ResNet V2 (pre-activation); arguments as :class:`ResNetV1`, with the V2 blocks. The input
    is normalized first by a BatchNorm without scale and center."""

    def __init__(self, block, layers, channels, classes=1000, thumbnail=False, **kwargs):
        super().__init__(**kwargs)
        if len(layers) != len(channels) - 1:
            raise AssertionError
        with self._own_scope():
            self.features = nn.HybridSequential(**legacy_prefix(""))
            self.features.add(nn.BatchNorm(scale=False, center=False))
            self._add_stem(channels[0], thumbnail)
            in_channels = channels[0]
            for i, num_layer in enumerate(layers):
                stride = 1 if i == 0 else 2
                self.features.add(self._make_layer(block, num_layer, channels[i + 1], stride,
                                                   i + 1, in_channels=in_channels))
                in_channels = channels[i + 1]
            self.features.add(nn.BatchNorm())
            self.features.add(nn.Activation("relu"))
            self.features.add(nn.GlobalAvgPool2D())
            self.features.add(nn.Flatten())
            self.output = nn.Dense(classes, in_units=in_channels)


# depth -> (block type, units per stage, stem width then stage widths)
resnet_spec = {18: ("basic_block", [2, 2, 2, 2], [64, 64, 128, 256, 512]),
               34: ("basic_block", [3, 4, 6, 3], [64, 64, 128, 256, 512]),
               50: ("bottle_neck", [3, 4, 6, 3], [64, 256, 512, 1024, 2048]),
               101: ("bottle_neck", [3, 4, 23, 3], [64, 256, 512, 1024, 2048]),
               152: ("bottle_neck", [3, 8, 36, 3], [64, 256, 512, 1024, 2048])}
resnet_net_versions = [ResNetV1, ResNetV2]
resnet_block_versions = [{"basic_block": BasicBlockV1, "bottle_neck": BottleneckV1},
                         {"basic_block": BasicBlockV2, "bottle_neck": BottleneckV2}]


def get_resnet(version, num_layers, pretrained=False, ctx=None, root=DEFAULT_ROOT, **kwargs):
    """ResNet ``version`` (1 or 2) of depth ``num_layers`` (18, 34, 50, 101 or 152).
    ``pretrained``: False, True (file in ``root``), a directory or a file; ``ctx`` is accepted
    for MXNet compatibility."""
    if num_layers not in resnet_spec:
        raise AssertionError("Invalid number of layers: %d. Options are %s"
                             % (num_layers, str(resnet_spec.keys())))
    block_type, layers, channels = resnet_spec[num_layers]
    if not (1 <= version <= 2):
        raise AssertionError("Invalid resnet version: %d. Options are 1 and 2." % version)
    block_class = resnet_block_versions[version - 1][block_type]
    net = resnet_net_versions[version - 1](block_class, layers, channels, **kwargs)
    return load_pretrained(net, "resnet%d_v%d" % (num_layers, version), pretrained, root)


def resnet18_v1(**kwargs):
    """ResNet-18 V1."""
    return get_resnet(1, 18, **kwargs)


def resnet34_v1(**kwargs):
    """ResNet-34 V1."""
    return get_resnet(1, 34, **kwargs)


def resnet50_v1(**kwargs):
    """ResNet-50 V1."""
    return get_resnet(1, 50, **kwargs)


def resnet101_v1(**kwargs):
    """ResNet-101 V1."""
    return get_resnet(1, 101, **kwargs)


def resnet152_v1(**kwargs):
    """ResNet-152 V1."""
    return get_resnet(1, 152, **kwargs)


def resnet18_v2(**kwargs):
    """ResNet-18 V2."""
    return get_resnet(2, 18, **kwargs)


def resnet34_v2(**kwargs):
    """ResNet-34 V2."""
    return get_resnet(2, 34, **kwargs)


def resnet50_v2(**kwargs):
    """ResNet-50 V2."""
    return get_resnet(2, 50, **kwargs)


def resnet101_v2(**kwargs):
    """ResNet-101 V2."""
    return get_resnet(2, 101, **kwargs)


def resnet152_v2(**kwargs):
    """ResNet-152 V2."""
    return get_resnet(2, 152, **kwargs)
