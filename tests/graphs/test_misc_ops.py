"""What the corpus cannot show of add_n's neighbours in the op table (the outputs are checked by
the corpus cases add_n ... degrees_radians_dtypes): the output dtypes of amp_cast/amp_multicast
on float16 inputs, which MXNet 1.9.1 infers but its CPU (oneDNN) kernels refuse to run, and the
graphs the lowering refuses with a message naming the node, the op and why."""
from __future__ import annotations

import json

import numpy as np
import pytest

from gluonbridge.backend.errors import LoweringError
from gluonbridge.backend.lower import to_onnx
from gluonbridge.backend.ops import graph_rule
from gluonbridge.graph import json_io
from gluonbridge.graph.infer import infer

# amp nodes over the inputs x (float32), h (float16), i (int32): name -> (op, inputs, attrs)
AMP_NODES = {
    "wide": ("amp_multicast", "hx", {"num_outputs": "2"}),
    "wide_halves": ("amp_multicast", "hh", {"num_outputs": "2"}),
    "narrow": ("amp_multicast", "xh", {"num_outputs": "2", "cast_narrow": "True"}),
    "narrow_int": ("amp_multicast", "hix", {"num_outputs": "3", "cast_narrow": "True"}),
    "half_int": ("amp_multicast", "hi", {"num_outputs": "2"}),
    "one": ("amp_multicast", "h", {"num_outputs": "1"}),
    "to_single": ("amp_cast", "h", {"dtype": "float32"}),
    "to_double": ("amp_cast", "h", {"dtype": "float64"}),
}
INPUT_DTYPES = {"x": "float32", "h": "float16", "i": "int32"}


def _graph_json(nodes: dict) -> str:
    """A symbol JSON of the variables x, h, i and ``nodes``, every output a head."""
    doc = [{"op": "null", "name": n, "inputs": []} for n in INPUT_DTYPES]
    heads = []
    for name, (op, inputs, attrs) in nodes.items():
        doc.append({"op": op, "name": name, "attrs": attrs,
                    "inputs": [[list(INPUT_DTYPES).index(v), 0, 0] for v in inputs]})
        count = int(attrs.get("num_outputs", 1))
        heads += [[len(doc) - 1, k, 0] for k in range(count)]
    return json.dumps({"nodes": doc, "arg_nodes": [0, 1, 2], "heads": heads,
                       "attrs": {"mxnet_version": ["int", 10901]}})


def _graph(nodes):
    return json_io.loads(_graph_json(nodes), input_names=tuple(INPUT_DTYPES))


def _head_dtypes(graph) -> list:
    shapes = {n: (2, 3) for n in INPUT_DTYPES}
    _, dtypes = infer(graph, graph_rule, shapes, INPUT_DTYPES)
    return [np.dtype(dtypes[h.node][h.index]).name for h in graph.heads]


@pytest.mark.oracle
def test_amp_output_dtypes_are_mxnets(mx1):
    mxnet = mx1.run(
        f"sym = mx.sym.load_json({_graph_json(AMP_NODES)!r})\n"
        f"_, out, _ = sym.infer_type(**{INPUT_DTYPES!r})\n"
        "result = [__import__('numpy').dtype(t).name for t in out]")
    assert _head_dtypes(_graph(AMP_NODES)) == mxnet


def _lower(nodes):
    inputs = {n: ((2, 3, 4), np.dtype(d)) for n, d in INPUT_DTYPES.items()}
    return to_onnx(_graph(nodes), inputs, {})


@pytest.mark.parametrize("nodes, message", [
    ({"c": ("_np_cumsum", "x", {"axis": "-1"})}, r"axis=-1: MXNet 1\.9\.1's cumsum refuses"),
    ({"m": ("moments", "x", {})}, "no axes"),
    ({"m": ("moments", "h", {"axes": "(1,)"})}, "float16 array"),
    ({"t": ("batch_take", "xi", {})}, r"data of shape \(2, 3, 4\)"),
    ({"a": ("amp_cast", "x", {"dtype": "int32"})}, "float32 array cast to int32"),
    ({"a": ("amp_multicast", "ih", {"num_outputs": "2"})}, "float16 array cast to int32"),
    ({"a": ("amp_multicast", "xh", {"num_outputs": "1"})}, "2 inputs with num_outputs=1"),
])
def test_refused_with_the_node_op_and_reason(nodes, message):
    name = next(iter(nodes))
    with pytest.raises(LoweringError, match=rf"node '{name}': op \w+: .*{message}"):
        _lower(nodes)


def test_add_n_refuses_inputs_of_different_shapes():
    graph = _graph({"s": ("add_n", "xh", {"num_args": "2"})})
    inputs = {"x": ((2, 3), np.dtype(np.float32)), "h": ((3, 2), np.dtype(np.float32))}
    with pytest.raises(LoweringError, match=r"node 's': op add_n: inputs of shapes"):
        to_onnx(graph, inputs, {})
