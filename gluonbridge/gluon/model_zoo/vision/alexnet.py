"""AlexNet ("One weird trick for parallelizing convolutional neural networks",
arXiv:1404.5997)."""
from ... import nn
from ...block import HybridBlock
from ..model_store import DEFAULT_ROOT, load_pretrained
from ._common import legacy_prefix

__all__ = ["AlexNet", "alexnet"]


class AlexNet(HybridBlock):
    """AlexNet: five convolutions and two hidden dense layers in ``features``, then ``output``.

    ``features`` shares the model's prefix, so under legacy naming ``output`` is ``dense2``.
    """

    def __init__(self, classes=1000, **kwargs):
        super().__init__(**kwargs)
        with self._own_scope():
            self.features = nn.HybridSequential(**legacy_prefix(""))
            with self.features._own_scope():
                for channels, kernel, stride, padding, pool in [(64, 11, 4, 2, True),
                                                                (192, 5, 1, 2, True),
                                                                (384, 3, 1, 1, False),
                                                                (256, 3, 1, 1, False),
                                                                (256, 3, 1, 1, True)]:
                    self.features.add(nn.Conv2D(channels, kernel_size=kernel, strides=stride,
                                                padding=padding, activation="relu"))
                    if pool:
                        self.features.add(nn.MaxPool2D(pool_size=3, strides=2))
                self.features.add(nn.Flatten())
                for _ in range(2):
                    self.features.add(nn.Dense(4096, activation="relu"))
                    self.features.add(nn.Dropout(0.5))
            self.output = nn.Dense(classes)

    def hybrid_forward(self, F, x):
        return self.output(self.features(x))


def alexnet(pretrained=False, ctx=None, root=DEFAULT_ROOT, **kwargs):
    """AlexNet. ``pretrained``: False, True (file in ``root``), a directory or a file; ``ctx``
    is accepted for MXNet compatibility."""
    return load_pretrained(AlexNet(**kwargs), "alexnet", pretrained, root)
