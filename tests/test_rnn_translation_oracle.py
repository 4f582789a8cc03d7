"""Recurrent checkpoints across versions, end to end on the oracles.

* ``python -m gluonbridge.convert --to mx2`` fuses a 1.9.1 ``save_parameters`` file's per-gate
  arrays into ``rnn_param`` from the keys alone: the real 2.0.0b1 loads the result and computes
  what 1.9.1 computed.
* gluonbridge in each naming mode loads the 1.9.1 file (fusing it for structural naming) and
  computes, on both backends, what 1.9.1 computed (outputs of layers with projection, GRU,
  bidirectional stacks, tanh RNN, NTC layout). State clipping has no CPU kernel in 1.9.1:
  tests/test_rnn_exec.py checks it against the cell equations."""
import numpy as np
import pytest

from gluonbridge.convert import main as convert

_MODEL = """
from mxnet.gluon import nn, rnn
net = nn.HybridSequential()
net.add(nn.Dense(5, in_units=3, flatten=False),
        rnn.LSTM(4, num_layers=2, bidirectional=True, input_size=5),
        rnn.GRU(3, input_size=8, layout='NTC'),
        rnn.RNN(4, activation='tanh', input_size=3, bidirectional=True),
        rnn.LSTM(6, projection_size=2, input_size=8))
"""

_SAVE_MX1 = _MODEL + """
import mxnet as mx
import numpy as np
net.initialize(mx.init.Uniform(0.5))
for p in net.collect_params().values():     # biases too, so that a swap would show
    p.set_data(mx.nd.random.uniform(-1, 1, p.shape))
net.save_parameters(PATH)
result = net(mx.nd.array(np.random.RandomState(0).uniform(-1, 1, (2, 7, 3)))).asnumpy().tolist()
"""

_RUN = _MODEL + """
import numpy as np
{setup}
net.load_parameters(PATH)
result = np.asarray(net({array}(np.random.RandomState(0).uniform(-1, 1, (2, 7, 3)).astype(
    'float32')))).tolist()
"""


_RUN_MX2 = _MODEL + """
import mxnet as mx
import numpy as np
net.initialize()
net(mx.np.ones((2, 7, 3)))
net.load_parameters(PATH)
x = mx.np.array(np.random.RandomState(0).uniform(-1, 1, (2, 7, 3)).astype('float32'))
result = net(x).asnumpy().tolist()
"""


@pytest.fixture(scope="module")
def mx1_file(tmp_path_factory, request):
    mx1 = request.getfixturevalue("mx1")
    path = str(tmp_path_factory.mktemp("rnn") / "mx1.params")
    return path, np.array(mx1.run(f"PATH = {path!r}\n" + _SAVE_MX1))


@pytest.mark.oracle
def test_convert_to_mx2_loads_in_mxnet2(mx1_file, mx2, tmp_path):
    path, expected = mx1_file
    out = str(tmp_path / "fused.params")
    assert convert([path, out, "--to", "mx2"]) == 0
    got = mx2.run(f"PATH = {out!r}\n" + _RUN_MX2)
    np.testing.assert_allclose(np.array(got), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.oracle
@pytest.mark.parametrize("backend", ["onnxruntime", "reference"])
@pytest.mark.parametrize("mode", ["legacy", "structural"])
def test_gluonbridge_loads_mxnet1_recurrent_file(mx1_file, mode, backend, request):
    path, expected = mx1_file
    oracle = request.getfixturevalue("gb_" + mode)
    got = oracle.run(f"PATH = {path!r}\n" + _RUN.replace("mxnet", "gluonbridge").format(
        setup=f"from gluonbridge.backend import runtime\nruntime.use({backend!r})\n"
              "net.initialize()", array="np.asarray"))
    np.testing.assert_allclose(np.array(got), expected, rtol=1e-5, atol=1e-5)
