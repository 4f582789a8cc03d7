"""``F.contrib.foreach`` and ``F._internal`` ops inside ``hybrid_forward`` (GluonNLP's ELMo BiLM
loops its LSTMP cells with them) against MXNet 1.9.1, eager and hybridized: gluonbridge unrolls
the loop over the traced length, MXNet runs its ``_foreach`` op; the outputs and final states
must agree within 1e-5."""
import numpy as np
import pytest

THROUGH_SHIM = "from gluonbridge import mxnet_shim\nmxnet_shim.install()\n"

SNIPPET = """
import numpy as np
import mxnet as mx
from mxnet.gluon import nn, rnn

class Loop(nn.HybridBlock):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.cell = rnn.LSTMCell(5, input_size=3)
            self.fc = nn.Dense(3, in_units=3, flatten=False)
    def hybrid_forward(self, F, x, h, c):
        out, states = F.contrib.foreach(self.cell, x, [h, c])
        def twice(data, state):          # a list of data and a plain function body
            a, b = data
            total = F._internal._plus(F._internal._mul(a, b), state, name='acc')
            return [total, a * 2], total
        zero = F.slice_axis(F.zeros_like(h), axis=1, begin=0, end=3)
        (sums, doubled), last = F.contrib.foreach(twice, [self.fc(x), x], zero)
        one, _ = F.contrib.foreach(self.cell, F.slice_axis(x, axis=0, begin=0, end=1), states)
        return out, states[0], states[1], sums, doubled, last, one

rng = np.random.RandomState(0)
x = mx.nd.array(rng.uniform(-1, 1, (4, 2, 3)))
h, c = (mx.nd.array(rng.uniform(-1, 1, (2, 5))) for _ in range(2))
net = Loop()
net.initialize(mx.init.Xavier())
for p in net.collect_params().values():
    p.set_data(mx.nd.array(rng.uniform(-0.5, 0.5, p.shape)))
result = {'eager': [o.asnumpy().tolist() for o in net(x, h, c)]}
net.hybridize()
result['hybridized'] = [o.asnumpy().tolist() for o in net(x, h, c)]
"""


@pytest.mark.oracle
def test_foreach_and_internal_ops_match_mxnet(mx1, gb_legacy):
    want = mx1.run(SNIPPET)
    got = gb_legacy.run(THROUGH_SHIM + SNIPPET)
    for mode in ("eager", "hybridized"):
        assert len(got[mode]) == len(want[mode]) == 7
        for k, (mine, theirs) in enumerate(zip(got[mode], want[mode])):
            mine, theirs = np.asarray(mine), np.asarray(theirs)
            assert mine.shape == theirs.shape, (mode, k)
            np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-5, err_msg=f"{mode} {k}")
