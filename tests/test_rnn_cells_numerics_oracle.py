"""Unrolled cells: weights set in MXNet 1.9.1 and saved, loaded by gluonbridge in each naming
mode, unrolled eagerly and traced (a HybridBlock around ``unroll``), with and without
``valid_length`` and ``merge_outputs``: outputs and final states within 1e-5 of 1.9.1. One
oracle process computes every configuration."""
import numpy as np
import pytest

CELLS = ["RNNCell", "LSTMCell", "GRUCell"]
CONFIGS = [(cell, merge, valid) for cell in CELLS for merge in (True, False)
           for valid in (False, True)]

_MX1 = """
import mxnet as mx
import numpy as np
from mxnet.gluon import rnn
x = mx.nd.array(np.random.RandomState(0).uniform(-1, 1, (2, 4, 3)))
valid = mx.nd.array([2, 4])
result = []
for i, name in enumerate({cells!r}):
    cell = getattr(rnn, name)(5, input_size=3)
    cell.initialize()
    for p in cell.collect_params().values():
        p.set_data(mx.nd.random.uniform(-1, 1, p.shape))
    cell.save_parameters(DIR + '/%s.params' % name)
for name, merge, use_valid in {configs!r}:
    cell = getattr(rnn, name)(5, input_size=3)
    cell.load_parameters(DIR + '/%s.params' % name)
    outs, states = cell.unroll(4, x, layout='NTC', merge_outputs=merge,
                               valid_length=valid if use_valid else None)
    outs = outs if merge else mx.nd.stack(*outs, axis=1)
    result.append([outs.asnumpy().tolist(), [s.asnumpy().tolist() for s in states]])
"""

_GB = """
import numpy as np
from gluonbridge.gluon import nn, rnn
x = np.random.RandomState(0).uniform(-1, 1, (2, 4, 3)).astype('float32')
valid = np.array([2, 4], np.float32)

class Unrolled(nn.HybridBlock):
    def __init__(self, cell, merge):
        super().__init__()
        self.cell, self.merge = cell, merge

    def forward(self, x, valid=None):
        return self.cell.unroll(4, x, layout='NTC', merge_outputs=self.merge, valid_length=valid)

result = []
for name, merge, use_valid in {configs!r}:
    per_run = []
    for traced in (False, True):
        cell = getattr(rnn, name)(5, input_size=3)
        cell.load_parameters(DIR + '/%s.params' % name)
        if traced:
            block = Unrolled(cell, merge)
            outs, states = block(x, valid) if use_valid else block(x)
        else:
            outs, states = cell.unroll(4, x, layout='NTC', merge_outputs=merge,
                                       valid_length=valid if use_valid else None)
        outs = np.asarray(outs) if merge else np.stack([np.asarray(o) for o in outs], axis=1)
        per_run.append([outs.tolist(), [np.asarray(s).tolist() for s in states]])
    result.append(per_run)
"""


@pytest.mark.oracle
@pytest.mark.parametrize("mode", ["legacy", "structural"])
def test_unrolled_cells_match_mxnet1(mx1, mode, request, tmp_path):
    expected = mx1.run(f"DIR = {str(tmp_path)!r}\n" + _MX1.format(cells=CELLS, configs=CONFIGS))
    got = request.getfixturevalue("gb_" + mode).run(
        f"DIR = {str(tmp_path)!r}\n" + _GB.format(configs=CONFIGS))
    for config, want, runs in zip(CONFIGS, expected, got):
        for traced, (outs, states) in zip(("eager", "traced"), runs):
            where = f"{config} {traced}"
            np.testing.assert_allclose(np.array(outs), np.array(want[0]), rtol=1e-5, atol=1e-5,
                                       err_msg=where)
            assert len(states) == len(want[1]), where
            for s, w in zip(states, want[1]):
                np.testing.assert_allclose(np.array(s), np.array(w), rtol=1e-5, atol=1e-5,
                                           err_msg=where)


DROPOUT_UNROLL = """
import numpy as np
import mxnet as mx
from mxnet.gluon import rnn
rng = np.random.RandomState(0)
seq = rnn.HybridSequentialRNNCell()
seq.add(rnn.LSTMCell(4, input_size=3))
seq.add(rnn.DropoutCell(0.5))          # its step passes name='t0_fwd' to F.Dropout
seq.initialize()
for p in seq.collect_params().values():
    p.set_data(mx.nd.array(rng.uniform(-1, 1, p.shape)))
x = mx.nd.array(rng.uniform(-1, 1, (3, 2, 3)))
outs, states = seq.unroll(3, x, layout='TNC', merge_outputs=True)
result = [outs.asnumpy().tolist()] + [s.asnumpy().tolist() for s in states]
"""


@pytest.mark.oracle
def test_dropout_cell_unrolled_eagerly_matches_mxnet(mx1, gb_legacy):
    """GluonNLP's BigRNN unrolls LSTMP and dropout cells on NDArrays."""
    want = mx1.run(DROPOUT_UNROLL)
    got = gb_legacy.run("from gluonbridge import mxnet_shim\nmxnet_shim.install()\n"
                        + DROPOUT_UNROLL)
    assert len(got) == len(want) == 3
    for mine, theirs in zip(got, want):
        np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-5)
