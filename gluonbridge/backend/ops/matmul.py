"""Matrix products: dot, batch_dot, _npi_matmul, _linalg_gemm2, and _contrib_div_sqrt_dim."""
from __future__ import annotations

import math

import numpy as np

from ...graph.attrs import Bool, Float, Int
from .common import binary, broadcast, same_shape
from .registry import Unsupported, op


def _swap_last(shape):
    return tuple(shape[:-2]) + (shape[-1], shape[-2])


def _transposed(g, x, flag):
    if not flag:
        return x
    perm = list(range(x.ndim - 2)) + [x.ndim - 1, x.ndim - 2]
    return g.node("Transpose", [x], _swap_last(x.shape), x.dtype, perm=perm)


def _batch_dot_shape(a, lhs, rhs):
    if len(lhs) < 3 or len(lhs) != len(rhs) or lhs[:-2] != rhs[:-2]:
        raise Unsupported(f"lhs {tuple(lhs)} and rhs {tuple(rhs)}")
    lhs = _swap_last(lhs) if a.transpose_a else tuple(lhs)
    rhs = _swap_last(rhs) if a.transpose_b else tuple(rhs)
    if lhs[-1] != rhs[-2]:
        raise Unsupported(f"lhs {lhs} and rhs {rhs} (transposed)")
    return tuple(lhs[:-1]) + (rhs[-1],)


_FLAGS = {"transpose_a": Bool(False), "transpose_b": Bool(False), "forward_stype": Bool(None)}


@op("batch_dot", "_npx_batch_dot", inputs=("lhs", "rhs"), attrs=_FLAGS, shape=_batch_dot_shape)
def batch_dot(g, a, lhs, rhs):
    return g.node("MatMul", [_transposed(g, lhs, a.transpose_a), _transposed(g, rhs, a.transpose_b)],
                  _batch_dot_shape(a, lhs.shape, rhs.shape), lhs.dtype)


def _dot_plan(a, lhs, rhs):
    """MXNet's dot: lhs flattened to 2-d around its last axis (first, transposed), rhs around
    its first axis (last, transposed)."""
    if not lhs or not rhs:
        raise Unsupported("a 0-d operand")
    inner_l = lhs[0] if a.transpose_a else lhs[-1]
    inner_r = rhs[-1] if a.transpose_b else rhs[0]
    if inner_l != inner_r:
        raise Unsupported(f"lhs {tuple(lhs)} and rhs {tuple(rhs)}")
    outer_l = tuple(lhs[1:]) if a.transpose_a else tuple(lhs[:-1])
    outer_r = tuple(rhs[:-1]) if a.transpose_b else tuple(rhs[1:])
    return outer_l, inner_l, outer_r, (outer_l + outer_r) or (1,)


@op("dot", "_npi_dot_legacy", inputs=("lhs", "rhs"), attrs=_FLAGS,
    shape=lambda a, lhs, rhs: _dot_plan(a, lhs, rhs)[3])
def dot(g, a, lhs, rhs):
    from .common import reshape
    outer_l, inner, outer_r, shape = _dot_plan(a, lhs.shape, rhs.shape)
    m, n = int(np.prod(outer_l)), int(np.prod(outer_r))

    # the outer sizes as -1 in the targets: either may hold the batch
    left = g.node("Reshape", [lhs, g.shape_constant((inner, -1) if a.transpose_a else
                                                    (-1, inner))],
                  (inner, m) if a.transpose_a else (m, inner), lhs.dtype)
    right = g.node("Reshape", [rhs, g.shape_constant((-1, inner) if a.transpose_b else
                                                     (inner, -1))],
                   (n, inner) if a.transpose_b else (inner, n), rhs.dtype)
    out = g.node("Gemm", [left, right], (m, n), lhs.dtype, transA=int(a.transpose_a),
                 transB=int(a.transpose_b))
    return reshape(g, out, shape)


def _matmul_shape(a, lhs, rhs):
    if not lhs or not rhs:
        raise Unsupported("a 0-d operand")
    l = (1,) + tuple(lhs) if len(lhs) == 1 else tuple(lhs)
    r = tuple(rhs) + (1,) if len(rhs) == 1 else tuple(rhs)
    if l[-1] != r[-2]:
        raise Unsupported(f"lhs {tuple(lhs)} and rhs {tuple(rhs)}")
    out = broadcast(l[:-2], r[:-2]) + (l[-2], r[-1])
    if len(lhs) == 1:
        out = out[:-2] + out[-1:]
    if len(rhs) == 1:
        out = out[:-1]
    return tuple(out)


@op("_npi_matmul", "matmul", inputs=("a", "b"), shape=_matmul_shape)
def matmul(g, a, lhs, rhs):
    return g.node("MatMul", [lhs, rhs], _matmul_shape(a, lhs.shape, rhs.shape), lhs.dtype)


@op("_linalg_gemm2", "linalg_gemm2", inputs=("A", "B"),
    attrs={"transpose_a": Bool(False), "transpose_b": Bool(False), "alpha": Float(1.0),
           "axis": Int(-2)},
    shape=lambda a, lhs, rhs: _gemm2_shape(a, lhs, rhs))
def gemm2(g, a, lhs, rhs):
    out = g.node("MatMul", [_transposed(g, lhs, a.transpose_a), _transposed(g, rhs, a.transpose_b)],
                 _gemm2_shape(a, lhs.shape, rhs.shape), lhs.dtype)
    return out if a.alpha == 1.0 else binary(g, "Mul", out, a.alpha)


def _gemm2_shape(a, lhs, rhs):
    if a.axis != -2 or len(lhs) < 2:
        raise Unsupported(f"axis={a.axis}")
    if len(lhs) == 2:
        lhs, rhs = (1,) + tuple(lhs), (1,) + tuple(rhs)
        return _batch_dot_shape(a, lhs, rhs)[1:]
    return _batch_dot_shape(a, lhs, rhs)


@op("_contrib_div_sqrt_dim", "div_sqrt_dim", shape=same_shape)
def div_sqrt_dim(g, a, data):
    return binary(g, "Div", data, math.sqrt(data.shape[-1]))
