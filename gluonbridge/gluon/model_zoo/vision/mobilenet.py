"""MobileNet ("MobileNets: Efficient Convolutional Neural Networks for Mobile Vision
Applications", arXiv:1704.04861) and MobileNetV2 ("Inverted Residuals and Linear Bottlenecks",
arXiv:1801.04381), width multipliers 1.0 to 0.25."""
from ... import nn
from ...block import HybridBlock
from ..model_store import DEFAULT_ROOT, load_pretrained
from ._common import legacy_prefix

__all__ = ["MobileNet", "MobileNetV2", "mobilenet1_0", "mobilenet_v2_1_0", "mobilenet0_75",
           "mobilenet_v2_0_75", "mobilenet0_5", "mobilenet_v2_0_5", "mobilenet0_25",
           "mobilenet_v2_0_25", "get_mobilenet", "get_mobilenet_v2"]

# MobileNet's depthwise-separable units at width 1.0: (depthwise channels, output channels, stride)
_V1_UNITS = ([(32, 64, 1), (64, 128, 2), (128, 128, 1), (128, 256, 2), (256, 256, 1),
              (256, 512, 2)] + [(512, 512, 1)] * 5 + [(512, 1024, 2), (1024, 1024, 1)])

# MobileNetV2's bottleneck stages at width 1.0, as in the paper's table 2:
# (expansion t, output channels c, units n, stride s of the first unit)
_V2_STAGES = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
              (6, 160, 3, 2), (6, 320, 1, 1)]


class RELU6(HybridBlock):
    """``min(max(x, 0), 6)``."""

    def hybrid_forward(self, F, x):
        return F.clip(x, 0, 6, name="relu6")


def _add_conv(out, channels=1, kernel=1, stride=1, pad=0,
              num_group=1, active=True, relu6=False):
    """Append convolution, batch norm and (if ``active``) ReLU or ReLU6 to ``out``."""
    out.add(nn.Conv2D(channels, kernel, stride, pad, groups=num_group, use_bias=False))
    out.add(nn.BatchNorm(scale=True))
    if active:
        out.add(RELU6() if relu6 else nn.Activation("relu"))


def _add_conv_dw(out, dw_channels, channels, stride, relu6=False):
    """Append a depthwise 3x3 then a pointwise 1x1 convolution unit to ``out``."""
    _add_conv(out, channels=dw_channels, kernel=3, stride=stride, pad=1, num_group=dw_channels,
              relu6=relu6)
    _add_conv(out, channels=channels, relu6=relu6)


class LinearBottleneck(HybridBlock):
    """MobileNetV2's inverted residual: expand ``in_channels`` by ``t`` (1x1), depthwise 3x3 with
    ``stride``, project linearly to ``channels``; the input is added when shapes agree."""

    def __init__(self, in_channels, channels, t, stride, **kwargs):
        super().__init__(**kwargs)
        self.use_shortcut = stride == 1 and in_channels == channels
        with self._own_scope():
            self.out = nn.HybridSequential()
            _add_conv(self.out, in_channels * t, relu6=True)
            _add_conv(self.out, in_channels * t, kernel=3, stride=stride, pad=1,
                      num_group=in_channels * t, relu6=True)
            _add_conv(self.out, channels, active=False, relu6=True)

    def hybrid_forward(self, F, x):
        out = self.out(x)
        return F.elemwise_add(out, x) if self.use_shortcut else out


class MobileNet(HybridBlock):
    """MobileNet with width ``multiplier`` (at least 0.25): depthwise-separable convolutions and
    global pooling in ``features``, then ``output``."""

    def __init__(self, multiplier=1.0, classes=1000, **kwargs):
        super().__init__(**kwargs)
        with self._own_scope():
            self.features = nn.HybridSequential(**legacy_prefix(""))
            with self.features._own_scope():
                _add_conv(self.features, channels=int(32 * multiplier), kernel=3, pad=1,
                          stride=2)
                for dw_channels, channels, stride in _V1_UNITS:
                    _add_conv_dw(self.features, dw_channels=int(dw_channels * multiplier),
                                 channels=int(channels * multiplier), stride=stride)
                self.features.add(nn.GlobalAvgPool2D())
                self.features.add(nn.Flatten())
            self.output = nn.Dense(classes)

    def hybrid_forward(self, F, x):
        return self.output(self.features(x))


class MobileNetV2(HybridBlock):
    """MobileNetV2 with width ``multiplier``: LinearBottleneck units in ``features``
    (``features_``), then a 1x1 convolution classifier in ``output`` (``output_``)."""

    def __init__(self, multiplier=1.0, classes=1000, **kwargs):
        super().__init__(**kwargs)
        with self._own_scope():
            self.features = nn.HybridSequential(**legacy_prefix("features_"))
            with self.features._own_scope():
                _add_conv(self.features, int(32 * multiplier), kernel=3, stride=2, pad=1,
                          relu6=True)
                in_channels = 32
                for t, channels, repeats, stride in _V2_STAGES:
                    for unit in range(repeats):
                        self.features.add(LinearBottleneck(
                            in_channels=int(in_channels * multiplier),
                            channels=int(channels * multiplier), t=t,
                            stride=stride if unit == 0 else 1))
                        in_channels = channels
                last_channels = int(1280 * multiplier) if multiplier > 1.0 else 1280
                _add_conv(self.features, last_channels, relu6=True)
                self.features.add(nn.GlobalAvgPool2D())

            self.output = nn.HybridSequential(**legacy_prefix("output_"))
            with self.output._own_scope():
                self.output.add(nn.Conv2D(classes, 1, use_bias=False, **legacy_prefix("pred_")),
                                nn.Flatten())

    def hybrid_forward(self, F, x):
        return self.output(self.features(x))


def _width_suffix(multiplier):
    """The width in MXNet's pretrained file names: 1.0, 0.75, 0.5, 0.25."""
    suffix = "{0:.2f}".format(multiplier)
    return suffix[:-1] if suffix in ("1.00", "0.50") else suffix


def get_mobilenet(multiplier, pretrained=False, ctx=None, root=DEFAULT_ROOT, **kwargs):
    """MobileNet with width ``multiplier``. ``pretrained``: False, True (file in ``root``), a
    directory or a file; ``ctx`` is accepted for MXNet compatibility."""
    net = MobileNet(multiplier, **kwargs)
    return load_pretrained(net, "mobilenet" + _width_suffix(multiplier), pretrained, root)


def get_mobilenet_v2(multiplier, pretrained=False, ctx=None, root=DEFAULT_ROOT, **kwargs):
    """MobileNetV2 with width ``multiplier``. ``pretrained``: False, True (file in ``root``), a
    directory or a file; ``ctx`` is accepted for MXNet compatibility."""
    net = MobileNetV2(multiplier, **kwargs)
    return load_pretrained(net, "mobilenetv2_" + _width_suffix(multiplier), pretrained, root)


def mobilenet1_0(**kwargs):
    """MobileNet, width 1.0."""
    return get_mobilenet(1.0, **kwargs)


def mobilenet_v2_1_0(**kwargs):
    """MobileNetV2, width 1.0."""
    return get_mobilenet_v2(1.0, **kwargs)


def mobilenet0_75(**kwargs):
    """MobileNet, width 0.75."""
    return get_mobilenet(0.75, **kwargs)


def mobilenet_v2_0_75(**kwargs):
    """MobileNetV2, width 0.75."""
    return get_mobilenet_v2(0.75, **kwargs)


def mobilenet0_5(**kwargs):
    """MobileNet, width 0.5."""
    return get_mobilenet(0.5, **kwargs)


def mobilenet_v2_0_5(**kwargs):
    """MobileNetV2, width 0.5."""
    return get_mobilenet_v2(0.5, **kwargs)


def mobilenet0_25(**kwargs):
    """MobileNet, width 0.25."""
    return get_mobilenet(0.25, **kwargs)


def mobilenet_v2_0_25(**kwargs):
    """MobileNetV2, width 0.25."""
    return get_mobilenet_v2(0.25, **kwargs)
