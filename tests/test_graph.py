"""The graph of MXNet ops: JSON written by MXNet 1.9.1 read and written back as equal data,
shape inference against MXNet's ``infer_shape``, and traces recording what MXNet records."""
import json

import numpy as np
import pytest

from gluonbridge import naming
from gluonbridge.backend.ops import aux_positions, graph_rule, num_outputs
from gluonbridge.graph import AUX, json_io
from gluonbridge.graph.infer import infer

# A user-style Gluon model (written against ``nn`` and ``HybridBlock`` of either library).
GLUON_PROGRAM = """
class Mix(HybridBlock):
    def __init__(self, **kw):
        super().__init__(**kw)
        with self.name_scope():
            self.fc = nn.Dense(6)
    def hybrid_forward(self, F, x):
        y = self.fc(x)
        z = y * 2 + 1
        return F.relu(z - y) / 3
net = nn.HybridSequential()
with net.name_scope():
    net.add(nn.Conv2D(4, 3, padding=1), nn.BatchNorm(), nn.Activation("relu"),
            nn.MaxPool2D(2, ceil_mode=True), nn.Dense(8, activation="tanh"), Mix())
net.initialize()
"""

# Graphs built with mx.sym: the ops of the table and their attribute spellings.
SYMBOL_PROGRAM = """
data = mx.sym.var("data")
c = mx.sym.Convolution(data, kernel=(3, 3), num_filter=8, pad=(1, 1), name="conv")
b = mx.sym.BatchNorm(c, name="bn")
a = mx.sym.Activation(b, act_type="relu")
p = mx.sym.Pooling(a, kernel=(3, 3), stride=(2, 2), pool_type="max", pooling_convention="full")
g = mx.sym.Pooling(a, global_pool=True, pool_type="avg", kernel=(1, 1))
l = mx.sym.LeakyReLU(p, act_type="prelu")
d = mx.sym.Deconvolution(l, kernel=(2, 2), stride=(2, 2), num_filter=3)
r = mx.sym.Reshape(d, shape=(0, -1))
f = mx.sym.FullyConnected(r, num_hidden=5)
t = mx.sym.transpose(mx.sym.expand_dims(f, axis=1), axes=(0, 2, 1))
m = mx.sym.mean(t, axis=2, keepdims=True)
s = mx.sym.softmax(mx.sym.Flatten(m) * 2 - 1)
cat = mx.sym.concat(s, mx.sym.Flatten(g), dim=1)
ln = mx.sym.LayerNorm(cat)
e = mx.sym.Embedding(mx.sym.sum(s, axis=1), input_dim=4, output_dim=3)
out = mx.sym.Group([mx.sym.clip(ln, 0, 1), mx.sym.broadcast_mul(s, mx.sym.max(s, axis=1,
                    keepdims=True)), mx.sym.SwapAxis(mx.sym.reshape(e, shape=(-1, 3, 1)),
                    dim1=1, dim2=2), mx.sym.BlockGrad(s / 4)])
"""

MX1 = """
import json
from mxnet.gluon import nn, HybridBlock
result = {}
def shapes(sym, shape):
    args, outs, aux = sym.infer_shape(data=shape)
    return {"args": dict(zip(sym.list_arguments(), args)), "outs": outs,
            "aux": dict(zip(sym.list_auxiliary_states(), aux))}
exec(%r)
net.hybridize(); net(mx.nd.ones((2, 3, 7, 7))); net.export("gluon")
sym = mx.sym.load("gluon-symbol.json")
result["gluon"] = [open("gluon-symbol.json").read(), [2, 3, 7, 7], shapes(sym, (2, 3, 7, 7))]
exec(%r)
result["symbol"] = [out.tojson(), [2, 3, 8, 8], shapes(out, (2, 3, 8, 8))]
import numpy as np
rng = np.random.RandomState(0)
arg_shapes, _, aux_shapes = out.infer_shape(data=(2, 3, 8, 8))
args = {n: rng.uniform(-1, 1, s).astype("float32")
        for n, s in zip(out.list_arguments(), arg_shapes)}
aux = {n: rng.uniform(0.5, 1.5, s).astype("float32")
       for n, s in zip(out.list_auxiliary_states(), aux_shapes)}
ex = out.bind(mx.cpu(), {k: mx.nd.array(v) for k, v in args.items()},
              aux_states={k: mx.nd.array(v) for k, v in aux.items()})
result["run"] = {"args": {k: v.tolist() for k, v in args.items()},
                 "aux": {k: v.tolist() for k, v in aux.items()},
                 "outs": [o.asnumpy().tolist() for o in ex.forward(is_train=False)]}
""" % (GLUON_PROGRAM, SYMBOL_PROGRAM)


@pytest.fixture(scope="module")
def mxnet_graphs(mx1):
    return mx1.run(MX1)


def _read(text):
    return json_io.loads(text, aux_positions, ("data",))


@pytest.mark.oracle
@pytest.mark.parametrize("which", ["gluon", "symbol"])
def test_mxnet_json_reads_and_writes_back_as_equal_data(mxnet_graphs, which):
    text = mxnet_graphs[which][0]
    graph = _read(text)
    written = json_io.to_document(graph, num_outputs)
    assert written == json.loads(text)          # nodes, arg_nodes, node_row_ptr, heads, attrs
    assert _read(json_io.dumps(graph, num_outputs)) == graph


@pytest.mark.oracle
@pytest.mark.parametrize("which", ["gluon", "symbol"])
def test_shape_inference_equals_mxnet_infer_shape(mxnet_graphs, which):
    text, data_shape, expected = mxnet_graphs[which]
    graph = _read(text)
    shapes, _ = infer(graph, graph_rule, {"data": tuple(data_shape)})
    variables = {n.name: list(shapes[i][0]) for i, n in enumerate(graph.nodes) if n.is_variable}
    aux = {n.name for n in graph.variables(AUX)}
    assert {k: v for k, v in variables.items() if k not in aux} == expected["args"]
    assert {k: variables[k] for k in aux} == expected["aux"]
    assert [list(shapes[h.node][h.index]) for h in graph.heads] == expected["outs"]


@pytest.mark.oracle
def test_trace_records_the_nodes_mxnet_exports(mxnet_graphs):
    """Op names, node names, attributes, inputs (with aux versions) and the order of the
    nodes equal MXNet 1.9.1's export of the same model; variables are named alike and carry
    the same attributes (``__shape__`` as at the first forward, ``__init__`` ...)."""
    from gluonbridge.gluon import HybridBlock, nn
    with naming.override("legacy"), naming.NameManager():
        scope = {"nn": nn, "HybridBlock": HybridBlock}
        exec(GLUON_PROGRAM, scope)
    net = scope["net"]
    net(np.ones((2, 3, 7, 7), np.float32))
    graph = next(iter(net._executors.values())).graph
    ours = json_io.to_document(graph, num_outputs)
    theirs = json.loads(mxnet_graphs["gluon"][0])
    assert ours["nodes"] == theirs["nodes"]
    assert ours["heads"] == theirs["heads"] and ours["arg_nodes"] == theirs["arg_nodes"]
    assert ours["node_row_ptr"] == theirs["node_row_ptr"]


def test_trace_shapes_are_known_while_tracing():
    from gluonbridge.gluon import HybridBlock, nn
    seen = []
    with naming.override("legacy"):
        class Probe(HybridBlock):
            def __init__(self):
                super().__init__()
                with self.name_scope():
                    self.fc = nn.Dense(3)

            def hybrid_forward(self, F, x):
                y = self.fc(x).reshape((0, 1, -1))
                seen.append((y.shape, y.dtype, y.name))
                return y
        probe = Probe()
    probe.initialize()
    assert probe(np.ones((2, 5), np.float32)).shape == (2, 1, 3)
    assert seen[0][:2] == ((2, 1, 3), np.dtype(np.float32))
    assert seen[0][2].endswith("reshape0")


def test_malformed_documents_are_refused_with_the_node():
    from gluonbridge.checkpoint.errors import CorruptHeaderError
    bad = {"nodes": [{"op": "null", "name": "a", "inputs": []},
                     {"op": "relu", "name": "r", "inputs": [[0, 0, 0]], "attrs": {"x": 1}}]}
    with pytest.raises(CorruptHeaderError, match=r"node 1 \(r\)"):
        json_io.loads(json.dumps(bad))


def test_no_import_cycle_between_graph_and_backend():
    import subprocess
    import sys
    code = ("import sys, gluonbridge.graph.json_io, gluonbridge.graph.infer;"
            "assert not [m for m in sys.modules if m.startswith('gluonbridge.backend')], "
            "sorted(m for m in sys.modules if m.startswith('gluonbridge.backend'))")
    subprocess.run([sys.executable, "-c", code], check=True)
    # and each op module imports on its own (no cycle through the package)
    for module in ("registry", "elementwise", "activation", "nn", "norm", "shape", "reduce"):
        subprocess.run([sys.executable, "-c", f"import gluonbridge.backend.ops.{module}"],
                       check=True)


@pytest.mark.oracle
@pytest.mark.parametrize("name", ["onnxruntime", "reference"])
def test_symbol_graph_lowered_runs_as_mxnet(mxnet_graphs, name):
    """A graph read from MXNet's JSON, lowered with a symbolic batch axis, computes what MXNet
    1.9.1 computes with the same arguments (op defaults such as BatchNorm's fix_gamma apply)."""
    from gluonbridge.backend.lower import to_onnx
    from gluonbridge.backend.runtime import make_session
    run = mxnet_graphs["run"]
    arrays = {k: np.asarray(v, np.float32) for k, v in {**run["args"], **run["aux"]}.items()}
    data = arrays.pop("data")
    model = to_onnx(_read(mxnet_graphs["symbol"][0]), {"data": (data.shape, data.dtype)},
                    arrays, batch_axis=True)
    outs = make_session(model, name)([data])
    for ours, theirs in zip(outs, run["outs"]):
        theirs = np.asarray(theirs, np.float32)
        assert ours.shape == theirs.shape
        assert np.abs(ours - theirs).max() <= 1e-5 * max(np.abs(theirs).max(), 1e-30)
    assert model.graph.input[0].type.tensor_type.shape.dim[0].dim_param == "batch"
    make_session(model, name)([np.concatenate([data, data])])   # another batch size runs


def test_attributes_print_and_parse_as_mxnet():
    from gluonbridge.graph.attrs import Bool, Dtype, Float, Int, Ints, format_value
    assert [format_value(v) for v in [(3, 3), 1e-05, True, 4, "NCHW", np.float16]] == \
        ["(3, 3)", "1e-05", "True", "4", "NCHW", "float16"]
    assert Ints().parse("(3, 3)") == Ints().parse([3, 3]) == (3, 3)
    assert Ints().parse("3") == Ints().parse(3) == (3,)
    assert Bool().parse("False") is False and Bool().parse("1") is True
    assert Float().parse("1e-05") == 1e-05 and Int().parse("None") is None
    assert Dtype().parse("float32") == Dtype().parse(np.float32) == np.dtype(np.float32)
