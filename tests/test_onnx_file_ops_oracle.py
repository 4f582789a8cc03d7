"""The onnx-free file writer on every op test case's graph: each graph of
tests/test_ops_tensor_oracle.py and tests/test_ops_nn_oracle.py, as MXNet 1.9.1 writes it, lowered
at its shapes (and with the symbolic batch ``convert`` gives it), is written byte for byte as
onnx serialises ``model_proto`` of the same lowering (tests/test_onnx_file.py has the attribute
and tensor kinds one by one; tests/graphs/test_convert_onnx.py the corpus graphs)."""
from __future__ import annotations

import io

import numpy as np
import onnx
import pytest

from gluonbridge.backend.batching import lower_batched
from gluonbridge.backend.lower import OPSET, lower_graph, model_proto
from gluonbridge.backend.onnx_file import write_model
from gluonbridge.backend.ops import aux_positions
from gluonbridge.graph import json_io
from tests.test_ops_nn_oracle import CASES as NN_CASES
from tests.test_ops_tensor_oracle import CASES as TENSOR_CASES

pytestmark = pytest.mark.oracle

# id -> (expression, [(input name, shape, dtype)], numpy mode, parameter names)
GRAPHS = {
    **{f"tensor: {label}": (expr, [(n, shape, dtype) for n, (shape, dtype, _) in
                                   zip("abc", specs)], bool(rest and rest[0]), ())
       for label, expr, specs, *rest in TENSOR_CASES},
    **{f"nn: {key}": (expr, [(n, shape, "int32" if gen.startswith("int32") else "float32")
                             for n, (shape, gen) in inputs.items()], False, tuple(params))
       for key, (expr, inputs, params, _) in NN_CASES.items()},
}

ORACLE_JSON = """
import mxnet as mx
result = {}
for key, (expr, inputs, numpy_mode, _) in sorted(GRAPHS.items(), key=lambda kv: kv[1][2]):
    if numpy_mode and not mx.util.is_np_array():
        mx.npx.set_np()
    v = {n: mx.sym.var(n) for n, _, _ in inputs}
    if numpy_mode:
        v = {n: s.as_np_ndarray() for n, s in v.items()}
    out = eval(expr, {"mx": mx, "v": v}, v)
    result[key] = (mx.sym.Group(out) if isinstance(out, list) else out).tojson()
"""


@pytest.fixture(scope="module")
def graph_json(mx1):
    return mx1.run(f"GRAPHS = {GRAPHS!r}\n" + ORACLE_JSON)


@pytest.mark.parametrize("key", GRAPHS)
def test_writer_bytes_equal_onnx_serialisation(graph_json, key):
    _, inputs, _, params = GRAPHS[key]
    data = [n for n, _, _ in inputs if n not in params]
    graph = json_io.loads(graph_json[key], aux_positions, data)
    rng = np.random.default_rng(0)
    arrays = {n: rng.standard_normal(shape).astype(dtype) for n, shape, dtype in inputs}
    signature = {n: (arrays[n].shape, arrays[n].dtype) for n in data}
    weights = {n: arrays[n] for n in params}
    for lowered in (lower_graph(graph, signature, weights, "g"),
                    lower_batched(graph, signature, weights, "g", OPSET, lambda _: None)):
        out = io.BytesIO()
        write_model(out, lowered)
        theirs = model_proto(lowered).SerializeToString()
        if out.getvalue() != theirs:
            assert onnx.load_from_string(out.getvalue()) == onnx.load_from_string(theirs)
        assert out.getvalue() == theirs
