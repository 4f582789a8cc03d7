"""Mirrors the numpy-computable part of ``mxnet.image``: resizing and cropping HWC images.

Resizing follows OpenCV, which MXNet resizes with: interpolation 0 (nearest: source pixel
``floor(dst * scale)``) and 1 (bilinear with half-pixel centres, positions in float32; uint8
images with OpenCV's 11-bit fixed-point weights: most pixels equal MXNet's, a few differ by one
unit, where OpenCV's optimized paths round differently). Other interpolations (2 cubic, 3 area,
4 Lanczos, and 9/10 which pick among them) raise; decoding (``imread``/``imdecode``) needs
OpenCV inside MXNet and raises too. Random crops draw from Python's ``random``, as MXNet does.
"""
import math
import random

import numpy as np

from .base import numeric_types, without_mxnet

_INTERPOLATIONS = {0: "nearest", 1: "bilinear"}


def imread(filename, *args, **kwargs):
    raise without_mxnet(f"image.imread({filename!r})", "decode images with PIL or OpenCV")


def imdecode(buf, *args, **kwargs):
    raise without_mxnet("image.imdecode()", "decode images with PIL or OpenCV")


def _resize_axis_weights(src, dst):
    """Per output index: left source index, right source index, right weight (bilinear); the
    position in float32 from a double scale, as OpenCV computes it."""
    scale = 1.0 / (dst / src)
    pos = ((np.arange(dst) + 0.5) * scale - 0.5).astype(np.float32)
    left = np.floor(pos).astype(np.int64)
    frac = pos - left.astype(np.float32)
    frac[left < 0] = 0
    left[left < 0] = 0
    high = left >= src - 1
    frac[high] = 0
    left[high] = src - 1
    return left, np.minimum(left + 1, src - 1), frac


def _bilinear(img, h, w):
    (y0, y1, fy), (x0, x1, fx) = (_resize_axis_weights(img.shape[0], h),
                                  _resize_axis_weights(img.shape[1], w))
    if img.dtype == np.uint8:      # OpenCV's fixed point: 11-bit weights, rounded per weight
        one, unit = np.float32(1), np.float32(2048)
        ax1 = np.round(fx * unit).astype(np.int64)
        ax0 = np.round((one - fx) * unit).astype(np.int64)
        src = img.astype(np.int64)
        rows = src[:, x0] * ax0[None, :, None] + src[:, x1] * ax1[None, :, None]
        by1 = np.round(fy * unit).astype(np.int64)
        by0 = np.round((one - fy) * unit).astype(np.int64)
        top = (by0[:, None, None] * (rows[y0] >> 4)) >> 16
        bottom = (by1[:, None, None] * (rows[y1] >> 4)) >> 16
        return np.clip((top + bottom + 2) >> 2, 0, 255).astype(np.uint8)
    src = img.astype(np.float32)
    fx, fy = fx.astype(np.float32)[None, :, None], fy.astype(np.float32)[:, None, None]
    rows_top = src[y0][:, x0] * (1 - fx) + src[y0][:, x1] * fx
    rows_bottom = src[y1][:, x0] * (1 - fx) + src[y1][:, x1] * fx
    return (rows_top * (1 - fy) + rows_bottom * fy).astype(img.dtype)


def imresize(img, w, h, interp=1):
    """Resize an HWC image to ``w`` x ``h`` as OpenCV does (interp 0 or 1)."""
    if interp not in _INTERPOLATIONS:
        raise NotImplementedError(f"interpolation {interp} is not implemented by gluonbridge's "
                                  "numpy transforms (0: nearest and 1: bilinear are)")
    if (img.shape[0], img.shape[1]) == (h, w):
        return img.copy()
    if interp == 0:
        ys = np.minimum(np.floor(np.arange(h) * (img.shape[0] / h)).astype(np.int64),
                        img.shape[0] - 1)
        xs = np.minimum(np.floor(np.arange(w) * (img.shape[1] / w)).astype(np.int64),
                        img.shape[1] - 1)
        return img[ys][:, xs]
    return _bilinear(img, h, w)


def imresize(src, w, h, interp=1):
    """``src`` (HWC) resized to ``w`` x ``h`` as OpenCV does (interp 0 or 1)."""
    if interp not in _INTERPOLATIONS:
        raise NotImplementedError(f"interpolation {interp} is not implemented by gluonbridge "
                                  "(0: nearest and 1: bilinear are)")
    src = np.asarray(src)
    if (src.shape[0], src.shape[1]) == (h, w):
        return src.copy()
    if interp == 0:
        ys = np.minimum(np.floor(np.arange(h) * (src.shape[0] / h)).astype(np.int64),
                        src.shape[0] - 1)
        xs = np.minimum(np.floor(np.arange(w) * (src.shape[1] / w)).astype(np.int64),
                        src.shape[1] - 1)
        return src[ys][:, xs]
    return _bilinear(src, h, w)


def scale_down(src_size, size):
    """Shrink ``size`` (w, h) to fit ``src_size`` (w, h) keeping its aspect ratio."""
    w, h = size
    sw, sh = src_size
    if sh < h:
        w, h = float(w * sh) / h, sh
    if sw < w:
        w, h = sw, float(h * sw) / w
    return int(w), int(h)


def resize_short(src, size, interp=1):
    """Resize so the shorter side is ``size``."""
    h, w = src.shape[:2]
    new_h, new_w = (size * h // w, size) if h > w else (size, size * w // h)
    return imresize(src, new_w, new_h, interp)


def fixed_crop(src, x0, y0, w, h, size=None, interp=1):
    """The ``w`` x ``h`` crop at (``x0``, ``y0``), resized to ``size`` (w, h) if given."""
    out = src[y0:y0 + h, x0:x0 + w]
    if size is not None and (w, h) != tuple(size):
        out = imresize(out, size[0], size[1], interp)
    return out


def center_crop(src, size, interp=1):
    """The centre crop of ``size`` (w, h), shrunk to fit and resized back up; returns
    ``(image, (x0, y0, w, h))``."""
    h, w = src.shape[:2]
    new_w, new_h = scale_down((w, h), size)
    x0, y0 = int((w - new_w) / 2), int((h - new_h) / 2)
    return fixed_crop(src, x0, y0, new_w, new_h, size, interp), (x0, y0, new_w, new_h)


def random_crop(src, size, interp=1):
    """A crop of ``size`` (w, h) at a random place; returns ``(image, (x0, y0, w, h))``."""
    h, w = src.shape[:2]
    new_w, new_h = scale_down((w, h), size)
    x0, y0 = random.randint(0, w - new_w), random.randint(0, h - new_h)
    return fixed_crop(src, x0, y0, new_w, new_h, size, interp), (x0, y0, new_w, new_h)


def random_size_crop(src, size, area, ratio, interp=1):
    """A crop of random area (fraction ``area``) and aspect ratio (``ratio`` range) resized to
    ``size``; the centre crop after 10 failed draws. Returns ``(image, (x0, y0, w, h))``."""
    h, w = src.shape[:2]
    area = (area, 1.0) if isinstance(area, numeric_types) else area
    for _ in range(10):
        target = random.uniform(area[0], area[1]) * h * w
        aspect = math.exp(random.uniform(math.log(ratio[0]), math.log(ratio[1])))
        new_w = int(round(math.sqrt(target * aspect)))
        new_h = int(round(math.sqrt(target / aspect)))
        if new_w <= w and new_h <= h:
            x0, y0 = random.randint(0, w - new_w), random.randint(0, h - new_h)
            return fixed_crop(src, x0, y0, new_w, new_h, size, interp), (x0, y0, new_w, new_h)
    return center_crop(src, size, interp)


def color_normalize(src, mean, std=None):
    """``(src - mean) / std``."""
    if mean is not None:
        src = src - mean
    if std is not None:
        src = src / std
    return src
