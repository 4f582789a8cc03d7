"""Running traced graphs: onnxruntime (default when installed) or onnx's reference evaluator.

    GLUONBRIDGE_BACKEND=reference python app.py     # or: gluonbridge.backend.use("reference")
    GLUONBRIDGE_THREADS=1                            # onnxruntime intra-op threads (default: all)

Each HybridBlock keeps one :class:`Executor` per input signature (shapes, dtypes, backend): the
trace and the session are built on the first call and reused; they are rebuilt when a bound
Parameter's data changes (load, set_data, initialize).
"""
from __future__ import annotations

import os

import numpy as np

from .trace import trace

BACKENDS = ("onnxruntime", "reference")


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


_backend = None


def current():
    """The backend new executors use."""
    global _backend
    if _backend is None:
        _backend = _default_backend()
    return _backend


def use(name):
    """Run graphs on ``name``: 'onnxruntime' or 'reference'."""
    global _backend
    if name not in BACKENDS:
        raise ValueError(f"unknown backend {name!r}: choose one of {', '.join(BACKENDS)}")
    _backend = name


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
        self.graph, self.params, self.multiple = trace(block, arrays)
        self.versions = [p._version for p in self.params]
        self.model = self.graph.to_onnx()
        self.run_session = make_session(self.model, backend) if session else None

    def is_current(self):
        return all(p._version == v for p, v in zip(self.params, self.versions))

    def run(self, arrays):
        from ..ndarray import NDArray
        outs = [np.asarray(o).view(NDArray) for o in self.run_session(arrays)]
        return outs if self.multiple else outs[0]


def run_op(name, *arrays, **attrs):
    """Run one op eagerly on arrays (for the few non-hybrid blocks that call ops by name)."""
    from .graph import Graph
    from .ops import OPS
    from .trace import as_input_array
    from ..ndarray import NDArray
    graph = Graph()
    arrays = [as_input_array(a) for a in arrays]
    inputs = [graph.input(f"data{i}", a.shape, a.dtype) for i, a in enumerate(arrays)]
    graph.outputs = [OPS[name](graph, *inputs, **attrs)]
    run = make_session(graph.to_onnx(), current())
    return np.asarray(run(arrays)[0]).view(NDArray)
