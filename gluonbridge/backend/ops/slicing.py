"""Ops that cut or pad along axes: slice, slice_axis, slice_like, SliceChannel/split, split_v2,
Crop, Pad, reverse/flip.

Slice bounds are MXNet's attribute values (or sentinels for "to the end"), never a traced
dimension, so the models keep serving every batch size; ``slice_like`` reads its bounds from the
other input's shape at run time.
"""
from __future__ import annotations

import numpy as np

from ...graph.attrs import Bool, Float, Int, Ints, Str, _literal, AttrValueError, Attr
from .registry import Unsupported, op

_END = np.iinfo(np.int64).max
_START_BACK = np.iinfo(np.int64).min


class OptInts(Attr):
    """A tuple whose entries may be None (``begin=(None, 1, 0)``)."""
    kind = "tuple"

    def convert(self, value):
        if isinstance(value, str):
            value = _literal(value) if value.strip() else ()
        if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
            value = (value,)
        if not isinstance(value, (tuple, list)) or not all(
                v is None or (isinstance(v, (int, np.integer)) and not isinstance(v, bool))
                for v in value):
            raise AttrValueError(f"{value!r} is not a tuple of ints or None")
        return tuple(None if v is None else int(v) for v in value)


def outputs(g, op_type, inputs, shapes, dtype, **attrs):
    """An ONNX node with several outputs: their Values."""
    first = g.node(op_type, inputs, shapes[0], dtype, n_outputs=len(shapes), **attrs)
    names = g.nodes[-1][2]
    return [first] + [type(first)(n, s, dtype) for n, s in zip(names[1:], shapes[1:])]


def slice_nodes(g, data, axes, starts, ends, steps, shape):
    return g.node("Slice", [data, g.constant(starts, np.int64), g.constant(ends, np.int64),
                            g.constant(axes, np.int64), g.constant(steps, np.int64)],
                  shape, data.dtype)


def _slice_plan(a, data):
    """(axes, starts, ends, steps, output shape) of MXNet's ``slice``."""
    steps = a.step or ()
    if len(a.begin) != len(a.end) or len(a.begin) > len(data) or len(steps) > len(a.begin):
        raise Unsupported(f"begin={a.begin!r}, end={a.end!r}, step={steps!r} for a "
                          f"{len(data)}-d input")
    axes, starts, ends, strides, shape = [], [], [], [], list(data)
    for axis, begin in enumerate(a.begin):
        step = steps[axis] if axis < len(steps) and steps[axis] is not None else 1
        if step == 0:
            raise Unsupported("step=0")
        end = a.end[axis]
        shape[axis] = len(range(data[axis])[slice(begin, end, step)])
        axes.append(axis)
        strides.append(step)
        starts.append(begin if begin is not None else (0 if step > 0 else -1))
        ends.append(end if end is not None else (_END if step > 0 else _START_BACK))
    return axes, starts, ends, strides, tuple(shape)


@op("slice", "crop", "_npi_slice", attrs={"begin": OptInts(required=True),
                                          "end": OptInts(required=True), "step": OptInts(())},
    shape=lambda a, data: _slice_plan(a, data)[-1])
def slice_op(g, a, data):
    axes, starts, ends, steps, shape = _slice_plan(a, data.shape)
    return slice_nodes(g, data, axes, starts, ends, steps, shape)


def _slice_axis(a, data):
    axis = a.axis % len(data)
    shape = list(data)
    shape[axis] = len(range(data[axis])[slice(a.begin, a.end)])
    return axis, tuple(shape)


@op("slice_axis", "_npx_slice_axis", attrs={"axis": Int(required=True),
                                            "begin": Int(required=True), "end": Int(None)},
    shape=lambda a, data: _slice_axis(a, data)[1])
def slice_axis(g, a, data):
    axis, shape = _slice_axis(a, data.shape)
    return slice_nodes(g, data, [axis], [a.begin], [_END if a.end is None else a.end], [1], shape)


def _like_axes(a, data, like):
    axes = [x % len(data) for x in a.axes] if a.axes else list(range(len(data)))
    if len(like) != len(data) and not a.axes:
        raise Unsupported(f"shape_like {tuple(like)} for data {tuple(data)}")
    return axes


@op("slice_like", "_npx_slice_like", inputs=("data", "shape_like"), uniform=False,
    attrs={"axes": Ints(())},
    shape=lambda a, data, like: tuple(like[i] if i in _like_axes(a, data, like) else d
                                      for i, d in enumerate(data)))
def slice_like(g, a, data, like):
    axes = _like_axes(a, data.shape, like.shape)
    shape = tuple(like.shape[i] if i in axes else d for i, d in enumerate(data.shape))
    like_shape = g.node("Shape", [like], (like.ndim,), np.int64)
    ends = g.node("Gather", [like_shape, g.constant(axes, np.int64)], (len(axes),), np.int64)
    return g.node("Slice", [data, g.constant([0] * len(axes), np.int64), ends,
                            g.constant(axes, np.int64)], shape, data.dtype)


def _split_shapes(a, data):
    axis = a.axis % len(data)
    if data[axis] % a.num_outputs:
        raise Unsupported(f"num_outputs={a.num_outputs} for axis {a.axis} of size {data[axis]}")
    part = list(data)
    part[axis] //= a.num_outputs
    if a.squeeze_axis:
        if part[axis] != 1:
            raise Unsupported(f"squeeze_axis=True with parts of size {part[axis]}")
        part.pop(axis)
    return [tuple(part)] * a.num_outputs


@op("SliceChannel", "split", "_npx_split", attrs={"num_outputs": Int(required=True),
                                                  "axis": Int(1), "squeeze_axis": Bool(False)},
    shape=_split_shapes, num_outputs=lambda raw: int(_literal(str(raw["num_outputs"]))))
def slice_channel(g, a, data):
    """Equal parts (ONNX Split without sizes), so the split axis may be the batch axis."""
    axis = a.axis % data.ndim
    part = list(data.shape)
    part[axis] //= a.num_outputs
    parts = outputs(g, "Split", [data], [tuple(part)] * a.num_outputs, data.dtype, axis=axis)
    if not a.squeeze_axis:
        return parts
    squeezed = _split_shapes(a, data.shape)[0]
    return [g.node("Squeeze", [p, g.constant([axis], np.int64)], squeezed, p.dtype)
            for p in parts]


def _sections(a, data):
    """(start, end) of every part of split_v2 / numpy split (end None: to the end)."""
    axis = a.axis % len(data)
    if a.sections:
        if data[axis] % a.sections:
            raise Unsupported(f"sections={a.sections} for axis {a.axis} of size {data[axis]}")
        size = data[axis] // a.sections
        bounds = [(i * size, (i + 1) * size) for i in range(a.sections)]
        return axis, bounds[:-1] + [(bounds[-1][0], None)]
    points = list(a.indices) + [None]
    return axis, [(points[i], points[i + 1]) for i in range(len(points) - 1)]


def _sections_shapes(a, data):
    axis, bounds = _sections(a, data)
    shapes = []
    for start, end in bounds:
        shape = list(data)
        shape[axis] = len(range(data[axis])[start:end])
        if a.squeeze_axis:
            if shape[axis] != 1:
                raise Unsupported(f"squeeze_axis=True with a part of size {shape[axis]}")
            shape.pop(axis)
        shapes.append(tuple(shape))
    return shapes


def _count_sections(raw):
    sections = int(_literal(str(raw.get("sections", "0"))))
    return sections or len(_literal(str(raw.get("indices", "()"))))


@op("_split_v2", "split_v2", "_npi_split",
    attrs={"indices": Ints(()), "axis": Int(0), "squeeze_axis": Bool(False), "sections": Int(0)},
    shape=_sections_shapes, num_outputs=_count_sections)
def split_v2(g, a, data):
    axis, bounds = _sections(a, data.shape)
    parts = []
    for (start, end), shape in zip(bounds, _sections_shapes(a, data.shape)):
        full = list(data.shape)
        full[axis] = len(range(data.shape[axis])[start:end])
        part = slice_nodes(g, data, [axis], [start], [_END if end is None else end], [1], full)
        if a.squeeze_axis:
            part = g.node("Squeeze", [part, g.constant([axis], np.int64)], shape, data.dtype)
        parts.append(part)
    return parts


def _flip_axes(a, data):
    """MXNet refuses a negative axis here (1.9.1, numpy flip included)."""
    if any(x < 0 or x >= len(data) for x in a.axis):
        raise Unsupported(f"axis={a.axis!r} (MXNet's reverse takes axes in [0, ndim))")
    return sorted(set(a.axis))


@op("reverse", "flip", "_npi_flip", attrs={"axis": Ints(required=True)},
    shape=lambda a, data: _flip_axes(a, data) and tuple(data))
def reverse(g, a, data):
    axes = _flip_axes(a, data.shape)
    return slice_nodes(g, data, axes, [-1] * len(axes), [_START_BACK] * len(axes),
                       [-1] * len(axes), data.shape)


def _crop_plan(a, data, like=None):
    if len(data) != 4:
        raise Unsupported(f"a {len(data)}-d input (Crop takes NCHW)")
    h, w = (like[2], like[3]) if like is not None else tuple(a.h_w)
    if (h, w) == (0, 0) and like is None:
        raise Unsupported("h_w=(0, 0) without crop_like")
    if a.center_crop:
        top, left = (data[2] - h) // 2, (data[3] - w) // 2
    else:
        top, left = tuple(a.offset)
    if top < 0 or left < 0 or top + h > data[2] or left + w > data[3]:
        raise Unsupported(f"cropping {(h, w)} at {(top, left)} from {tuple(data)}")
    return top, left, (data[0], data[1], h, w)


@op("Crop", inputs=("data", "crop_like"), uniform=False,
    attrs={"num_args": Int(1), "offset": Ints((0, 0)), "h_w": Ints((0, 0)),
           "center_crop": Bool(False)},
    shape=lambda a, data, like=None: _crop_plan(a, data, like)[2])
def crop_op(g, a, data, like=None):
    top, left, shape = _crop_plan(a, data.shape, like.shape if like is not None else None)
    return slice_nodes(g, data, [2, 3], [top, left], [top + shape[2], left + shape[3]], [1, 1],
                       shape)


def _pad_shape(a, data):
    width = a.pad_width
    if len(width) != 2 * len(data):
        raise Unsupported(f"pad_width={width!r} for a {len(data)}-d input")
    return tuple(d + width[2 * i] + width[2 * i + 1] for i, d in enumerate(data))


@op("Pad", "pad", attrs={"mode": Str("constant", choices={"constant", "edge", "reflect"}),
                         "pad_width": Ints(required=True), "constant_value": Float(0.0)},
    shape=_pad_shape)
def pad(g, a, data):
    pads = list(a.pad_width[0::2]) + list(a.pad_width[1::2])
    inputs = [data, g.constant(pads, np.int64)]
    if a.mode == "constant":
        inputs.append(g.constant(a.constant_value, data.dtype))
    return g.node("Pad", inputs, _pad_shape(a, data.shape), data.dtype, mode=a.mode)
