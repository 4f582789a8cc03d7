"""Symbol methods and ``F.<namespace>.<op>`` calls inside ``hybrid_forward`` record the ops MXNet
1.9.1 records: the same lambda run as a HybridLambda in MXNet and in gluonbridge (legacy naming)
computes the same outputs; an op no namespace has is refused naming it."""
import numpy as np
import pytest

from gluonbridge import naming
from gluonbridge.backend.errors import LoweringError
from gluonbridge.gluon import nn

LAMBDAS = [
    "lambda F, x: x.expand_dims(1).transpose((0, 2, 1)).squeeze(axis=2)",
    "lambda F, x: x.slice_axis(axis=1, begin=1, end=None).tile((1, 2)).repeat(2, axis=0)",
    "lambda F, x: F.broadcast_add(F.broadcast_add(x.clip(-0.5, 0.5).sum(axis=1), x.mean()),"
    " x.max(axis=0, keepdims=True).min())",
    "lambda F, x: x.argmax(axis=1) + x.argmin(axis=-1, keepdims=False)",
    "lambda F, x: x.flip(axis=1).abs().sqrt().log1p().square()",
    "lambda F, x: x.split(num_outputs=2, axis=1)[1].sigmoid() * x.split(2, 1)[0].relu()",
    "lambda F, x: x.zeros_like() + x.ones_like() + x.astype('int32').astype('float32')",
    "lambda F, x: x.expand_dims(0).broadcast_to((2, 3, 4)) + x.slice_axis(axis=0, begin=0, "
    "end=1).broadcast_like(x).expand_dims(0).broadcast_axes(axis=0, size=2)",
    "lambda F, x: x.take(F.arange(2)).sum(axis=0) + x.pick(F.zeros_like(x).sum(axis=0), axis=0)",
    "lambda F, x: x.one_hot(4).sum(axis=-1) + x.sort().argsort() + x.topk(k=4, ret_typ='value')",
    "lambda F, x: x.exp().tanh() + x.reshape((-1,)).reshape((3, 4))",
    "lambda F, x: F.broadcast_add(F.contrib.arange_like(x, axis=1), F.contrib.div_sqrt_dim(x))",
    "lambda F, x: F.broadcast_greater(x, F.zeros_like(x)) * F.where(x > 0, x, -x)",
    "lambda F, x: F.linalg.gemm2(x, x, transpose_b=True)",
]

ORACLE_RUN = """
import numpy as np
import mxnet as mx
from mxnet.gluon import nn
rng = np.random.RandomState(0)
result = []
for text in LAMBDAS:
    x = rng.normal(size=(3, 4)).astype('float32')
    net = nn.HybridLambda(eval(text))
    net.hybridize()
    try:
        out = net(mx.nd.array(x))
        result.append({'x': x.tolist(), 'y': out.asnumpy().tolist()})
    except Exception as err:
        result.append({'error': str(err).strip().splitlines()[-1]})
"""


@pytest.fixture(scope="module")
def mxnet_outputs(mx1):
    return mx1.run(f"LAMBDAS = {LAMBDAS!r}\n" + ORACLE_RUN)


@pytest.mark.oracle
@pytest.mark.parametrize("index", range(len(LAMBDAS)), ids=LAMBDAS)
def test_method_calls_compute_as_mxnet(index, mxnet_outputs):
    assert "error" not in mxnet_outputs[index], mxnet_outputs[index].get("error")
    with naming.override("legacy"):
        net = nn.HybridLambda(eval(LAMBDAS[index]))
    x = np.asarray(mxnet_outputs[index]["x"], dtype=np.float32)
    want = np.asarray(mxnet_outputs[index]["y"], dtype=np.float32)
    got = np.asarray(net(x))
    assert got.shape == want.shape
    assert float(np.abs(got - want).max()) <= 1e-5 * max(float(np.abs(want).max()), 1e-30)


@pytest.mark.parametrize("call, name", [("F.contrib.no_such_op(x)", "F.contrib.no_such_op"),
                                        ("F.np.no_such_op(x)", "F.np.no_such_op"),
                                        ("F.no_such_op(x)", "F.no_such_op")])
def test_unknown_namespaced_op_is_named(call, name):
    with naming.override("legacy"):
        net = nn.HybridLambda(eval(f"lambda F, x: {call}"))
    with pytest.raises(LoweringError, match=f"op {name} is not supported"):
        net(np.ones((2, 3), np.float32))
