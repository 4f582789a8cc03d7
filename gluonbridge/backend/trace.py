"""Tracing a block's forward into a graph of MXNet ops (:class:`gluonbridge.graph.Graph`).

While a trace is active (one per thread), HybridBlocks called with Symbols record ops instead of
computing: ``hybrid_forward(F, x, **params)`` gets an op namespace ``F`` and a ParamRef per
registered Parameter (1.x style); ``forward(x)`` code reads ``self.weight.data()``, which returns
the ParamRef, and calls ``mx.np``/``mx.npx`` ops (2.x style). Every op call adds one node with its
attributes as MXNet prints them and its output shapes inferred at once (user code reads
``x.shape``); Parameters become variable nodes named by the naming mode's variable names.

Node names follow MXNet 1.x's NameManager: inside a block, ``<block prefix><name>`` when the
caller names the op (``name="fwd"`` -> ``dense0_fwd``), else ``<prefix><hint><n>`` with a counter
per hint that restarts for every block call (``_plus0``, ``relu0``).
"""
from __future__ import annotations

import contextlib
import functools
import threading

import numpy as np

from ..graph import ARG, AUX, INPUT, Entry, Graph, Node
from ..graph.infer import fill_unknown, infer_me_shape
from ..graph.variables import variable_attrs
from . import control_flow, fill_functions
from .errors import IncompatibleInputError, LoweringError, unsupported
from .ops import OPS
from .ops.elementwise import ARITHMETIC, BROADCAST_FORM, SCALAR_FORM, scalar_attrs
from .symbol import ParamRef, Symbol

_state = threading.local()
# Python functions (not ops) of MXNet's namespaces: (namespace, name) -> function(tracer, ...)
FUNCTIONS = {**control_flow.FUNCTIONS, **fill_functions.FUNCTIONS}
_NOT_ATTRS = ("out", "ctx", "attr")   # op keyword arguments that are not node attributes


def current_trace():
    """The trace active in this thread, or None."""
    return getattr(_state, "tracer", None)


@contextlib.contextmanager
def active(tracer):
    previous, _state.tracer = current_trace(), tracer
    try:
        yield tracer
    finally:
        _state.tracer = previous


class _Scope:
    """One block call's name scope: MXNet 1.x's ``Prefix`` NameManager."""

    def __init__(self, prefix):
        self.prefix, self.counters = prefix, {}

    def name(self, name, hint):
        if not name:
            count = self.counters.get(hint, 0)
            self.counters[hint] = count + 1
            name = f"{hint}{count}"
        return self.prefix + name


class Tracer:
    """The graph being recorded, the shapes of every node output, the Parameters bound to
    variable nodes, and the block context (path for errors, name scope for node names)."""

    def __init__(self, parameter_name=None, numpy_mode=False, paths=None):
        self.graph = Graph()
        self.shapes, self.dtypes = [], []
        self.params = {}                      # variable name -> Parameter
        self.paths = paths or {}              # id(block) -> structural path
        self.numpy_mode = numpy_mode
        self._parameter_name = parameter_name or (lambda p: p.variable_name)
        self._param_nodes = {}                # id(Parameter) -> node index
        self._block_path = []
        self._scopes = [_Scope("")]
        self._node_where = {}                 # node index -> block path (for lowering errors)
        self.shape_read = False               # user code read a Symbol's shape
        self._infer_me = set()                # 1.x fills whose 0 dimensions no consumer fixed

    # -- context ------------------------------------------------------------------------
    def where(self):
        path = self._block_path[-1] if self._block_path else ""
        return f"block '{path or '<root>'}'"

    def where_node(self, index):
        """How lowering errors name node ``index``: its block and its name."""
        block = self._node_where.get(index)
        node = self.graph.nodes[index].name
        return f"block '{block or '<root>'}' (node '{node}')" if block is not None else \
            f"node '{node}'"

    @contextlib.contextmanager
    def block_scope(self, block):
        """Record ``block``'s ops under its path and name prefix."""
        self._block_path.append(self.paths.get(id(block), type(block).__name__))
        names = block.__dict__.get("_names")     # BlockNaming: empty under structural naming
        # the scope's prefix is the block's ``prefix`` attribute, which a subclass may override
        prefix = "" if names is None else names.scope.prefix if names.scope else names.prefix
        # a block made with prefix='' opens no name scope (MXNet 1.x's ``_empty_prefix``): its
        # ops are counted in the enclosing block's scope
        empty = getattr(names.scope, "_empty_prefix", False) if names is not None else False
        self._scopes.append(self._scopes[-1] if empty else _Scope(prefix))
        try:
            yield
        finally:
            self._block_path.pop()
            self._scopes.pop()

    @property
    def namespace(self):
        return OpNamespace(self)

    # -- recording ------------------------------------------------------------------------
    def _add(self, node, shapes, dtypes):
        index = self.graph.add(node)
        self.shapes.append(list(shapes))
        self.dtypes.append(list(dtypes))
        if self._block_path:
            self._node_where[index] = self._block_path[-1]
        return index

    def input(self, name, shape, dtype):
        index = self._add(Node("null", name, {}, [], INPUT), [tuple(shape)], [np.dtype(dtype)])
        return Symbol(self, index, 0, tuple(shape), np.dtype(dtype))

    def _variable(self, param, role):
        index = self._param_nodes.get(id(param))
        if index is None:
            name = self._parameter_name(param)
            index = self._add(Node("null", name, dict(_var_attrs(param)), [], role),
                              [param.raw_shape],
                              [np.dtype(param.dtype)])
            self._param_nodes[id(param)] = index
            self.params[name] = param
        return index

    @staticmethod
    def declare_variables(params):
        """MXNet 1.x makes the variable of every Parameter of a block (``Parameter.var()``)
        when the block's ``hybrid_forward`` is traced, before its ops run: the attributes keep
        the shapes known then (a layer that completes its shapes itself, as the recurrent
        layers do, still writes the unknown dimensions as 0)."""
        for param in params:
            _var_attrs(param)

    def _bind(self, ref, index, shape, dtype, op, uniform):
        """Give Parameter ``ref`` the ``shape`` op needs (unknown dimensions filled in, deferred
        initialization finished) and check its dtype against the op's data."""
        param = ref.param
        have = param.raw_shape
        if shape is None:
            if have is None or any(d <= 0 for d in have):
                raise unsupported(self.where(), op, f"parameter '{param.name}' of unknown shape "
                                  f"{have} (an op that cannot infer it)")
            shape = have
        shape = tuple(int(d) for d in shape)
        if have is not None and len(have) == len(shape) and any(
                0 < h != n for h, n in zip(have, shape)):
            raise IncompatibleInputError(
                f"Error in {self.where()} (op {op}): Shape inconsistent, Provided = "
                f"[{','.join(map(str, have))}], inferred shape=({','.join(map(str, shape))}) "
                f"for Parameter '{param.name}': the input does not fit the shape the Parameter "
                "was built or loaded with")
        try:
            param.complete_shape(shape)
        except AssertionError as err:
            raise unsupported(self.where(), op, f"parameter '{param.name}': {err}") from None
        array_dtype = np.dtype(param.array().dtype)
        if uniform and dtype is not None and array_dtype != np.dtype(dtype):
            raise IncompatibleInputError(
                f"Error in {self.where()} (op {op}): This layer requires uniform type. "
                f"Expected '{array_dtype}' v.s. given '{np.dtype(dtype)}' at 'data': cast the "
                f"input (x.astype('{array_dtype}')) or the block (block.cast('{np.dtype(dtype)}'))")
        self.shapes[index][0] = shape
        self.dtypes[index][0] = array_dtype

    def call(self, op_name, args, kwargs, hint=None, name=None):
        """Record ``op_name(*args, **kwargs)``; returns its Symbol (a list for several
        outputs)."""
        entry = OPS.get(op_name)
        if entry is None:
            raise unsupported(self.where(), op_name, "the op")
        kwargs = dict(kwargs)
        name = kwargs.pop("name", None) or name
        for key in _NOT_ATTRS:
            kwargs.pop(key, None)
        inputs, attrs = self._split(entry, op_name, args, kwargs)
        numbers = [i for i, v in enumerate(inputs) if not isinstance(v, (Symbol, ParamRef))]
        if numbers and entry.name in SCALAR_FORM:
            return self._scalar_call(entry, inputs, numbers, attrs, name)
        if numbers:
            raise unsupported(self.where(), entry.name,
                              f"a {type(inputs[numbers[0]]).__name__} as input {numbers[0]}")
        if entry.variadic and "num_args" not in attrs:
            attrs["num_args"] = len(inputs)
        strings = entry.format_attrs(attrs)
        where = self.where()
        a = entry.parse(strings, where)
        names = entry.input_names(len(inputs))
        entries, shapes, dtypes = [], [], []
        for position, value in enumerate(inputs):
            if isinstance(value, ParamRef):
                role = AUX if names[position] in entry.aux else ARG
                index = self._variable(value.param, role)
                entries.append(Entry(index, 0, 1 if role == AUX else 0))
                have = self.shapes[index][0]
                shapes.append(have if have and all(d > 0 for d in have) else None)
                dtypes.append(self.dtypes[index][0])
            else:
                entries.append(Entry(value.node, value.index))
                shapes.append(value._shape)
                dtypes.append(value.dtype)
        data_dtype = next((d for v, d in zip(inputs, dtypes) if isinstance(v, Symbol)), None)
        shapes = self._fix_infer_me(entry, a, inputs, shapes, dtypes, where)
        # a 1.x fill with a 0 ("infer me") dimension: a consumer fixes it (MXNet 2's numpy
        # shapes make a 0 an empty dimension)
        unknown = None if self.numpy_mode else infer_me_shape(entry.name, strings, inputs)
        if unknown is None:
            in_shapes, in_dtypes, out_shapes, out_dtypes = entry.infer_parsed(a, shapes, dtypes,
                                                                              where)
        else:
            dtype = entry.dtype_rule(a) if entry.dtype_rule is not None else np.float32
            in_shapes, out_shapes, out_dtypes = [], [unknown], [np.dtype(dtype)]
        bound = {}
        for position, value in enumerate(inputs):
            if isinstance(value, ParamRef):
                self._bind(value, entries[position].node, in_shapes[position], data_dtype,
                           entry.name, entry.uniform)
                bound[names[position]] = value.param
        if bound:   # the parameters' dtypes are now known: infer again with them
            dtypes = [self.dtypes[e.node][0] if isinstance(v, ParamRef) else d
                      for v, e, d in zip(inputs, entries, dtypes)]
            _, _, out_shapes, out_dtypes = entry.infer_parsed(a, in_shapes, dtypes, where)
        if entry.at_trace is not None:
            entry.at_trace(a, bound)
        node_name = self._scopes[-1].name(name, hint or op_name.lower())
        index = self._add(Node(entry.name, node_name, strings, entries), out_shapes, out_dtypes)
        if unknown is not None:
            self._infer_me.add(index)
        outs = [Symbol(self, index, i, s, d) for i, (s, d) in enumerate(zip(out_shapes,
                                                                              out_dtypes))]
        return outs[0] if len(outs) == 1 else outs

    def _fix_infer_me(self, entry, a, inputs, shapes, dtypes, where):
        """``shapes`` with those of the inputs made by 1.x fills of 0 ("infer me") dimensions
        fixed as MXNet's backward inference fixes them: the one value, among the other inputs'
        dimensions, with which this op infers. None or several fit: left as they are (the op's
        rule, then the lowering's :func:`~gluonbridge.graph.infer.resolve_unknown_dims`,
        decide)."""
        pending = [p for p, v in enumerate(inputs)
                   if isinstance(v, Symbol) and v.node in self._infer_me]
        if not pending:
            return shapes
        candidates = sorted({int(d) for p, s in enumerate(shapes) if p not in pending
                             for d in (s or ()) if d > 0})
        fits = []
        for value in candidates:
            trial = [fill_unknown(s, value) if p in pending else s for p, s in enumerate(shapes)]
            try:
                entry.infer_parsed(a, trial, dtypes, where)
            except Exception:       # noqa: BLE001 (any failure rules the candidate out)
                continue
            fits.append(trial)
        if len(fits) != 1:
            return shapes
        for p in pending:
            value = inputs[p]
            self.shapes[value.node][value.index] = value._shape = fits[0][p]
            self._infer_me.discard(value.node)
        return fits[0]

    def add_graph(self, graph, fed, params):
        """Record a symbol graph (a SymbolBlock's) as it is: variables named in ``fed`` are
        bound to those Symbols, the others to ``params`` (name -> Parameter); every op node
        keeps its op, name and attribute strings. Shapes and dtypes come from inferring the
        whole graph as the lowering does (so MXNet's 0 "infer me" dimensions of 1.x begin
        states are resolved from their consumers, which one op at a time cannot do); deferred
        Parameters are completed with the shapes their ops need. Returns the Symbols (or
        ParamRefs) of the graph's heads."""
        for name, value in fed.items():
            if not isinstance(value, Symbol):
                raise unsupported(self.where(), "null", f"a {type(value).__name__} as input "
                                  f"{name!r}")
        shapes, dtypes = self._infer_graph(graph, fed, params)
        values = []
        for i, node in enumerate(graph.nodes):
            if node.is_variable:
                values.append([fed[node.name] if node.name in fed
                               else ParamRef(params[node.name])])
                continue
            entry = OPS.get(node.op)
            if entry is None:
                raise unsupported(self.where(), node.op, "the op")
            inputs = [values[e.node][e.index] for e in node.inputs]
            names = entry.input_names(len(inputs))
            data_dtype = next((v.dtype for v in inputs if isinstance(v, Symbol)), None)
            entries, bound = [], {}
            for position, (value, e) in enumerate(zip(inputs, node.inputs)):
                if isinstance(value, ParamRef):
                    role = AUX if names[position] in entry.aux else ARG
                    index = self._variable(value.param, role)
                    self._bind(value, index, shapes[e.node][e.index], data_dtype, entry.name,
                               entry.uniform)
                    entries.append(Entry(index, 0, 1 if role == AUX else 0))
                    bound[names[position]] = value.param
                else:
                    entries.append(Entry(value.node, value.index))
            if entry.at_trace is not None:
                entry.at_trace(entry.parse(node.attrs, self.where()), bound)
            index = self._add(Node(node.op, self._scopes[-1].name(node.name, None),
                                   dict(node.attrs), entries), shapes[i], dtypes[i])
            values.append([Symbol(self, index, k, s, d)
                           for k, (s, d) in enumerate(zip(shapes[i], dtypes[i]))])
        return [values[e.node][e.index] for e in graph.heads]

    def _infer_graph(self, graph, fed, params):
        """Every node's output shapes and dtypes (:func:`gluonbridge.graph.infer.infer`), the
        inputs' from ``fed``, the Parameters' where complete."""
        from ..graph.infer import ShapeError, infer, resolve_unknown_dims
        from .ops import graph_rule
        known_shapes = {n: tuple(s._shape) for n, s in fed.items()}
        known_dtypes = {n: np.dtype(s.dtype) for n, s in fed.items()}
        for name, param in params.items():
            shape = param.raw_shape
            if name not in fed and shape is not None and all(d > 0 for d in shape):
                known_shapes[name], known_dtypes[name] = shape, np.dtype(param.dtype)
        try:
            resolved = resolve_unknown_dims(graph, graph_rule, known_shapes, known_dtypes,
                                            list(fed))
            return infer(resolved, graph_rule, known_shapes, known_dtypes)
        except ShapeError as err:
            raise IncompatibleInputError(f"Error in {self.where()}: {err}") from None

    def _split(self, entry, op_name, args, kwargs):
        """(input values, attribute kwargs) of a call: positional arguments fill the inputs in
        order, then the attributes in their declared order (MXNet's generated signatures)."""
        if entry.variadic:       # f(a, b, ...) or f([a, b, ...], attribute, ...)
            if args and isinstance(args[0], (list, tuple)):
                args, extra = tuple(args[0]), list(args[1:])
                if len(extra) > len(entry.attrs):
                    raise unsupported(self.where(), entry.name,
                                      f"{len(extra) + 1} positional arguments")
                kwargs.update(zip([k for k in entry.attrs if k not in kwargs], extra))
            return list(args), kwargs
        names = entry.input_names()
        values = dict(zip(names, args))
        extra = list(args[len(names):])
        for key in list(kwargs):
            if key in names:
                values[key] = kwargs.pop(key)
        for key, value in zip([k for k in entry.attrs if k not in kwargs], extra):
            kwargs[key] = value
        if len(extra) > len(entry.attrs):
            raise unsupported(self.where(), entry.name, f"{len(args)} positional arguments")
        inputs = [values.get(n) for n in names]
        while inputs and inputs[-1] is None:
            inputs.pop()
        if any(v is None for v in inputs):
            missing = names[inputs.index(None)]
            raise unsupported(self.where(), entry.name, f"a call without input {missing!r}")
        return inputs, kwargs

    def _scalar_call(self, entry, inputs, numbers, attrs, name):
        if len(inputs) != 2 or len(numbers) != 1:
            raise unsupported(self.where(), entry.name, "two numbers as inputs")
        forward, reverse = SCALAR_FORM[entry.name]
        position = numbers[0]
        scalar_op = forward if position == 1 else reverse
        return self.call(scalar_op, (inputs[1 - position],),
                         dict(attrs, **scalar_attrs(scalar_op, inputs[position])), name=name)

    def arith(self, kind, a, b, reverse=False):
        """``a <kind> b`` (``b <kind> a`` when ``reverse``) as MXNet Symbol arithmetic records
        it: the array op, or the scalar op when one side is a number."""
        array_op, scalar_op, rscalar_op = ARITHMETIC[self.numpy_mode][kind]
        if not isinstance(b, (Symbol, ParamRef)):
            fn = rscalar_op if reverse else scalar_op
            return self.call(fn, (a,), scalar_attrs(fn, b), hint=fn.lower())
        lhs, rhs = (b, a) if reverse else (a, b)
        fn = array_op
        # shapes that differ broadcast, as 1.x NDArrays do; a fill of unknown dimensions is
        # matched to the other side by the elementwise op, as 1.x Symbols are
        if not self.numpy_mode and _shape_of(lhs) != _shape_of(rhs) and not any(
                isinstance(v, Symbol) and v.node in self._infer_me for v in (lhs, rhs)):
            fn = BROADCAST_FORM[OPS[array_op].name]
        return self.call(fn, (lhs, rhs), {}, hint=fn.lower())


def _var_attrs(param):
    """The variable attributes of ``param`` as MXNet 1.x's ``Parameter.var()`` writes them: made
    once, at the first trace (an unknown dimension stays 0), and kept."""
    attrs = param.__dict__.get("_var_attrs")
    if attrs is None:
        shape = param.raw_shape
        if isinstance(param._shape, list):      # MXNet prints a shape given as a list as one
            shape = list(shape)
        attrs = param.__dict__["_var_attrs"] = variable_attrs(
            shape, param.dtype, param.lr_mult, param.wd_mult, param.init, param._stype)
    return attrs


def _shape_of(value):
    return tuple(value._shape) if isinstance(value, Symbol) else tuple(value.param.shape)


# The spellings an op name has in each namespace user code calls (``F.contrib.box_nms`` is
# ``_contrib_box_nms``; ``np.sum`` is the numpy-mode ``_npi_sum``, not 1.x's ``sum``), in order.
SPELLINGS = {
    "": ("{}",),
    "np": ("_npi_{}", "_np_{}", "{}"),
    "npx": ("_npx_{}", "{}"),
    "contrib": ("_contrib_{}", "{}"),
    "linalg": ("_linalg_{}", "linalg_{}"),
    "image": ("_image_{}",),
    "_internal": ("{}",),       # F._internal._plus: the op under its registered name
}


def resolve(space, name):
    """The op table's spelling of ``name`` called in namespace ``space`` (``"np"``,
    ``"contrib"``, ... ``""`` for ``F.name``), or None."""
    return next((s.format(name) for s in SPELLINGS[space] if s.format(name) in OPS), None)


class OpNamespace:
    """``F`` inside ``hybrid_forward``: every op of the table, recording into the trace;
    ``F.np``, ``F.npx``, ``F.contrib``, ``F.linalg``, ``F.image``, ``F._internal`` are the ops
    under those namespaces' names (:data:`SPELLINGS`); ``F.contrib.foreach`` is unrolled
    (:mod:`.control_flow`)."""

    def __init__(self, tracer, space=""):
        self._tracer, self._space = tracer, space

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if not self._space and name in SPELLINGS:
            return OpNamespace(self._tracer, name)
        function = FUNCTIONS.get((self._space, name))
        if function is not None:
            return functools.partial(function, self._tracer)
        op_name = resolve(self._space, name)
        if op_name is None:
            qualified = f"F.{self._space}.{name}" if self._space else f"F.{name}"
            raise LoweringError(f"{self._tracer.where()}: op {qualified} is not supported by the "
                                "ONNX lowering")
        tracer = self._tracer

        def call(*args, **kwargs):
            return tracer.call(op_name, args, kwargs, hint=name.lower())
        call.__name__ = name
        return call


def block_paths(root):
    """id(block) -> structural path, for error messages that name the failing block."""
    paths = {}

    def walk(block, path):
        paths.setdefault(id(block), path)
        for name, child in block._child_items():
            walk(child, f"{path}.{name}" if path else name)
    walk(root, "")
    return paths


class Traced:
    """The result of :func:`trace`: the graph, its data inputs (name -> (shape, dtype)), the
    Parameters bound to its variables (name -> Parameter), the structure the block returned
    (``out_spec``, :mod:`.nest`; the graph's heads are its leaves), and the tracer (shapes of
    every node, block of every node for errors)."""

    def __init__(self, tracer, inputs, out_spec):
        self.graph, self.params, self.tracer = tracer.graph, tracer.params, tracer
        self.inputs, self.out_spec = inputs, out_spec


def _numpy_mode(block):
    """Whether the block follows the MXNet 2.x numpy API (its arithmetic records _npi_ ops)."""
    return block._naming.api.numpy_arrays


def trace(block, arrays, spec=None):
    """Trace ``block`` called on arrays of these shapes/dtypes; ``spec`` nests them into the
    call's arguments (:func:`.nest.flatten` of the argument tuple; None: one argument each)."""
    from .nest import flatten, unflatten
    names = block.parameter_table().initializer_names()
    tracer = Tracer(lambda p: names.get(id(p)) or p.variable_name, _numpy_mode(block),
                    block_paths(block))
    input_names = ["data"] if len(arrays) == 1 else [f"data{i}" for i in range(len(arrays))]
    inputs = {n: (tuple(a.shape), np.dtype(a.dtype)) for n, a in zip(input_names, arrays)}
    symbols = [tracer.input(n, s, d) for n, (s, d) in inputs.items()]
    # the trace of a block's own call records its implementation: the call's hooks and a
    # subclass's ``__call__`` (GluonNLP's RoBERTaModel, whose arguments differ from its
    # hybrid_forward's) already ran around it, on the arrays
    call = block._call_impl if block.__dict__.get("_tracing_own_call") else block
    with active(tracer):
        out = call(*(symbols if spec is None else unflatten(spec, symbols)))
    outs, out_spec = flatten(out)
    for sym in outs:
        if isinstance(sym, ParamRef):
            index = tracer._variable(sym.param, ARG)
            tracer._bind(sym, index, sym.param.raw_shape, None, "output", False)
            tracer.graph.heads.append(Entry(index))
        elif isinstance(sym, Symbol):
            tracer.graph.heads.append(Entry(sym.node, sym.index))
        else:
            raise LoweringError(f"block '{type(block).__name__}' returned {type(sym).__name__}, "
                                "not an array computed from its inputs")
    return Traced(tracer, inputs, out_spec)


def as_input_array(value):
    arr = np.asarray(value)
    if arr.dtype == np.float64 and not isinstance(value, np.ndarray):
        arr = arr.astype(np.float32)   # Python lists default to float32, as in MXNet
    return arr
