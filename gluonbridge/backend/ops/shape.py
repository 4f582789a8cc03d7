"""Ops that move data without computing: Flatten, Reshape (MXNet's special codes), reshape_like,
transpose, SwapAxis, expand_dims, squeeze, Concat, stack, tile, repeat, broadcast_to/axis/like,
space_to_depth, depth_to_space."""
from __future__ import annotations

import numpy as np

from ...graph.attrs import Bool, Int, IntOrInts, Ints, Str
from .common import reshape as reshape_nodes
from .registry import Unsupported, op


@op("Flatten", "flatten", "batch_flatten", "_npx_batch_flatten",
    shape=lambda a, data: (data[0], int(np.prod(data[1:]))))
def flatten(g, a, data):
    return g.node("Flatten", [data], (data.shape[0], int(np.prod(data.shape[1:]))), data.dtype,
                  axis=1)


def mxnet_reshape(in_shape, spec, reverse=False):
    """MXNet's reshape codes: 0 copies a dimension, -1 infers one, -2 copies the rest, -3 merges
    two, -4 splits one into the next two values."""
    if reverse:
        return tuple(reversed(mxnet_reshape(tuple(reversed(in_shape)), tuple(reversed(spec)))))
    out, i, j = [], 0, 0
    spec = list(spec)
    while j < len(spec):
        code = spec[j]
        if code == 0:
            out.append(in_shape[i]); i += 1
        elif code == -1:
            out.append(-1); i += 1
        elif code == -2:
            out.extend(in_shape[i:]); i = len(in_shape)
        elif code == -3:
            out.append(in_shape[i] * in_shape[i + 1]); i += 2
        elif code == -4:
            a, b = spec[j + 1], spec[j + 2]
            a = in_shape[i] // b if a == -1 else a
            b = in_shape[i] // a if b == -1 else b
            out += [a, b]; i += 1; j += 2
        else:
            out.append(code); i += 1
        j += 1
    if -1 in out:
        known = int(np.prod([d for d in out if d != -1]))
        out[out.index(-1)] = int(np.prod(in_shape)) // known
    return tuple(out)


def _legacy_target(a, data):
    """MXNet 0.x's ``target_shape`` (0: the one inferred dimension) and ``keep_highest``."""
    target = list(a.target_shape)
    if a.keep_highest:
        target = [data[0]] + target[1:]
    if target.count(0) > 1:
        return None
    if 0 in target:
        known = int(np.prod([d for d in target if d != 0]))
        target[target.index(0)] = int(np.prod(data)) // known if known else 0
    return tuple(target)


def _reshape_shape(a, data):
    spec = a.shape if a.shape is not None else a.newshape
    try:
        if a.target_shape and not spec:
            target = _legacy_target(a, data)
        else:
            target = mxnet_reshape(tuple(data), spec or (), a.reverse)
    except (IndexError, ZeroDivisionError):
        target = None
    if target is None or int(np.prod(target)) != int(np.prod(data)):
        raise Unsupported(f"shape={a.raw.get('shape', a.raw.get('newshape'))!r} for input "
                          f"{tuple(data)}")
    return target


@op("Reshape", "reshape",
    attrs={"shape": Ints(None), "reverse": Bool(False), "newshape": Ints(None),
           "target_shape": Ints(()), "keep_highest": Bool(False)},
    shape=_reshape_shape)
def reshape(g, a, data):
    return reshape_nodes(g, data, _reshape_shape(a, data.shape))


def npx_reshape(in_shape, spec, reverse=False):
    """numpy-mode ``npx.reshape`` codes: -1 infers, -2 copies one dimension, -3 drops a
    dimension of size 1, -4 copies the rest, -5 merges two, -6 splits one into the next two
    values."""
    if reverse:
        return tuple(reversed(npx_reshape(tuple(reversed(in_shape)), tuple(reversed(spec)))))
    out, i, j = [], 0, 0
    spec = list(spec)
    while j < len(spec):
        code = spec[j]
        if code == -2:
            out.append(in_shape[i]); i += 1
        elif code == -3:
            if in_shape[i] != 1:
                raise IndexError(code)
            i += 1
        elif code == -4:
            out.extend(in_shape[i:]); i = len(in_shape)
        elif code == -5:
            out.append(in_shape[i] * in_shape[i + 1]); i += 2
        elif code == -6:
            a, b = spec[j + 1], spec[j + 2]
            a = in_shape[i] // b if a == -1 else a
            b = in_shape[i] // a if b == -1 else b
            out += [a, b]; i += 1; j += 2
        elif code == -1:
            out.append(-1); i += 1
        elif code >= 0:
            out.append(code); i += 1
        else:
            raise IndexError(code)
        j += 1
    if out.count(-1) > 1:
        raise IndexError(-1)
    if -1 in out:
        known = int(np.prod([d for d in out if d != -1]))
        out[out.index(-1)] = int(np.prod(in_shape)) // known
    return tuple(out)


def _npx_reshape_shape(a, data):
    try:
        target = npx_reshape(tuple(data), a.newshape, a.reverse)
    except (IndexError, ZeroDivisionError):
        target = None
    if target is None or int(np.prod(target)) != int(np.prod(data)):
        raise Unsupported(f"newshape={a.raw.get('newshape')!r} for input {tuple(data)}")
    return target


_NPX_RESHAPE_ATTRS = {"newshape": Ints(required=True), "reverse": Bool(False),
                      "order": Str("C", choices={"C"})}


@op("_npx_reshape", attrs=_NPX_RESHAPE_ATTRS, shape=_npx_reshape_shape)
def npx_reshape_op(g, a, data):
    return reshape_nodes(g, data, _npx_reshape_shape(a, data.shape))


# MXNet 2's other name of ``_npx_reshape``: what ``np.reshape`` and ``x.reshape(...)`` call
# (through the C++ FFI, so 2.0.0b1's export prints every field), kept apart from
# ``npx.reshape`` in the trace for that reason.
op("_npi_reshape", attrs=_NPX_RESHAPE_ATTRS, shape=_npx_reshape_shape)(npx_reshape_op)


def _np_reshape_shape(a, data):
    target = list(a.newshape)
    if target.count(-1) == 1:
        known = int(np.prod([d for d in target if d != -1]))
        target[target.index(-1)] = int(np.prod(data)) // known if known else 0
    if any(d < 0 for d in target) or int(np.prod(target)) != int(np.prod(data)):
        raise Unsupported(f"newshape={a.raw.get('newshape')!r} for input {tuple(data)}")
    return tuple(target)


@op("_np_reshape", attrs={"newshape": Ints(required=True), "order": Str("C", choices={"C"})},
    shape=_np_reshape_shape)
def np_reshape(g, a, data):
    return reshape_nodes(g, data, _np_reshape_shape(a, data.shape))


def _transpose_axes(a, data):
    return [int(x) % len(data) for x in a.axes] if a.axes else list(reversed(range(len(data))))


@op("transpose", "_npi_transpose", "_np_transpose", attrs={"axes": Ints(())},
    shape=lambda a, data: tuple(data[i] for i in _transpose_axes(a, data)))
def transpose(g, a, data):
    perm = _transpose_axes(a, data.shape)
    if not perm:      # a 0-d array is its own transpose (ONNX takes no empty perm)
        return g.node("Identity", [data], data.shape, data.dtype)
    return g.node("Transpose", [data], tuple(data.shape[i] for i in perm), data.dtype, perm=perm)


def _swap(a, data):
    axes = list(range(len(data)))
    axes[a.dim1], axes[a.dim2] = axes[a.dim2], axes[a.dim1]
    return axes


@op("SwapAxis", "swapaxes", "_npi_swapaxes", attrs={"dim1": Int(0), "dim2": Int(0)},
    shape=lambda a, data: tuple(data[i] for i in _swap(a, data)))
def swapaxes(g, a, data):
    perm = _swap(a, data.shape)
    return g.node("Transpose", [data], tuple(data.shape[i] for i in perm), data.dtype,
                  perm=[p % data.ndim for p in perm])


def _expand(a, data):
    shape = list(data)
    shape.insert(a.axis % (len(data) + 1), 1)
    return tuple(shape)


@op("expand_dims", "_npi_expand_dims", attrs={"axis": Int(required=True)}, shape=_expand)
def expand_dims(g, a, data):
    return reshape_nodes(g, data, _expand(a, data.shape))


def _squeeze(a, data):
    axes = range(len(data)) if a.axis is None else [x % len(data) for x in a.axis]
    return tuple(d for i, d in enumerate(data) if not (i in axes and d == 1))


@op("squeeze", "_npi_squeeze", "_np_squeeze", attrs={"axis": Ints(None)}, shape=_squeeze)
def squeeze(g, a, data):
    return reshape_nodes(g, data, _squeeze(a, data.shape))


def _concat_shape(axis):
    def rule(a, *data):
        ax = getattr(a, axis) % len(data[0])
        shape = list(data[0])
        shape[ax] = sum(d[ax] for d in data)
        return tuple(shape)
    return rule


def _lower_concat(axis):
    def lower(g, a, *data):
        ax = getattr(a, axis) % data[0].ndim
        shape = list(data[0].shape)
        shape[ax] = sum(d.shape[ax] for d in data)
        return g.node("Concat", list(data), shape, data[0].dtype, axis=ax)
    return lower


op("Concat", "concat", inputs="*data", attrs={"dim": Int(1)},
   shape=_concat_shape("dim"))(_lower_concat("dim"))
op("_npi_concatenate", "concatenate", inputs="*data", attrs={"axis": Int(0)},
   shape=_concat_shape("axis"))(_lower_concat("axis"))

op("stack", "_npi_stack", inputs="*data", attrs={"axis": Int(0)},
   shape=lambda a, *data: _stacked(a, data[0], len(data)))(
    lambda g, a, *data: _stack(g, a, data))


def _stacked(a, data, count):
    shape = list(data)
    shape.insert(a.axis % (len(data) + 1), count)
    return tuple(shape)


def _stack(g, a, data):
    axis = a.axis % (data[0].ndim + 1)
    part = list(data[0].shape)
    part.insert(axis, 1)
    parts = [g.node("Unsqueeze", [d, g.constant([axis], np.int64)], part, d.dtype) for d in data]
    return g.node("Concat", parts, _stacked(a, data[0].shape, len(data)), data[0].dtype, axis=axis)


def _tile_plan(a, data):
    reps = tuple(a.reps)
    ndim = max(len(reps), len(data))
    data = (1,) * (ndim - len(data)) + tuple(data)
    reps = (1,) * (ndim - len(reps)) + reps
    return data, reps, tuple(d * r for d, r in zip(data, reps))


@op("tile", "_npi_tile", attrs={"reps": Ints(required=True)},
    shape=lambda a, data: _tile_plan(a, data)[2])
def tile(g, a, data):
    padded, reps, shape = _tile_plan(a, data.shape)
    if len(padded) > data.ndim:
        data = g.node("Unsqueeze", [data, g.constant(list(range(len(padded) - data.ndim)),
                                                     np.int64)], padded, data.dtype)
    return g.node("Tile", [data, g.constant(reps, np.int64)], shape, data.dtype)


def _repeats(a):
    reps = (a.repeats,) if isinstance(a.repeats, int) else tuple(a.repeats)
    if len(reps) != 1 or reps[0] < 0:
        raise Unsupported(f"repeats={a.raw.get('repeats')!r}")
    return reps[0]


def _repeat_shape(a, data):
    if a.axis is None:
        return (int(np.prod(data)) * _repeats(a),)
    axis = a.axis % len(data)
    return tuple(d * _repeats(a) if i == axis else d for i, d in enumerate(data))


@op("repeat", "_npi_repeats", "_npi_repeat", attrs={"repeats": IntOrInts(required=True),
                                                   "axis": Int(None)},
    shape=_repeat_shape)
def repeat(g, a, data):
    """Each element ``repeats`` times along ``axis`` (flattened without one): a new axis after
    it, tiled, merged back by the output's Reshape."""
    if a.axis is None:
        data = g.node("Reshape", [data, g.constant([-1], np.int64)], (int(np.prod(data.shape)),),
                      data.dtype)
        axis = 0
    else:
        axis = a.axis % data.ndim
    shape = list(data.shape)
    shape.insert(axis + 1, 1)
    data = g.node("Unsqueeze", [data, g.constant([axis + 1], np.int64)], shape, data.dtype)
    reps = [1] * len(shape)
    reps[axis + 1] = _repeats(a)
    shape[axis + 1] = _repeats(a)
    data = g.node("Tile", [data, g.constant(reps, np.int64)], shape, data.dtype)
    merged = list(shape)
    merged[axis] *= merged.pop(axis + 1)
    return reshape_nodes(g, data, merged)


def expand_to(g, data, shape):
    """``data`` broadcast to ``shape`` (Expand, with 1 wherever the input keeps its size, so
    no traced dimension enters the model)."""
    target = [1 if i >= len(shape) - data.ndim and data.shape[i - len(shape) + data.ndim] == d
              else d for i, d in enumerate(shape)]
    return g.node("Expand", [data, g.constant(target, np.int64)], shape, data.dtype)


def _broadcast_to_shape(a, data):
    shape = list(a.shape)
    if len(shape) < len(data):
        raise Unsupported(f"shape={a.raw.get('shape')!r} for input {tuple(data)}")
    offset = len(shape) - len(data)
    for i, d in enumerate(data):
        target = shape[offset + i]
        if target == 0:
            shape[offset + i] = d
        elif d not in (1, target):
            raise Unsupported(f"shape={a.raw.get('shape')!r} for input {tuple(data)}")
    return tuple(shape)


@op("broadcast_to", "_npi_broadcast_to", attrs={"shape": Ints(required=True)},
    shape=_broadcast_to_shape)
def broadcast_to(g, a, data):
    return expand_to(g, data, _broadcast_to_shape(a, data.shape))


def _broadcast_axis_shape(a, data):
    axes = [x % len(data) for x in a.axis]
    sizes = list(a.size) * len(axes) if len(a.size) == 1 else list(a.size)
    if len(sizes) != len(axes) or any(data[x] != 1 for x in axes):
        raise Unsupported(f"axis={a.axis!r}, size={a.size!r} for input {tuple(data)}")
    shape = list(data)
    for x, size in zip(axes, sizes):
        shape[x] = size
    return tuple(shape)


@op("broadcast_axis", "broadcast_axes", attrs={"axis": Ints(()), "size": Ints(())},
    shape=_broadcast_axis_shape)
def broadcast_axis(g, a, data):
    return expand_to(g, data, _broadcast_axis_shape(a, data.shape))


def _like_plan(a, lhs, rhs):
    """Pairs (lhs axis, rhs axis) that take the rhs size; the output shape."""
    if a.lhs_axes is None and a.rhs_axes is None:
        if len(lhs) != len(rhs):
            raise Unsupported(f"lhs {tuple(lhs)} and rhs {tuple(rhs)} of different ranks")
        pairs = list(zip(range(len(lhs)), range(len(rhs))))
    else:
        if a.lhs_axes is None or a.rhs_axes is None or len(a.lhs_axes) != len(a.rhs_axes):
            raise Unsupported(f"lhs_axes={a.lhs_axes!r}, rhs_axes={a.rhs_axes!r}")
        pairs = [(x % len(lhs), y % len(rhs)) for x, y in zip(a.lhs_axes, a.rhs_axes)]
    shape = list(lhs)
    for x, y in pairs:
        if lhs[x] not in (1, rhs[y]):
            raise Unsupported(f"broadcasting lhs {tuple(lhs)} like rhs {tuple(rhs)}")
        shape[x] = rhs[y]
    return [(x, y) for x, y in pairs if lhs[x] != rhs[y]], tuple(shape)


@op("broadcast_like", inputs=("lhs", "rhs"), uniform=False,
    attrs={"lhs_axes": Ints(None), "rhs_axes": Ints(None)},
    shape=lambda a, lhs, rhs: _like_plan(a, lhs, rhs)[1])
def broadcast_like(g, a, lhs, rhs):
    """The broadcast sizes are read from ``rhs``'s shape at run time."""
    pairs, shape = _like_plan(a, lhs.shape, rhs.shape)
    dims = dict(pairs)
    rhs_shape = g.node("Shape", [rhs], (rhs.ndim,), np.int64)
    parts = [g.node("Gather", [rhs_shape, g.constant([dims[i]], np.int64)], (1,), np.int64)
             if i in dims else g.constant([1], np.int64) for i in range(lhs.ndim)]
    target = g.node("Concat", parts, (lhs.ndim,), np.int64, axis=0)
    return g.node("Expand", [lhs, target], shape, lhs.dtype)


def _reshape_like_shape(a, lhs, rhs):
    lb, le = _range(a.lhs_begin, a.lhs_end, len(lhs))
    rb, re = _range(a.rhs_begin, a.rhs_end, len(rhs))
    shape = tuple(lhs[:lb]) + tuple(rhs[rb:re]) + tuple(lhs[le:])
    if int(np.prod(shape)) != int(np.prod(lhs)):
        raise Unsupported(f"reshaping {tuple(lhs)} like {tuple(rhs)}")
    return shape


def _range(begin, end, ndim):
    begin = 0 if begin is None else begin % ndim if begin < 0 else begin
    end = ndim if end is None else end % ndim if end < 0 else end
    return begin, end


@op("reshape_like", "_npx_reshape_like", inputs=("lhs", "rhs"), uniform=False,
    attrs={"lhs_begin": Int(None), "lhs_end": Int(None), "rhs_begin": Int(None),
           "rhs_end": Int(None)},
    shape=_reshape_like_shape)
def reshape_like(g, a, lhs, rhs):
    return reshape_nodes(g, lhs, _reshape_like_shape(a, lhs.shape, rhs.shape))


def _depth_shape(to_depth):
    def rule(a, data):
        b = a.block_size
        n, c, h, w = data
        if to_depth:
            if h % b or w % b:
                raise Unsupported(f"block_size={b} for input {tuple(data)}")
            return (n, c * b * b, h // b, w // b)
        if c % (b * b):
            raise Unsupported(f"block_size={b} for input {tuple(data)}")
        return (n, c // (b * b), h * b, w * b)
    return rule


for _name, _onnx, _to_depth in (("space_to_depth", "SpaceToDepth", True),
                                ("depth_to_space", "DepthToSpace", False)):
    op(_name, f"_npx_{_name}", attrs={"block_size": Int(required=True)},
       shape=_depth_shape(_to_depth))(
        lambda g, a, data, _onnx=_onnx, _rule=_depth_shape(_to_depth): g.node(
            _onnx, [data], _rule(a, data.shape), data.dtype, blocksize=a.block_size,
            **({"mode": "DCR"} if _onnx == "DepthToSpace" else {})))
