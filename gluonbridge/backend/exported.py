"""Exported graphs (``NAME-symbol.json`` with its ``NAME-EPOCH.params``): a complete, runnable ONNX
model for ``convert --to onnx`` (:func:`convert`), and what a graph holds for ``inspect``
(:func:`describe`).

Which variable is what: with a params file, a variable that has an array there is a parameter
(an ONNX initializer, never a graph input); without one, a variable feeding a weight or
auxiliary input of its op (FullyConnected's ``weight``, BatchNorm's ``moving_mean``) is. A
variable feeding an op's ``label`` input (training heads such as SoftmaxOutput) is a label, not
fed at inference. Every other variable is a graph input, named as in the symbol. Input shapes
come from ``--input name:dims``, else from the variable's complete ``__shape__`` attribute.
"""
from __future__ import annotations

import os
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from ..checkpoint.errors import CheckpointError, OutputExistsError, UnsupportedError
from ..graph import json_io
from ..graph.infer import declared_dtype, declared_shape, declared_shape_text, infer
from . import ops
from .errors import LoweringError
from .batching import lower_batched
from .lower import OPSET, lower_graph, to_onnx, unsupported_nodes
from .ops.heads import label_variables, without_labels

SYMBOL_SUFFIX = "-symbol.json"
DATA_SLOTS = frozenset({"data", "lhs", "rhs"})   # op input names fed by data, not parameters
INPUT, ARG, AUX, LABEL = "input", "arg", "aux", "label"


class UnsupportedGraphError(UnsupportedError):
    """The graph uses ops or attribute values the lowering cannot handle; ``nodes`` lists every
    one as ``(node name, op, detail)`` and the message groups them by op and detail."""

    def __init__(self, path, nodes):
        self.nodes = list(nodes)
        super().__init__(path, None, "only ops and attributes the ONNX lowering supports",
                         f"{len(self.nodes)} unsupported use(s) in {len({n for n, _, _ in nodes})}"
                         " node(s), nothing was written:\n" + format_unsupported(self.nodes))


def format_unsupported(nodes) -> str:
    """One line per (op, detail): the count and every node's name."""
    groups = {}
    for name, op, detail in nodes:
        groups.setdefault((op, detail), []).append(name)
    return "\n".join(f"  {op}: {detail} ({len(names)} node{'s' * (len(names) != 1)}: "
                     f"{', '.join(names)})" for (op, detail), names in groups.items())


def parse_input_spec(text: str):
    """``name:d1,d2,...[:dtype]`` -> ``(name, shape, dtype or None)``; ValueError if malformed."""
    parts = text.split(":")
    if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
        raise ValueError(f"{text!r}: expected NAME:DIMS[:DTYPE], e.g. data:1,3,224,224")
    try:
        shape = tuple(int(d) for d in parts[1].split(","))
    except ValueError:
        raise ValueError(f"{text!r}: dimensions must be integers separated by commas") from None
    if any(d <= 0 for d in shape):
        raise ValueError(f"{text!r}: dimensions must be positive")
    try:
        dtype = np.dtype(parts[2]) if len(parts) == 3 else None
    except TypeError:
        raise ValueError(f"{text!r}: {parts[2]!r} is not a dtype") from None
    return parts[0], shape, dtype


def default_params(symbol_path) -> Path:
    """The newest ``NAME-NNNN.params`` (highest epoch) beside ``NAME-symbol.json``."""
    path = Path(symbol_path)
    if not path.name.endswith(SYMBOL_SUFFIX):
        raise CheckpointError(path, None, f"a graph named NAME{SYMBOL_SUFFIX} (to find "
                              "NAME-NNNN.params beside it)", repr(path.name), "pass --params")
    prefix = path.name[:-len(SYMBOL_SUFFIX)]
    pattern = re.compile(re.escape(prefix) + r"-(\d+)\.params")
    found = [(int(m.group(1)), p) for p in path.parent.iterdir()
             if (m := pattern.fullmatch(p.name))]
    if not found:
        raise CheckpointError(path, None, f"a parameter file {prefix}-NNNN.params beside the "
                              "graph", "none", "pass --params FILE")
    return max(found)[1]


def load_graph(path):
    return json_io.load(path)


def roles(graph, param_names=None, input_names=()) -> dict:
    """Variable name -> INPUT, ARG, AUX or LABEL (see the module docstring). Without
    ``param_names``, a variable feeding an op the table does not know (or a variadic one) is a
    parameter when named as MXNet names the parameters it creates: ``<node name>_<input>``."""
    slots = {}
    for node in graph.nodes:
        if node.is_variable:
            continue
        entry = ops.OPS.get(node.op)
        names = entry.input_names(len(node.inputs)) if entry is not None else ()
        for position, e in enumerate(node.inputs):
            variable = graph.nodes[e.node]
            if not variable.is_variable:
                continue
            if entry is None or entry.variadic:
                weight = variable.name.startswith(node.name + "_")
            else:
                weight = position < len(names) and names[position] not in DATA_SLOTS
            aux = entry is not None and position < len(names) and names[position] in entry.aux
            slots.setdefault(variable.name, []).append((weight, aux))
    labels = label_variables(graph)
    result = {}
    for node in graph.nodes:
        if not node.is_variable:
            continue
        used = slots.get(node.name, [])
        aux = any(a for _, a in used)
        if node.name in input_names:
            result[node.name] = INPUT
        elif node.name in labels:
            result[node.name] = LABEL
        elif param_names is not None:
            result[node.name] = (AUX if aux else ARG) if node.name in param_names else INPUT
        else:
            result[node.name] = (AUX if aux else ARG) if any(w for w, _ in used) else INPUT
    return result


def input_signature(graph, path, role_of, given) -> dict:
    """name -> (shape or None, dtype) of every input in graph order; ``given``: name ->
    (shape, dtype or None) from --input."""
    variables = {n.name: n for n in graph.nodes if n.is_variable}
    for name in given:
        if name not in variables:
            raise CheckpointError(path, f"--input {name}", "the name of a variable of the graph",
                                  "no such variable", "inputs: " + ", ".join(
                                      n for n, r in role_of.items() if r == INPUT))
        if role_of[name] != INPUT:
            raise CheckpointError(path, f"--input {name}", "an input", f"a {role_of[name]}")
    signature = {}
    for name, role in role_of.items():
        if role != INPUT:
            continue
        shape, dtype = given.get(name, (None, None))
        attrs = variables[name].attrs
        signature[name] = (shape or declared_shape(attrs),
                           dtype or declared_dtype(attrs) or np.dtype(np.float32))
    return signature


def _params(path, symbol_path, log):
    from .. import checkpoint
    if path is None:
        path = default_params(symbol_path)
        log(f"params: {path} (the newest beside the graph)")
    arrays = checkpoint.load(path)
    if isinstance(arrays, list) and not arrays:
        arrays = {}     # a graph without parameters: MXNet saves an empty list
    if not isinstance(arrays, dict):
        raise CheckpointError(path, None, "named arrays (arg:/aux: keys)", "an unnamed list")
    return {(key.split(":", 1)[1] if key.startswith(("arg:", "aux:")) else key): value
            for key, value in arrays.items()}


def convert(symbol_path, output, params=None, inputs=None, opset=OPSET, static_batch=False,
            force=False, verify=False, log=None):
    """Write the ONNX model of a ``-symbol.json`` graph to ``output``; ``inputs``: name ->
    (shape, dtype or None). Returns the max abs difference found by ``verify`` (else None)."""
    from ..atomic import atomic_output
    log = log or (lambda message: print(message, file=sys.stderr))
    output = os.fspath(output)
    if os.path.exists(output) and not force:
        raise OutputExistsError(output, None, "no existing file", "one", "pass --force to "
                                "overwrite it")
    graph = load_graph(symbol_path)
    bad = unsupported_nodes(graph)
    if bad:
        raise UnsupportedGraphError(symbol_path, bad)
    weights = _params(params, symbol_path, log)
    role_of = roles(graph, set(weights), set(inputs or ()))
    graph = without_labels(graph, keep=set(inputs or ()))
    signature = input_signature(graph, symbol_path, role_of, inputs or {})
    missing = [name for name, (shape, _) in signature.items() if shape is None]
    if missing:
        raise CheckpointError(symbol_path, f"input {missing[0]!r}", "a known input shape",
                              "no complete __shape__ attribute",
                              "pass --input " + " --input ".join(f"{n}:DIMS" for n in missing)
                              + f" (e.g. {missing[0]}:1,3,224,224); if it is a parameter, it is"
                              " missing from the params file")
    weights = {n: np.asarray(a) for n, a in weights.items() if role_of.get(n) in (ARG, AUX)}
    name = Path(symbol_path).name.removesuffix(SYMBOL_SUFFIX)
    if static_batch:
        lowered = lower_graph(graph, signature, weights, name, opset=opset)
    else:
        lowered = lower_batched(graph, signature, weights, name, opset, log)
    from .onnx_file import write_model
    with atomic_output(output, force) as out:
        write_model(out, lowered)
    return verify_model(output, graph, signature, weights, opset) if verify else None


def verify_model(path, graph, signature, weights, opset) -> float:
    """Check the written file (onnx.checker, full) and run it on onnxruntime at the inputs'
    shapes and, if some have a symbolic batch axis, with those one larger, against
    gluonbridge's own session of the graph lowered for each exact shape; the max abs
    difference (raises CheckpointError above 1e-4 relative to the output's max abs)."""
    import onnx
    import onnxruntime as ort
    from .runtime import current, make_session
    onnx.checker.check_model(os.fspath(path), full_check=True)
    session = ort.InferenceSession(os.fspath(path), providers=["CPUExecutionProvider"])
    batched = {i.name for i in session.get_inputs() if i.shape and isinstance(i.shape[0], str)}
    rng = np.random.default_rng(0)
    worst = 0.0
    for more in (0, 1) if batched else (0,):
        exact = {n: ((s[0] + more,) + tuple(s[1:]) if n in batched else tuple(s), d)
                 for n, (s, d) in signature.items()}
        arrays = [rng.standard_normal(s).astype(d) if d.kind == "f" else np.zeros(s, d)
                  for s, d in exact.values()]
        ours = session.run(None, dict(zip(exact, arrays)))
        reference = make_session(to_onnx(graph, exact, weights, opset=opset), current())(arrays)
        for k, (a, b) in enumerate(zip(ours, reference)):
            diff = float(np.max(np.abs(np.asarray(a, np.float64) - b))) if np.size(b) else 0.0
            scale = float(np.max(np.abs(b))) if np.size(b) else 0.0
            if not diff <= 1e-4 * max(scale, 1e-30):
                where = f"output {k}" + (" with the batch one larger" if more else "")
                raise CheckpointError(path, where, "the graph's values",
                                      f"max abs difference {diff:.3g}")
            worst = max(worst, diff)
    return worst


def _output_names(graph) -> list:
    names = []
    for head in graph.heads:
        node = graph.nodes[head.node]
        single = node.is_variable or graph.num_outputs(head.node) == 1
        names.append(node.name if node.is_variable else
                     f"{node.name}_output" if single else f"{node.name}_output{head.index}")
    return names


def _param_names(params, symbol_path):
    """The variable names a params file holds (its index only), or None without one."""
    from ..checkpoint import read_index
    if params is None:
        try:
            params = default_params(symbol_path)
        except CheckpointError:
            return None, None
    keys = [t.key or "" for t in read_index(params).tensors]
    return params, {k.split(":", 1)[1] if k.startswith(("arg:", "aux:")) else k for k in keys}


def describe(symbol_path, inputs=None, params=None) -> dict:
    """What a graph holds, as a JSON-ready dict: inputs (shapes when known), labels, outputs,
    parameters with shapes (inferred when every input shape is known), the op census and every
    op/attribute the lowering cannot handle. Which variables are parameters: the keys of
    ``params`` (default: the newest NAME-NNNN.params beside the graph, index only), else
    guessed (see :func:`roles`)."""
    graph = load_graph(symbol_path)
    inputs = inputs or {}
    notes = []
    params, names = _param_names(params, symbol_path)
    if names is None:
        notes.append("no params file: parameters told from inputs by the op table and MXNet's "
                     "naming")
    role_of = roles(graph, names, set(inputs))
    signature = input_signature(graph, symbol_path, role_of, inputs)
    bad = unsupported_nodes(graph)
    shapes = dtypes = None
    if not bad and all(shape is not None for shape, _ in signature.values()):
        try:
            shapes, dtypes = infer(graph, ops.graph_rule, {n: s for n, (s, _) in signature.items()},
                                   {n: d for n, (_, d) in signature.items()})
        except (LoweringError, ValueError) as err:
            notes.append(f"shape inference failed: {err}")
    elif not bad:
        notes.append("input shapes unknown: pass --input NAME:DIMS to infer parameter shapes")

    def shape_of(index, output=0):
        if shapes is not None and shapes[index][output] is not None:
            return list(shapes[index][output])
        text = declared_shape_text(graph.nodes[index].attrs)
        return list(text) if text is not None and all(d > 0 for d in text) else None

    index_of = {n.name: i for i, n in enumerate(graph.nodes)}
    return {
        "file": str(symbol_path), "format": "symbol-json", "nodes": len(graph.nodes),
        "params": None if params is None else str(params),
        "inputs": [{"name": n, "shape": shape_of(index_of[n]), "dtype": np.dtype(d).name}
                   for n, (_, d) in signature.items()],
        "labels": [n for n, r in role_of.items() if r == LABEL],
        "outputs": [{"name": name, "shape": shape_of(h.node, h.index)}
                    for name, h in zip(_output_names(graph), graph.heads)],
        "parameters": [{"key": f"{r}:{n}", "name": n, "role": r, "shape": shape_of(index_of[n]),
                        "dtype": None if dtypes is None else dtypes[index_of[n]][0].name}
                       for n, r in role_of.items() if r in (ARG, AUX)],
        "ops": dict(Counter(n.op for n in graph.nodes if not n.is_variable)),
        "unsupported": [{"node": n, "op": o, "detail": d} for n, o, d in bad],
        "notes": notes,
    }
