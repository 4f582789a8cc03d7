"""Every rule leaves look-alike code alone (one no-op case per rule id, at least)."""
import pytest

from gluonbridge.codemods.registry import RULES
from tests.codemod.helpers import run

NOOPS = {
    "B1": "class A(object):\n    def __init__(self, prefix):\n        super().__init__(prefix=prefix)\n",
    "B2": "from mxnet.gluon.contrib import nn\nx = nn.SyncBatchNorm()\n",
    "B3": "class A(HybridBlock):\n    def forward(self, x):\n        return x\n",
    "B4": "ctx = mx.cpu()\nf(ctx=ctx)\nself.context = ctx\n",
    "D1": "net.initialize(ctx=ctx)\nnet.collect_params('.*weight').initialize()\n",
    "D2": "net.setattr('lr_mult', 2)\nd.collect_params().items()\n",
    "D3": "net.reset_device(ctx)\nparam.reset_ctx(ctx)\n",
    "D4": "net.zero_grad()\np.zero_grad()\n",
    "D5": "net.collect_params('.*dense').setattr('lr_mult', 2)\nx = net.collect_params('.*bias')\n",
    "F1": "class A(HybridBlock):\n    def hybrid_forward(self, F, x):\n        return F.reshape(x, (0, -1))\n",
    "F2": "def f(F, x):\n    return F.relu(x)\n",
    "F3": "class A(HybridBlock):\n    def hybrid_forward(self, F, x, y):\n        return x + y\n",
    "F4": "class A(HybridBlock):\n    def hybrid_forward(self, F, x):\n        return x\n",
    "N1": "with self.lock:\n    pass\n",
    "N2": "with self.name_scope():\n    pass\n",
    "N3": "with open(a), open(b):\n    pass\n",
    "N4": "import tempfile\nd = tempfile.TemporaryDirectory(prefix='x')\nnn.Dense(3)\n",
    "N5": "def _f(a, unused):\n    return nn.Dense(a)\n",
    "N6": "class B(HybridBlock):\n    def __init__(self, prefix=None):\n        super().__init__()\n        self.p = prefix\n",
    "N7": "kwargs.get('units')\nkw['name']\n",
    "N8": "name = self.name\nprefix = 'x'\n",
    "N9": "trainer = Trainer(net.collect_params(), 'sgd')\n",
    "N11": "net.collect_params('.*weight|.*bias').setattr('lr_mult', 1)\n",
    "P1": "self.w = gluon.Parameter('w', shape=(2,))\nw = self.params.get('w')\n",
    "P2": "self.w = self.params.get('w', shape=(2,))\n",
    "P3": "self.c = gluon.Constant(value)\n",
    "P4": "x = d.get('w')\nself.w = gluon.Parameter('w')\n",
    "P5": "self.w = self.params.get('w', shape=(2,))\n",
    "P6": "s = SymbolBlock(outputs, inputs, params=params)\nr = requests.get(url, params=q)\n",
    "P7": "d = dict()\n",
    "P8": "self.w = Parameter('w', shape=(2,), allow_deferred_init=False)\n",
    "S1": "net.save_parameters(f)\nnd.save(f, net.collect_params())\n",
    "S2": "net.load_parameters(f, ctx=ctx)\n",
    "S3": "net.load_dict(d)\n",
    "S4": "net.save_parameters(f)\nnet.load_parameters(f)\n",
    "S7": "trainer.save_states(f)\n",
    "P9": "w = net.lstm.rnn_param.data()\nname = 'dense0_weight'\n",
    "N10": "net.collect_params('.*weight|.*bias').setattr('lr_mult', 1)\n",
    "S5": "net.save_parameters(f)\nnet.load_parameters(f, ctx=ctx)\n",
    "S6": "nd.save(f, arrays)\nnet.load_parameters(f)\n",
    "D6": "trainer = gluon.Trainer(net.collect_params(), 'sgd')\n",
    "F5": "class A(HybridBlock):\n    def __init__(self):\n        super().__init__()\n"
          "        self.w = self.params.get('w', shape=(3, 4))\n"
          "    def hybrid_forward(self, F, x, w):\n        return x\n",
}


def test_every_rule_has_a_noop_case():
    assert set(NOOPS) == {rule.id for rule in RULES}


@pytest.mark.parametrize("target", ["mx2", "dual"])
@pytest.mark.parametrize("rule_id", sorted(NOOPS))
def test_noop(rule_id, target):
    source = "import mxnet as mx\nimport requests\nfrom mxnet import gluon\n" + NOOPS[rule_id]
    code, findings = run(source, rule_id, unsafe=True, target=target)
    assert code == source
    assert [f for f in findings if f.rule == rule_id] == []
