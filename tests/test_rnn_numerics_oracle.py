"""Recurrent layers: weights set in MXNet 1.9.1 and saved, loaded by gluonbridge in each naming
mode (structural naming fuses them into ``rnn_param``): outputs and final states within 1e-5
of 1.9.1 on both backends. One oracle process computes every configuration; an Embedding ->
LSTM -> Dense language model is one of them. (State clipping has no CPU kernel in 1.9.1 and
``use_sequence_length`` none either: tests/test_rnn_exec.py covers clipping.)"""
import numpy as np
import pytest

# (layer, kwargs, called with states)
CONFIGS = [
    ("RNN", dict(activation="relu"), False),
    ("RNN", dict(activation="tanh", num_layers=2, bidirectional=True), True),
    ("LSTM", dict(), True),
    ("LSTM", dict(num_layers=3, layout="NTC"), False),
    ("LSTM", dict(num_layers=2, bidirectional=True, layout="NTC"), True),
    ("LSTM", dict(projection_size=3, num_layers=2), True),
    ("LSTM", dict(projection_size=2, bidirectional=True), False),
    ("GRU", dict(), False),
    ("GRU", dict(num_layers=2, bidirectional=True), True),
    ("GRU", dict(layout="NTC", num_layers=2), True),
    ("LM", dict(), False),
]

_SETUP = """
import numpy as np
from {pkg}.gluon import nn, rnn

class LM(nn.HybridBlock):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(30, 6)
        self.lstm = rnn.LSTM(7, num_layers=2, input_size=6)
        self.out = nn.Dense(30, flatten=False, in_units=7)

    def forward(self, x):
        return self.out(self.lstm(self.embed(x)))

def build(name, kwargs):
    if name == "LM":
        return LM()
    return getattr(rnn, name)(5, input_size=4, **kwargs)

def data(name, kwargs):
    rs = np.random.RandomState(0)
    if name == "LM":
        return rs.randint(0, 30, (6, 2)).astype('float32')
    shape = (2, 6, 4) if kwargs.get('layout') == 'NTC' else (6, 2, 4)
    return rs.uniform(-1, 1, shape).astype('float32')

def states(net):
    rs = np.random.RandomState(1)
    return [rs.uniform(-1, 1, s['shape']).astype('float32') for s in net.state_info(2)]
"""

_MX1 = _SETUP.format(pkg="mxnet") + """
import mxnet as mx
mx.nd.waitall()
result = []
for i, (name, kwargs, with_states) in enumerate(CONFIGS):
    net = build(name, kwargs)
    net.initialize()
    for p in net.collect_params().values():
        p.set_data(mx.nd.random.uniform(-0.6, 0.6, p.shape))
    net.save_parameters(DIR + '/%d.params' % i)
    x = mx.nd.array(data(name, kwargs))
    if with_states:
        out, st = net(x, [mx.nd.array(s) for s in states(net)])
        result.append([out.asnumpy().tolist(), [s.asnumpy().tolist() for s in st]])
    else:
        result.append([net(x).asnumpy().tolist(), []])
"""

_GB = _SETUP.format(pkg="gluonbridge") + """
from gluonbridge.backend import runtime
runtime.use(BACKEND)
result = []
for i, (name, kwargs, with_states) in enumerate(CONFIGS):
    net = build(name, kwargs)
    net.load_parameters(DIR + '/%d.params' % i)
    net.hybridize()
    x = data(name, kwargs)
    if with_states:
        out, st = net(x, states(net))
        result.append([np.asarray(out).tolist(), [np.asarray(s).tolist() for s in st]])
    else:
        result.append([np.asarray(net(x)).tolist(), []])
"""


@pytest.fixture(scope="module")
def mx1_results(tmp_path_factory, request):
    folder = str(tmp_path_factory.mktemp("rnn_numerics"))
    mx1 = request.getfixturevalue("mx1")
    return folder, mx1.run(f"DIR = {folder!r}\nCONFIGS = {CONFIGS!r}\n" + _MX1)


@pytest.mark.oracle
@pytest.mark.parametrize("backend", ["onnxruntime", "reference"])
@pytest.mark.parametrize("mode", ["legacy", "structural"])
def test_layers_match_mxnet1(mx1_results, mode, backend, request):
    folder, expected = mx1_results
    got = request.getfixturevalue("gb_" + mode).run(
        f"DIR = {folder!r}\nCONFIGS = {CONFIGS!r}\nBACKEND = {backend!r}\n" + _GB)
    for config, (want_out, want_states), (out, states) in zip(CONFIGS, expected, got):
        np.testing.assert_allclose(np.array(out), np.array(want_out), rtol=1e-5, atol=1e-5,
                                   err_msg=str(config))
        assert len(states) == len(want_states), config
        for s, w in zip(states, want_states):
            np.testing.assert_allclose(np.array(s), np.array(w), rtol=1e-5, atol=1e-5,
                                       err_msg=str(config))
