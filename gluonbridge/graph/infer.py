"""Shape and dtype inference over a :class:`~gluonbridge.graph.ir.Graph`.

The rules are the op table's (``gluonbridge.backend.ops``); this module only walks the graph, so
it takes the table as ``lookup(node) -> rule`` where ``rule.infer(node, shapes, dtypes)`` returns
``(input shapes, input dtypes, output shapes, output dtypes)`` with the unknown input shapes
(``None``: a parameter of deferred shape) filled in. Variables take their shape from ``known``
(name -> shape / dtype), else from a complete ``__shape__`` attribute, else from the op using them.
"""
from __future__ import annotations

import ast
from typing import Dict, List, Optional, Tuple

import numpy as np

from .ir import Graph

Shape = Optional[Tuple[int, ...]]

# MXNet's dtype codes (``__dtype__`` attributes of variables)
DTYPE_CODES = {0: "float32", 1: "float64", 2: "float16", 3: "uint8", 4: "int32", 5: "int8",
               6: "int64", 7: "bool", 12: "bfloat16"}


class ShapeError(ValueError):
    """Shapes that do not fit (names the node, op and what disagrees)."""


def declared_shape_text(attrs) -> Shape:
    """A variable's ``__shape__`` as written (0 for an unknown dimension), or None."""
    text = attrs.get("__shape__")
    if not isinstance(text, str):
        return None
    try:
        return tuple(int(d) for d in ast.literal_eval(text))
    except (ValueError, SyntaxError, TypeError):
        return None


def declared_shape(attrs) -> Shape:
    """A variable's ``__shape__`` when complete (MXNet writes 0 for an unknown dimension)."""
    shape = declared_shape_text(attrs)
    return shape if shape is not None and all(d > 0 for d in shape) else None


def declared_dtype(attrs):
    code = attrs.get("__dtype__")
    try:
        return np.dtype(DTYPE_CODES[int(code)]) if code is not None else None
    except (KeyError, ValueError, TypeError):
        return None


def infer(graph: Graph, lookup, known_shapes: Dict[str, tuple] = None,
          known_dtypes: Dict[str, object] = None):
    """``(shapes, dtypes)``: for each node index, the list of its output shapes / dtypes."""
    known_shapes, known_dtypes = known_shapes or {}, known_dtypes or {}
    shapes: List[list] = []
    dtypes: List[list] = []
    for i, node in enumerate(graph.nodes):
        if node.is_variable:
            shape = known_shapes.get(node.name)
            shapes.append([tuple(shape) if shape is not None else declared_shape(node.attrs)])
            dtype = known_dtypes.get(node.name)
            dtypes.append([np.dtype(dtype) if dtype is not None else
                           declared_dtype(node.attrs) or np.dtype(np.float32)])
            continue
        in_shapes = [shapes[e.node][e.index] for e in node.inputs]
        in_dtypes = [dtypes[e.node][e.index] for e in node.inputs]
        new_shapes, new_dtypes, out_shapes, out_dtypes = lookup(node).infer(
            node, in_shapes, in_dtypes)
        for e, have, need in zip(node.inputs, in_shapes, new_shapes):
            if have is None and need is not None and graph.nodes[e.node].is_variable:
                shapes[e.node][e.index] = tuple(need)
            elif have is not None and need is not None and tuple(have) != tuple(need):
                raise ShapeError(f"node '{node.name}' (op {node.op}): input "
                                 f"'{graph.nodes[e.node].name}' has shape {tuple(have)}, "
                                 f"the op needs {tuple(need)}")
        for e, dtype in zip(node.inputs, new_dtypes):
            if graph.nodes[e.node].is_variable and graph.nodes[e.node].name not in known_dtypes:
                dtypes[e.node][e.index] = dtype
        shapes.append(list(out_shapes))
        dtypes.append(list(out_dtypes))
    return shapes, dtypes


def infer_me_shape(op, attrs, inputs=()) -> Shape:
    """The ``shape`` attribute of an input-less 1.x op node (``_zeros``, ``_ones``, ``_full``:
    1.x begin states) when it has a 0, a dimension MXNet infers from the consumers; else None."""
    if op == "null" or inputs or op.startswith("_np") or "shape" not in attrs:
        return None
    text = attrs["shape"]
    try:
        shape = ast.literal_eval(text) if isinstance(text, str) else text
    except (ValueError, SyntaxError):
        return None
    if isinstance(shape, (tuple, list)) and 0 in shape:
        return tuple(int(d) for d in shape)
    return None


def fill_unknown(shape, value) -> tuple:
    """``shape`` with its 0 dimensions set to ``value``."""
    return tuple(value if d == 0 else d for d in shape)


def _unknown_dim_sources(graph: Graph):
    """Indices of the nodes with an :func:`infer_me_shape`."""
    return [i for i, node in enumerate(graph.nodes)
            if infer_me_shape(node.op, node.attrs, node.inputs) is not None]


def resolve_unknown_dims(graph: Graph, lookup, known_shapes: Dict[str, tuple] = None,
                         known_dtypes: Dict[str, object] = None, inputs=None) -> Graph:
    """``graph`` with the 0 ("infer me") dimensions of 1.x fill nodes filled in, as MXNet's
    backward inference fills them; the graph itself when it has none.

    MXNet's consumers only ever tie such a dimension to another array's dimension (a begin
    state's batch to the data's), so the candidates are the dimensions of the known shapes;
    the one value with which the whole graph infers is taken. None or several (the graph does
    not fix it): ShapeError naming the node."""
    sources = _unknown_dim_sources(graph)
    if not sources:
        return graph
    known_shapes = known_shapes or {}
    names = known_shapes if inputs is None else inputs
    candidates = sorted({int(d) for n in names for d in (known_shapes.get(n) or ()) if d > 0})
    fits = []
    for value in candidates:
        trial = _filled(graph, sources, value)
        try:
            infer(trial, lookup, known_shapes, known_dtypes)
        except Exception:       # noqa: BLE001 (any failure rules the candidate out)
            continue
        fits.append((value, trial))
    where = ", ".join(f"'{graph.nodes[i].name}'" for i in sources)
    if len(fits) != 1:
        found = "no value fits" if not fits else f"several values fit ({[v for v, _ in fits]})"
        raise ShapeError(f"node {where}: a shape with a 0 (a dimension MXNet infers from the "
                         f"consumers) and {found} the graph: give the dimension its size")
    return fits[0][1]


def _filled(graph: Graph, sources, value) -> Graph:
    nodes = list(graph.nodes)
    for i in sources:
        node = nodes[i]
        filled = fill_unknown(infer_me_shape(node.op, node.attrs), value)
        nodes[i] = type(node)(node.op, node.name, {**node.attrs, "shape": str(filled)},
                              list(node.inputs), node.role)
    return Graph(nodes, list(graph.heads), dict(graph.attrs))
