"""Ops that select by index: take, pick, batch_take, gather_nd, one_hot, unravel_index, topk,
sort, argsort and the sequence ops (SequenceMask, SequenceLast, SequenceReverse). MXNet's index
inputs are usually floats; they are truncated to int64 as MXNet's ``static_cast<int>`` does."""
from __future__ import annotations

import numpy as np

from ...graph.attrs import Bool, Dtype, Float, Int, Ints, Str
from .elementwise import onnx_dtype
from .registry import Unsupported, op
from .slicing import outputs

_I64 = np.dtype(np.int64)


def as_index(g, index):
    if index.dtype == _I64:
        return index
    return g.node("Cast", [index], index.shape, _I64, to=onnx_dtype(_I64))


def cast(g, value, dtype):
    return value if value.dtype == dtype else g.node("Cast", [value], value.shape, dtype,
                                                     to=onnx_dtype(dtype))


def axis_size(g, data, axis):
    """``data.shape[axis]`` at run time, an int64 scalar."""
    shape = g.node("Shape", [data], (data.ndim,), _I64)
    return g.node("Gather", [shape, g.constant(axis, np.int64)], (), _I64)


def bounded(g, index, size, mode):
    """``index`` clipped into ``[0, size)`` (mode clip) or wrapped (mode wrap, Python's %)."""
    if mode == "wrap":
        return g.node("Mod", [index, size], index.shape, _I64)   # sign of the divisor (fmod=0)
    last = g.node("Sub", [size, g.constant(1, np.int64)], (), _I64)
    low = g.node("Max", [index, g.constant(0, np.int64)], index.shape, _I64)
    return g.node("Min", [low, last], index.shape, _I64)


def _take_shape(a, data, indices):
    axis = a.axis % len(data)
    return tuple(data[:axis]) + tuple(indices) + tuple(data[axis + 1:])


@op("take", "_npi_take", inputs=("a", "indices"), uniform=False,
    attrs={"axis": Int(0), "mode": Str("clip", choices={"clip", "wrap", "raise"})},
    shape=_take_shape, dtype=lambda a, data, indices: data)
def take(g, a, data, indices):
    """Mode raise: ONNX Gather refuses out-of-range indices at run time as MXNet does."""
    axis = a.axis % data.ndim
    index = as_index(g, indices)
    if a.mode != "raise":
        index = bounded(g, index, axis_size(g, data, axis), a.mode)
    return g.node("Gather", [data, index], _take_shape(a, data.shape, indices.shape), data.dtype,
                  axis=axis)


def _pick_shape(a, data, index):
    if a.axis is None:
        raise Unsupported("axis=None")
    axis = a.axis % len(data)
    if a.keepdims:
        return tuple(1 if i == axis else d for i, d in enumerate(data))
    return tuple(d for i, d in enumerate(data) if i != axis)


@op("pick", "_npx_pick", inputs=("data", "index"), uniform=False,
    attrs={"axis": Int(-1), "keepdims": Bool(False), "mode": Str("clip", choices={"clip", "wrap"})},
    shape=_pick_shape, dtype=lambda a, data, index: data)
def pick(g, a, data, index):
    axis = a.axis % data.ndim
    idx = bounded(g, as_index(g, index), axis_size(g, data, axis), a.mode)
    kept = tuple(1 if i == axis else d for i, d in enumerate(data.shape))
    if idx.ndim == data.ndim - 1:
        idx = g.node("Unsqueeze", [idx, g.constant([axis], np.int64)], kept, _I64)
    out = g.node("GatherElements", [data, idx], kept, data.dtype, axis=axis)
    if a.keepdims:
        return out
    return g.node("Squeeze", [out, g.constant([axis], np.int64)],
                  _pick_shape(a, data.shape, index.shape), data.dtype)


def _batch_take_shape(a, data, indices):
    if len(data) != 2:
        raise Unsupported(f"data of shape {tuple(data)} (batch_take takes a 2-d array; MXNet "
                          "1.9.1 reads past the rows of a larger one; use pick)")
    if int(np.prod(indices)) != data[0]:
        raise Unsupported(f"indices of shape {tuple(indices)} for data of shape {tuple(data)} "
                          "(one index per row)")
    return tuple(indices)


@op("batch_take", inputs=("a", "indices"), uniform=False, shape=_batch_take_shape,
    dtype=lambda a, data, indices: data)
def batch_take(g, a, data, indices):
    """``a[i, indices[i]]``; an index below 0 takes column 0, one past the end the last."""
    index = g.node("Reshape", [as_index(g, indices), g.constant([-1, 1], np.int64)],
                   (data.shape[0], 1), _I64)
    index = bounded(g, index, axis_size(g, data, 1), "clip")
    out = g.node("GatherElements", [data, index], (data.shape[0], 1), data.dtype, axis=1)
    shape = _batch_take_shape(a, data.shape, indices.shape)
    return g.node("Reshape", [out, g.shape_constant(shape)], shape, data.dtype)


def _gather_nd_shape(a, data, indices):
    depth = indices[0]
    if depth > len(data):
        raise Unsupported(f"indices {tuple(indices)} for data {tuple(data)}")
    return tuple(indices[1:]) + tuple(data[depth:])


@op("gather_nd", "_npi_gather_nd", inputs=("data", "indices"), uniform=False,
    shape=_gather_nd_shape, dtype=lambda a, data, indices: data)
def gather_nd(g, a, data, indices):
    """MXNet's indices are (M, ...); ONNX GatherND wants (..., M)."""
    index = as_index(g, indices)
    perm = list(range(1, index.ndim)) + [0]
    index = g.node("Transpose", [index], tuple(index.shape[i] for i in perm), _I64, perm=perm)
    return g.node("GatherND", [data, index], _gather_nd_shape(a, data.shape, indices.shape),
                  data.dtype)


@op("one_hot", "_npx_one_hot", inputs=("indices",),
    attrs={"depth": Int(required=True), "on_value": Float(1.0), "off_value": Float(0.0),
           "dtype": Dtype(np.dtype(np.float32))},
    shape=lambda a, indices: tuple(indices) + (a.depth,), dtype=lambda a, indices: a.dtype)
def one_hot(g, a, indices):
    """An index outside ``[0, depth)`` gives a row of ``off_value`` (ONNX OneHot would wrap
    negative ones)."""
    index = as_index(g, indices)
    index = g.node("Unsqueeze", [index, g.constant([-1], np.int64)], index.shape + (1,), _I64)
    hot = g.node("Equal", [index, g.constant(np.arange(a.depth), np.int64)],
                 indices.shape + (a.depth,), np.dtype(bool))
    return g.node("Where", [hot, g.constant(a.on_value, a.dtype), g.constant(a.off_value, a.dtype)],
                  indices.shape + (a.depth,), a.dtype)


def _unravel_shape(a, data):
    if not a.shape:
        raise Unsupported("an empty shape")
    if len(data) != 1:
        raise Unsupported(f"data of shape {tuple(data)} (MXNet 1.9.1 unravels a 1-d array; for "
                          "more dimensions it writes past its output)")
    if 0 in a.shape[1:]:
        raise Unsupported(f"shape={a.shape} (a 0 after the first dimension divides by zero)")
    return (len(a.shape),) + tuple(data)


@op("_unravel_index", "unravel_index", attrs={"shape": Ints(required=True)},
    shape=_unravel_shape)
def unravel_index(g, a, data):
    """The coordinates of flat indices in an array of ``shape``, one row per dimension, in the
    data's dtype. As MXNet: the index truncated to an integer, then C's truncating division
    and remainder from the last dimension on; the first coordinate is the quotient left, never
    bounded (so the first dimension may be -1, and a negative index gives negative
    coordinates)."""
    index, n = as_index(g, data), data.shape
    rows = []
    for size in reversed(a.shape[1:]):
        divisor = g.constant(size, np.int64)
        rest = g.node("Mod", [index, divisor], n, _I64, fmod=1)
        rows.insert(0, rest)
        exact = g.node("Sub", [index, rest], n, _I64)
        index = g.node("Div", [exact, divisor], n, _I64)
    rows.insert(0, index)
    rows = [g.node("Unsqueeze", [row, g.constant([0], np.int64)], (1,) + n, _I64)
            for row in rows]
    out = g.node("Concat", rows, (len(rows),) + n, _I64, axis=0)
    return cast(g, out, data.dtype)


# -- sorting -----------------------------------------------------------------------------------
def _sort_axis(a, data):
    return None if a.axis is None else a.axis % len(data)


def _topk_k(a, data):
    axis = _sort_axis(a, data)
    size = int(np.prod(data)) if axis is None else data[axis]
    k = getattr(a, "k", 0)
    if k > size:
        raise Unsupported(f"k={k} for an axis of size {size}")
    return size if k < 1 else k


def _topk_shapes(a, data):
    axis = _sort_axis(a, data)
    k = _topk_k(a, data)
    if axis is None:
        shape = (k,)
    else:
        shape = tuple(k if i == axis else d for i, d in enumerate(data))
    ret = getattr(a, "ret_typ", "indices")
    if ret == "mask":
        return [tuple(data)]
    if ret == "both":
        return [shape, shape]
    return [shape]


def _topk(g, a, data, ret, largest):
    axis = _sort_axis(a, data.shape)
    if axis is None:
        data = g.node("Reshape", [data, g.constant([-1], np.int64)], (int(np.prod(data.shape)),),
                      data.dtype)
        axis = 0
    shapes = _topk_shapes(a, data.shape)
    if getattr(a, "k", 0) >= 1:
        k = g.constant([a.k], np.int64)
    else:
        k = g.node("Reshape", [axis_size(g, data, axis), g.constant([1], np.int64)], (1,), _I64)
    top = shapes[0] if ret != "mask" else tuple(
        _topk_k(a, data.shape) if i == axis else d for i, d in enumerate(data.shape))
    values, indices = outputs(g, "TopK", [data, k], [top, top], data.dtype, axis=axis,
                              largest=int(largest), sorted=1)
    indices.dtype = _I64
    out_dtype = getattr(a, "dtype", None) or np.dtype(np.float32)
    if ret == "value":
        return values
    if ret == "indices":
        return cast(g, indices, out_dtype)
    if ret == "both":
        return [values, cast(g, indices, out_dtype)]
    zeros = g.node("Expand", [g.constant(0, data.dtype), g.node("Shape", [data], (data.ndim,),
                                                                  _I64)], data.shape, data.dtype)
    ones = g.node("Expand", [g.constant(1, data.dtype), g.node("Shape", [indices],
                                                                 (indices.ndim,), _I64)],
                  indices.shape, data.dtype)
    return g.node("ScatterElements", [zeros, indices, ones], data.shape, data.dtype, axis=axis)


def _topk_dtypes(a, data):
    ret = a.ret_typ
    index = a.dtype or np.dtype(np.float32)
    return {"value": data, "indices": index, "mask": data, "both": [data, index]}[ret]


@op("topk", "_npx_topk", attrs={"axis": Int(-1), "k": Int(1), "is_ascend": Bool(False),
                                "ret_typ": Str("indices",
                                               choices={"value", "indices", "mask", "both"}),
                                "dtype": Dtype(np.dtype(np.float32))},
    shape=_topk_shapes, dtype=_topk_dtypes,
    num_outputs=lambda raw: 2 if str(raw.get("ret_typ", "indices")).strip("'\"") == "both" else 1)
def topk(g, a, data):
    return _topk(g, a, data, a.ret_typ, not a.is_ascend)


@op("sort", "_npi_sort", attrs={"axis": Int(-1), "is_ascend": Bool(True)},
    shape=lambda a, data: _topk_shapes(a, data)[0])
def sort(g, a, data):
    a.k, a.ret_typ = 0, "value"
    return _topk(g, a, data, "value", not a.is_ascend)


def _declare_argsort(name, default_dtype):
    @op(name, attrs={"axis": Int(-1), "is_ascend": Bool(True),
                     "dtype": Dtype(np.dtype(default_dtype))},
        shape=lambda a, data: _topk_shapes(a, data)[0], dtype=lambda a, data: a.dtype)
    def argsort(g, a, data):
        a.k = 0
        return _topk(g, a, data, "indices", not a.is_ascend)


_declare_argsort("argsort", np.float32)      # MXNet 1.x: float32 indices
_declare_argsort("_npi_argsort", np.int64)   # numpy mode: int64, as NumPy


# -- sequences ---------------------------------------------------------------------------------
_SEQ_ATTRS = {"use_sequence_length": Bool(False), "axis": Int(0)}


def _seq_check(a, data, length):
    if a.axis not in (0, 1):
        raise Unsupported(f"axis={a.axis}")
    if a.use_sequence_length and (length is None or tuple(length) != (data[1 - a.axis],)):
        raise Unsupported(f"sequence_length {length} for data {tuple(data)}")


def _lengths(g, length):
    """Lengths as int64 (MXNet truncates them to int)."""
    return as_index(g, length)


@op("SequenceMask", "_npx_sequence_mask", inputs=("data", "sequence_length"), uniform=False,
    attrs={**_SEQ_ATTRS, "value": Float(0.0)},
    shape=lambda a, data, length=None: _seq_check(a, data, length) or tuple(data),
    dtype=lambda a, data, *_: data)
def sequence_mask(g, a, data, length=None):
    if not a.use_sequence_length:
        return g.node("Identity", [data], data.shape, data.dtype)
    steps = g.node("Range", [g.constant(0, np.int64), axis_size(g, data, a.axis),
                             g.constant(1, np.int64)], (data.shape[a.axis],), _I64)
    lengths = _lengths(g, length)
    if a.axis == 0:          # (T, B): t < len[b]
        steps = g.node("Unsqueeze", [steps, g.constant([1], np.int64)], steps.shape + (1,), _I64)
        keep_shape = (data.shape[0], data.shape[1])
    else:                    # (B, T)
        lengths = g.node("Unsqueeze", [lengths, g.constant([1], np.int64)],
                         lengths.shape + (1,), _I64)
        keep_shape = (data.shape[0], data.shape[1])
    keep = g.node("Less", [steps, lengths], keep_shape, np.dtype(bool))
    if data.ndim > 2:
        keep = g.node("Unsqueeze", [keep, g.constant(list(range(2, data.ndim)), np.int64)],
                      keep_shape + (1,) * (data.ndim - 2), np.dtype(bool))
    return g.node("Where", [keep, data, g.constant(a.value, data.dtype)], data.shape, data.dtype)


def _last_shape(a, data, length=None):
    _seq_check(a, data, length)
    return _without_axis(a, data)


def _without_axis(a, data):
    return tuple(d for i, d in enumerate(data) if i != a.axis)


@op("SequenceLast", "_npx_sequence_last", inputs=("data", "sequence_length"), uniform=False,
    attrs=_SEQ_ATTRS, shape=_last_shape, dtype=lambda a, data, *_: data)
def sequence_last(g, a, data, length=None):
    out_shape = _without_axis(a, data.shape)
    size = axis_size(g, data, a.axis)
    if not a.use_sequence_length:
        last = g.node("Sub", [size, g.constant(1, np.int64)], (), _I64)
        return g.node("Gather", [data, last], out_shape, data.dtype, axis=a.axis)
    if a.axis == 0:
        perm = [1, 0] + list(range(2, data.ndim))
        data = g.node("Transpose", [data], tuple(data.shape[i] for i in perm), data.dtype,
                      perm=perm)
    last = g.node("Sub", [_lengths(g, length), g.constant(1, np.int64)], length.shape, _I64)
    last = g.node("Unsqueeze", [last, g.constant([1], np.int64)], length.shape + (1,), _I64)
    return g.node("GatherND", [data, last], out_shape, data.dtype, batch_dims=1)


def _reverse_shape(a, data, length=None):
    _seq_check(a, data, length)
    if a.axis != 0:
        raise Unsupported(f"axis={a.axis}")
    return tuple(data)


@op("SequenceReverse", "_npx_sequence_reverse", inputs=("data", "sequence_length"),
    uniform=False, attrs=_SEQ_ATTRS,
    shape=lambda a, data, length=None: _reverse_shape(a, data, length),
    dtype=lambda a, data, *_: data)
def sequence_reverse(g, a, data, length=None):
    if not a.use_sequence_length:
        return g.node("Slice", [data, g.constant([-1], np.int64),
                                g.constant([np.iinfo(np.int64).min], np.int64),
                                g.constant([0], np.int64), g.constant([-1], np.int64)],
                      data.shape, data.dtype)
    return g.node("ReverseSequence", [data, _lengths(g, length)], data.shape, data.dtype,
                  batch_axis=1, time_axis=0)
