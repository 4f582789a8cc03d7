"""Imperative execution of the op table: ``mx.nd.relu(x)`` on arrays, outside any trace.

One op call on arrays becomes a one-op graph (the same :class:`~gluonbridge.backend.trace.Tracer`
that records blocks parses its arguments, so eager and traced calls accept exactly the same
spellings, attributes and scalar forms), lowered by :func:`~gluonbridge.backend.lower.to_onnx`
and run. The session is cached per (op, attributes and non-array arguments, input shapes and
dtypes, backend), so a repeated call costs one session run. A call whose arguments are Symbols
(inside a trace) records a node instead, as before.

Namespaces (``mx.nd``, ``mx.nd.contrib``, ``mx.np``, ``mx.npx``) are generated from the op table
by :class:`Namespace`: a name resolves to the first registered spelling among its namespace's
prefixes (``np.add`` -> ``_npi_add``, ``nd.contrib.box_nms`` -> ``_contrib_box_nms``).
"""
from __future__ import annotations

from collections import OrderedDict

import numpy as np

from ..graph import Entry
from .lower import to_onnx
from .ops import OPS
from .symbol import ParamRef, Symbol
from .trace import Tracer, current_trace

MAX_SESSIONS = 512
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
    arrays = [np.ascontiguousarray(a) for a in arrays]
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
    key = (name, backend, repr(args), repr(sorted(kwargs.items())),
           tuple((a.shape, a.dtype.str) for a in arrays))
    cached = _sessions.pop(key, None)
    if cached is None:
        cached = _build(name, args, kwargs, arrays, backend)
    _sessions[key] = cached
    while len(_sessions) > MAX_SESSIONS:
        del _sessions[next(iter(_sessions))]
    run, multiple = cached
    outs = [np.asarray(o).view(NDArray) for o in run(arrays)]
    return outs if multiple else outs[0]


def _build(name, args, kwargs, arrays, backend):
    """The session running the one-op graph of this call, and whether it has several outputs.
    onnxruntime lacks kernels for some dtypes (Exp on int32, Erf on float64): those calls use
    the reference evaluator, its results cast to the op's output dtype."""
    from . import runtime
    tracer = Tracer()
    inputs = {f"data{i}": (a.shape, a.dtype) for i, a in enumerate(arrays)}
    symbols = [tracer.input(n, s, d) for n, (s, d) in inputs.items()]
    out = tracer.call(name, [_fill(a, symbols) for a in args],
                      {k: _fill(v, symbols) for k, v in kwargs.items()}, hint=name.lower())
    outs = out if isinstance(out, list) else [out]
    tracer.graph.heads = [Entry(o.node, o.index) for o in outs]
    model = to_onnx(tracer.graph, inputs, {})
    if backend == "onnxruntime":
        try:
            run = runtime.make_session(model, backend)
            run(arrays)
        except Exception:   # no kernel for this dtype (Exp on int32, Erf on float64, ...)
            dtypes = [o.dtype for o in outs]
            reference = runtime.make_session(model, "reference")

            def run(values):   # computed as numpy would, then in the op's dtype (MXNet's)
                return [np.asarray(r).astype(d, copy=False)
                        for r, d in zip(reference(values), dtypes)]
    else:
        run = runtime.make_session(model, backend)
    return run, isinstance(out, list)


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
    ``prefix + 'x'`` for the first prefix that has one."""

    def __init__(self, label, prefixes):
        self._label, self._prefixes = label, tuple(prefixes)
        self._functions = {}

    def resolve(self, name):
        """The registered spelling ``name`` stands for, or None."""
        if name.startswith("__"):
            return None
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
        found = set()
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
NP = Namespace("mx.np", ("_npi_", "_np_", "", "_"))
NPX = Namespace("mx.npx", ("_npx_", "", "_"))
