"""MXNet ``-symbol.json`` graphs as JSON objects: parse and validate, list parameter nodes,
rename, write back.

Reading and validation are the graph package's (:mod:`gluonbridge.graph.json_io`); which
variables are auxiliary states follows from the consuming operator, as the op table declares it
(:func:`gluonbridge.backend.ops.aux_positions`).
"""
from __future__ import annotations

import json

from ..atomic import atomic_output
from ..graph import AUX, INPUT, json_io
from ..graph.infer import declared_shape_text

load_symbol = json_io.load_document
validate = json_io.validate


def parameter_nodes(graph, input_names=("data",)):
    """``[(name, shape or None, 'arg:'/'aux:')]`` for every variable except the inputs, in node
    order. ``graph`` is a parsed symbol or a path. Shapes come from ``__shape__`` (0 = unknown)."""
    from ..backend.ops import aux_positions
    doc = graph if isinstance(graph, dict) else load_symbol(graph)
    parsed = json_io.from_document(doc, aux_positions, tuple(input_names))
    return [(node.name, declared_shape_text(node.attrs), "aux:" if node.role == AUX else "arg:")
            for node in parsed.nodes if node.is_variable and node.role != INPUT]


def rename(graph: dict, mapping: dict) -> dict:
    """A copy of ``graph`` with variable nodes renamed by ``mapping`` (old -> new)."""
    graph = json.loads(json.dumps(graph))
    for node in graph["nodes"]:
        if node["op"] == "null" and node["name"] in mapping:
            node["name"] = mapping[node["name"]]
    return graph


def save(path, graph: dict, force: bool = False) -> None:
    """Write the graph as JSON (2-space indent; MXNet accepts any formatting)."""
    validate(graph, path)
    with atomic_output(path, force) as out:
        out.write(json.dumps(graph, indent=2).encode("utf-8"))
