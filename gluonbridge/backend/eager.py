"""Imperative execution of the op table: ``mx.nd.relu(x)`` on arrays, outside any trace.

One op call on arrays becomes a one-op graph (the same :class:`~gluonbridge.backend.trace.Tracer`
that records blocks parses its arguments, so eager and traced calls accept exactly the same
spellings, attributes and scalar forms), lowered by :func:`~gluonbridge.backend.lower.lower_graph`
and run. The session is cached per (op, attributes and non-array arguments, input dtypes,
backend) and input shapes: an op whose lowering does not depend on the dimensions (the same graph
at other sizes) gets a session with symbolic dimensions, which every call with the same ranks,
0/1 dimensions and equalities between dimensions reuses; others are kept per exact shape. The
ONNX model is written without the onnx package (:mod:`.onnx_file`), and small calls run on one
onnxruntime thread, so a new signature costs a lowering and a light session. A call whose
arguments are Symbols (inside a trace) records a node instead.

Namespaces (``mx.nd``, ``mx.nd.contrib``, ``mx.np``, ``mx.npx``) are generated from the op table
by :class:`Namespace`: a name resolves to the first registered spelling among its namespace's
prefixes (``np.add`` -> ``_npi_add``, ``nd.contrib.box_nms`` -> ``_contrib_box_nms``).
"""
from __future__ import annotations

import functools
import io
import os
from collections import OrderedDict

import numpy as np

from ..graph import Entry
from .lower import lower_graph
from .onnx_file import write_model
from .ops import OPS
from .symbol import ParamRef, Symbol
from .trace import Tracer, current_trace

MAX_SESSIONS = 512
SMALL = 1 << 16      # arrays with fewer elements in all run on one onnxruntime thread
_sessions: "OrderedDict[tuple, tuple]" = OrderedDict()   # key -> (run, multiple), in use order


class _Slot:
    """Position ``i`` of the call's array inputs (in the cache key and the replayed call)."""

    __slots__ = ("i",)

    def __init__(self, i):
        self.i = i

    def __repr__(self):
        return f"<#{self.i}>"


def _symbolic(values):
    return any(isinstance(v, (Symbol, ParamRef)) or
               (isinstance(v, (list, tuple)) and _symbolic(v)) for v in values)


def _split_arrays(value, arrays):
    """``value`` with every array replaced by a :class:`_Slot` (appended to ``arrays``)."""
    if isinstance(value, np.ndarray):
        arrays.append(value)
        return _Slot(len(arrays) - 1)
    if isinstance(value, (list, tuple)) and any(isinstance(v, np.ndarray) for v in value):
        return type(value)(_split_arrays(v, arrays) for v in value)
    return value


def _fill(value, symbols):
    if isinstance(value, _Slot):
        return symbols[value.i]
    if isinstance(value, (list, tuple)) and any(isinstance(v, _Slot) for v in value):
        return type(value)(_fill(v, symbols) for v in value)
    return value


def call(name, args, kwargs):
    """``name(*args, **kwargs)``: recorded when an argument is a Symbol (a trace), else run on
    the arrays. ``out=`` receives the result (and is returned). Several outputs: a list."""
    if _symbolic(args) or _symbolic(kwargs.values()):
        tracer = current_trace()
        if tracer is None:
            raise RuntimeError(f"{name}() got a Symbol outside the trace that made it")
        return tracer.call(name, args, kwargs, hint=name.lower())
    kwargs = dict(kwargs)
    out = kwargs.pop("out", None)
    kwargs.pop("ctx", None)
    arrays = []
    args = [_split_arrays(a, arrays) for a in args]
    kwargs = {k: _split_arrays(v, arrays) for k, v in kwargs.items()}
    arrays = [np.require(a, requirements="C") for a in arrays]    # 0-d stays 0-d
    result = run_cached(name, args, kwargs, arrays)
    if out is None:
        return result
    for target, value in zip(out if isinstance(out, (list, tuple)) else [out],
                             result if isinstance(result, list) else [result]):
        target[...] = value
    return out


def run_cached(name, args, kwargs, arrays):
    """Run ``name`` on ``arrays`` (``args``/``kwargs`` hold :class:`_Slot` where they go)."""
    from . import runtime
    from ..ndarray import NDArray
    backend = runtime.current()
    shapes = tuple(a.shape for a in arrays)
    call_key = (name, backend, repr(args), repr(sorted(kwargs.items())),
                tuple(a.dtype.str for a in arrays))
    key = call_key + (shapes,)
    cached = _sessions.pop(key, None)
    if cached is None:
        generic = call_key + (_pattern(shapes), sum(a.size for a in arrays) < SMALL)
        cached, key = _sessions.pop(generic, None), generic
        if cached is None:
            cached, any_shape = _build(name, args, kwargs, arrays, backend)
            key = generic if any_shape else call_key + (shapes,)
    _sessions[key] = cached
    while len(_sessions) > MAX_SESSIONS:
        del _sessions[next(iter(_sessions))]
    run, multiple = cached
    outs = [np.asarray(o).view(NDArray) for o in run(arrays)]
    return outs if multiple else outs[0]


@functools.lru_cache(maxsize=4096)
def _pattern(shapes):
    """The shapes with every dimension above 1 replaced by the order of its value's first
    appearance: the calls one shape-free session serves (same ranks, same 0 and 1 dimensions,
    the same dimensions equal to each other)."""
    seen = {}
    return tuple(tuple(d if d < 2 else seen.setdefault(d, -1 - len(seen)) for d in shape)
                 for shape in shapes)


def _threads(arrays):
    """onnxruntime intra-op threads for a call's session: GLUONBRIDGE_THREADS, else 1 for small
    arrays (a thread pool costs more to start than it saves there), else onnxruntime's default."""
    wanted = os.environ.get("GLUONBRIDGE_THREADS")
    if wanted:
        return int(wanted)
    return 1 if sum(a.size for a in arrays) < SMALL else 0


def _lower(name, args, kwargs, shapes, dtypes):
    """The one-op graph of this call lowered (:class:`~.lower.Lowered`), and whether the op
    has several outputs."""
    tracer = Tracer()
    inputs = {f"data{i}": (s, d) for i, (s, d) in enumerate(zip(shapes, dtypes))}
    symbols = [tracer.input(n, s, d) for n, (s, d) in inputs.items()]
    out = tracer.call(name, [_fill(a, symbols) for a in args],
                      {k: _fill(v, symbols) for k, v in kwargs.items()}, hint=name.lower())
    outs = out if isinstance(out, list) else [out]
    tracer.graph.heads = [Entry(o.node, o.index) for o in outs]
    return lower_graph(tracer.graph, inputs, {}), isinstance(out, list)


def _same_graph(a, b):
    return a.nodes == b.nodes and a.initializers.keys() == b.initializers.keys() and all(
        np.array_equal(v, b.initializers[k]) and v.dtype == b.initializers[k].dtype
        for k, v in a.initializers.items())


def _shape_free(name, args, kwargs, arrays, lowered):
    """``lowered`` with every dimension symbolic when the op lowers to the same graph at other
    shapes of the same :func:`_pattern` (every dimension above 1 grown by one), else None."""
    grown = [tuple(d + 1 if d > 1 else d for d in a.shape) for a in arrays]
    if not any(d > 1 for a in arrays for d in a.shape):
        return None
    try:
        other, _ = _lower(name, args, kwargs, grown, [a.dtype for a in arrays])
    except Exception:       # the op's attributes fix its shapes (FullyConnected's num_hidden)
        return None
    if not _same_graph(lowered, other):
        return None
    return lowered._replace(inputs=[(n, d, [None] * len(dims)) for n, d, dims in lowered.inputs],
                            outputs=[(n, d, [None] * len(dims))
                                     for n, d, dims in lowered.outputs])


def _build(name, args, kwargs, arrays, backend):
    """The session running the one-op graph of this call, whether it has several outputs, and
    whether it serves every shape of the call's :func:`_pattern`. onnxruntime lacks kernels for
    some dtypes (Exp on int8): those calls use the reference evaluator, its results cast to the
    op's output dtypes."""
    lowered, multiple = _lower(name, args, kwargs, [a.shape for a in arrays],
                               [a.dtype for a in arrays])
    free = _shape_free(name, args, kwargs, arrays, lowered)
    model = _model_bytes(free or lowered)
    if backend == "onnxruntime":
        try:
            run = _onnxruntime_session(model, _threads(arrays))
            run(arrays)
        except Exception:   # no kernel for this dtype (Exp on int8, Erf on float64, ...)
            dtypes = [dtype for _, dtype, _ in lowered.outputs]
            reference = _reference_session(model)

            def run(values):   # computed as numpy would, then in the op's dtype (MXNet's)
                return [np.asarray(r).astype(d, copy=False)
                        for r, d in zip(reference(values), dtypes)]
    else:
        run = _reference_session(model)
    return (run, multiple), free is not None


def _model_bytes(lowered):
    """The serialized ModelProto (written without the onnx package)."""
    out = io.BytesIO()
    write_model(out, lowered)
    return out.getvalue()


def _onnxruntime_session(model, threads):
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    if threads:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    names = [i.name for i in session.get_inputs()]
    return lambda arrays: session.run(None, dict(zip(names, arrays)))


def _reference_session(model):
    import onnx
    from . import runtime
    return runtime.make_session(onnx.load_model_from_string(model), "reference")


def clear():
    """Forget every cached eager session."""
    _sessions.clear()


def function(spelling):
    """The Python function for op ``spelling`` (eager on arrays, recorded on Symbols)."""
    def op_function(*args, **kwargs):
        return call(spelling, args, kwargs)
    op_function.__name__ = op_function.__qualname__ = spelling
    op_function.__doc__ = f"MXNet operator ``{OPS[spelling].name}`` (gluonbridge op table)."
    return op_function


class Namespace:
    """Op functions resolved through ``prefixes``: ``getattr(ns, 'x')`` is the op registered as
    ``prefix + 'x'`` for the first prefix that has one (``aliases``: names resolved first)."""

    def __init__(self, label, prefixes, aliases=None):
        self._label, self._prefixes = label, tuple(prefixes)
        self._aliases = dict(aliases or {})
        self._functions = {}

    def resolve(self, name):
        """The registered spelling ``name`` stands for, or None."""
        if name.startswith("__"):
            return None
        if name in self._aliases:
            return self._aliases[name]
        for prefix in self._prefixes:
            if prefix + name in OPS:
                return prefix + name
        return None

    def get(self, name):
        fn = self._functions.get(name)
        if fn is None:
            spelling = self.resolve(name)
            if spelling is None:
                raise AttributeError(
                    f"{self._label} has no attribute {name!r}: not an op of gluonbridge's op "
                    "table (gluonbridge/backend/ops/), so it cannot run on ONNX")
            fn = self._functions[name] = function(spelling)
        return fn

    def names(self):
        """Every name this namespace answers (for ``dir``)."""
        found = set(self._aliases)
        for spelling in OPS:
            for prefix in self._prefixes:
                if spelling.startswith(prefix) and self.resolve(spelling[len(prefix):]):
                    found.add(spelling[len(prefix):])
        return sorted(found)


class NamespaceModule:
    """A :class:`Namespace` as an object with attributes (``nd.contrib``)."""

    def __init__(self, namespace):
        self._namespace = namespace

    def __getattr__(self, name):
        return self._namespace.get(name)

    def __dir__(self):
        return self._namespace.names()


ND = Namespace("mx.nd", ("", "_"))
ND_CONTRIB = Namespace("mx.nd.contrib", ("_contrib_", ""))
# mx.np's Python-level names for ops registered under another name
NP = Namespace("mx.np", ("_npi_", "_np_", "", "_"),
               aliases={"divide": "_npi_true_divide", "abs": "_npi_absolute",
                        "round": "_npi_around", "round_": "_npi_around"})
NPX = Namespace("mx.npx", ("_npx_", "", "_"))
