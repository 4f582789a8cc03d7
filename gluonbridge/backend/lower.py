"""Lowering a graph of MXNet ops to an ONNX model, through the op table.

:func:`to_onnx` walks the graph in order: variables become graph inputs (role ``input``) or
initializers (parameters: never graph inputs, so onnxruntime can constant-fold and fuse them),
every op node is handed to its entry's lowering with a :class:`Builder`.

With ``batch_axis``, the model serves every batch size: axis 0 of the inputs (or of the inputs
``batch_axis`` names, the others keeping their shapes) is the symbolic dimension ``batch`` and
every Reshape target computed from the traced shapes keeps the one batch-dependent dimension as
-1 (found by inferring the graph at the traced batch size and at one more). A graph where that
is impossible (a reshape mixing the batch into two dimensions, a weight shaped by the batch,
ranks that change) raises :class:`BatchDependent`; the caller then lowers it for the traced
batch size only. Lowerings make every shape constant through
:meth:`Builder.shape_constant`, so this holds for all of them. Opset 17 (LayerNormalization
needs it; BatchNormalization must be >= 14), IR version 8 (set explicitly: onnx >= 1.23 stamps a
version onnxruntime refuses); ``opset`` 18 is also written (:data:`OPSETS`: the Reduce ops
other than ReduceSum take ``axes`` as an input there, which :meth:`Builder.node` handles for every
lowering). The traps behind each lowering are in shared/spec/onnx-lowering.md.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..graph.infer import infer, resolve_unknown_dims
from .errors import LoweringError, unsupported
from .ops import registry

OPSET = 17
OPSETS = (17, 18)       # the opsets to_onnx writes
IR_VERSION = 8
# ONNX ops whose ``axes`` attribute became an input in opset 18 (ReduceSum's did in 13)
AXES_INPUT_FROM_18 = frozenset({"ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd",
                                "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp",
                                "ReduceSumSquare"})


class BatchDependent(Exception):
    """The graph computes something that depends on the batch size beyond axis 0."""


class Lowered(NamedTuple):
    """A lowered graph, before it becomes a ModelProto (:func:`model_proto`) or a file
    (:mod:`.onnx_file`): ``nodes`` as ``(op_type, input names, output names, attrs)``,
    ``initializers`` (name -> array, the used ones), ``inputs``/``outputs`` as
    ``(name, numpy dtype, dims)`` where a dim is an int, ``"batch"`` or None (unknown)."""
    name: str
    nodes: list
    initializers: dict
    inputs: list
    outputs: list
    opset: int


class Value:
    """One ONNX value with its static shape and dtype."""

    __slots__ = ("name", "shape", "dtype")

    def __init__(self, name, shape, dtype):
        self.name, self.shape, self.dtype = name, tuple(int(d) for d in shape), np.dtype(dtype)

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        return f"<Value {self.name} {self.shape} {self.dtype}>"


class Builder:
    """The ONNX nodes and initializers being emitted; ``where`` names the node being lowered
    (for errors)."""

    def __init__(self, opset=OPSET):
        self.opset = opset
        self.nodes = []           # (op_type, input names, output names, attrs)
        self.initializers = {}    # name -> numpy array
        self.where, self.op = "<graph>", None
        self.out_shapes = self.alt_shapes = None   # the node's outputs, at batch and batch + 1
        self._counter = 0

    def fresh(self, hint):
        self._counter += 1
        return f"{hint}_{self._counter}"

    def initializer(self, name, array):
        self.initializers[name] = array
        return Value(name, array.shape, array.dtype)

    def constant(self, value, dtype=np.float32):
        value = np.asarray(value, dtype=dtype)
        return self.initializer(self.fresh("const"), value)

    def shape_constant(self, shape):
        """The int64 target of a Reshape: the one place shape constants are made. For a
        batch-free model, the target of the node's output keeps its batch-dependent dimension
        as -1."""
        shape = tuple(int(d) for d in shape)
        if self.alt_shapes is not None and shape == tuple(self.out_shapes[0]):
            moving = [i for i, (x, y) in enumerate(zip(shape, self.alt_shapes[0])) if x != y]
            if len(moving) > 1:
                raise BatchDependent(f"{self.where}: a reshape to {shape} moves the batch into "
                                     "several dimensions")
            shape = tuple(-1 if i in moving else d for i, d in enumerate(shape))
        return self.constant(shape, np.int64)

    def fixed_axes(self, axes, what):
        """Raise BatchDependent when one of ``axes`` of the node's first output changes with
        the batch: a lowering that bakes that size into its constants (``what`` says which)."""
        if self.alt_shapes is not None and any(
                self.out_shapes[0][i] != self.alt_shapes[0][i] for i in axes):
            raise BatchDependent(f"{self.where}: {what} follows the batch size")

    def node(self, op_type, inputs, shape, dtype, n_outputs=1, **attrs):
        """Record one ONNX node; returns its (first) output Value."""
        outputs = [self.fresh(op_type) for _ in range(n_outputs)]
        if self.opset >= 18 and op_type in AXES_INPUT_FROM_18 and "axes" in attrs:
            inputs = list(inputs) + [self.constant(attrs.pop("axes"), np.int64)]
        self.nodes.append((op_type, [i.name for i in inputs], outputs, attrs))
        return Value(outputs[0], shape, dtype)

    def fail(self, detail):
        raise unsupported(self.where, self.op, detail)


def _alternate_shapes(graph, known_shapes, known_dtypes, inputs, shapes):
    """Every node's output shapes with the batch axis of ``inputs`` one larger; BatchDependent
    where that fails or changes a rank."""
    from ..graph.infer import ShapeError
    from .errors import LoweringError
    alt = dict(known_shapes)
    for name, (shape, _) in inputs.items():
        if not shape:
            raise BatchDependent(f"input '{name}' has no batch axis")
        alt[name] = (shape[0] + 1,) + tuple(shape[1:])
    try:
        alt_shapes, _ = infer(graph, registry.graph_rule, alt, known_dtypes)
    except (LoweringError, ShapeError, ValueError) as err:
        raise BatchDependent(str(err)) from None
    for ours, theirs in zip(shapes, alt_shapes):
        if any(len(a) != len(b) for a, b in zip(ours, theirs) if a is not None and b is not None):
            raise BatchDependent("a rank depends on the batch size")
    return alt_shapes


def unsupported_nodes(graph) -> list:
    """Every node of ``graph`` the lowering cannot handle, found without lowering anything:
    ``[(node name, op, detail)]`` in graph order, one row per unknown op and per unsupported
    attribute (an unknown or unparsable attribute, a value the lowering refuses, a required
    attribute missing). Empty when every op and attribute is supported."""
    problems = []
    for node in graph.nodes:
        if node.is_variable:
            continue
        entry = registry.OPS.get(node.op)
        if entry is None:
            problems.append((node.name, node.op, "the op"))
            continue
        problems.extend((node.name, node.op, detail)
                        for detail in entry.attr_problems(node.attrs))
    return problems


def describe_unsupported(problems, limit=20) -> str:
    """The rows of :func:`unsupported_nodes` as one message: each distinct (op, detail) with
    its count and the first nodes it occurs in."""
    groups = {}
    for name, op, detail in problems:
        groups.setdefault((op, detail), []).append(name)
    lines = [f"{len(problems)} unsupported node(s) in {len(groups)} kind(s):"]
    for (op, detail), names in list(groups.items())[:limit]:
        shown = ", ".join(f"'{n}'" for n in names[:3]) + (", ..." if len(names) > 3 else "")
        lines.append(f"  op {op}: {detail} x{len(names)} (node {shown})")
    if len(groups) > limit:
        lines.append(f"  ... and {len(groups) - limit} more kind(s)")
    return "\n".join(lines)


def check_supported(graph) -> None:
    """Raise one LoweringError listing every unsupported node of ``graph`` (before any work)."""
    problems = unsupported_nodes(graph)
    if problems:
        raise LoweringError(describe_unsupported(problems) + "\nnot supported by the ONNX "
                            "lowering")


def to_onnx(graph, inputs, params, name="gluonbridge", where=None, batch_axis=False,
            opset=OPSET):
    """The ModelProto of ``graph`` (see :func:`lower_graph`)."""
    return model_proto(lower_graph(graph, inputs, params, name, where, batch_axis, opset))


def lower_graph(graph, inputs, params, name="gluonbridge", where=None, batch_axis=False,
                opset=OPSET) -> Lowered:
    """``graph`` lowered to ONNX nodes at ``opset`` (one of :data:`OPSETS`).
    ``inputs``: name -> (shape, dtype) of the data inputs, in
    graph-input order; ``params``: name -> numpy array of every parameter variable.
    ``where(index)`` names node ``index`` in errors (default: ``node '<name>'``). With
    ``batch_axis``, axis 0 of the inputs is symbolic (raises BatchDependent if impossible);
    ``batch_axis`` may instead name the inputs whose axis 0 is, in ``inputs`` order (the first
    one's axis 0 is the batch size)."""
    known_shapes = {n: s for n, (s, _) in inputs.items()}
    known_dtypes = {n: d for n, (_, d) in inputs.items()}
    known_shapes.update({n: a.shape for n, a in params.items()})
    known_dtypes.update({n: a.dtype for n, a in params.items()})
    # 1.x begin states of shape (0, hidden) take the batch size: a model for this batch only
    graph = resolve_unknown_dims(graph, registry.graph_rule, known_shapes, known_dtypes, inputs)
    shapes, dtypes = infer(graph, registry.graph_rule, known_shapes, known_dtypes)
    batched = {n: s for n, s in inputs.items() if batch_axis is True or n in (batch_axis or ())}
    alt_shapes = (_alternate_shapes(graph, known_shapes, known_dtypes, batched, shapes)
                  if batched else None)
    if opset not in OPSETS:
        raise ValueError(f"opset {opset}: to_onnx writes opset {' or '.join(map(str, OPSETS))}")
    builder = Builder(opset)
    values = []
    graph_inputs = []
    for i, node in enumerate(graph.nodes):
        if node.is_variable:
            if node.name in params:
                values.append([builder.initializer(node.name, params[node.name])])
            elif node.name in inputs:
                value = Value(node.name, shapes[i][0], dtypes[i][0])
                graph_inputs.append(value)
                values.append([value])
            else:
                raise unsupported(f"node '{node.name}'", "null",
                                  "a variable that is neither an input nor a parameter")
            continue
        entry = registry.lookup(node.op, f"node '{node.name}'")
        builder.where = where(i) if where else f"node '{node.name}'"
        builder.op = entry.name
        builder.out_shapes = shapes[i]
        builder.alt_shapes = alt_shapes[i] if alt_shapes else None
        a = entry.parse(node.attrs, builder.where)
        args = [values[e.node][e.index] for e in node.inputs]
        out = entry.lower(builder, a, *args)
        values.append(list(out) if isinstance(out, (list, tuple)) else [out])
    outputs, output_dims = [], []
    batch = next(iter(batched.values()))[0][0] if batched else None
    for head in graph.heads:
        value = values[head.node][head.index]
        if value.name in builder.initializers or value in graph_inputs or value in outputs:
            value = builder.node("Identity", [value], value.shape, value.dtype)
        outputs.append(value)
        if alt_shapes is None:
            output_dims.append(list(value.shape))
        else:
            alt = alt_shapes[head.node][head.index]
            output_dims.append([d if d == e else "batch" if (d, e) == (batch, batch + 1) else None
                                for d, e in zip(value.shape, alt)])
    graph_inputs.sort(key=lambda v: list(inputs).index(v.name))
    input_dims = [(["batch"] + list(v.shape[1:])) if v.name in batched else list(v.shape)
                  for v in graph_inputs]

    used = {name for _, ins, _, _ in builder.nodes for name in ins}
    return Lowered(name, builder.nodes,
                   {n: a for n, a in builder.initializers.items() if n in used},
                   [(v.name, v.dtype, d) for v, d in zip(graph_inputs, input_dims)],
                   [(v.name, v.dtype, d) for v, d in zip(outputs, output_dims)], opset)


def model_proto(lowered: Lowered):
    """The onnx ModelProto of a lowered graph (imports onnx; :mod:`.onnx_file` writes the same
    bytes without it)."""
    from onnx import helper, numpy_helper

    def value_info(name, dtype, dims):
        return helper.make_tensor_value_info(name, helper.np_dtype_to_tensor_dtype(dtype), dims)

    nodes = [helper.make_node(op, ins, outs, **attrs) for op, ins, outs, attrs in lowered.nodes]
    inits = [numpy_helper.from_array(np.require(a, requirements="C"), n)   # 0-d stays 0-d
             for n, a in lowered.initializers.items()]
    proto = helper.make_graph(nodes, lowered.name, [value_info(*v) for v in lowered.inputs],
                              [value_info(*v) for v in lowered.outputs], inits)
    model = helper.make_model(proto, opset_imports=[helper.make_opsetid("", lowered.opset)],
                              producer_name="gluonbridge")
    model.ir_version = IR_VERSION
    return model

