"""MXNet's interleaved multi-head attention products (``_contrib_interleaved_matmul_*``, what
GluonNLP's BERT and Transformer cells call): the projections of all heads sit in the last axis of
a (length, batch, features) array, each head's query, key and value side by side
(``(heads, 3, head_dim)``; ``(heads, 2, head_dim)`` for the keys and values of encoder-decoder
attention). The scores are ``q @ k.T / sqrt(head_dim)`` per batch and head, shaped
(batch * heads, query length, key length); the attention products go back to (length, batch,
heads * head_dim).

Reshape targets copy (0) or infer (-1) the batch dimension, so no lowering bakes the batch size
into a constant."""
from __future__ import annotations

import math

import numpy as np

from ...graph.attrs import Int
from .common import binary
from .registry import Unsupported, op

_HEADS = {"heads": Int(required=True)}


def _split(a, shape, parts):
    """(length, batch, heads, head_dim) of a (length, batch, heads * parts * head_dim) input."""
    if len(shape) != 3 or a.heads <= 0 or shape[2] % (a.heads * parts):
        raise Unsupported(f"input of shape {tuple(shape)} with heads={a.heads} (the last axis "
                          f"must hold heads x {parts} x head_dim)")
    return shape[0], shape[1], a.heads, shape[2] // (a.heads * parts)


def _reshape(g, data, target, shape):
    return g.node("Reshape", [data, g.shape_constant(target)], tuple(shape), data.dtype)


def _transpose(g, data, perm):
    return g.node("Transpose", [data], tuple(data.shape[i] for i in perm), data.dtype, perm=perm)


def _interleaved(g, data, heads, parts):
    """The ``parts`` projections of ``data`` (length, batch, heads * parts * head_dim), each
    (batch * heads, length, head_dim)."""
    length, batch, dim = data.shape[0], data.shape[1], data.shape[2] // (heads * parts)
    split = _reshape(g, data, (0, 0, heads, parts, dim), (length, batch, heads, parts, dim))
    moved = _transpose(g, split, [3, 1, 2, 0, 4])
    stacked = _reshape(g, moved, (parts, -1, length, dim), (parts, batch * heads, length, dim))
    return [g.node("Gather", [stacked, g.constant(i, np.int64)], stacked.shape[1:], data.dtype,
                   axis=0) for i in range(parts)]


def _heads_first(g, data, heads):
    """(length, batch, heads * head_dim) -> (batch * heads, length, head_dim)."""
    length, batch, dim = data.shape[0], data.shape[1], data.shape[2] // heads
    split = _reshape(g, data, (0, 0, heads, dim), (length, batch, heads, dim))
    moved = _transpose(g, split, [1, 2, 0, 3])
    return _reshape(g, moved, (-1, length, dim), (batch * heads, length, dim))


def _scores(g, q, k):
    """``q @ k.T / sqrt(head_dim)`` of (batch * heads, length, head_dim) arrays."""
    kt = _transpose(g, k, [0, 2, 1])
    product = g.node("MatMul", [q, kt], (q.shape[0], q.shape[1], k.shape[1]), q.dtype)
    return binary(g, "Mul", product, 1.0 / math.sqrt(q.shape[2]))


def _weighted(g, attention, v, heads):
    """(batch * heads, q length, key length) @ (batch * heads, key length, head_dim) as
    (q length, batch, heads * head_dim)."""
    rows, length, dim = attention.shape[0], attention.shape[1], v.shape[2]
    product = g.node("MatMul", [attention, v], (rows, length, dim), v.dtype)
    split = _reshape(g, product, (-1, heads, length, dim), (rows // heads, heads, length, dim))
    moved = _transpose(g, split, [2, 0, 1, 3])
    return _reshape(g, moved, (0, 0, -1), (length, rows // heads, heads * dim))


def _attention_shape(a, shape, kv_length, batch):
    if tuple(shape) != (batch * a.heads, shape[1], kv_length):
        raise Unsupported(f"attention of shape {tuple(shape)} (expected (batch * heads, length, "
                          f"{kv_length}) = ({batch * a.heads}, length, {kv_length}))")
    return shape[1]


def _selfatt_qk_shape(a, qkv):
    length, batch, heads, _ = _split(a, qkv, 3)
    return (batch * heads, length, length)


@op("_contrib_interleaved_matmul_selfatt_qk", "interleaved_matmul_selfatt_qk",
    inputs=("queries_keys_values",), attrs=_HEADS, shape=_selfatt_qk_shape)
def selfatt_qk(g, a, qkv):
    q, k, _ = _interleaved(g, qkv, a.heads, 3)
    return _scores(g, q, k)


def _selfatt_valatt_shape(a, qkv, attention):
    length, batch, heads, dim = _split(a, qkv, 3)
    _attention_shape(a, attention, length, batch)
    return (length, batch, heads * dim)


@op("_contrib_interleaved_matmul_selfatt_valatt", "interleaved_matmul_selfatt_valatt",
    inputs=("queries_keys_values", "attention"), attrs=_HEADS, shape=_selfatt_valatt_shape)
def selfatt_valatt(g, a, qkv, attention):
    _, _, v = _interleaved(g, qkv, a.heads, 3)
    return _weighted(g, attention, v, a.heads)


def _encdec_qk_shape(a, queries, keys_values):
    q_length, batch, heads, dim = _split(a, queries, 1)
    kv_length, kv_batch, _, kv_dim = _split(a, keys_values, 2)
    if (kv_batch, kv_dim) != (batch, dim):
        raise Unsupported(f"queries {tuple(queries)} and keys_values {tuple(keys_values)} (the "
                          "batch and head_dim must agree)")
    return (batch * heads, q_length, kv_length)


@op("_contrib_interleaved_matmul_encdec_qk", "interleaved_matmul_encdec_qk",
    inputs=("queries", "keys_values"), attrs=_HEADS, shape=_encdec_qk_shape)
def encdec_qk(g, a, queries, keys_values):
    k, _ = _interleaved(g, keys_values, a.heads, 2)
    return _scores(g, _heads_first(g, queries, a.heads), k)


def _encdec_valatt_shape(a, keys_values, attention):
    kv_length, batch, heads, dim = _split(a, keys_values, 2)
    q_length = _attention_shape(a, attention, kv_length, batch)
    return (q_length, batch, heads * dim)


@op("_contrib_interleaved_matmul_encdec_valatt", "interleaved_matmul_encdec_valatt",
    inputs=("keys_values", "attention"), attrs=_HEADS, shape=_encdec_valatt_shape)
def encdec_valatt(g, a, keys_values, attention):
    _, v = _interleaved(g, keys_values, a.heads, 2)
    return _weighted(g, attention, v, a.heads)
