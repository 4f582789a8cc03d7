"""Running a corpus case on gluonbridge without the Gluon layer: the symbol file read into the
graph IR, the parameter file's ``arg:``/``aux:`` arrays as initializers, lowered with a symbolic
batch axis (or, for a graph where that is impossible, at the batch size asked) and run on a
backend. The op-coverage tests use this; SymbolBlock.imports and
``convert --to onnx`` are checked against the same corpus by their own tests."""
from __future__ import annotations

import numpy as np

from gluonbridge import checkpoint
from gluonbridge.backend.lower import BatchDependent, to_onnx
from gluonbridge.backend.ops import aux_positions
from gluonbridge.backend.ops.heads import without_labels
from gluonbridge.backend.runtime import make_session
from gluonbridge.graph import json_io


def case_params(case) -> dict:
    """The case's parameters by variable name (roles stripped); 2.0.0b1-written cases carry
    the same arrays in the 1.x-readable file their case.json names."""
    path = case.dir / (case.meta.get("mx1_param_file") or case.meta["param_file"])
    arrays = checkpoint.load(path)
    return {key.split(":", 1)[-1]: np.asarray(value) for key, value in dict(arrays).items()}


def run_case(case, batch: int, backend: str) -> list:
    """The case's outputs at ``batch`` computed by gluonbridge on ``backend``."""
    graph = without_labels(json_io.loads(case.symbol_file.read_text(), aux_positions,
                                         case.input_names))
    inputs = case.inputs(batch)
    shapes = {n: (a.shape, a.dtype) for n, a in zip(case.input_names, inputs)}
    try:
        model = to_onnx(graph, shapes, case_params(case), batch_axis=True)
    except BatchDependent:      # an input without a batch axis, or a batch axis other than 0
        model = to_onnx(graph, shapes, case_params(case))
    return make_session(model, backend)(inputs)
