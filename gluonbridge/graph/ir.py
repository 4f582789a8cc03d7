"""The graph of MXNet ops as plain data: what a ``-symbol.json`` holds and what a trace records.

A :class:`Graph` is a list of :class:`Node` in topological order (every input refers to an
earlier node) and its ``heads`` (the outputs). A node is an MXNet op call: ``op`` (the MXNet op
name, ``"null"`` for a variable), ``name``, ``attrs`` (str -> str, exactly as MXNet prints them)
and ``inputs`` (:class:`Entry`: node index, output index, version). Variables also carry a
``role``: :data:`INPUT` (data fed at run time), :data:`ARG` (a parameter) or :data:`AUX` (an
auxiliary state such as BatchNorm's running mean) — the JSON does not store it; it follows from
the consuming op (see :meth:`Graph.assign_roles`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, NamedTuple, Optional

INPUT, ARG, AUX = "input", "arg", "aux"


class Entry(NamedTuple):
    """One output of one node: ``(node, index)``; ``version`` is the variable version MXNet
    writes as the third element (1 for an auxiliary state the consuming op updates)."""
    node: int
    index: int = 0
    version: int = 0


@dataclass
class Node:
    op: str
    name: str
    attrs: Dict[str, str] = field(default_factory=dict)
    inputs: List[Entry] = field(default_factory=list)
    role: Optional[str] = None        # variables only: INPUT, ARG or AUX

    @property
    def is_variable(self) -> bool:
        return self.op == "null"


@dataclass
class Graph:
    nodes: List[Node] = field(default_factory=list)
    heads: List[Entry] = field(default_factory=list)
    attrs: Dict[str, object] = field(default_factory=dict)   # graph attrs (mxnet_version)

    def add(self, node: Node) -> int:
        """Append ``node`` (its inputs must refer to earlier nodes); returns its index."""
        self.nodes.append(node)
        return len(self.nodes) - 1

    def variable(self, name: str, role: str = ARG, attrs=None) -> int:
        return self.add(Node("null", name, dict(attrs or {}), [], role))

    @property
    def arg_nodes(self) -> List[int]:
        """Indices of the variable nodes (MXNet's ``arg_nodes``: inputs, args and aux)."""
        return [i for i, n in enumerate(self.nodes) if n.is_variable]

    def variables(self, role: Optional[str] = None) -> List[Node]:
        return [n for n in self.nodes if n.is_variable and (role is None or n.role == role)]

    def assign_roles(self, aux_positions, input_names=("data",)) -> None:
        """Set every variable's role: names in ``input_names`` are inputs, variables feeding an
        op at one of ``aux_positions(op)`` are aux states, the rest are args."""
        aux = set()
        for node in self.nodes:
            for position in aux_positions(node.op):
                if position < len(node.inputs):
                    aux.add(node.inputs[position].node)
        for i, node in enumerate(self.nodes):
            if node.is_variable:
                node.role = INPUT if node.name in input_names else AUX if i in aux else ARG

    def num_outputs(self, index: int) -> int:
        """Outputs of node ``index`` that the graph refers to (at least 1)."""
        used = [e.index for n in self.nodes for e in n.inputs if e.node == index]
        used += [e.index for e in self.heads if e.node == index]
        return max(used, default=0) + 1

    def reachable(self) -> "Graph":
        """The nodes the heads depend on, in MXNet's order (nnvm's DFSVisit: a post-order walk
        from each head in turn, inputs in order): what ``tojson()`` writes after loading."""
        order, index, done = [], {}, set()
        for head in self.heads:
            stack = [(head.node, 0)]
            while stack:
                node, next_input = stack.pop()
                if node in done:
                    continue
                inputs = self.nodes[node].inputs
                if next_input < len(inputs):
                    stack.append((node, next_input + 1))
                    child = inputs[next_input].node
                    if child not in done:
                        stack.append((child, 0))
                    continue
                done.add(node)
                index[node] = len(order)
                order.append(node)
        graph = Graph(attrs=dict(self.attrs))
        for old in order:
            node = self.nodes[old]
            graph.add(Node(node.op, node.name, dict(node.attrs),
                           [Entry(index[e.node], e.index, e.version) for e in node.inputs],
                           node.role))
        graph.heads = [Entry(index[e.node], e.index, e.version) for e in self.heads]
        return graph

