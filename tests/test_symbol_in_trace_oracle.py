"""``mx.sym`` ops called inside a block's forward, against MXNet 1.9.1 (hybridized, where ``F`` is
``mx.sym``): gluonbridge records them in the trace, and the 1.x fills with a 0 ("infer me")
dimension (``begin_state(batch_size=0, func=mx.sym.zeros)``, GluonNLP's language models) take
that dimension from their consumer. MXNet builds, runs and saves; gluonbridge (through the shim)
loads the same weights and must give the same outputs, and export the same variable, fill and
``+`` nodes (names, attributes with the 0 kept) as 1.9.1."""
import json

import numpy as np
import pytest

from tests.oracle.harness import gluonbridge_interpreter

pytestmark = pytest.mark.oracle

THROUGH_SHIM = "from gluonbridge import mxnet_shim\nmxnet_shim.install()\nimport mxnet as mx\n"

PROGRAM = '''
import numpy as np
from mxnet import gluon, sym
SAVE, WEIGHTS = %r, %r

class Model(gluon.HybridBlock):
    def __init__(self, **kw):
        super().__init__(**kw)
        with self.name_scope():
            self.lstm = gluon.rnn.LSTM(5, num_layers=2)
            self.gru = gluon.rnn.GRU(4, bidirectional=True)
            self.fc = gluon.nn.Dense(3)

    def hybrid_forward(self, F, x):
        out, states = self.lstm(x, self.lstm.begin_state(batch_size=0, func=sym.zeros))
        h, _ = self.gru(out, self.gru.begin_state(batch_size=0, func=sym.zeros))
        # 1.x fills whose 0 (the batch) their consumer infers; sym ops on traced arrays
        last = F.elemwise_add(self.fc(sym.mean(h, axis=0)),
                              sym.ones(shape=(0, 3)))
        return last, states[1], sym.zeros_like(x) + sym.full(shape=(7, 0, 6), val=0.5)

results = []
for batch in (2, 3):
    with mx.name.NameManager():
        net = Model()
    x = mx.nd.array(np.random.RandomState(batch).uniform(-1, 1, (7, batch, 6)))
    net.initialize(mx.init.Xavier())
    net.hybridize()
    out = net(x)                       # the graph's variables are made here, as MXNet does
    if SAVE:
        net.save_parameters(f"{WEIGHTS}/{batch}.params")
    else:
        net.load_parameters(f"{WEIGHTS}/{batch}.params")
        out = net(x)
    net.export(f"{WEIGHTS}/{batch}-{'mx' if SAVE else 'gb'}")
    results.append([o.asnumpy().tolist() for o in out])
result = results
'''


def test_sym_ops_and_infer_me_fills_in_a_trace_match_mxnet(mx1, tmp_path):
    theirs = mx1.run(PROGRAM % (True, str(tmp_path)))
    ours = gluonbridge_interpreter("legacy").run(THROUGH_SHIM + PROGRAM % (False, str(tmp_path)))
    assert len(ours) == len(theirs) == 2
    for mine, real in zip(ours, theirs):
        assert len(mine) == len(real) == 3
        for a, b in zip(mine, real):
            a, b = np.asarray(a), np.asarray(b)
            assert a.shape == b.shape
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    for batch in (2, 3):
        with open(tmp_path / f"{batch}-gb-symbol.json") as fh:
            mine = json.load(fh)
        with open(tmp_path / f"{batch}-mx-symbol.json") as fh:
            real = json.load(fh)
        assert _made_here(mine) == _made_here(real)


def _made_here(graph):
    """The nodes of the exported graph this test is about: the variables (made before the
    layers complete their shapes: 0 for the input size), the fills and the ``+`` of them."""
    return [(n["op"], n["name"], n.get("attrs")) for n in graph["nodes"]
            if n["op"] in ("null", "_zeros", "_ones", "_full", "zeros_like")
            or "_plus" in n["name"]
            or "elemwise_add" in n["name"]]
