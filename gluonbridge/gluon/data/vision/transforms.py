"""Mirrors ``mxnet.gluon.data.vision.transforms`` for the transforms numpy can compute.

They are Blocks (HybridBlocks where MXNet's are), so they compose and are named as in MXNet, but
they run on numpy arrays in the caller's process, never inside a traced model. Images are HWC
(or NHWC batches). Resizing is :func:`gluonbridge.image.imresize` (OpenCV's nearest and
bilinear; other interpolations raise).
"""
import numpy as np

from .... import image
from ....backend import LoweringError
from ....backend.trace import current_trace
from ....base import numeric_types
from ....ndarray import NDArray
from ...block import Block, HybridBlock
from ... import nn

__all__ = ["Compose", "HybridCompose", "Cast", "ToTensor", "Normalize", "RandomResizedCrop",
           "CropResize", "CenterCrop", "Resize", "RandomFlipLeftRight", "RandomFlipTopBottom"]


class _Transform:
    """Runs ``transform(x)`` on numpy arrays; refuses to be traced into a model graph."""

    def _call_impl(self, *args):
        if current_trace() is not None:
            raise LoweringError(f"{type(self).__name__} is a data transform: gluonbridge runs it "
                                "on numpy arrays, not inside a traced block")
        x = args[0].asnumpy() if hasattr(args[0], "asnumpy") else np.asarray(args[0])
        return np.asarray(self.transform(x, *args[1:])).view(NDArray)

    def forward(self, x, *args):
        return self._call_impl(x, *args)


class HybridSequential(nn.HybridSequential):
    """The group Compose makes of consecutive HybridBlock transforms (named and shown as MXNet's
    HybridSequential): its children are called one by one on arrays, never traced together."""

    def _call_impl(self, *args):
        x = args[0]
        for _, block in self._child_items():
            x = block(x)
        return x


class Compose(nn.Sequential):
    """Apply transforms in order (runs of HybridBlocks grouped into a HybridSequential, as
    MXNet does)."""

    def __init__(self, transforms):
        super().__init__()
        hybrid = []
        for t in list(transforms) + [None]:
            if isinstance(t, HybridBlock):
                hybrid.append(t)
                continue
            if len(hybrid) == 1:
                self.add(hybrid[0])
            elif len(hybrid) > 1:
                group = HybridSequential()
                group.add(*hybrid)
                group.hybridize()
                self.add(group)
            hybrid = []
            if t is not None:
                self.add(t)


class HybridCompose(nn.HybridSequential):
    """Apply HybridBlock transforms in order (MXNet 2)."""

    def __init__(self, transforms):
        super().__init__()
        for t in transforms:
            if not isinstance(t, HybridBlock):
                raise ValueError(f"{t} is not a HybridBlock, try use `Compose` instead")
            self.add(t)


class Cast(_Transform, HybridBlock):
    """Cast to ``dtype``."""

    def __init__(self, dtype="float32"):
        super().__init__()
        self._dtype = dtype

    def transform(self, x):
        return x.astype(self._dtype)


class ToTensor(_Transform, HybridBlock):
    """HWC (or NHWC) values in [0, 255] -> CHW (NCHW) float32 in [0, 1]."""

    def transform(self, x):
        if x.ndim not in (3, 4):
            raise ValueError(f"ToTensor expects an HWC image or NHWC batch, got shape {x.shape}")
        return np.moveaxis(x.astype(np.float32) / np.float32(255.0), -1, -3)


class Normalize(_Transform, HybridBlock):
    """``(x - mean) / std`` per channel of a CHW (or NCHW) float tensor."""

    def __init__(self, mean=0.0, std=1.0):
        super().__init__()
        self._mean, self._std = mean, std

    def transform(self, x):
        shape = (-1, 1, 1)
        mean = np.reshape(np.asarray(self._mean, dtype=np.float32), shape)
        std = np.reshape(np.asarray(self._std, dtype=np.float32), shape)
        if x.shape[-3] != mean.size and mean.size != 1:
            raise ValueError(f"Normalize: {mean.size} means for {x.shape[-3]} channels")
        return ((x.astype(np.float32) - mean) / std).astype(np.float32)


def _output_size(size, keep_ratio, h, w):
    """(width, height) as MXNet's image.resize computes it."""
    if isinstance(size, numeric_types):
        if not keep_ratio:
            return int(size), int(size)
        if h > w:
            return int(size), int(h * size / w)
        return int(w * size / h), int(size)
    return int(size[0]), int(size[1])


class Resize(_Transform, HybridBlock):
    """Resize HWC images (or NHWC batches) to ``size`` (int: square, or the shorter side with
    ``keep_ratio``; ``(width, height)``)."""

    def __init__(self, size, keep_ratio=False, interpolation=1):
        super().__init__()
        self._keep, self._size, self._interpolation = keep_ratio, size, interpolation

    def transform(self, x):
        h, w = x.shape[-3], x.shape[-2]
        new_w, new_h = _output_size(self._size, self._keep, h, w)
        if x.ndim == 4:
            return np.stack([image.imresize(i, new_w, new_h, self._interpolation) for i in x])
        return image.imresize(x, new_w, new_h, self._interpolation)


class CenterCrop(_Transform, Block):
    """Crop the centre ``size`` (int or (w, h)) of an HWC image, resized up when the image is
    smaller."""

    def __init__(self, size, interpolation=1):
        super().__init__()
        self._size = (size, size) if isinstance(size, numeric_types) else tuple(size)
        self._interpolation = interpolation

    def transform(self, x):
        return image.center_crop(x, self._size, self._interpolation)[0]


class CropResize(_Transform, HybridBlock):
    """Crop ``(x, y, width, height)``, then resize to ``size`` if given."""

    def __init__(self, x, y, width, height, size=None, interpolation=None):
        super().__init__()
        self._box = (x, y, width, height)
        self._size, self._interpolation = size, interpolation

    def transform(self, img):
        x, y, width, height = self._box
        out = img[..., y:y + height, x:x + width, :]
        if self._size:
            out = Resize(self._size, False, 1 if self._interpolation is None
                         else self._interpolation).transform(out)
        return out


class RandomResizedCrop(_Transform, Block):
    """A crop of random area (``scale`` of the image) and aspect ratio (``ratio``), resized to
    ``size``; the centre crop after 10 failed draws."""

    def __init__(self, size, scale=(0.08, 1.0), ratio=(3.0 / 4.0, 4.0 / 3.0), interpolation=1):
        super().__init__()
        size = (size, size) if isinstance(size, numeric_types) else tuple(size)
        self._args = (size, scale, ratio, interpolation)

    def transform(self, x):
        return image.random_size_crop(x, *self._args)[0]


class RandomFlipLeftRight(_Transform, HybridBlock):
    """Flip the width axis with probability 0.5."""

    def transform(self, x):
        return x[..., ::-1, :].copy() if np.random.rand() < 0.5 else x


class RandomFlipTopBottom(_Transform, HybridBlock):
    """Flip the height axis with probability 0.5."""

    def transform(self, x):
        return x[..., ::-1, :, :].copy() if np.random.rand() < 0.5 else x
