"""Deformable convolutions in a Gluon block whose weight's input channels are deferred (0):
gluonbridge completes the shape from the op's weight rule when the block first runs, as MXNet
1.9.1 does, and gives 1.9.1's outputs with 1.9.1's saved weights."""
import numpy as np
import pytest

from tests.oracle.harness import gluonbridge_interpreter

pytestmark = pytest.mark.oracle

THROUGH_SHIM = "from gluonbridge import mxnet_shim\nmxnet_shim.install()\nimport mxnet as mx\n"

PROGRAM = '''
import numpy as np
from mxnet import gluon
SAVE, WEIGHTS = %r, %r

class Deformable(gluon.HybridBlock):
    def __init__(self, **kw):
        super().__init__(**kw)
        with self.name_scope():
            self.offset = gluon.nn.Conv2D(36, 3, strides=2, padding=1)
            self.mask = gluon.nn.Conv2D(18, 3, strides=2, padding=1)
            self.w1 = self.params.get("w1", shape=(4, 0, 3, 3), allow_deferred_init=True)
            self.b1 = self.params.get("b1", shape=(0,), allow_deferred_init=True)
            self.w2 = self.params.get("w2", shape=(6, 0, 3, 3), allow_deferred_init=True)

    def hybrid_forward(self, F, x, w1, b1, w2):
        off = self.offset(x) * 2
        a = F.contrib.DeformableConvolution(x, off, w1, b1, kernel=(3, 3), stride=(2, 2),
                                            pad=(1, 1), num_filter=4, num_group=2,
                                            num_deformable_group=2)
        b = F.contrib.ModulatedDeformableConvolution(
            x, off, F.sigmoid(self.mask(x)), w2, kernel=(3, 3), stride=(2, 2), pad=(1, 1),
            num_filter=6, num_deformable_group=2, no_bias=True)
        return a, b

x = mx.nd.array(np.random.RandomState(0).normal(size=(2, 4, 9, 9)))
net = Deformable()
net.initialize(mx.init.Normal(0.5))
net.hybridize()
out = net(x)                      # completes the deferred shapes
shapes = {k: list(p.shape) for k, p in net.collect_params().items()}
if SAVE:
    net.save_parameters(WEIGHTS)
else:
    net.load_parameters(WEIGHTS)
    out = net(x)
result = {"out": [o.asnumpy().tolist() for o in out], "shapes": shapes}
'''


def test_deferred_weights_complete_and_outputs_match_mxnet(mx1, tmp_path):
    weights = str(tmp_path / "deformable.params")
    theirs = mx1.run(PROGRAM % (True, weights))
    ours = gluonbridge_interpreter("legacy").run(THROUGH_SHIM + PROGRAM % (False, weights))
    assert ours["shapes"] == theirs["shapes"]
    for mine, expected in zip(ours["out"], theirs["out"]):
        expected = np.array(expected)
        np.testing.assert_allclose(mine, expected, rtol=0, atol=1e-5 * np.abs(expected).max())
