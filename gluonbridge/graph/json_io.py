"""Reading and writing ``-symbol.json`` graphs.

Reading is three steps: :func:`load_document` (bounded read, JSON parse, structural validation),
:func:`upgrade` (older generations brought to the 1.x/2.x form; each step is one function in
:data:`UPGRADES`), :func:`from_document` (the :class:`~gluonbridge.graph.ir.Graph`). Writing
(:func:`to_document`, :func:`dumps`) produces what MXNet 1.9.1's ``tojson()`` writes: ``nodes``
(``op``, ``name``, ``attrs`` when not empty, ``inputs`` as ``[node, output, version]``),
``arg_nodes``, ``node_row_ptr``, ``heads`` and ``attrs.mxnet_version``.
"""
from __future__ import annotations

import json
import os

from ..checkpoint.errors import CorruptHeaderError, DuplicateKey, unique_keys
from .ir import Entry, Graph, Node

MAX_SYMBOL_BYTES = 1 << 30
MXNET_VERSION = 10901   # the version 1.9.1 stamps into attrs.mxnet_version
SUBGRAPHS = "__subgraphs__"   # the node attribute holding a fused node's "subgraphs" JSON


def load_document(path) -> dict:
    """Parse and validate a symbol JSON file (the JSON object, not yet upgraded)."""
    path = os.fspath(path)
    size = os.path.getsize(path)
    if size > MAX_SYMBOL_BYTES:
        raise CorruptHeaderError(path, None, f"a symbol JSON under {MAX_SYMBOL_BYTES} bytes",
                                 f"{size} bytes")
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh, object_pairs_hook=unique_keys)
    except DuplicateKey as err:
        raise CorruptHeaderError(path, None, "unique keys in every JSON object",
                                 f"{err.args[0]!r} twice", "one of the two values would be "
                                 "silently lost; the file is corrupt", key=err.args[0]) from None
    except (ValueError, UnicodeDecodeError, RecursionError) as err:
        raise CorruptHeaderError(path, None, "a JSON symbol graph", str(err)[:100]) from None
    validate(doc, path)
    return doc


def validate(doc, path=None) -> None:
    """Structure checks: node objects, every input and head refers to an earlier node (so the
    graph is acyclic), ``arg_nodes`` name variables."""
    def bad(where, expected, found):
        return CorruptHeaderError(path, where, expected, repr(found)[:80],
                                  "not an MXNet -symbol.json, or corrupt")

    if not isinstance(doc, dict) or not isinstance(doc.get("nodes"), list):
        raise bad(None, 'an object with a "nodes" list', type(doc).__name__)
    nodes = doc["nodes"]
    for i, node in enumerate(nodes):
        where = f"node {i}"
        if not isinstance(node, dict) or not isinstance(node.get("op"), str) \
                or not isinstance(node.get("name"), str) \
                or not isinstance(node.get("inputs", []), list):
            raise bad(where, 'an object with "op", "name" and "inputs"', node)
        for entry in node.get("inputs", []):
            if not _is_entry(entry, i):
                raise bad(where, f"inputs [node_id < {i}, output, (version)]", entry)
        for key in ("attrs", "attr", "param"):
            attrs = node.get(key)
            if attrs is not None and not (isinstance(attrs, dict) and all(
                    isinstance(v, str) for v in attrs.values())):
                raise bad(f"{where} ({node['name']})", f'"{key}" as an object of strings', attrs)
    for entry in doc.get("heads", []):
        if not _is_entry(entry, len(nodes)):
            raise bad("heads", f"[node_id < {len(nodes)}, output, (version)]", entry)
    for node_id in doc.get("arg_nodes", []):
        if type(node_id) is not int or not 0 <= node_id < len(nodes) \
                or nodes[node_id]["op"] != "null":
            raise bad("arg_nodes", "ids of variable (op 'null') nodes", node_id)


def _is_entry(entry, limit) -> bool:
    return (isinstance(entry, list) and len(entry) in (2, 3)
            and all(type(x) is int and x >= 0 for x in entry) and entry[0] < limit)


def node_attrs(node: dict) -> dict:
    """A node's attributes whatever the generation wrote them under (``param``, ``attr``,
    ``attrs``; later spellings win)."""
    attrs = {}
    for key in ("param", "attr", "attrs"):
        if isinstance(node.get(key), dict):
            attrs.update(node[key])
    return attrs


def _merge_attr_spellings(doc: dict) -> dict:
    """0.9-0.11 ``attr`` and pre-0.9 ``param`` become 1.x ``attrs``."""
    for node in doc["nodes"]:
        attrs = node_attrs(node)
        node.pop("param", None)
        node.pop("attr", None)
        if attrs:
            node["attrs"] = attrs
    return doc


# Upgrade steps, applied in order to a validated document (each returns the document).
UPGRADES = [_merge_attr_spellings]


def upgrade(doc: dict) -> dict:
    """Bring a validated document of any generation to the 1.x/2.x form (in place)."""
    for step in UPGRADES:
        doc = step(doc)
    return doc


def from_document(doc: dict, aux_positions=None, input_names=("data",)) -> Graph:
    """The Graph of a validated document (upgraded here). With ``aux_positions(op)`` (the op
    table's aux inputs), variable roles are assigned."""
    doc = upgrade(json.loads(json.dumps(doc)))
    graph = Graph(attrs=dict(doc.get("attrs", {})))
    for node in doc["nodes"]:
        attrs = dict(node.get("attrs", {}))
        if "subgraphs" in node:   # fused MKL-DNN nodes (_sg_mkldnn_conv): kept as JSON text
            attrs[SUBGRAPHS] = json.dumps(node["subgraphs"])
        graph.add(Node(node["op"], node["name"], attrs,
                       [Entry(*e) for e in node.get("inputs", [])]))
    heads = doc.get("heads")
    graph.heads = ([Entry(*e) for e in heads] if heads is not None
                   else [Entry(len(doc["nodes"]) - 1)])
    if aux_positions is not None:
        graph.assign_roles(aux_positions, input_names)
    return graph


def load(path, aux_positions=None, input_names=("data",)) -> Graph:
    return from_document(load_document(path), aux_positions, input_names)


def loads(text: str, aux_positions=None, input_names=("data",)) -> Graph:
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as err:
        raise CorruptHeaderError(None, None, "a JSON symbol graph", str(err)[:100]) from None
    validate(doc)
    return from_document(doc, aux_positions, input_names)


def to_document(graph: Graph, num_outputs=None) -> dict:
    """The JSON object MXNet 1.9.1 writes for ``graph``. ``num_outputs(node)`` gives each
    op's output count for ``node_row_ptr`` (default: the outputs the graph uses)."""
    nodes, row_ptr = [], [0]
    for i, node in enumerate(graph.nodes):
        entry = {"op": node.op, "name": node.name}
        attrs = dict(node.attrs)
        subgraphs = attrs.pop(SUBGRAPHS, None)
        if attrs:
            entry["attrs"] = attrs
        entry["inputs"] = [[e.node, e.index, e.version] for e in node.inputs]
        if subgraphs is not None:
            entry["subgraphs"] = json.loads(subgraphs)
        nodes.append(entry)
        count = 1 if node.is_variable else (
            num_outputs(node) if num_outputs else graph.num_outputs(i))
        row_ptr.append(row_ptr[-1] + count)
    attrs = dict(graph.attrs) or {"mxnet_version": ["int", MXNET_VERSION]}
    return {"nodes": nodes, "arg_nodes": graph.arg_nodes, "node_row_ptr": row_ptr,
            "heads": [[e.node, e.index, e.version] for e in graph.heads], "attrs": attrs}


def dumps(graph: Graph, num_outputs=None) -> str:
    return json.dumps(to_document(graph, num_outputs), indent=2)
