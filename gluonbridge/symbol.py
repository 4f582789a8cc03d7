"""``mx.sym`` / ``mx.symbol``: MXNet 1.x's symbolic graphs, as data (no execution here).

A :class:`Symbol` is a list of outputs of graph nodes; nodes are shared between symbols, as in
nnvm, and turned into a :class:`~gluonbridge.graph.Graph` in MXNet's order (a post-order walk
from the outputs) when listed or written. ``load``/``load_json`` read every symbol-JSON
generation through :mod:`gluonbridge.graph.json_io`; ``mx.sym.<Op>(...)`` builds nodes through
the op table (missing parameter inputs become variables ``<name>_<input>``, as MXNet creates
them); ``tojson()`` writes what MXNet 1.9.1 writes.
"""
from __future__ import annotations

import threading

import numpy as np

from .graph import Entry, Graph, Node, json_io
from .graph.attrs import format_value

# ops whose extra outputs are hidden (MXNet's NumVisibleOutputs), unless the named flag is set
_HIDDEN_OUTPUTS = {"BatchNorm": "output_mean_var", "LayerNorm": "output_mean_var",
                   "InstanceNorm": None, "Pooling": None, "Dropout": None,
                   "GridGenerator": None, "BilinearSampler": None, "SpatialTransformer": None,
                   "_contrib_DeformablePSROIPooling": None,
                   "_contrib_Proposal": "output_score", "_contrib_MultiProposal": "output_score"}
_OUTPUT_NAMES = {"BatchNorm": ("output", "mean", "var"), "LayerNorm": ("output", "mean", "std"),
                 "_contrib_Proposal": ("output", "score"),
                 "_contrib_MultiProposal": ("output", "score")}
_counters = threading.local()


class _SNode:
    """One node: op (``"null"`` for a variable), name, attrs (strings), inputs as
    ``(node, index, version)``."""

    __slots__ = ("op", "name", "attrs", "inputs")

    def __init__(self, op, name, attrs=None, inputs=()):
        self.op, self.name, self.attrs, self.inputs = op, name, dict(attrs or {}), list(inputs)


def _ops():
    from .backend.ops import OPS
    return OPS


def _visible_outputs(node) -> int:
    if node.op == "null":
        return 1
    entry = _ops().get(node.op)
    if entry is None:
        return 1
    if entry.name in _HIDDEN_OUTPUTS:
        flag = _HIDDEN_OUTPUTS[entry.name]
        return entry.num_outputs(node.attrs) if flag and node.attrs.get(flag) in (
            "True", "true", "1") else 1
    return entry.num_outputs(node.attrs)


def _output_name(node, index) -> str:
    if node.op == "null":
        return node.name
    entry = _ops().get(node.op)
    names = _OUTPUT_NAMES.get(entry.name if entry else node.op)
    if names:
        return f"{node.name}_{names[index]}"
    return f"{node.name}_output" if _visible_outputs(node) == 1 else f"{node.name}_output{index}"


class Symbol:
    """Outputs of a graph: ``outputs`` is a list of ``(node, index)``."""

    def __init__(self, outputs):
        self._outputs = list(outputs)

    # -- the graph ----------------------------------------------------------------------
    def _graph(self) -> Graph:
        order, index = [], {}
        for node, _ in self._outputs:
            stack = [(node, 0)]
            while stack:
                current, position = stack.pop()
                if id(current) in index:
                    continue
                if position < len(current.inputs):
                    stack.append((current, position + 1))
                    child = current.inputs[position][0]
                    if id(child) not in index:
                        stack.append((child, 0))
                    continue
                index[id(current)] = len(order)
                order.append(current)
        graph = Graph(attrs={"mxnet_version": ["int", json_io.MXNET_VERSION]})
        for n in order:
            graph.add(Node(n.op, n.name, dict(n.attrs),
                           [Entry(index[id(c)], i, v) for c, i, v in n.inputs]))
        graph.heads = [Entry(index[id(n)], i, 0) for n, i in self._outputs]
        from .backend.ops import aux_positions
        graph.assign_roles(aux_positions, ())
        return graph

    @classmethod
    def _from_graph(cls, graph: Graph) -> "Symbol":
        nodes = _snodes(graph)
        return cls([(nodes[e.node], e.index) for e in graph.heads])

    # -- listing ------------------------------------------------------------------------
    @property
    def name(self):
        if len(self._outputs) != 1:
            return None
        return self._outputs[0][0].name

    def list_arguments(self):
        return [n.name for n in self._graph().nodes if n.is_variable and n.role != "aux"]

    def list_auxiliary_states(self):
        return [n.name for n in self._graph().nodes if n.is_variable and n.role == "aux"]

    def list_inputs(self):
        return [n.name for n in self._graph().nodes if n.is_variable]

    def list_outputs(self):
        return [_output_name(n, i) for n, i in self._outputs]

    def get_internals(self) -> "Symbol":
        """Every visible output of every node, in graph order."""
        graph = self._graph()
        nodes = _snodes(graph)
        return Symbol([(n, i) for n in nodes for i in range(_visible_outputs(n))])

    def get_children(self):
        if len(self._outputs) != 1 or not self._outputs[0][0].inputs:
            return None
        return Symbol([(c, i) for c, i, _ in self._outputs[0][0].inputs])

    def __len__(self):
        return len(self._outputs)

    def __iter__(self):
        return (Symbol([o]) for o in self._outputs)

    def __getitem__(self, key):
        if isinstance(key, str):
            names = self.list_outputs()
            if key not in names:
                raise ValueError(f"There are no outputs named {key!r}: "
                                 f"the outputs are {names}")
            if names.count(key) > 1:
                raise ValueError(f"There are multiple outputs with name {key!r}")
            key = names.index(key)
        return Symbol([self._outputs[key]])

    def attr(self, key):
        if len(self._outputs) != 1:
            return None
        return self._outputs[0][0].attrs.get(key)

    def list_attr(self):
        return dict(self._outputs[0][0].attrs) if len(self._outputs) == 1 else {}

    def attr_dict(self):
        """``{node name: attrs}`` of every node with attributes."""
        return {n.name: dict(n.attrs) for n in self._graph().nodes if n.attrs}

    def __repr__(self):
        if len(self._outputs) == 1:
            return f"<Symbol {self.name}>"
        return f"<Symbol group [{', '.join(self.list_outputs())}]>"

    # -- writing ------------------------------------------------------------------------
    def tojson(self) -> str:
        from .backend.ops import num_outputs
        return json_io.dumps(self._graph(), num_outputs)

    def save(self, fname, remove_amp_cast=True):
        from .atomic import atomic_output
        with atomic_output(fname, force=True) as fh:
            fh.write(self.tojson().encode("utf-8"))

    # -- shapes -------------------------------------------------------------------------
    def infer_shape(self, *args, **kwargs):
        """``(arg_shapes, out_shapes, aux_shapes)`` from the shapes of some inputs (by
        position in ``list_arguments()`` or by name); ``(None, None, None)`` when incomplete."""
        from .backend.ops import graph_rule
        from .graph.infer import infer
        arguments = self.list_arguments()
        known = dict(zip(arguments, args))
        known.update(kwargs)
        known = {k: tuple(v) for k, v in known.items() if v}
        graph = self._graph()
        shapes, _ = infer(graph, graph_rule, known)
        by_name = {n.name: shapes[i][0] for i, n in enumerate(graph.nodes) if n.is_variable}
        outs = [shapes[e.node][e.index] for e in graph.heads]
        arg_shapes = [by_name[n] for n in arguments]
        aux_shapes = [by_name[n] for n in self.list_auxiliary_states()]
        if any(s is None for s in arg_shapes + outs + aux_shapes):
            return None, None, None
        return arg_shapes, outs, aux_shapes


def _snodes(graph: Graph) -> list:
    nodes = []
    for node in graph.nodes:
        nodes.append(_SNode(node.op, node.name, node.attrs,
                            [(nodes[e.node], e.index, e.version) for e in node.inputs]))
    return nodes


# -- module functions -------------------------------------------------------------------------

def load(fname) -> Symbol:
    """Read a ``-symbol.json`` of any generation (upgraded as MXNet's loader does)."""
    return Symbol._from_graph(json_io.load(fname))


def load_json(json_str) -> Symbol:
    return Symbol._from_graph(json_io.loads(json_str))


def var(name, attr=None, shape=None, lr_mult=None, wd_mult=None, dtype=None, init=None,
        stype=None, **kwargs) -> Symbol:
    """A variable node; keyword arguments become its ``__key__`` attributes as in MXNet."""
    attrs = dict(attr or {})
    if shape is not None:
        attrs["__shape__"] = str(tuple(shape))
    if lr_mult is not None:
        attrs["__lr_mult__"] = str(lr_mult)
    if wd_mult is not None:
        attrs["__wd_mult__"] = str(wd_mult)
    if dtype is not None:
        from .graph.infer import DTYPE_CODES
        codes = {v: k for k, v in DTYPE_CODES.items()}
        attrs["__dtype__"] = str(codes[np.dtype(dtype).name])
    if init is not None:
        attrs["__init__"] = init if isinstance(init, str) else init.dumps()
    for key, value in kwargs.items():
        attrs[f"__{key}__"] = str(value)
    return Symbol([(_SNode("null", name, attrs), 0)])


Variable = var


def Group(symbols, create_fn=None) -> Symbol:
    """One Symbol with the outputs of every symbol in ``symbols``."""
    return Symbol([o for s in symbols for o in s._outputs])


def _auto_name(hint: str) -> str:
    counters = getattr(_counters, "value", None)
    if counters is None:
        counters = _counters.value = {}
    count = counters.get(hint, 0)
    counters[hint] = count + 1
    return f"{hint}{count}"


def _needs_input(entry, input_name, attrs) -> bool:
    """Whether MXNet lists ``input_name`` as an argument of this call (its FListInputNames)."""
    if input_name == "bias" and attrs.get("no_bias") in ("True", "true", "1"):
        return False
    if entry.name == "LeakyReLU" and input_name == "gamma":
        return attrs.get("act_type") == "prelu"
    if entry.name == "_contrib_DeformablePSROIPooling" and input_name == "trans":
        return attrs.get("no_trans") not in ("True", "true", "1")
    return True


def _holds_graph_symbol(values) -> bool:
    return any(isinstance(v, Symbol) or (isinstance(v, (list, tuple)) and _holds_graph_symbol(v))
               for v in values)


def _make_op(op_name):
    def create(*args, name=None, attr=None, **kwargs):
        from .backend.trace import current_trace
        tracer = current_trace()
        if tracer is not None and not _holds_graph_symbol(list(args) + list(kwargs.values())):
            # inside a block's trace, as in a hybridized 1.x block where ``F`` is ``mx.sym``:
            # the op is recorded in the trace (``mx.sym.zeros`` begin states)
            return tracer.call(op_name, args, dict(kwargs, name=name), hint=op_name.lower())
        entry = _ops()[op_name]
        inputs = [a for a in args if isinstance(a, Symbol)]
        if entry.variadic and len(args) == 1 and isinstance(args[0], (list, tuple)):
            inputs = list(args[0])
        named = {k: kwargs.pop(k) for k in list(kwargs) if isinstance(kwargs[k], Symbol)}
        if entry.variadic and "num_args" not in kwargs and entry.attrs.get("num_args"):
            kwargs["num_args"] = len(inputs)
        attrs = {k: format_value(v) for k, v in kwargs.items() if v is not None}
        name = name or _auto_name(op_name.lower())
        input_names = entry.input_names(len(inputs))
        if not entry.variadic:
            values = dict(zip(input_names, inputs))
            values.update(named)
            inputs = []
            for input_name in input_names:
                if input_name in values:
                    inputs.append(values[input_name])
                elif _needs_input(entry, input_name, attrs):   # MXNet copies the node's attrs
                    inputs.append(var(f"{name}_{input_name}", attr=attrs))
        edges = []
        inits = {n: init for _, n, init in json_io.PRE_090_INPUTS.get(entry.name, ()) if init}
        for input_name, symbol in zip(input_names, inputs):
            if len(symbol._outputs) != 1:
                raise ValueError(f"{op_name}: an input of {len(symbol._outputs)} outputs; "
                                 "pick one output (symbol[i])")
            node, index = symbol._outputs[0]
            if node.op == "null" and input_name in inits:   # FSetInputVarAttrOnCompose
                node.attrs.setdefault("__init__", inits[input_name])
            edges.append((node, index, 1 if input_name in entry.aux else 0))
        node = _SNode(op_name, name, dict(attrs, **{f"__{k}__": str(v)
                                                     for k, v in (attr or {}).items()}),
                      edges)
        if _visible_outputs(node) == 1:
            return Symbol([(node, 0)])
        return Symbol([(node, i) for i in range(_visible_outputs(node))])
    create.__name__ = op_name
    return create


def zeros(shape, dtype=None, **kwargs) -> Symbol:
    """``_zeros`` of ``shape`` (float32 unless ``dtype``), as MXNet's ``symbol.zeros``."""
    return _make_op("_zeros")(shape=shape, dtype=np.float32 if dtype is None else dtype,
                              **kwargs)


def ones(shape, dtype=None, **kwargs) -> Symbol:
    """``_ones`` of ``shape`` (float32 unless ``dtype``), as MXNet's ``symbol.ones``."""
    return _make_op("_ones")(shape=shape, dtype=np.float32 if dtype is None else dtype,
                             **kwargs)


def full(shape, val, dtype=None, **kwargs) -> Symbol:
    """``_full`` of ``shape`` filled with ``val``, as MXNet's ``symbol.full``."""
    return _make_op("_full")(shape=shape, dtype=np.float32 if dtype is None else dtype,
                             value=float(val), **kwargs)


def __getattr__(name):
    """``mx.sym.<Op>``: every op of the table; ``mx.sym.contrib``: the ``_contrib_`` ops."""
    if name == "contrib":
        from . import symbol_contrib
        return symbol_contrib
    if name.startswith("__") or name not in _ops():
        raise AttributeError(f"module 'mxnet.symbol' has no attribute {name!r} (an op "
                             "gluonbridge does not know)")
    return _make_op(name)
