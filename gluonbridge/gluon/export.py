"""``HybridBlock.export(path, epoch)``: the last traced graph written as MXNet writes it.

Legacy naming writes what MXNet 1.9.1 writes: ``path-symbol.json`` (the traced nodes, parameter
variables by full name with the attributes ``Parameter.var()`` gives them) and
``path-%04d.params`` in the 1.x binary format with ``arg:``/``aux:`` keys, in graph order.
Structural naming writes what MXNet 2.0.0b1 writes after a hybridized call on ``mx.np`` arrays:
parameter variables by structural key (the name ``export`` gives them in the graph it recorded),
every variable with ``__profiler_scope__``, op nodes ``node_<n>`` with the ops spelled and their
attributes printed as 2.0 records them (:mod:`gluonbridge.graph.mx2_nodes`), every input as
version 0, graph attributes ``is_np_shape`` and ``mxnet_version`` 20000, and an ``.npz`` params
file (``npx.savez``: ``arg:``/``aux:`` keys in graph order, stored members, zero timestamps).

``node_<n>``: MXNet 2 numbers every op it records in the process (one counter, also advanced by
``autograd.record``), and a hybridized block records its graph at its first call after
``hybridize()``; :func:`record` does the same for gluonbridge's structural blocks.
"""
from __future__ import annotations

import copy
import json
import threading

from .. import checkpoint
from ..atomic import atomic_output
from ..graph import ARG, AUX, INPUT, Entry, Graph, Node, json_io, mx2_nodes
from ..graph.variables import variable_attrs

NOT_RUN = ("Please first call block.hybridize() and then run forward with this block at least "
           "once before calling export.")


class _OpCounter:
    """MXNet 2's process-wide count of recorded ops (``Imperative::node_count_``)."""

    def __init__(self):
        self.value, self._lock = 0, threading.Lock()

    def claim(self, count: int) -> int:
        with self._lock:
            first, self.value = self.value, self.value + count
        return first


RECORDED_OPS = _OpCounter()


def record(block, graph: Graph) -> None:
    """A hybridized structural block called on arrays: the first call after ``hybridize()``
    numbers its ops as MXNet 2 records them (``node_<first + k>`` for its k-th op)."""
    if block._naming.api.has_prefixes or "_first_node" in block.__dict__:
        return
    block.__dict__["_first_node"] = RECORDED_OPS.claim(
        sum(1 for n in graph.nodes if not n.is_variable))


def forget_recording(block) -> None:
    """``hybridize()`` and structure changes: the next call records the graph again."""
    block.__dict__.pop("_first_node", None)


def last_graph(block):
    """The graph and the Parameters (variable name -> Parameter) of the block's last traced
    signature; MXNet's error when the block was not hybridized and run (structural naming: run
    since its last ``hybridize()``, as MXNet 2 clears the recorded graph there)."""
    executors = block.__dict__.get("_executors")
    recorded = block._naming.api.has_prefixes or "_first_node" in block.__dict__
    if not block._active or not executors or not recorded:
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
    graph, params = last_graph(block)
    if structural:
        graph = as_mxnet2(graph, params, block.__dict__["_first_node"])
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


def as_mxnet2(graph: Graph, params, first_node: int) -> Graph:
    """The traced ``graph`` as MXNet 2.0.0b1 records it: variables with the attributes its
    ``Parameter.var()`` gives them at the recording call (shapes known by then) and
    ``__profiler_scope__``, op nodes ``node_<first_node + k>`` in recording order, spelled and
    printed by :func:`gluonbridge.graph.mx2_nodes.written`, every input of version 0."""
    from ..backend.ops import OPS
    scope = mx2_nodes.PROFILER_SCOPE
    nodes, count = [], first_node
    for node in graph.nodes:
        if node.role == INPUT:
            attrs = {"__profiler_scope__": scope}
        elif node.is_variable:
            p = params[node.name]
            attrs = variable_attrs(p.shape, p.dtype, p.lr_mult, p.wd_mult, p.init, p._stype,
                                   profiler_scope=scope)
        else:
            name = f"node_{count}"
            count += 1
            op, attrs = mx2_nodes.written(node.op, node.attrs, OPS[node.op].attrs,
                                          f"node {name} (op {node.op})")
            inputs = [Entry(e.node, e.index, mx2_nodes.ENTRY_VERSION) for e in node.inputs]
            nodes.append(Node(op, name, attrs, inputs, node.role))
            continue
        nodes.append(Node(node.op, node.name, attrs, [], node.role))
    return Graph(nodes, list(graph.heads), dict(mx2_nodes.GRAPH_ATTRS))
