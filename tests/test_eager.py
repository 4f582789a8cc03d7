"""Eager op calls: caching, ``out=``, errors, and blocks mixing layers with ``nd`` ops.
(Values against MXNet are in test_eager_oracle.py.)"""
import numpy as np
import pytest

from gluonbridge import gluon, ndarray as nd, numpy_extension as npx
from gluonbridge.backend import LoweringError, eager
from gluonbridge.gluon import nn


def test_second_call_reuses_the_session():
    eager.clear()
    x = nd.array([[1, -2], [3, -4]])
    nd.relu(x)
    nd.relu(x * 2)
    assert len(eager._sessions) == 1
    nd.relu(nd.array([1, -1]))
    assert len(eager._sessions) == 2


def test_out_keyword_receives_the_result():
    x = nd.array([[1, -2], [3, -4]])
    out = nd.zeros((2, 2))
    assert nd.relu(x, out=out) is out
    np.testing.assert_array_equal(out.asnumpy(), [[1, 0], [3, 0]])


def test_every_spelling_resolves_through_the_op_table():
    x = nd.array([[1, -2]])
    for fn in (nd.relu, npx.relu, nd.Activation):
        kwargs = {"act_type": "relu"} if fn is nd.Activation else {}
        np.testing.assert_array_equal(fn(x, **kwargs).asnumpy(), [[1, 0]])
    with pytest.raises(AttributeError, match="op table"):
        nd.no_such_op


def test_an_attribute_the_lowering_lacks_names_the_op():
    with pytest.raises(LoweringError, match="Activation"):
        nd.Activation(nd.array([1.0]), act_type="relu", bogus=1)


class Mixed(gluon.Block):
    def __init__(self):
        super().__init__()
        self.dense = nn.Dense(3, in_units=2)

    def forward(self, x):
        return nd.softmax(nd.relu(self.dense(x)) + 1)


def test_plain_block_mixes_layers_and_nd_ops():
    net = Mixed()
    net.initialize()
    x = nd.array([[1, 2], [3, -4]])
    out = net(x)
    w = np.asarray(net.dense.weight.data())
    b = np.asarray(net.dense.bias.data())
    h = np.maximum(x.asnumpy() @ w.T + b, 0) + 1
    want = np.exp(h) / np.exp(h).sum(-1, keepdims=True)
    np.testing.assert_allclose(out.asnumpy(), want, rtol=1e-6)


class HybridMixed(gluon.HybridBlock):
    def __init__(self):
        super().__init__()
        self.dense = nn.Dense(3, in_units=2)

    def forward(self, x):
        return nd.relu(self.dense(x)) * 1.5


def test_nd_ops_inside_a_trace_record_nodes():
    net = HybridMixed()
    net.initialize()
    x = nd.array([[1, 2]])
    out = net(x)
    executor = next(iter(net._executors.values()))
    assert [n.op for n in executor.graph.nodes if not n.is_variable][-2:] == ["relu",
                                                                            "_mul_scalar"]
    assert out.dtype == np.float32
