"""Inception v3 ("Rethinking the Inception Architecture for Computer Vision",
arXiv:1512.00567)."""
from ... import nn
from ...block import HybridBlock
from ..model_store import DEFAULT_ROOT, load_pretrained
from ._common import hybrid_concurrent, legacy_prefix

__all__ = ["Inception3", "inception_v3"]

_CONV_SETTINGS = ("channels", "kernel_size", "strides", "padding")


def _make_basic_conv(**kwargs):
    """Convolution without bias, batch norm (epsilon 0.001), ReLU."""
    out = nn.HybridSequential(**legacy_prefix(""))
    out.add(nn.Conv2D(use_bias=False, **kwargs))
    out.add(nn.BatchNorm(epsilon=0.001))
    out.add(nn.Activation("relu"))
    return out


def _make_branch(use_pool, *conv_settings):
    """An optional pooling (``'avg'`` 3x3 stride 1, ``'max'`` 3x3 stride 2), then one basic
    convolution per setting ``(channels, kernel_size, strides, padding)``; None keeps the
    convolution's default."""
    out = nn.HybridSequential(**legacy_prefix(""))
    if use_pool == "avg":
        out.add(nn.AvgPool2D(pool_size=3, strides=1, padding=1))
    elif use_pool == "max":
        out.add(nn.MaxPool2D(pool_size=3, strides=2))
    for setting in conv_settings:
        out.add(_make_basic_conv(**{key: value for key, value in zip(_CONV_SETTINGS, setting)
                                    if value is not None}))
    return out


def _make_mixed(prefix, branches):
    """A mixed block: ``branches`` (each the arguments of :func:`_make_branch`) concatenated
    along channels, named ``prefix`` under legacy naming."""
    out = hybrid_concurrent(axis=1, prefix=prefix)
    with out._own_scope():
        for branch in branches:
            out.add(_make_branch(*branch))
    return out


def _make_A(pool_features, prefix):
    return _make_mixed(prefix, [
        (None, (64, 1, None, None)),
        (None, (48, 1, None, None), (64, 5, None, 2)),
        (None, (64, 1, None, None), (96, 3, None, 1), (96, 3, None, 1)),
        ("avg", (pool_features, 1, None, None))])


def _make_B(prefix):
    return _make_mixed(prefix, [
        (None, (384, 3, 2, None)),
        (None, (64, 1, None, None), (96, 3, None, 1), (96, 3, 2, None)),
        ("max",)])


def _make_C(channels_7x7, prefix):
    c7 = channels_7x7
    return _make_mixed(prefix, [
        (None, (192, 1, None, None)),
        (None, (c7, 1, None, None), (c7, (1, 7), None, (0, 3)), (192, (7, 1), None, (3, 0))),
        (None, (c7, 1, None, None), (c7, (7, 1), None, (3, 0)), (c7, (1, 7), None, (0, 3)),
         (c7, (7, 1), None, (3, 0)), (192, (1, 7), None, (0, 3))),
        ("avg", (192, 1, None, None))])


def _make_D(prefix):
    return _make_mixed(prefix, [
        (None, (192, 1, None, None), (320, 3, 2, None)),
        (None, (192, 1, None, None), (192, (1, 7), None, (0, 3)), (192, (7, 1), None, (3, 0)),
         (192, 3, 2, None)),
        ("max",)])


def _split_1x3_3x1():
    """Two parallel 384-channel convolutions, 1x3 and 3x1, concatenated."""
    split = hybrid_concurrent(axis=1, prefix="")
    split.add(_make_branch(None, (384, (1, 3), None, (0, 1))))
    split.add(_make_branch(None, (384, (3, 1), None, (1, 0))))
    return split


def _make_E(prefix):
    out = hybrid_concurrent(axis=1, prefix=prefix)
    with out._own_scope():
        out.add(_make_branch(None, (320, 1, None, None)))

        branch_3x3 = nn.HybridSequential(**legacy_prefix(""))
        out.add(branch_3x3)
        branch_3x3.add(_make_branch(None, (384, 1, None, None)))
        branch_3x3.add(_split_1x3_3x1())

        branch_3x3dbl = nn.HybridSequential(**legacy_prefix(""))
        out.add(branch_3x3dbl)
        branch_3x3dbl.add(_make_branch(None, (448, 1, None, None), (384, 3, None, 1)))
        branch_3x3dbl.add(_split_1x3_3x1())

        out.add(_make_branch("avg", (192, 1, None, None)))
    return out


def make_aux(classes):
    """The auxiliary classifier head (not part of :class:`Inception3`)."""
    out = nn.HybridSequential(**legacy_prefix(""))
    out.add(nn.AvgPool2D(pool_size=5, strides=3))
    out.add(_make_basic_conv(channels=128, kernel_size=1))
    out.add(_make_basic_conv(channels=768, kernel_size=5))
    out.add(nn.Flatten())
    out.add(nn.Dense(classes))
    return out


class Inception3(HybridBlock):
    """Inception v3 for 299x299 inputs: stem, mixed blocks A1-A3, B, C1-C4, D, E1-E2 and pooling
    in ``features``, then ``output``."""

    def __init__(self, classes=1000, **kwargs):
        super().__init__(**kwargs)
        with self._own_scope():
            self.features = nn.HybridSequential(**legacy_prefix(""))
            self.features.add(_make_basic_conv(channels=32, kernel_size=3, strides=2))
            self.features.add(_make_basic_conv(channels=32, kernel_size=3))
            self.features.add(_make_basic_conv(channels=64, kernel_size=3, padding=1))
            self.features.add(nn.MaxPool2D(pool_size=3, strides=2))
            self.features.add(_make_basic_conv(channels=80, kernel_size=1))
            self.features.add(_make_basic_conv(channels=192, kernel_size=3))
            self.features.add(nn.MaxPool2D(pool_size=3, strides=2))
            self.features.add(_make_A(32, "A1_"))
            self.features.add(_make_A(64, "A2_"))
            self.features.add(_make_A(64, "A3_"))
            self.features.add(_make_B("B_"))
            self.features.add(_make_C(128, "C1_"))
            self.features.add(_make_C(160, "C2_"))
            self.features.add(_make_C(160, "C3_"))
            self.features.add(_make_C(192, "C4_"))
            self.features.add(_make_D("D_"))
            self.features.add(_make_E("E1_"))
            self.features.add(_make_E("E2_"))
            self.features.add(nn.AvgPool2D(pool_size=8))
            self.features.add(nn.Dropout(0.5))
            self.output = nn.Dense(classes)

    def hybrid_forward(self, F, x):
        return self.output(self.features(x))


def inception_v3(pretrained=False, ctx=None, root=DEFAULT_ROOT, **kwargs):
    """Inception v3. ``pretrained``: False, True (file in ``root``), a directory or a file;
    ``ctx`` is accepted for MXNet compatibility."""
    return load_pretrained(Inception3(**kwargs), "inceptionv3", pretrained, root)
