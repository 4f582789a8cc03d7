"""Which inputs of a graph written to a file get the symbolic batch axis: :func:`lower_batched`.

A symbolic axis 0 is only right for an input whose axis 0 is the batch, and only if the graph
computes the same at every batch size. The lowering checks what it can (the graph inferred at
the batch one larger, Reshape targets of node outputs kept free); :func:`lower_batched` also
compares the whole lowered graph with the graph lowered for the batch one larger, which finds
a batch size baked into any other constant (an intermediate Reshape target, an unrolled
sequence length). Inputs that fail keep the exact shapes given, and the user is told which.
"""
from __future__ import annotations

import itertools

import numpy as np

from .lower import BatchDependent, lower_graph

BATCH_TRIES = 32        # lowerings tried for the largest set of inputs with a symbolic batch


def lower_batched(graph, signature, weights, name, opset, log):
    """``graph`` lowered with axis 0 the symbolic ``batch`` of as many inputs as it allows.

    The batch size is axis 0 of the first input that has axes; an input whose axis 0 differs
    cannot share it. Of the others, the largest set the lowering accepts (first in input order
    among sets of one size; at most :data:`BATCH_TRIES` lowerings) gets the symbolic axis, and
    one notice names every input left at the exact shape given, with the way to change it."""
    shaped = [n for n, (s, _) in signature.items() if s]
    batch = signature[shaped[0]][0][0] if shaped else None
    candidates = [n for n in shaped if signature[n][0][0] == batch]
    why = {n: f"axis 0 is {signature[n][0][0]} where '{shaped[0]}' has {batch}" if n in shaped
           else "a scalar" for n in signature if n not in candidates}
    sets = itertools.chain.from_iterable(itertools.combinations(candidates, size)
                                         for size in range(len(candidates), 0, -1))
    reason = None
    for chosen in itertools.islice(sets, BATCH_TRIES):
        try:
            lowered = lower_graph(graph, signature, weights, name, batch_axis=chosen, opset=opset)
            larger = {n: ((s[0] + 1,) + tuple(s[1:]) if n in chosen else s, d)
                      for n, (s, d) in signature.items()}
            _same_but_reshapes(lowered, lower_graph(graph, larger, weights, name, opset=opset))
        except BatchDependent as err:
            reason = reason or " ".join(str(err).split())
            continue
        _static_notice(signature, chosen, why, reason, log)
        return lowered
    _static_notice(signature, (), why, reason, log)
    return lower_graph(graph, signature, weights, name, opset=opset)


def _same_but_reshapes(batched, larger):
    """Raise BatchDependent unless ``batched`` (a symbolic batch) is ``larger`` (the graph
    lowered for the batch one larger) but for Reshape targets holding -1 where they differ:
    the same nodes and attributes, every other constant equal. This catches a lowering that
    puts the batch size into a constant other than its output's Reshape target."""
    def differ(what):
        raise BatchDependent(f"{what} of the lowered graph depends on the batch size")

    if len(batched.nodes) != len(larger.nodes):
        differ("the number of nodes")
    for ours, theirs in zip(batched.nodes, larger.nodes):
        if ours[:3] != theirs[:3] or ours[3].keys() != theirs[3].keys() or not all(
                _same(v, theirs[3][k]) for k, v in ours[3].items()):
            differ(f"{ours[0]} node {ours[2][0]}")
    targets = {ins[1] for op, ins, _, _ in batched.nodes if op == "Reshape"}
    if batched.initializers.keys() != larger.initializers.keys():
        differ("the constants")
    for key, ours in batched.initializers.items():
        theirs = larger.initializers[key]
        if ours is theirs:          # a parameter
            continue
        if ours.shape != theirs.shape or ours.dtype != theirs.dtype:
            differ(f"constant {key}")
        if not _same(ours, theirs) and (
                key not in targets or np.any((ours != theirs) & (ours != -1))):
            differ(f"constant {key}")


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return np.array_equal(a, b, equal_nan=a.dtype.kind in "fc" and b.dtype.kind in "fc")
    return a == b


def _static_notice(signature, chosen, why, reason, log):
    """One line naming each input left at its exact shape, why, and what to do instead."""
    static = [n for n in signature if n not in chosen]
    if not static:
        return
    shapes = ", ".join(f"'{n}' {tuple(signature[n][0])}" for n in static)
    held = [n for n in static if n not in why]
    because = [f"'{n}': {why[n]}" for n in static if n in why] + (
        [f"with the batch of {', '.join(map(repr, held))} one larger: {reason}"]
        if held else [])
    who = (f"every input keeps its exact shape ({shapes})" if not chosen
           else f"input(s) {shapes} keep their exact shapes")
    log(f"note: {who}, without a symbolic batch axis ({'; '.join(because)}); convert again with "
        "--input NAME:DIMS for other shapes, or pass --static-batch to fix every input")
