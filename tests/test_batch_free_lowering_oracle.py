"""Lowerings with a symbolic batch (``lower_graph(..., batch_axis=True)``) on graphs MXNet
1.9.1 writes: either the model computes at batch B + 1 what the graph lowered for B + 1
computes, or the lowering raises BatchDependent (the caller then fixes the shapes).
SoftmaxOutput on n-d data is also compared with what MXNet 1.9.1 computes."""
from __future__ import annotations

import numpy as np
import onnxruntime as ort
import pytest

from gluonbridge.backend.lower import BatchDependent, lower_graph, model_proto
from gluonbridge.backend.ops import aux_positions
from gluonbridge.backend.ops.heads import without_labels
from gluonbridge.graph import json_io

pytestmark = pytest.mark.oracle

# id -> (expression over the variable ``d``, shape of d, dtype)
CASES = {
    "box_nms_2d_topk": ("mx.sym.contrib.box_nms(d, overlap_thresh=0.1, topk=7, "
                        "valid_thresh=0.3, coord_start=0, score_index=4)", (40, 5), "float32"),
    "box_nms_2d": ("mx.sym.contrib.box_nms(d, overlap_thresh=0.1, coord_start=0, "
                   "score_index=4)", (12, 5), "float32"),
    "box_nms_3d_topk": ("mx.sym.contrib.box_nms(d, overlap_thresh=0.1, topk=3, "
                        "coord_start=0, score_index=4)", (2, 9, 5), "float32"),
    "softmax_output_3d": ("mx.sym.SoftmaxOutput(d)", (2, 3, 4), "float32"),
    "softmax_output_4d": ("mx.sym.SoftmaxOutput(d)", (2, 3, 4, 2), "float32"),
    "softmax_output_4d_f64": ("mx.sym.SoftmaxOutput(d)", (2, 3, 4, 2), "float64"),
    "softmax_output_5d": ("mx.sym.SoftmaxOutput(d)", (2, 3, 2, 2, 2), "float32"),
}

ORACLE = """
import mxnet as mx, numpy as np
result = {}
for key, (expr, shape, dtype) in CASES.items():
    d = mx.sym.var("d")
    out = eval(expr, {"mx": mx, "d": d})
    x = np.random.default_rng(0).random(shape).astype(dtype)
    if out.list_outputs()[0].startswith("softmaxoutput"):
        got = mx.nd.SoftmaxOutput(mx.nd.array(x, dtype=dtype),
                                  mx.nd.zeros(shape[:-1], dtype=dtype)).asnumpy().tolist()
    else:
        got = None
    result[key] = (out.tojson(), got)
"""


@pytest.fixture(scope="module")
def written(mx1):
    return mx1.run(f"CASES = {CASES!r}\n" + ORACLE)


def _graph(written, key):
    return without_labels(json_io.loads(written[key][0], aux_positions, ["d"]))


def _run(lowered, x):
    session = ort.InferenceSession(model_proto(lowered).SerializeToString(),
                                   providers=["CPUExecutionProvider"])
    return session.run(None, {"d": x})[0]


@pytest.mark.parametrize("key", CASES)
def test_symbolic_batch_computes_as_the_larger_lowering(written, key):
    _, shape, dtype = CASES[key]
    larger = (shape[0] + 1,) + shape[1:]
    x = np.random.default_rng(1).random(larger).astype(dtype)
    try:
        lowered = lower_graph(_graph(written, key), {"d": (shape, np.dtype(dtype))}, {},
                              batch_axis=True)
    except BatchDependent:
        return          # the caller lowers for the exact shapes instead
    expected = _run(lower_graph(_graph(written, key), {"d": (larger, np.dtype(dtype))}, {}), x)
    got = _run(lowered, x)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("key", [k for k in CASES if k.startswith("softmax_output")])
def test_softmax_output_as_mxnet(written, key):
    _, shape, dtype = CASES[key]
    x = np.random.default_rng(0).random(shape).astype(dtype)
    got = _run(lower_graph(_graph(written, key), {"d": (shape, np.dtype(dtype))}, {}), x)
    np.testing.assert_allclose(got, np.asarray(written[key][1]), rtol=1e-5, atol=1e-6)
