"""The onnx-free ONNX writer (gluonbridge/backend/onnx_file.py) against onnx's own serialisation:
for every attribute and tensor kind, the bytes it writes are those of
``model_proto(lowered).SerializeToString()`` (onnx.helper's make_node / make_attribute /
numpy_helper.from_array), and onnx reads them back. The corpus graphs are compared the same way
in tests/graphs/test_convert_onnx.py."""
from __future__ import annotations

import io

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

from gluonbridge.backend.lower import Lowered, model_proto
from gluonbridge.backend.onnx_file import write_model


def written(lowered) -> bytes:
    out = io.BytesIO()
    assert write_model(out, lowered) == len(out.getvalue())
    return out.getvalue()


def assert_same_as_onnx(lowered, reference=None):
    """``lowered`` written by both; ``reference``: what onnx is given instead (onnx cannot
    take a big-endian array, gluonbridge writes it little-endian)."""
    ours = written(lowered)
    theirs = model_proto(reference or lowered).SerializeToString()
    if ours != theirs:      # the structural difference says more than the bytes
        assert onnx.load_from_string(ours) == onnx.load_from_string(theirs)
        assert ours == theirs
    return onnx.load_from_string(ours)


def one_node(attrs, initializers=None, opset=17):
    return Lowered("g", [("Custom", ["x"], ["y"], attrs)], initializers or {},
                   [("x", np.dtype(np.float32), ["batch", 3, None])],
                   [("y", np.dtype(np.float32), [])], opset)


BODY = helper.make_graph([helper.make_node("Identity", ["a"], ["b"])], "body",
                         [helper.make_tensor_value_info("a", TensorProto.FLOAT, [2])],
                         [helper.make_tensor_value_info("b", TensorProto.FLOAT, [2])])
TENSOR = helper.make_tensor("t", TensorProto.INT64, [2], [3, -4])
SPARSE = helper.make_sparse_tensor(helper.make_tensor("v", TensorProto.FLOAT, [1], [2.5]),
                                   helper.make_tensor("i", TensorProto.INT64, [1], [1]), [3])
TYPE = helper.make_tensor_type_proto(TensorProto.FLOAT, [1, "n"])

ATTRIBUTES = {
    "int": 7, "negative int": -3, "bool": True, "numpy int": np.int64(2 ** 40),
    "float": 0.1, "numpy float": np.float32(-2.5), "nan": float("nan"),
    "str": "forward", "unicode str": "ä", "bytes": b"\x00\xff",
    "tensor": TENSOR, "graph": BODY, "sparse tensor": SPARSE, "type proto": TYPE,
    "ints": [1, -2, 2 ** 62], "numpy ints": [np.int32(1), np.int64(-1)], "int tuple": (0,),
    "floats": [1.0, 2.5], "mixed numbers": [1, 0.5], "numpy floats": [np.float32(0.25)],
    "strings": ["Sigmoid", "Tanh", b"Relu"], "tensors": [TENSOR, TENSOR], "graphs": [BODY],
    "sparse tensors": [SPARSE], "type protos": [TYPE, TYPE],
    "1-d int array": np.array([4, 5], np.int64), "1-d float array": np.array([0.5], np.float32),
}


@pytest.mark.parametrize("name", ATTRIBUTES)
def test_every_attribute_kind_is_written_as_onnx_writes_it(name):
    model = assert_same_as_onnx(one_node({"value": ATTRIBUTES[name]}))
    attribute, = model.graph.node[0].attribute
    assert attribute.type == helper.make_attribute("value", ATTRIBUTES[name]).type


def test_attributes_sorted_and_none_left_out():
    model = assert_same_as_onnx(one_node({"b": 1, "a": [1.0], "c": None, "direction": "reverse"}))
    assert [a.name for a in model.graph.node[0].attribute] == ["a", "b", "direction"]


@pytest.mark.parametrize("value", [[], np.array(1.0), np.zeros((2, 2)), [1, "a"], object(),
                                   [TENSOR, BODY]])
def test_attribute_onnx_cannot_type_is_refused_naming_it(value):
    with pytest.raises(TypeError, match="attribute bad"):
        written(one_node({"bad": value}))
    with pytest.raises((TypeError, ValueError)):
        helper.make_node("Custom", ["x"], ["y"], bad=value)


INITIALIZERS = {
    "0-d float": np.array(1.5, np.float32), "0-d int64": np.array(-1, np.int64),
    "empty": np.zeros((0, 3), np.float32), "big-endian": np.arange(6, dtype=">f4").reshape(2, 3),
    "not contiguous": np.arange(12, dtype=np.float32).reshape(3, 4)[:, ::2],
    "fortran order": np.asfortranarray(np.arange(6, dtype=np.int32).reshape(2, 3)),
    "bool": np.array([True, False]), "int8": np.array([-128, 127], np.int8),
    "uint8": np.array([0, 255], np.uint8), "float16": np.array([0.5, -2], np.float16),
    "float64": np.array([[1e300]]), "int64": np.array([2 ** 62, -(2 ** 62)], np.int64),
}


@pytest.mark.parametrize("kind", INITIALIZERS)
def test_every_initializer_kind_is_written_as_onnx_writes_it(kind):
    array = INITIALIZERS[kind]
    model = assert_same_as_onnx(one_node({}, {"w": array}),
                                one_node({}, {"w": array.astype(array.dtype.newbyteorder("<"))}))
    init, = model.graph.initializer
    assert list(init.dims) == list(array.shape)
    np.testing.assert_array_equal(onnx.numpy_helper.to_array(init), array)


def test_external_initializers_are_written_as_onnx_writes_their_references():
    lowered = one_node({}, {"w": np.ones((2, 3), np.float32), "c": np.arange(3)})
    out = io.BytesIO()
    write_model(out, lowered, external={"w"})
    model = model_proto(lowered)
    w, c = model.graph.initializer
    w.ClearField("raw_data")                # as onnx writes a reference to external data
    w.data_location = TensorProto.EXTERNAL
    w.external_data.add(key="location", value="w")
    assert out.getvalue() == model.SerializeToString()
    w, c = onnx.load_from_string(out.getvalue()).graph.initializer
    assert w.data_location == TensorProto.EXTERNAL and not w.raw_data
    assert list(w.dims) == [2, 3] and c.raw_data


def test_a_whole_model_round_trips_through_onnx():
    """Several nodes, initializers, a symbolic and an unknown dim, several outputs, opset 18."""
    lowered = Lowered(
        "net", [("Add", ["x", "w"], ["s"], {}), ("Loop", ["", "c"], ["l"], {"body": BODY}),
                ("LSTM", ["s", "w", "w"], ["h", "", "c_out"],
                 {"direction": "bidirectional", "activations": ["Sigmoid", "Tanh", "Tanh"],
                  "hidden_size": 5, "clip": 0.5})],
        {"w": np.ones((1, 3), np.float32), "c": np.array(True)},
        [("x", np.dtype(np.float32), ["batch", 3]), ("z", np.dtype(np.int64), [None])],
        [("h", np.dtype(np.float32), ["batch", None, 5]), ("c_out", np.dtype(np.float32), [2])],
        18)
    model = assert_same_as_onnx(lowered)
    assert model.opset_import[0].version == 18 and model.ir_version == 8
    assert model.graph.input[0].type.tensor_type.shape.dim[0].dim_param == "batch"
