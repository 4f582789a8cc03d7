"""Execution of recurrent layers: nested state arguments, the unrolled RNN lowering against a
NumPy transcription of MXNet's cell equations (state clipping has no CPU kernel in MXNet
1.9.1, so no oracle computes it; projection is also checked on the oracle in
tests/test_rnn_translation_oracle.py), gate reordering against the unrolled form."""
from __future__ import annotations

import numpy as np
import pytest

from gluonbridge import naming
from gluonbridge.backend import nest, runtime
from gluonbridge.gluon import rnn
from gluonbridge.translate.rnn_weights import RNNLayout, split

from tests import backends


def test_nest_round_trip():
    value = (1, [2, (3, 4)], [])
    leaves, spec = nest.flatten(value)
    assert leaves == [1, 2, 3, 4]
    assert nest.unflatten(spec, leaves) == value
    with pytest.raises(ValueError):
        nest.unflatten(spec, leaves + [5])


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _numpy_lstm(x, flat, layout, clip=(None, None)):
    """MXNet's LSTM (gates i, f, g, o; cuDNN's clipping of c), zero begin states."""
    w = split(flat, layout)
    hidden, proj = layout.hidden_size, layout.projection_size
    outs, hs, cs = x, [], []
    for layer in range(layout.num_layers):
        per_dir = []
        for d in layout.directions:
            k = f"{d}{layer}"
            h = np.zeros((x.shape[1], proj or hidden), np.float32)
            c = np.zeros((x.shape[1], hidden), np.float32)
            ys = [None] * x.shape[0]
            steps = range(x.shape[0])[::-1] if d == "r" else range(x.shape[0])
            for t in steps:
                gates = outs[t] @ w[k + "_i2h_weight"].T + w[k + "_i2h_bias"] \
                    + h @ w[k + "_h2h_weight"].T + w[k + "_h2h_bias"]
                i, f, g, o = np.split(gates, 4, axis=1)
                c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
                if clip != (None, None):
                    c = np.clip(c, clip[0], clip[1])
                h = _sigmoid(o) * np.tanh(c)
                if proj:
                    h = h @ w[k + "_h2r_weight"].T
                ys[t] = h
            per_dir.append(np.stack(ys))
            hs.append(h)
            cs.append(c)
        outs = np.concatenate(per_dir, axis=2)
    return outs, np.stack(hs), np.stack(cs)


@pytest.mark.parametrize("backend", backends.params())
@pytest.mark.parametrize("kwargs", [dict(), dict(projection_size=3),
                                    dict(state_clip_min=-0.2, state_clip_max=0.3),
                                    dict(projection_size=2, state_clip_min=-0.1,
                                         state_clip_max=0.1)])
def test_lstm_layer_matches_cell_equations(kwargs, backend):
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (5, 2, 3)).astype(np.float32)
    runtime.use(backend)
    with naming.override("structural"):
        net = rnn.LSTM(4, num_layers=2, bidirectional=True, input_size=3, **kwargs)
        net.initialize()
        layout = RNNLayout.for_mode("lstm", 2, 4, 3, True, kwargs.get("projection_size"))
        flat = rng.uniform(-0.5, 0.5, layout.size).astype(np.float32)
        net.rnn_param.set_data(flat)
        out, (h, c) = net(x, net.begin_state(2))
    clip = (kwargs.get("state_clip_min"), kwargs.get("state_clip_max"))
    want = _numpy_lstm(x, flat, layout, clip)
    for got, expected in zip((out, h, c), want):
        np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-5, atol=1e-5)


def test_layer_returns_states_in_the_structure_given():
    with naming.override("legacy"):
        net = rnn.GRU(3, layout="NTC")
        net.initialize()
        x = np.ones((2, 4, 5), np.float32)
        out = net(x)
        out2, states = net(x, net.begin_state(2))
    assert isinstance(states, list) and len(states) == 1
    assert states[0].shape == (1, 2, 3)
    np.testing.assert_allclose(np.asarray(out), np.asarray(out2), rtol=1e-6)


def _encoder(mode):
    from gluonbridge.gluon import nn

    with naming.override(mode):
        class Encoder(nn.HybridBlock):
            def __init__(self):
                super().__init__()
                self.lstm = rnn.LSTM(4, num_layers=2, bidirectional=True, layout="NTC")
                self.gru = rnn.GRU(3, layout="NTC")

            def forward(self, x):
                return self.gru(self.lstm(x))

        net = Encoder()
        net.initialize()
        return net


@pytest.mark.parametrize("source,target", [("legacy", "structural"), ("structural", "legacy")])
def test_load_parameters_translates_the_recurrent_layout(tmp_path, source, target):
    x = np.random.default_rng(1).uniform(-1, 1, (2, 5, 3)).astype(np.float32)
    saved = _encoder(source)
    with naming.override(source):
        want = np.asarray(saved(x))
        saved.save_parameters(str(tmp_path / "p.params"))
    loaded = _encoder(target)
    with naming.override(target):
        loaded.load_parameters(str(tmp_path / "p.params"))
        got = np.asarray(loaded(x))
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


_FUSED_INIT = """
import numpy as np
from {pkg}.gluon import rnn
net = rnn.LSTM(4, num_layers=2, bidirectional=True, projection_size=3, input_size=5,
               i2h_bias_initializer={bias!r})
net.initialize()
flat = np.asarray(net.rnn_param.data() if {pkg!r} == 'gluonbridge' else
                  net(mx.np.ones((3, 2, 5))) is not None and net.rnn_param.data().asnumpy())
result = [[int(v == 0) for v in flat], float(np.abs(flat).max())]
"""


@pytest.mark.oracle
@pytest.mark.parametrize("bias", ["zeros", None])
def test_structural_rnn_param_initializes_as_mxnet2(mx2, gb_structural, bias):
    theirs = mx2.run("import mxnet as mx\n" + _FUSED_INIT.format(pkg="mxnet", bias=bias))
    ours = gb_structural.run(_FUSED_INIT.format(pkg="gluonbridge", bias=bias).replace(
        "net.initialize()", "net.initialize()\nnet(np.ones((3, 2, 5), np.float32))"))
    assert ours[0] == theirs[0]            # the same segments are zeros (the biases)
    assert 0 < ours[1] <= 0.07 and 0 < theirs[1] <= 0.07
