"""Running graphs: onnxruntime (default when installed), OpenVINO (the ``openvino`` extra, see
:mod:`.openvino_backend`) or onnx's reference evaluator.

    GLUONBRIDGE_BACKEND=openvino python app.py      # or: gluonbridge.backend.use("openvino")
    GLUONBRIDGE_THREADS=1                            # inference threads (default: all cores)

The backend choice is context-local (a ``contextvars`` variable, like the naming mode): ``use``
in one thread or task does not change another's; a new thread starts from the environment's
default.

Each HybridBlock keeps an :class:`Executor` per input signature (shapes without the batch size,
dtypes, backend): the trace, the ONNX model and the session are built on the first call and
reused for every batch size (the model's batch axis is symbolic; a trace whose code read a
shape, or whose graph mixes the batch into other dimensions, is kept per exact shape instead);
they are rebuilt when a bound Parameter's data changes (load, set_data, initialize). At most
:data:`MAX_EXECUTORS` signatures are kept per block, the least recently used dropped first.
An executor's onnxruntime session starts from the optimized model a previous process left in
the disk cache when there is one (:mod:`.session_cache`; GLUONBRIDGE_SESSION_CACHE=0: off);
else a large graph's first call runs on a quickly built session, which the fully optimized one
replaces once it is built on a thread (:func:`.session_cache.session`).
"""
from __future__ import annotations

import contextvars
import io
import os

import numpy as np

from .lower import BatchDependent, lower_graph, model_proto
from .trace import trace

BACKENDS = ("onnxruntime", "openvino", "reference")
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
    """Run graphs on ``name`` (one of :data:`BACKENDS`) in the current context (thread or
    task)."""
    if name not in BACKENDS:
        raise ValueError(f"unknown backend {name!r}: choose one of {', '.join(BACKENDS)}")
    _backend.set(name)


def _threads():
    threads = os.environ.get("GLUONBRIDGE_THREADS")
    return int(threads) if threads else None


def make_session(model, backend):
    """A callable ``run(list of arrays) -> list of arrays`` for an ONNX ModelProto."""
    if backend == "onnxruntime":
        return _onnxruntime_session(lambda: (model.SerializeToString(), {}), None)
    if backend == "openvino":
        from . import openvino_backend
        return openvino_backend.session(model, _threads())
    from onnx.reference import ReferenceEvaluator
    evaluator = ReferenceEvaluator(model)
    names = [i.name for i in model.graph.input]
    return lambda arrays: evaluator.run(None, dict(zip(names, arrays)))


def _onnxruntime_session(build, entry, quick_start=False):
    """``build() -> (model bytes, external weights)``, called unless the session cache's
    ``entry`` (a path, or None: no cache) holds the optimized model; ``quick_start``: see
    :func:`.session_cache.session`."""
    import onnxruntime as ort
    from . import session_cache

    def options():
        options = ort.SessionOptions()
        if _threads():
            options.intra_op_num_threads = _threads()
            options.inter_op_num_threads = 1
        return options
    session = session_cache.session(build, options, entry, quick_start)
    names = session.input_names
    return lambda arrays: session.run(dict(zip(names, arrays)))


def lowered_session(lowered, params, backend):
    """:func:`make_session` for a :class:`.lower.Lowered` graph whose initializers named in
    ``params`` are weights. onnxruntime's session goes through the disk cache, where a hit
    needs neither the ModelProto nor the onnx package, nor does a miss (the model's bytes
    are written by :mod:`.onnx_file`); its weights are handed over as arrays, not copied
    through the protobuf, batch normalizations already folded into their
    convolutions (:mod:`.fold`: the same bits as onnxruntime's own folding)."""
    if backend != "onnxruntime":
        return make_session(model_proto(lowered), backend)
    from . import session_cache
    from .fold import fold_batch_norms
    from .onnx_file import write_model

    def build():
        folded, new = fold_batch_norms(lowered)
        weights = {n: np.ascontiguousarray(a) for n, a in folded.initializers.items()
                   if n in params or n in new}
        out = io.BytesIO()
        write_model(out, folded, external=weights)
        return out.getvalue(), weights
    return _onnxruntime_session(build, session_cache.entry(lowered),
                                session_cache.quick_start(lowered))


class Executor:
    """One traced signature of a block: its graph, ONNX model and session. ``any_batch``: the
    model has a symbolic batch axis and serves every batch size (see :mod:`.lower`)."""

    def __init__(self, block, arrays, backend, session=True, spec=None):
        traced = trace(block, arrays, spec)
        self.graph, self.out_spec, self.inputs = traced.graph, traced.out_spec, traced.inputs
        self.params = list(traced.params.values())
        self.versions = [p.version for p in self.params]
        self.initializers = {name: p.array() for name, p in traced.params.items()}
        self.any_batch = not traced.tracer.shape_read and _common_batch(arrays) is not None
        self.lowered = None
        if self.any_batch:
            try:
                self.lowered = lower_graph(self.graph, traced.inputs, self.initializers,
                                           where=traced.tracer.where_node, batch_axis=True)
            except BatchDependent:
                self.any_batch = False
        self.lowered = self.lowered or lower_graph(self.graph, traced.inputs, self.initializers,
                                                   where=traced.tracer.where_node)
        self.run_session = (lowered_session(self.lowered, self.initializers, backend)
                            if session else None)

    @property
    def model(self):
        """The complete ONNX ModelProto (imports onnx)."""
        return model_proto(self.lowered)

    def is_current(self):
        return all(p.version == v for p, v in zip(self.params, self.versions))

    def run(self, arrays):
        from ..ndarray import NDArray
        from .nest import unflatten
        return unflatten(self.out_spec, [np.asarray(o).view(NDArray)
                                         for o in self.run_session(arrays)])


def _common_batch(arrays):
    """The size of axis 0 shared by every input, or None."""
    sizes = {a.shape[0] if a.ndim else None for a in arrays}
    return sizes.pop() if len(sizes) == 1 else None


def executor_for(block, cache, arrays, backend, spec=None):
    """The executor running ``block`` on ``arrays``, from the block's ``cache`` (a dict kept in
    use order): one for every batch size when its model has a symbolic batch axis, else one
    per exact signature; reused while its Parameters are unchanged, else rebuilt; beyond
    MAX_EXECUTORS the least recently used is dropped. ``spec`` is the nesting of the call's
    arguments (:func:`gluonbridge.backend.nest.flatten`; None: ``arrays`` are the arguments)."""
    dtypes = (tuple(a.dtype.str for a in arrays), spec)
    any_batch = (backend, None, tuple((a.ndim,) + a.shape[1:] for a in arrays), dtypes)
    exact = (backend, tuple(a.shape for a in arrays), None, dtypes)
    executor, key = None, None
    if _common_batch(arrays) is not None:
        executor, key = cache.pop(any_batch, None), any_batch
    if executor is None:
        executor, key = cache.pop(exact, None), exact
    if executor is None or not executor.is_current():
        executor = Executor(block, arrays, backend, spec=spec)
        key = any_batch if executor.any_batch else exact
    cache[key] = executor
    while len(cache) > MAX_EXECUTORS:
        del cache[next(iter(cache))]
    return executor


def run_op(op, /, *arrays, **attrs):
    """Run one op eagerly on arrays (cached one-op graph; see :mod:`.eager`); ``attrs`` may
    hold the node ``name`` MXNet code passes (``F.Dropout(x, name='t0_fwd')``)."""
    from . import eager
    return eager.call(op, arrays, attrs)
