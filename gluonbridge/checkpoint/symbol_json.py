"""MXNet ``-symbol.json`` graphs: parse and validate, list parameter nodes, rename, write back.

Structure (spec 5): ``nodes`` (topologically sorted; ``op == "null"`` for variables), each with
``name``, ``inputs`` (``[node_id, output_index(, version)]``) and ``attrs`` (or the older
``attr`` / ``param``); ``arg_nodes`` (ids of variables), ``heads`` (outputs), optional
``node_row_ptr`` and graph ``attrs``. Validation: every referenced id points to an earlier node
(so the graph is acyclic), ``arg_nodes`` only name variables.

Which variables are auxiliary states is not in the JSON: it follows from the consuming
operator, listed in :data:`AUX_INPUTS`.
"""
from __future__ import annotations

import ast
import json
import os

from ..atomic import atomic_output
from .errors import CorruptHeaderError, DuplicateKey, unique_keys

# operator -> input positions that are auxiliary states (saved under "aux:")
AUX_INPUTS = {"BatchNorm": (3, 4), "BatchNorm_v1": (3, 4), "SyncBatchNorm": (3, 4),
              "_contrib_SyncBatchNorm": (3, 4)}
MAX_SYMBOL_BYTES = 1 << 30


def load_symbol(path) -> dict:
    """Parse and validate a symbol JSON file."""
    path = os.fspath(path)
    if os.path.getsize(path) > MAX_SYMBOL_BYTES:
        raise CorruptHeaderError(path, None, f"a symbol JSON under {MAX_SYMBOL_BYTES} bytes",
                                 f"{os.path.getsize(path)} bytes")
    try:
        with open(path, encoding="utf-8") as fh:
            graph = json.load(fh, object_pairs_hook=unique_keys)
    except DuplicateKey as err:
        raise CorruptHeaderError(path, None, "unique keys in every JSON object",
                                 f"{err.args[0]!r} twice", "one of the two values would be "
                                 "silently lost; the file is corrupt", key=err.args[0]) from None
    except (ValueError, UnicodeDecodeError, RecursionError) as err:
        raise CorruptHeaderError(path, None, "a JSON symbol graph", str(err)[:100]) from None
    validate(graph, path)
    return graph


def validate(graph, path=None) -> None:
    def bad(where, expected, found):
        return CorruptHeaderError(path, where, expected, repr(found)[:80],
                                  "not an MXNet -symbol.json, or corrupt")

    if not isinstance(graph, dict) or not isinstance(graph.get("nodes"), list):
        raise bad(None, 'an object with a "nodes" list', type(graph).__name__)
    nodes = graph["nodes"]
    for i, node in enumerate(nodes):
        where = f"node {i}"
        if not isinstance(node, dict) or not isinstance(node.get("op"), str) \
                or not isinstance(node.get("name"), str) \
                or not isinstance(node.get("inputs", []), list):
            raise bad(where, 'an object with "op", "name" and "inputs"', node)
        for entry in node.get("inputs", []):
            if not _is_entry(entry, i):
                raise bad(where, f"inputs [node_id < {i}, output, (version)]", entry)
    for entry in graph.get("heads", []):
        if not _is_entry(entry, len(nodes)):
            raise bad("heads", f"[node_id < {len(nodes)}, output, (version)]", entry)
    for node_id in graph.get("arg_nodes", []):
        if type(node_id) is not int or not 0 <= node_id < len(nodes) \
                or nodes[node_id]["op"] != "null":
            raise bad("arg_nodes", "ids of variable (op 'null') nodes", node_id)


def _is_entry(entry, limit) -> bool:
    return (isinstance(entry, list) and len(entry) in (2, 3)
            and all(type(x) is int and x >= 0 for x in entry) and entry[0] < limit)


def _attrs(node) -> dict:
    attrs = {}
    for key in ("param", "attr", "attrs"):
        if isinstance(node.get(key), dict):
            attrs.update(node[key])
    return attrs


def parameter_nodes(graph, input_names=("data",)):
    """``[(name, shape or None, 'arg:'/'aux:')]`` for every variable except the inputs, in node
    order. ``graph`` is a parsed symbol or a path. Shapes come from ``__shape__`` (0 = unknown)."""
    if not isinstance(graph, dict):
        graph = load_symbol(graph)
    aux = set()
    for node in graph["nodes"]:
        for position in AUX_INPUTS.get(node["op"], ()):
            if position < len(node.get("inputs", [])):
                aux.add(node["inputs"][position][0])
    result = []
    for i, node in enumerate(graph["nodes"]):
        if node["op"] != "null" or node["name"] in input_names:
            continue
        shape = _attrs(node).get("__shape__")
        try:
            shape = tuple(ast.literal_eval(shape)) if isinstance(shape, str) else None
        except (ValueError, SyntaxError, TypeError):
            shape = None
        result.append((node["name"], shape, "aux:" if i in aux else "arg:"))
    return result


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
