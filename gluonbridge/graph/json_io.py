"""Reading and writing ``-symbol.json`` graphs.

Reading is three steps: :func:`load_document` (bounded read, JSON parse, structural validation),
:func:`upgrade` (older generations brought to the 1.x/2.x form; each step is one function in
:data:`UPGRADES`), :func:`from_document` (the :class:`~gluonbridge.graph.ir.Graph`). Writing
(:func:`to_document`, :func:`dumps`) produces what MXNet's ``tojson()`` writes: ``nodes``
(``op``, ``name``, ``attrs`` when not empty, ``inputs`` as ``[node, output, version]``),
``arg_nodes``, ``node_row_ptr``, ``heads`` and the graph's ``attrs`` (1.9.1's
``mxnet_version`` when it has none; 2.0.0b1's are in :mod:`gluonbridge.graph.mx2_nodes`).
"""
from __future__ import annotations

import json
import os

from ..checkpoint.errors import CorruptHeaderError, DuplicateKey, unique_keys
from . import mx2_nodes
from .ir import Entry, Graph, Node

MAX_SYMBOL_BYTES = 1 << 28     # 256 MiB; the largest zoo graph is a few MiB
MAX_DEPTH = 64                 # JSON nesting (a graph is ~5 deep; nested subgraphs add ~5 each)
MAX_STRING = 1 << 20           # one name or attribute value
MXNET_VERSION = 10901   # the version 1.9.1 stamps into attrs.mxnet_version
SUBGRAPHS = "__subgraphs__"   # the node attribute holding a fused node's "subgraphs" JSON
# the node attribute giving a numpy-mode scalar op (``_npi_*_scalar``) of a graph written before
# MXNet 2, or an op of NUMPY_OPS_WRITTEN_AS_1X written by MXNet 2, that graph's
# ``mxnet_version`` (1.9.1 keeps the array's dtype, 2.x promotes)
MXNET_VERSION_ATTR = "__mxnet_version__"
MAX_KNOWN_VERSION = 30000   # 3.0.0: generations after 2.x are unknown


def load_document(path) -> dict:
    """Parse and validate a symbol JSON file (the JSON object, not yet upgraded)."""
    path = os.fspath(path)
    size = os.path.getsize(path)
    if size > MAX_SYMBOL_BYTES:
        raise CorruptHeaderError(path, None, f"a symbol JSON under {MAX_SYMBOL_BYTES} bytes",
                                 f"{size} bytes")
    try:
        with open(path, "rb") as fh:
            doc = json.loads(fh.read(MAX_SYMBOL_BYTES + 1).decode("utf-8"),
                             object_pairs_hook=unique_keys)
    except DuplicateKey as err:
        raise CorruptHeaderError(path, None, "unique keys in every JSON object",
                                 f"{err.args[0]!r} twice", "one of the two values would be "
                                 "silently lost; the file is corrupt", key=err.args[0]) from None
    except (ValueError, UnicodeDecodeError, RecursionError) as err:
        raise CorruptHeaderError(path, None, "a JSON symbol graph", str(err)[:100]) from None
    validate(doc, path)
    return doc


def _check_depth(doc, path):
    """Nesting beyond MAX_DEPTH is refused (the JSON parser itself stops at the interpreter's
    recursion limit, raising RecursionError, before using more memory)."""
    depth = max_depth(doc)
    if depth > MAX_DEPTH:
        raise CorruptHeaderError(path, None, f"JSON nested at most {MAX_DEPTH} deep",
                                 f"nesting over {MAX_DEPTH} deep", "not an MXNet -symbol.json")


def max_depth(value) -> int:
    """How deeply a parsed JSON value nests lists and objects (iterative: no recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item \
            if isinstance(item, list) else None
        if children is not None:
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                stack.extend((child, depth + 1) for child in children)
    return deepest


def validate(doc, path=None) -> None:
    """Structure checks: node objects, every input and head refers to an earlier node (so the
    graph is acyclic), ``arg_nodes`` name variables."""
    def bad(where, expected, found):
        return CorruptHeaderError(path, where, expected, repr(found)[:80],
                                  "not an MXNet -symbol.json, or corrupt")

    _check_depth(doc, path)

    if not isinstance(doc, dict) or not isinstance(doc.get("nodes"), list):
        raise bad(None, 'an object with a "nodes" list', type(doc).__name__)
    nodes = doc["nodes"]
    for i, node in enumerate(nodes):
        where = f"node {i}"
        if not isinstance(node, dict) or not isinstance(node.get("op"), str) \
                or not isinstance(node.get("name"), str) \
                or not isinstance(node.get("inputs"), list):
            raise bad(where, 'an object with "op", "name" and "inputs"', node)
        if len(node["name"]) > MAX_STRING:
            raise bad(where, f"a name under {MAX_STRING} characters", node["name"][:40])
        where = f"node {i} ({node['name'][:80]}) of op {node['op'][:40]}"
        for entry in node["inputs"]:
            if not _is_entry(entry, i):
                kind = "a cycle or forward reference" if _is_entry(entry, len(nodes)) else \
                    "a dangling input" if _is_entry(entry, 1 << 62) else "a malformed input"
                raise bad(where, f"inputs [node_id < {i}, output, (version)], not {kind}",
                          entry)
        for key in ("attrs", "attr", "param"):
            attrs = node.get(key)
            if key in node and not (isinstance(attrs, dict) and all(
                    isinstance(v, str) and len(v) <= MAX_STRING for v in attrs.values())):
                raise bad(where, f'"{key}" as an object of strings (each under {MAX_STRING} '
                          "characters)", attrs)
    if not isinstance(doc.get("heads"), list) or not doc["heads"]:
        raise bad("heads", 'a "heads" list of outputs (MXNet 1.9.1 refuses a graph without)',
                  doc.get("heads"))
    if not isinstance(doc.get("arg_nodes", []), list):
        raise bad("arg_nodes", "a list of variable node ids", doc["arg_nodes"])
    if not isinstance(doc.get("attrs", {}), dict):
        raise bad("attrs", "an object of graph attributes", doc["attrs"])
    mxnet_version = doc.get("attrs", {}).get("mxnet_version", ["int", 800])
    if not (isinstance(mxnet_version, list) and len(mxnet_version) == 2
            and type(mxnet_version[1]) is int and 0 <= mxnet_version[1] < MAX_KNOWN_VERSION):
        raise bad("attrs.mxnet_version", f'["int", n] with n < {MAX_KNOWN_VERSION} (MXNet 0.8 to '
                  "2.x): an unknown generation of symbol JSON", mxnet_version)
    for entry in doc["heads"]:
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


def version(doc: dict) -> int:
    """The ``mxnet_version`` a document was written by (0.8.0 when absent, as MXNet assumes)."""
    value = doc.get("attrs", {}).get("mxnet_version", ["int", 800])
    return value[1]


# Op names older generations wrote -> the name MXNet 1.9.1's loader gives the op (probed with
# mx.sym.load_json(...).tojson() on 1.9.1; tests/graphs/test_symbol_api.py checks the fixtures).
OLD_OP_NAMES = {
    "_Plus": "elemwise_add", "_plus": "elemwise_add", "_add": "elemwise_add",
    "_Minus": "elemwise_sub", "_minus": "elemwise_sub", "_sub": "elemwise_sub",
    "_Mul": "elemwise_mul", "_mul": "elemwise_mul", "_Div": "elemwise_div",
    "_div": "elemwise_div", "_Maximum": "_maximum", "_Minimum": "_minimum", "_Power": "_power",
    "_Hypot": "_hypot", "_Mod": "_mod", "_Equal": "_equal", "_Not_Equal": "_not_equal",
    "_Greater": "_greater", "_Greater_Equal": "_greater_equal", "_Lesser": "_lesser",
    "_Lesser_Equal": "_lesser_equal",
    "_PlusScalar": "_plus_scalar", "_MinusScalar": "_minus_scalar",
    "_RMinusScalar": "_rminus_scalar", "_MulScalar": "_mul_scalar", "_DivScalar": "_div_scalar",
    "_RDivScalar": "_rdiv_scalar", "_MaximumScalar": "_maximum_scalar",
    "_MinimumScalar": "_minimum_scalar", "_PowerScalar": "_power_scalar",
    "_RPowerScalar": "_rpower_scalar", "_ModScalar": "_mod_scalar", "_RModScalar": "_rmod_scalar",
    "_HypotScalar": "_hypot_scalar", "_EqualScalar": "_equal_scalar",
    "_NotEqualScalar": "_not_equal_scalar", "_GreaterScalar": "_greater_scalar",
    "_GreaterEqualScalar": "_greater_equal_scalar", "_LesserScalar": "_lesser_scalar",
    "_LesserEqualScalar": "_lesser_equal_scalar",
    "split": "SliceChannel", "flatten": "Flatten", "reshape": "Reshape", "swapaxes": "SwapAxis",
    "Softmax": "SoftmaxOutput", "stop_gradient": "BlockGrad", "identity": "_copy",
    "ElementWiseSum": "add_n", "concat": "Concat", "cast": "Cast",
}

# Attributes MXNet keeps as hidden ``__key__`` attributes (src/c_api/c_api_common.h kHiddenKeys)
HIDDEN_KEYS = ("ctx_group", "lr_mult", "wd_mult", "force_mirroring", "mirror_stage",
               "profiler_scope")

# Inputs that files before 0.9.0 did not store (auxiliary states, labels), created on load as
# ``<node>_<input>`` with the node's attributes, and the initializer 0.9.4's
# FSetInputVarAttrOnCompose gives them: op -> (position, input name, __init__ or None) in order.
PRE_090_INPUTS = {"BatchNorm": ((3, "moving_mean", '["zero", {}]'),
                                (4, "moving_var", '["one", {}]')),
                  "SoftmaxOutput": ((1, "label", None),)}


def _rename_ops(doc: dict) -> dict:
    for node in doc["nodes"]:
        node["op"] = OLD_OP_NAMES.get(node["op"], node["op"])
    return doc


# Ops MXNet 2 writes under their 1.x name although they run with numpy-mode semantics there
# (``np.maximum(x, 2.5)`` is written ``_maximum_scalar`` and promotes an integer array):
# written name -> the op table's numpy-mode spelling. Such a node keeps its name and gets
# MXNET_VERSION_ATTR, by which its lowering runs the numpy-mode op.
NUMPY_OPS_WRITTEN_AS_1X = {written: ours for ours, written in mx2_nodes.SCALAR.items()
                           if ours.startswith("_npi_") and not written.startswith("_np")}


def _hidden_keys(doc: dict) -> dict:
    """Before 1.9.1's version: ``lr_mult`` -> ``__lr_mult__`` (MXNet's UpgradeJSON_FixParsing,
    exact keys; ``weight_lr_mult`` moves to the ``weight`` variable when the node names it
    ``<node>_weight``)."""
    if version(doc) >= MXNET_VERSION:
        return doc
    nodes = doc["nodes"]
    for node in nodes:
        attrs = node.get("attrs", {})
        for key in list(attrs):
            hidden = next((h for h in HIDDEN_KEYS if key == h or key.endswith("_" + h)), None)
            if hidden is None:
                continue
            if key == hidden:
                attrs[f"__{hidden}__"] = attrs.pop(key)
                continue
            target = f"{node['name']}_{key[:-len(hidden) - 1]}"
            for entry in node["inputs"]:
                source = nodes[entry[0]]
                if source["op"] == "null" and source["name"] == target:
                    source.setdefault("attrs", {})[f"__{hidden}__"] = attrs.pop(key)
                    break
    return doc


def _pre_090_inputs(doc: dict) -> dict:
    """Before 0.9.0: add the input variables the file does not store (MXNet's
    UpgradeJSON_000800_000900); before 0.9.4: give BatchNorm's auxiliary variables their
    ``__init__`` (UpgradeJSON_000903_000904)."""
    old = version(doc)
    if old >= 904:
        return doc
    nodes, out, moved = doc["nodes"], [], {}
    for i, node in enumerate(nodes):
        node["inputs"] = [[moved[e[0]]] + list(e[1:]) for e in node["inputs"]]
        for position, input_name, init in PRE_090_INPUTS.get(node["op"], ()):
            attrs = dict(node.get("attrs", {}))
            if position >= len(node["inputs"]) and old < 900:
                out.append({"op": "null", "name": f"{node['name']}_{input_name}",
                            "attrs": attrs, "inputs": []})
                node["inputs"].append([len(out) - 1, 0, 0])
            if position < len(node["inputs"]):
                var = out[node["inputs"][position][0]]
                if var["op"] == "null" and init is not None:
                    var.setdefault("attrs", {}).setdefault("__init__", init)
        moved[i] = len(out)
        out.append(node)
    doc["heads"] = [[moved[e[0]]] + list(e[1:]) for e in doc["heads"]]
    doc["nodes"] = out
    return doc


def _argminmax_axis(doc: dict) -> dict:
    """Before 0.9.5, argmin/argmax ``axis='-1'`` meant no axis."""
    if version(doc) < 905:
        for node in doc["nodes"]:
            if node["op"] in ("argmin", "argmax") and node.get("attrs", {}).get("axis") == "-1":
                del node["attrs"]["axis"]
    return doc


def _stamp_version(doc: dict) -> dict:
    if version(doc) < MXNET_VERSION:
        doc.setdefault("attrs", {})["mxnet_version"] = ["int", MXNET_VERSION]
    return doc


# Upgrade steps, applied in order to a validated document (each returns the document).
UPGRADES = [_merge_attr_spellings, _rename_ops, _hidden_keys, _pre_090_inputs, _argminmax_axis,
            _stamp_version]


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
    written_by = version(doc)
    for node in doc["nodes"]:
        attrs = dict(node.get("attrs", {}))
        if "subgraphs" in node:   # fused MKL-DNN nodes (_sg_mkldnn_conv): kept as JSON text
            attrs[SUBGRAPHS] = json.dumps(node["subgraphs"])
        if written_by < 20000 and node["op"].startswith("_npi_") and node["op"].endswith("_scalar") \
                or written_by >= 20000 and node["op"] in NUMPY_OPS_WRITTEN_AS_1X:
            attrs[MXNET_VERSION_ATTR] = str(written_by)
        graph.add(Node(node["op"], node["name"], attrs,
                       [Entry(*e) for e in node.get("inputs", [])]))
    graph.heads = [Entry(*e) for e in doc["heads"]]
    graph = graph.reachable()
    if aux_positions is not None:
        graph.assign_roles(aux_positions, input_names)
    return graph


def load(path, aux_positions=None, input_names=("data",)) -> Graph:
    return from_document(load_document(path), aux_positions, input_names)


def loads(text: str, aux_positions=None, input_names=("data",)) -> Graph:
    if len(text) > MAX_SYMBOL_BYTES:
        raise CorruptHeaderError(None, None, f"a JSON symbol graph under {MAX_SYMBOL_BYTES} "
                                 "bytes", f"{len(text)} characters")
    try:
        doc = json.loads(text, object_pairs_hook=unique_keys)
    except DuplicateKey as err:
        raise CorruptHeaderError(None, None, "unique keys in every JSON object",
                                 f"{err.args[0]!r} twice", key=err.args[0]) from None
    except (ValueError, RecursionError) as err:
        raise CorruptHeaderError(None, None, "a JSON symbol graph", str(err)[:100]) from None
    validate(doc)
    return from_document(doc, aux_positions, input_names)


def to_document(graph: Graph, num_outputs=None) -> dict:
    """The JSON object MXNet writes for ``graph``. ``num_outputs(node)`` gives each
    op's output count for ``node_row_ptr`` (default: the outputs the graph uses)."""
    nodes, row_ptr = [], [0]
    for i, node in enumerate(graph.nodes):
        entry = {"op": node.op, "name": node.name}
        attrs = dict(node.attrs)
        subgraphs = attrs.pop(SUBGRAPHS, None)
        attrs.pop(MXNET_VERSION_ATTR, None)
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
