"""A fused node's ``subgraphs`` (MXNet's _sg_mkldnn_* nodes) survive reading and writing."""
import json

from gluonbridge.graph import json_io

DOC = {
    "nodes": [
        {"op": "null", "name": "data", "inputs": []},
        {"op": "null", "name": "w", "inputs": []},
        {"op": "_sg_mkldnn_conv", "name": "conv", "attrs": {"quantized": "true"},
         "inputs": [[0, 0, 0], [1, 0, 0]],
         "subgraphs": [{"nodes": [
             {"op": "null", "name": "data0", "inputs": []},
             {"op": "null", "name": "w0", "inputs": []},
             {"op": "Convolution", "name": "c", "attrs": {"kernel": "(1, 1)", "num_filter": "2",
                                                        "no_bias": "True"},
              "inputs": [[0, 0, 0], [1, 0, 0]]}],
             "arg_nodes": [0, 1], "heads": [[2, 0, 0]]}]}],
    "arg_nodes": [0, 1], "node_row_ptr": [0, 1, 2, 5], "heads": [[2, 0, 0]],
    "attrs": {"mxnet_version": ["int", 10901]}}


def test_subgraphs_kept_as_attribute_and_written_back():
    graph = json_io.loads(json.dumps(DOC))
    node = graph.nodes[2]
    assert json.loads(node.attrs[json_io.SUBGRAPHS]) == DOC["nodes"][2]["subgraphs"]
    written = json_io.to_document(graph)["nodes"][2]
    assert written["subgraphs"] == DOC["nodes"][2]["subgraphs"]
    assert written["attrs"] == {"quantized": "true"}
