"""Running graphs: onnxruntime (default when installed) or onnx's reference evaluator.

    GLUONBRIDGE_BACKEND=reference python app.py     # or: gluonbridge.backend.use("reference")
    GLUONBRIDGE_THREADS=1                            # onnxruntime intra-op threads (default: all)

The backend choice is context-local (a ``contextvars`` variable, like the naming mode): ``use``
in one thread or task does not change another's; a new thread starts from the environment's
default.

Each HybridBlock keeps an :class:`Executor` per input signature (shapes, dtypes, backend): the
trace, the ONNX model and the session are built on the first call and reused; they are rebuilt
when a bound Parameter's data changes (load, set_data, initialize). At most
:data:`MAX_EXECUTORS` signatures are kept per block, the least recently used dropped first.
"""
from __future__ import annotations

import contextvars
import os

import numpy as np

from ..graph import Entry
from .lower import to_onnx
from .trace import Tracer, as_input_array, trace

BACKENDS = ("onnxruntime", "reference")
MAX_EXECUTORS = 8

_backend = contextvars.ContextVar("gluonbridge_backend", default=None)


def _default_backend():
    wanted = os.environ.get("GLUONBRIDGE_BACKEND")
    if wanted:
        if wanted not in BACKENDS:
            raise ValueError(f"GLUONBRIDGE_BACKEND={wanted!r}: choose one of {', '.join(BACKENDS)}")
        return wanted
    try:
        import onnxruntime  # noqa: F401
        return "onnxruntime"
    except ImportError:
        return "reference"


def current():
    """The backend new executors use in this context."""
    name = _backend.get()
    if name is None:
        name = _default_backend()
        _backend.set(name)
    return name


def use(name):
    """Run graphs on ``name`` ('onnxruntime' or 'reference') in the current context (thread
    or task)."""
    if name not in BACKENDS:
        raise ValueError(f"unknown backend {name!r}: choose one of {', '.join(BACKENDS)}")
    _backend.set(name)


def make_session(model, backend):
    """A callable ``run(list of arrays) -> list of arrays`` for an ONNX ModelProto."""
    if backend == "onnxruntime":
        import onnxruntime as ort
        options = ort.SessionOptions()
        threads = os.environ.get("GLUONBRIDGE_THREADS")
        if threads:
            options.intra_op_num_threads = int(threads)
            options.inter_op_num_threads = 1
        session = ort.InferenceSession(model.SerializeToString(), options,
                                       providers=["CPUExecutionProvider"])
        names = [i.name for i in session.get_inputs()]
        return lambda arrays: session.run(None, dict(zip(names, arrays)))
    from onnx.reference import ReferenceEvaluator
    evaluator = ReferenceEvaluator(model)
    names = [i.name for i in model.graph.input]
    return lambda arrays: evaluator.run(None, dict(zip(names, arrays)))


class Executor:
    """One traced signature of a block: its graph, ONNX model and session."""

    def __init__(self, block, arrays, backend, session=True):
        traced = trace(block, arrays)
        self.graph, self.multiple = traced.graph, traced.multiple
        self.params = list(traced.params.values())
        self.versions = [p.version for p in self.params]
        self.initializers = {name: p.array() for name, p in traced.params.items()}
        self.model = to_onnx(self.graph, traced.inputs, self.initializers,
                             where=traced.tracer.where_node)
        self.run_session = make_session(self.model, backend) if session else None

    def is_current(self):
        return all(p.version == v for p, v in zip(self.params, self.versions))

    def run(self, arrays):
        from ..ndarray import NDArray
        outs = [np.asarray(o).view(NDArray) for o in self.run_session(arrays)]
        return outs if self.multiple else outs[0]


def cached_executor(cache, key, make):
    """The executor for ``key`` in a block's ``cache`` (a dict kept in use order): reused while
    current, else rebuilt by ``make()``; the least recently used beyond MAX_EXECUTORS dropped."""
    executor = cache.pop(key, None)
    if executor is None or not executor.is_current():
        executor = make()
    cache[key] = executor
    while len(cache) > MAX_EXECUTORS:
        del cache[next(iter(cache))]
    return executor


def run_op(name, *arrays, **attrs):
    """Run one op eagerly on arrays: a one-op graph, lowered and run like any other."""
    from ..ndarray import NDArray
    arrays = [as_input_array(a) for a in arrays]
    tracer = Tracer()
    inputs = {f"data{i}": (a.shape, a.dtype) for i, a in enumerate(arrays)}
    symbols = [tracer.input(n, s, d) for n, (s, d) in inputs.items()]
    out = tracer.call(name, symbols, attrs, hint=name.lower())
    tracer.graph.heads = [Entry(out.node, out.index)]
    run = make_session(to_onnx(tracer.graph, inputs, {}), current())
    return np.asarray(run(arrays)[0]).view(NDArray)

