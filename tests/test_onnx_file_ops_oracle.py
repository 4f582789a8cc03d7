"""The file ``convert --to onnx`` writes, on every op test case's graph (each graph of
tests/test_ops_tensor_oracle.py and tests/test_ops_nn_oracle.py, as MXNet 1.9.1 writes it):

- the onnx-free writer gives, byte for byte, onnx's serialisation of ``model_proto`` of the same
  lowering, at the graph's shapes and with the symbolic batch ``convert`` gives it
  (tests/test_onnx_file.py has the attribute and tensor kinds one by one,
  tests/graphs/test_convert_onnx.py the corpus graphs);
- where inputs get the symbolic axis 0, the model run with that axis one larger computes what the
  graph lowered for those shapes computes (``lower_batched``'s check is what makes ``dot`` of an
  n-d lhs and ``_contrib_box_nms`` with ``topk`` static)."""
from __future__ import annotations

import io

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from gluonbridge.backend.batching import lower_batched
from gluonbridge.backend.lower import OPSET, lower_graph, model_proto, to_onnx
from gluonbridge.backend.onnx_file import write_model
from gluonbridge.backend.ops import aux_positions
from gluonbridge.backend.runtime import make_session
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


def lowering_args(graph_json, key):
    """The case's graph, its inputs' signature and its parameters (small non-negative values:
    valid indices for the int inputs)."""
    _, inputs, _, params = GRAPHS[key]
    data = [n for n, _, _ in inputs if n not in params]
    rng = np.random.default_rng(0)
    arrays = {n: np.abs(rng.standard_normal(shape)).astype(dtype) for n, shape, dtype in inputs}
    return (json_io.loads(graph_json[key], aux_positions, data),
            {n: (arrays[n].shape, arrays[n].dtype) for n in data},
            {n: arrays[n] for n in params})


@pytest.mark.parametrize("key", GRAPHS)
def test_writer_bytes_equal_onnx_serialisation(graph_json, key):
    graph, signature, weights = lowering_args(graph_json, key)
    for lowered in (lower_graph(graph, signature, weights, "g"),
                    lower_batched(graph, signature, weights, "g", OPSET, lambda _: None)):
        out = io.BytesIO()
        write_model(out, lowered)
        theirs = model_proto(lowered).SerializeToString()
        if out.getvalue() != theirs:
            assert onnx.load_from_string(out.getvalue()) == onnx.load_from_string(theirs)
        assert out.getvalue() == theirs


@pytest.mark.parametrize("key", GRAPHS)
def test_symbolic_batch_computes_as_the_larger_lowering(graph_json, key):
    graph, signature, weights = lowering_args(graph_json, key)
    lowered = lower_batched(graph, signature, weights, "g", OPSET, lambda _: None)
    batched = {name for name, _, dims in lowered.inputs if dims and dims[0] == "batch"}
    if not batched:
        pytest.skip("every input keeps its shape")
    larger = {n: ((s[0] + 1,) + tuple(s[1:]) if n in batched else s, d)
              for n, (s, d) in signature.items()}
    rng = np.random.default_rng(1)
    feeds = [np.abs(rng.standard_normal(s)).astype(d) if d.kind == "f" else np.ones(s, d)
             for s, d in larger.values()]     # ints: valid indices and divisors
    expected = make_session(to_onnx(graph, larger, weights), "onnxruntime")(feeds)
    session = ort.InferenceSession(model_proto(lowered).SerializeToString(),
                                   providers=["CPUExecutionProvider"])
    got = session.run(None, dict(zip(larger, feeds)))
    for k, (a, b) in enumerate(zip(got, expected)):
        assert a.shape == b.shape, f"output {k}: {a.shape} != {b.shape}"
        np.testing.assert_allclose(a.astype(np.float64), b.astype(np.float64), rtol=1e-5,
                                   atol=1e-6, equal_nan=True, err_msg=f"output {k}")
