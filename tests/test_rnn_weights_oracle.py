"""The fused ``rnn_param`` order, proved on the oracles in both directions.

Per-gate weights set in MXNet 1.9.1, fused by :mod:`gluonbridge.translate.rnn_weights`, set as
``rnn_param`` in MXNet 2.0.0b1: same outputs and final states (1e-5). And a random 2.0.0b1
``rnn_param``, split by gluonbridge, set per gate in 1.9.1: same again.
"""
import dataclasses

import numpy as np
import pytest

from gluonbridge.translate import rnn_weights

CONFIGS = [
    # (layer, mode, kwargs)
    ("RNN", "rnn_relu", dict(hidden_size=4, num_layers=2, activation="relu")),
    ("RNN", "rnn_tanh", dict(hidden_size=3, num_layers=1, activation="tanh", bidirectional=True)),
    ("LSTM", "lstm", dict(hidden_size=4, num_layers=2, bidirectional=True)),
    ("LSTM", "lstm", dict(hidden_size=5, num_layers=2, projection_size=3)),
    ("LSTM", "lstm", dict(hidden_size=5, num_layers=2, projection_size=3, bidirectional=True)),
    ("GRU", "gru", dict(hidden_size=4, num_layers=3, bidirectional=True)),
]
INPUT_SIZE, SEQ, BATCH = 6, 5, 2

_MX1_PER_GATE = """
import mxnet as mx, numpy as np
from mxnet.gluon import rnn
rng = np.random.RandomState(0)
layer = rnn.{cls}(input_size={ni}, **{kwargs!r})
layer.initialize()
weights = {weights!r}
for key, p in layer.params.items():
    local = key[len(layer.prefix):]
    if weights is None:
        p.set_data(mx.nd.array(rng.uniform(-0.5, 0.5, p.shape)))
    else:
        p.set_data(mx.nd.array(np.array(weights[local], dtype='float32').reshape(p.shape)))
x = mx.nd.array(np.random.RandomState(1).uniform(-1, 1, ({seq}, {batch}, {ni})))
out, states = layer(x, layer.begin_state({batch}))
result = {{'weights': {{k[len(layer.prefix):]: p.data().asnumpy().ravel().tolist()
                       for k, p in layer.params.items()}},
          'out': out.asnumpy().tolist(), 'states': [s.asnumpy().tolist() for s in states]}}
"""

_MX2_FUSED = """
import mxnet as mx, numpy as np
from mxnet.gluon import rnn
layer = rnn.{cls}(input_size={ni}, **{kwargs!r})
layer.initialize()
x = mx.np.array(np.random.RandomState(1).uniform(-1, 1, ({seq}, {batch}, {ni})))
layer(x, layer.begin_state({batch}))                     # infers rnn_param's shape
flat = {flat!r}
if flat is None:
    flat = np.random.RandomState(0).uniform(-0.5, 0.5, layer.rnn_param.shape).tolist()
layer.rnn_param.set_data(mx.np.array(np.array(flat, dtype='float32')))
out, states = layer(x, layer.begin_state({batch}))
result = {{'flat': layer.rnn_param.data().asnumpy().tolist(), 'shape': layer.rnn_param.shape,
          'out': out.asnumpy().tolist(), 'states': [s.asnumpy().tolist() for s in states]}}
"""


def _layout(mode, kwargs):
    return rnn_weights.RNNLayout.for_mode(
        mode, kwargs.get("num_layers", 1), kwargs["hidden_size"], INPUT_SIZE,
        kwargs.get("bidirectional", False), kwargs.get("projection_size"))


def _same_outputs(a, b):
    np.testing.assert_allclose(np.array(a["out"]), np.array(b["out"]), atol=1e-5, rtol=1e-5)
    assert len(a["states"]) == len(b["states"])
    for sa, sb in zip(a["states"], b["states"]):
        np.testing.assert_allclose(np.array(sa), np.array(sb), atol=1e-5, rtol=1e-5)


@pytest.mark.oracle
@pytest.mark.parametrize("cls,mode,kwargs", CONFIGS)
def test_fuse_order_1x_to_2x(mx1, mx2, cls, mode, kwargs):
    fmt = dict(cls=cls, ni=INPUT_SIZE, kwargs=kwargs, seq=SEQ, batch=BATCH)
    one = mx1.run(_MX1_PER_GATE.format(weights=None, **fmt))
    layout = _layout(mode, kwargs)
    shapes = dict(layout.entries())
    arrays = {k: np.array(v, dtype=np.float32).reshape(shapes[k])
              for k, v in one["weights"].items()}
    flat = rnn_weights.fuse(arrays, layout)
    two = mx2.run(_MX2_FUSED.format(flat=flat.tolist(), **fmt))
    assert two["shape"] == [layout.size]
    _same_outputs(one, two)


@pytest.mark.oracle
@pytest.mark.parametrize("cls,mode,kwargs", CONFIGS)
def test_split_order_2x_to_1x(mx1, mx2, cls, mode, kwargs):
    fmt = dict(cls=cls, ni=INPUT_SIZE, kwargs=kwargs, seq=SEQ, batch=BATCH)
    two = mx2.run(_MX2_FUSED.format(flat=None, **fmt))
    # input size 0: split reads it from the flat size, as 2.0.0b1's initializer does
    layout = dataclasses.replace(_layout(mode, kwargs), input_size=0)
    split = rnn_weights.split(np.array(two["flat"], dtype=np.float32), layout)
    one = mx1.run(_MX1_PER_GATE.format(weights={k: v.ravel().tolist() for k, v in split.items()},
                                       **fmt))
    _same_outputs(one, two)
