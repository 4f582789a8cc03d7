"""Ops that move data without computing: Flatten, Reshape (MXNet's special codes), transpose,
SwapAxis, expand_dims, squeeze, Concat."""
from __future__ import annotations

import numpy as np

from ...graph.attrs import Bool, Int, Ints
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


def _reshape_shape(a, data):
    spec = a.shape if a.shape is not None else a.newshape
    try:
        target = mxnet_reshape(tuple(data), spec or (), a.reverse)
    except (IndexError, ZeroDivisionError):
        target = None
    if target is None or int(np.prod(target)) != int(np.prod(data)):
        raise Unsupported(f"shape={a.raw.get('shape', a.raw.get('newshape'))!r} for input "
                          f"{tuple(data)}")
    return target


@op("Reshape", "reshape", "_npx_reshape",
    attrs={"shape": Ints(None), "reverse": Bool(False), "newshape": Ints(None)},
    shape=_reshape_shape)
def reshape(g, a, data):
    return reshape_nodes(g, data, _reshape_shape(a, data.shape))


def _transpose_axes(a, data):
    return [int(x) % len(data) for x in a.axes] if a.axes else list(reversed(range(len(data))))


@op("transpose", "_npi_transpose", attrs={"axes": Ints(())},
    shape=lambda a, data: tuple(data[i] for i in _transpose_axes(a, data)))
def transpose(g, a, data):
    perm = _transpose_axes(a, data.shape)
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


@op("squeeze", "_npi_squeeze", attrs={"axis": Ints(None)}, shape=_squeeze)
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
