"""``HybridBlock.export(path, epoch)``: the last traced graph written as MXNet writes it.

Legacy naming writes what MXNet 1.9.1 writes: ``path-symbol.json`` (the traced nodes, parameter
variables by full name with the attributes ``Parameter.var()`` gives them) and
``path-%04d.params`` in the 1.x binary format with ``arg:``/``aux:`` keys, in graph order.
Structural naming (MXNet 2.0.0b1: variables by structural key, op nodes ``node_<n>``, every op
attribute printed, an ``.npz`` params file) is not written yet.
"""
from __future__ import annotations

import copy
import json

from .. import checkpoint
from ..atomic import atomic_output
from ..graph import ARG, AUX, Entry, Graph, Node, json_io

NOT_RUN = ("Please first call block.hybridize() and then run forward with this block at least "
           "once before calling export.")


def last_graph(block):
    """The graph and the Parameters (variable name -> Parameter) of the block's last traced
    signature; MXNet's error when the block was not hybridized and run."""
    executors = block.__dict__.get("_executors")
    if not block._active or not executors:
        raise RuntimeError(NOT_RUN)
    executor = list(executors.values())[-1]
    return copy.deepcopy(executor.graph), dict(zip(
        [n.name for n in executor.graph.variables() if n.role in (ARG, AUX)],
        executor.params))


def dfs_ordered(graph: Graph) -> Graph:
    """``graph`` with its nodes in the order MXNet's JSON lists them: depth-first from the
    heads, each node after its inputs (taken in order); nodes no head reaches are left out."""
    order, seen = [], set()
    for head in graph.heads:
        stack = [(head.node, False)]
        while stack:
            index, expanded = stack.pop()
            if expanded:
                order.append(index)
                continue
            if index in seen:
                continue
            seen.add(index)
            stack.append((index, True))
            stack.extend((e.node, False) for e in reversed(graph.nodes[index].inputs)
                         if e.node not in seen)
    new = {old: i for i, old in enumerate(order)}

    def moved(entry):
        return Entry(new[entry.node], entry.index, entry.version)
    nodes = [Node(n.op, n.name, n.attrs, [moved(e) for e in n.inputs], n.role)
             for n in (graph.nodes[i] for i in order)]
    return Graph(nodes, [moved(e) for e in graph.heads], graph.attrs)


def export(block, path, epoch=0, remove_amp_cast=True):
    """Write ``path-symbol.json`` and ``path-%04d.params``; returns their names under
    structural naming (MXNet 2.0.0b1 does), None under legacy naming (1.9.1 does).
    ``remove_amp_cast``: traced graphs hold no ``amp_cast`` nodes, so there is nothing to
    remove."""
    from ..backend.ops import num_outputs
    structural = not block._naming.api.has_prefixes
    if structural:
        raise NotImplementedError(
            "export() under structural naming (MXNet 2.0.0b1's files: node_<n> names, every op "
            "attribute printed, .npz params) is not written yet; export under legacy naming, or "
            "use export_onnx(path)")
    graph, params = last_graph(block)
    graph = dfs_ordered(graph)
    document = json_io.to_document(graph, num_outputs)
    arrays = {}
    for node in graph.variables():
        if node.role in (ARG, AUX):
            arrays[f"{node.role}:{node.name}"] = params[node.name].array()
    sym_file, params_file = f"{path}-symbol.json", "%s-%04d.params" % (path, epoch)
    with atomic_output(sym_file, force=True) as fh:
        fh.write(json.dumps(document, indent=2).encode())
    checkpoint.save(params_file, arrays, block._naming.api.checkpoint_format, force=True)
    if structural:
        return sym_file, params_file if arrays else None
    return None
