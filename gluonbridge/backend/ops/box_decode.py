"""_contrib_box_decode: box regression offsets applied to anchors, as MXNet 1.9.1's
``box_decode`` (src/operator/contrib/bounding_box-inl.h); GluonCV's detectors (SSD, Faster
R-CNN) export it from their NormalizedBoxCenterDecoder.

``data`` (B, N, 4) holds the offsets (dx, dy, dw, dh). ``anchors`` holds exactly N boxes, the
same for every sample (MXNet reads it as (1, N, 4) whatever its leading axes, and refuses any
other size), in ``format`` 'corner' (x1, y1, x2, y2, turned into center and size) or 'center'
(x, y, w, h). With the anchor's
center (ax, ay) and size (aw, ah): x = dx*std0*aw + ax, y = dy*std1*ah + ay, half width
exp(min(dw*std2, clip))*aw*0.5 (``clip`` only when > 0), half height likewise; the output is
the corner box (x - half width, y - half height, x + half width, y + half height). Every
product is taken in MXNet's order, so float32 results round as MXNet's do.
"""
from __future__ import annotations

import numpy as np

from ...graph.attrs import Float, Str
from .common import binary, reshape
from .registry import Unsupported, op
from .slicing import outputs


def _shape(a, data, anchors):
    if len(data) != 3 or data[-1] != 4:
        raise Unsupported(f"data of shape {tuple(data)} (it must be (batch, boxes, 4))")
    if len(anchors) < 3 or anchors[-1] != 4 or int(np.prod(anchors)) != 4 * data[1]:
        raise Unsupported(f"anchors of shape {tuple(anchors)} for {data[1]} boxes (at least "
                          "3-d, last axis 4, one box for each)")
    return tuple(data)


def _columns(g, value, axis):
    shape = tuple(value.shape[:axis]) + (1,) + tuple(value.shape[axis + 1:])
    return outputs(g, "Split", [value, g.constant([1, 1, 1, 1], np.int64)], [shape] * 4,
                   value.dtype, axis=axis)


@op("_contrib_box_decode", "box_decode", "_npx_box_decode", inputs=("data", "anchors"),
    attrs={"std0": Float(1.0), "std1": Float(1.0), "std2": Float(1.0), "std3": Float(1.0),
           "clip": Float(-1.0), "format": Str("center", choices={"corner", "center"})},
    shape=_shape)
def box_decode(g, a, data, anchors):
    ax, ay, aw, ah = _columns(g, reshape(g, anchors, (data.shape[1], 4)), 1)
    if a.format == "corner":
        aw, ah = binary(g, "Sub", aw, ax), binary(g, "Sub", ah, ay)
        ax = binary(g, "Add", ax, binary(g, "Mul", aw, 0.5))
        ay = binary(g, "Add", ay, binary(g, "Mul", ah, 0.5))
    dx, dy, dw, dh = _columns(g, data, 2)
    x = binary(g, "Add", binary(g, "Mul", binary(g, "Mul", dx, a.std0), aw), ax)
    y = binary(g, "Add", binary(g, "Mul", binary(g, "Mul", dy, a.std1), ah), ay)
    halves = []
    for offset, std, extent in ((dw, a.std2, aw), (dh, a.std3, ah)):
        scaled = binary(g, "Mul", offset, std)
        if a.clip > 0:
            scaled = binary(g, "Min", scaled, a.clip)
        grown = g.node("Exp", [scaled], scaled.shape, scaled.dtype)
        halves.append(binary(g, "Mul", binary(g, "Mul", grown, extent), 0.5))
    corners = [binary(g, "Sub", x, halves[0]), binary(g, "Sub", y, halves[1]),
               binary(g, "Add", x, halves[0]), binary(g, "Add", y, halves[1])]
    return g.node("Concat", corners, tuple(data.shape), data.dtype, axis=2)
