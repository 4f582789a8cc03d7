"""Every layer's ONNX lowering against MXNet 1.9.1's own forward pass (shared/spec/onnx-lowering.md).

In one oracle process, each layer is built, initialized, given random parameters (BatchNorm gets
random running statistics), and run on a random input; the input, the parameters (by structural
key) and MXNet's output come back. gluonbridge builds the same layer under each naming mode,
takes those parameters, runs on onnxruntime and on onnx's reference evaluator, and must match
within 1e-5 of the output's max abs (the spec measured <= ~2e-6 for these ops).
"""
import numpy as np
import pytest

from gluonbridge import backend, naming
from gluonbridge.gluon import contrib, nn  # noqa: F401  (used by the evaluated expressions)

from tests import backends

CASES = [
    ("nn.Dense(5)", (2, 3, 4)),
    ("nn.Dense(5, flatten=False)", (2, 3, 4)),
    ("nn.Dense(4, use_bias=False, activation='relu')", (3, 6)),
    ("nn.Dense(4, activation='tanh')", (3, 6)),
    ("nn.Conv2D(4, 3, padding=1)", (2, 3, 7, 7)),
    ("nn.Conv2D(4, (3, 5), strides=(2, 1), padding=(1, 2))", (2, 3, 9, 9)),
    ("nn.Conv2D(4, 3, groups=2)", (2, 4, 6, 6)),
    ("nn.Conv2D(6, 3, groups=6, padding=1)", (1, 6, 5, 5)),
    ("nn.Conv2D(4, 3, dilation=2)", (1, 3, 9, 9)),
    ("nn.Conv2D(4, 1, strides=2, use_bias=False, activation='relu')", (2, 3, 6, 6)),
    ("nn.Conv1D(4, 3, padding=1)", (2, 3, 10)),
    ("nn.Conv3D(2, 3, padding=1)", (1, 2, 5, 5, 5)),
    ("nn.Conv2DTranspose(3, 3, strides=2, padding=1, output_padding=1)", (2, 4, 5, 5)),
    ("nn.Conv1DTranspose(3, 3, strides=2)", (2, 4, 5)),
    ("nn.BatchNorm()", (2, 3, 4, 4)),
    ("nn.BatchNorm(epsilon=1e-3)", (2, 3, 4, 4)),
    ("nn.BatchNorm(scale=False)", (2, 3, 4, 4)),
    ("nn.BatchNorm(center=False)", (2, 3, 4, 4)),
    ("nn.BatchNorm(axis=-1)", (2, 4, 4, 3)),
    ("nn.BatchNorm()", (4, 3)),
    ("nn.Activation('relu')", (2, 8)),
    ("nn.Activation('sigmoid')", (2, 8)),
    ("nn.Activation('tanh')", (2, 8)),
    ("nn.Activation('softrelu')", (2, 8)),
    ("nn.Activation('softsign')", (2, 8)),
    ("nn.LeakyReLU(0.1)", (2, 8)),
    ("nn.PReLU()", (2, 3, 4)),
    ("nn.PReLU(in_channels=3)", (2, 3, 4, 4)),
    ("nn.ELU(0.5)", (2, 8)),
    ("nn.SELU()", (2, 8)),
    ("nn.GELU()", (2, 8)),
    ("nn.Swish(2.0)", (2, 8)),
    ("nn.MaxPool2D(3, 2, 1)", (2, 3, 7, 7)),
    ("nn.MaxPool2D(3, 3, 1, ceil_mode=True)", (1, 2, 5, 5)),
    ("nn.MaxPool2D(2, 2, ceil_mode=True)", (1, 2, 7, 7)),
    ("nn.AvgPool2D(3, 1, 1)", (2, 3, 6, 6)),
    ("nn.AvgPool2D(3, 2, 1, count_include_pad=False)", (2, 3, 7, 7)),
    ("nn.AvgPool2D(3, 2, 1, ceil_mode=True)", (2, 3, 8, 8)),
    ("nn.AvgPool2D(3, 3, 1, ceil_mode=True)", (1, 2, 5, 5)),
    ("nn.AvgPool2D(2, 2)", (1, 2, 6, 6)),
    ("nn.MaxPool2D(3, 1, 1)", (1, 2, 6, 6)),          # onnx.reference mishandles this natively
    ("nn.MaxPool2D(3, 2, ceil_mode=True)", (1, 2, 8, 8)),   # squeezenet
    ("nn.AvgPool2D(3, 3, 0, ceil_mode=True)", (1, 2, 4, 4)),
    ("nn.AvgPool2D(4, 3, 1, ceil_mode=True, count_include_pad=False)", (1, 2, 6, 6)),
    ("nn.MaxPool1D(2)", (2, 3, 9)),
    ("nn.AvgPool3D(2)", (1, 2, 4, 4, 4)),
    ("nn.GlobalAvgPool2D()", (2, 3, 5, 5)),
    ("nn.GlobalMaxPool2D()", (2, 3, 5, 5)),
    ("nn.GlobalAvgPool1D()", (2, 3, 5)),
    ("nn.Flatten()", (2, 3, 4)),
    ("nn.Dropout(0.5)", (2, 6)),
    ("nn.Embedding(10, 4)", "indices"),
    ("nn.LayerNorm()", (2, 3, 6)),
    ("nn.LayerNorm(axis=1)", (2, 3, 4)),
    ("nn.InstanceNorm()", (2, 3, 5, 5)),
]

ORACLE_RUN = """
import numpy as np
from mxnet import gluon
from mxnet.gluon import nn, contrib
rng = np.random.RandomState(0)
INDICES = np.array([[2.7, 1.999, -1, 10, 15, 5.5], [0, 9, 3.2, 4, 8.9, 7]], dtype='float32')
result = []
for expr, shape in CASES:
    net = eval(expr)
    x = INDICES if shape == 'indices' else rng.uniform(-2, 2, shape).astype('float32')
    net.initialize()
    net(mx.nd.array(x))
    params = {}
    for key, p in net._collect_params_with_prefix().items():
        if 'running_var' in key:
            value = rng.uniform(0.5, 1.5, p.shape)
        else:
            value = rng.uniform(-1, 1, p.shape)
        p.set_data(mx.nd.array(value.astype('float32')))
        params[key] = value.astype('float32').tolist()
    y = net(mx.nd.array(x)).asnumpy()
    result.append({'x': x.tolist(), 'params': params, 'y': y.tolist()})
"""


@pytest.fixture(scope="module")
def mxnet_outputs(mx1):
    return mx1.run(f"CASES = {CASES!r}\n" + ORACLE_RUN)


@pytest.fixture(params=backends.params())
def on_backend(request):
    before = backend.current()
    backend.use(request.param)
    yield request.param
    backend.use(before)


@pytest.mark.oracle
@pytest.mark.parametrize("mode", ["legacy", "structural"])
@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"{e}@{s}" for e, s in CASES])
def test_layer_output_equals_mxnet(index, mode, on_backend, mxnet_outputs):
    expr, _ = CASES[index]
    case = mxnet_outputs[index]
    with naming.override(mode):
        net = eval(expr)
    for key, param in net._collect_params_with_prefix().items():
        param.set_data(np.asarray(case["params"][key], dtype=np.float32))
    x = np.asarray(case["x"], dtype=np.float32)
    want = np.asarray(case["y"], dtype=np.float32)
    got = np.asarray(net(x))
    assert got.shape == want.shape
    scale = max(float(np.abs(want).max()), 1e-30)
    assert float(np.abs(got - want).max()) <= 1e-5 * scale
