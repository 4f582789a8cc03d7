"""gluonbridge.backend.fold: BatchNormalization folded into the Conv before it gives the bits
onnxruntime's own folding gives (the session of the unfolded model is the reference)."""
import numpy as np
import pytest

from gluonbridge import naming
from gluonbridge.backend import runtime
from gluonbridge.backend.fold import fold_batch_norms
from gluonbridge.backend.lower import model_proto
from gluonbridge.gluon import nn


def _executor(x, use_bias, fix_gamma, extra_consumer=False):
    """The executor of a Conv2D + BatchNorm block run on ``x``, weights and statistics random."""
    class Net(nn.HybridBlock):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2D(6, 3, padding=1, use_bias=use_bias)
            self.bn = nn.BatchNorm(epsilon=1e-3, scale=not fix_gamma)
            self.act = nn.Activation("relu")    # onnxruntime folds no normalization whose
                                                # output is the graph's

        def forward(self, x):
            y = self.conv(x)
            z = self.act(self.bn(y))
            return (z, y) if extra_consumer else z

    with naming.override("structural"):
        net = Net()
    net.initialize()
    net.hybridize()
    net(x)                      # shapes known
    rng = np.random.RandomState(0)
    for p in net.collect_params().values():
        value = rng.uniform(0.5, 2, p.shape) if "var" in p.name else rng.normal(0, 1, p.shape)
        p.set_data(value.astype("float32"))
    net(x)
    return list(net._executors.values())[-1]


CASES = {"bias": dict(use_bias=True, fix_gamma=False),
         "no bias": dict(use_bias=False, fix_gamma=False),
         "fix_gamma": dict(use_bias=False, fix_gamma=True)}


@pytest.mark.parametrize("case", list(CASES))
def test_folded_session_computes_the_bits_of_onnxruntimes_own_folding(case):
    x = np.random.RandomState(1).normal(0, 1, (2, 4, 5, 5)).astype("float32")
    executor = _executor(x, **CASES[case])
    folded, new = fold_batch_norms(executor.lowered)
    assert [n[0] for n in folded.nodes] == ["Conv", "Relu"] and len(new) == 2
    assert [n[0] for n in executor.lowered.nodes] == ["Conv", "BatchNormalization", "Relu"]
    mine = runtime.lowered_session(executor.lowered, executor.initializers, "onnxruntime")([x])
    theirs = runtime.make_session(model_proto(executor.lowered), "onnxruntime")([x])
    assert np.array_equal(mine[0], theirs[0])
    unfused = runtime.make_session(model_proto(executor.lowered), "reference")([x])
    assert not np.array_equal(theirs[0], unfused[0])    # the folding changes bits: compared
    np.testing.assert_allclose(theirs[0], unfused[0], rtol=1e-5, atol=1e-5)


def test_a_conv_output_used_elsewhere_is_left_to_onnxruntime():
    shared = _executor(np.ones((1, 4, 5, 5), "float32"), True, False, extra_consumer=True)
    assert "BatchNormalization" in [n[0] for n in shared.lowered.nodes]
    assert fold_batch_norms(shared.lowered) == (shared.lowered, set())
