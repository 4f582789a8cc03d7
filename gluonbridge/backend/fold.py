"""Folding each inference BatchNormalization into the Conv before it, on the arrays, before
onnxruntime sees the graph.

It is the rewrite onnxruntime's own ConvBNFusion makes when it optimizes a session, with the
same float arithmetic in the same order (``var + eps``, its square root, ``scale / that``, each
weight row times its scale; the bias ``(b - mean) * scale + beta`` or ``beta - mean * scale``),
so the session computes the same bits. Done here it costs one pass over each weight;
onnxruntime converts every weight to a protobuf tensor and back to fuse it (measured on
resnet50_v1's model alone: the session touched 63k fresh pages instead of 104k, and the
rule-based pass holding this fusion took 136 of the session's 423 ms).

The conditions are onnxruntime's: a Conv whose only consumer is a BatchNormalization (neither
output a graph output); the Conv's weight and bias and the normalization's four inputs are
initializers of dtype float32, 1-D of one length matching the weight's
first axis, the weight of rank 3 or more. Anything else is left for onnxruntime as it was.
"""
from __future__ import annotations

from collections import Counter

import numpy as np

from ..buffers import empty_together
from .lower import Lowered

DTYPES = (np.dtype(np.float32),)     # onnxruntime folds float64 too, but has no float64 Conv


def fold_batch_norms(lowered: Lowered) -> tuple:
    """``(lowered graph, names of the new initializers)``: ``lowered`` with every foldable
    Conv + BatchNormalization pair made one Conv (see the module's docstring)."""
    inits = lowered.initializers
    uses = Counter(name for _, ins, _, _ in lowered.nodes for name in ins)
    graph_outputs = {name for name, _, _ in lowered.outputs}
    consumer = {ins[0]: index for index, (op, ins, _, _) in enumerate(lowered.nodes)
                if op == "BatchNormalization" and ins}
    nodes, new, folded, scalings = [], {}, set(), []
    for index, node in enumerate(lowered.nodes):
        if index in folded:
            continue
        op, ins, outs, attrs = node
        bn = consumer.get(outs[0]) if op == "Conv" else None
        fused = None if bn is None else _fold(node, lowered.nodes[bn], inits, uses,
                                              graph_outputs)
        if fused is None:
            nodes.append(node)
            continue
        weight, factor, bias = fused
        names = [f"{ins[1]}_bnfold_{index}", f"{ins[1]}_bnfold_bias_{index}"]
        new[names[1]] = bias
        scalings.append((names[0], weight, factor))
        nodes.append(("Conv", [ins[0]] + names, lowered.nodes[bn][2], attrs))
        folded.add(bn)
    if not folded:
        return lowered, set()
    scaled = empty_together((weight.shape, weight.dtype) for _, weight, _ in scalings)
    for (name, weight, factor), out in zip(scalings, scaled):
        new[name] = np.multiply(weight, factor.reshape((-1,) + (1,) * (weight.ndim - 1)), out=out)
    used = {name for _, ins, _, _ in nodes for name in ins}
    initializers = {n: a for n, a in {**inits, **new}.items() if n in used}
    return lowered._replace(nodes=nodes, initializers=initializers), set(new)


def _fold(conv, bn, inits, uses, graph_outputs):
    """``(weight, factor, bias)`` folding a Conv and the BatchNormalization after it (the
    folded weight is ``weight`` times ``factor`` along its first axis), or None when
    onnxruntime would not fold them."""
    _, conv_ins, conv_outs, _ = conv
    _, bn_ins, bn_outs, bn_attrs = bn
    if (uses[conv_outs[0]] != 1 or conv_outs[0] in graph_outputs or len(bn_outs) != 1
            or bn_outs[0] in graph_outputs or bn_attrs.get("training_mode")
            or "epsilon" not in bn_attrs or len(bn_ins) != 5 or len(conv_ins) < 2):
        return None
    names = list(bn_ins[1:]) + list(conv_ins[1:])
    if not all(n in inits for n in names):
        return None
    scale, beta, mean, var = (inits[n] for n in bn_ins[1:])
    weight = inits[conv_ins[1]]
    bias = inits[conv_ins[2]] if len(conv_ins) == 3 else None
    vectors = [scale, beta, mean, var] + ([bias] if bias is not None else [])
    dtype = weight.dtype
    if (dtype not in DTYPES or any(v.dtype != dtype or v.ndim != 1 for v in vectors)
            or len({v.shape[0] for v in vectors}) != 1 or weight.ndim <= 2
            or weight.shape[0] != scale.shape[0]):
        return None
    root = np.sqrt(var + dtype.type(np.float32(bn_attrs["epsilon"])))   # a float attribute
    factor = scale / root
    bias = (bias - mean) * factor + beta if bias is not None else beta - mean * factor
    return weight, factor, bias
