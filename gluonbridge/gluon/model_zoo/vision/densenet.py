"""DenseNet-BC ("Densely Connected Convolutional Networks", arXiv:1608.06993), 121 to 201
layers."""
from ... import nn
from ...block import HybridBlock
from ...contrib.nn import Identity
from ..model_store import DEFAULT_ROOT, load_pretrained
from ._common import hybrid_concurrent, legacy_prefix

__all__ = ["DenseNet", "densenet121", "densenet161", "densenet169", "densenet201"]


def _make_dense_block(num_layers, bn_size, growth_rate, dropout, stage_index):
    out = nn.HybridSequential(**legacy_prefix("stage%d_" % stage_index))
    with out._own_scope():
        for _ in range(num_layers):
            out.add(_make_dense_layer(growth_rate, bn_size, dropout))
    return out


def _make_dense_layer(growth_rate, bn_size, dropout):
    """The input concatenated with ``growth_rate`` new feature maps (BN-ReLU-1x1 conv, BN-ReLU-3x3
    conv)."""
    new_features = nn.HybridSequential(**legacy_prefix(""))
    for channels, kernel_size, padding in [(bn_size * growth_rate, 1, 0), (growth_rate, 3, 1)]:
        new_features.add(nn.BatchNorm())
        new_features.add(nn.Activation("relu"))
        new_features.add(nn.Conv2D(channels, kernel_size=kernel_size, padding=padding,
                                   use_bias=False))
    if dropout:
        new_features.add(nn.Dropout(dropout))
    out = hybrid_concurrent(axis=1, prefix="")
    out.add(Identity())
    out.add(new_features)
    return out


def _make_transition(num_output_features):
    out = nn.HybridSequential(**legacy_prefix(""))
    out.add(nn.BatchNorm())
    out.add(nn.Activation("relu"))
    out.add(nn.Conv2D(num_output_features, kernel_size=1, use_bias=False))
    out.add(nn.AvgPool2D(pool_size=2, strides=2))
    return out


class DenseNet(HybridBlock):
    """DenseNet-BC: ``num_init_features`` stem filters, dense blocks of ``block_config`` layers
    each adding ``growth_rate`` maps (bottleneck width ``bn_size * growth_rate``), transitions
    halving the maps, optional ``dropout`` after each dense layer; then ``output``."""

    def __init__(self, num_init_features, growth_rate, block_config,
                 bn_size=4, dropout=0, classes=1000, **kwargs):
        super().__init__(**kwargs)
        with self._own_scope():
            self.features = nn.HybridSequential(**legacy_prefix(""))
            self.features.add(nn.Conv2D(num_init_features, kernel_size=7, strides=2, padding=3,
                                        use_bias=False))
            self.features.add(nn.BatchNorm())
            self.features.add(nn.Activation("relu"))
            self.features.add(nn.MaxPool2D(pool_size=3, strides=2, padding=1))
            num_features = num_init_features
            for i, num_layers in enumerate(block_config):
                self.features.add(_make_dense_block(num_layers, bn_size, growth_rate, dropout,
                                                    i + 1))
                num_features = num_features + num_layers * growth_rate
                if i != len(block_config) - 1:
                    self.features.add(_make_transition(num_features // 2))
                    num_features = num_features // 2
            self.features.add(nn.BatchNorm())
            self.features.add(nn.Activation("relu"))
            self.features.add(nn.AvgPool2D(pool_size=7))
            self.features.add(nn.Flatten())
            self.output = nn.Dense(classes)

    def hybrid_forward(self, F, x):
        return self.output(self.features(x))


# depth -> (stem filters, growth rate, layers per dense block)
densenet_spec = {121: (64, 32, [6, 12, 24, 16]),
                 161: (96, 48, [6, 12, 36, 24]),
                 169: (64, 32, [6, 12, 32, 32]),
                 201: (64, 32, [6, 12, 48, 32])}


def get_densenet(num_layers, pretrained=False, ctx=None, root=DEFAULT_ROOT, **kwargs):
    """DenseNet of depth ``num_layers`` (121, 161, 169 or 201). ``pretrained``: False, True
    (file in ``root``), a directory or a file; ``ctx`` is accepted for MXNet compatibility."""
    num_init_features, growth_rate, block_config = densenet_spec[num_layers]
    net = DenseNet(num_init_features, growth_rate, block_config, **kwargs)
    return load_pretrained(net, "densenet%d" % num_layers, pretrained, root)


def densenet121(**kwargs):
    """DenseNet-121."""
    return get_densenet(121, **kwargs)


def densenet161(**kwargs):
    """DenseNet-161."""
    return get_densenet(161, **kwargs)


def densenet169(**kwargs):
    """DenseNet-169."""
    return get_densenet(169, **kwargs)


def densenet201(**kwargs):
    """DenseNet-201."""
    return get_densenet(201, **kwargs)
