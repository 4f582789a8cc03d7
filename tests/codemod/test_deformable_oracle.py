"""Executed check of B2 on ``contrib.cnn``: a GluonCV-style 1.x block with deformable
convolutions, codemodded to 2.x and to dual-version code, runs on the real versions.

The original, under 1.9.1, gives the expected names, keys, shapes, output and checkpoint. The 2.x
code under 2.0.0b1 and the dual code under both have the same structural keys and shapes, load
that checkpoint and give that output; the dual code keeps the 1.x names under 1.9.1. The
modulated layer is only built: 2.0.0b1's cannot run its forward (it calls a missing
``npx.slice_axis``).
"""
import numpy as np
import pytest

from tests.codemod.helpers import rewrite
from tests.codemod.zoo_sources import path_setup

pytestmark = pytest.mark.oracle

LEGACY = '''\
from mxnet import gluon
from mxnet.gluon import nn
from mxnet.gluon.contrib.cnn import DeformableConvolution


class DCNBlock(gluon.HybridBlock):
    def __init__(self, channels=4, **kwargs):
        super(DCNBlock, self).__init__(**kwargs)
        with self.name_scope():
            self.conv = DeformableConvolution(channels, kernel_size=(3, 3), padding=(1, 1),
                                              num_deformable_group=2, in_channels=2,
                                              prefix='dcn_')
            self.modulated = gluon.contrib.cnn.ModulatedDeformableConvolution(
                channels, kernel_size=(1, 1), in_channels=channels)
            self.out = nn.Dense(3, in_units=channels * 16)

    def hybrid_forward(self, F, x):
        return self.out(F.relu(self.conv(x)))
'''

RUN = '''
import contextlib, zlib
import numpy as onp
import {module}

IS_MX2 = not hasattr(mx.gluon.Block, 'name_scope')
ARRAY = mx.np.array if IS_MX2 else mx.nd.array
with contextlib.nullcontext() if IS_MX2 else mx.name.NameManager():   # fresh name counters
    net = {module}.DCNBlock()
keys = net._collect_params_with_prefix()
x = onp.random.RandomState(0).uniform(-1, 1, (2, 2, 4, 4)).astype('float32')
if {save!r}:
    net.initialize()
    net(ARRAY(x))               # 1.9.1 defers the deformable weights to the first call
    net.modulated(ARRAY(onp.zeros((1, 4, 4, 4), 'float32')))    # not in forward
    for key, p in keys.items():     # random values everywhere, offsets too
        rng = onp.random.RandomState(zlib.crc32(key.encode()))
        p.set_data(ARRAY(rng.uniform(-1, 1, p.shape).astype('float32')))
    net.save_parameters({checkpoint!r})
else:
    net.load_parameters({checkpoint!r})
result = {{'output': net(ARRAY(x)).asnumpy().tolist(),     # shapes known by now
           'keys': sorted([k, list(p.shape)] for k, p in keys.items()),
           'names': None if IS_MX2 else sorted(net.collect_params())}}
'''


def _run(interp, root, module, checkpoint, save=False):
    snippet = RUN.format(module=module, checkpoint=str(checkpoint), save=save)
    return interp.run(path_setup(root) + snippet)


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    root = tmp_path_factory.mktemp("dcn")
    migrated = {"dcn_legacy": LEGACY,
                "dcn_mx2": rewrite(LEGACY, unsafe=True),
                "dcn_dual": rewrite(LEGACY, unsafe=True, target="dual")}
    for module, source in migrated.items():
        (root / f"{module}.py").write_text(source)
    assert "contrib" not in migrated["dcn_mx2"] and "prefix=" not in migrated["dcn_mx2"]
    assert "compat.ModulatedDeformableConvolution(" in migrated["dcn_dual"]
    assert "from gluonbridge.compat import DeformableConvolution" in migrated["dcn_dual"]
    return root


@pytest.fixture(scope="module")
def original(sources, mx1):
    return _run(mx1, sources, "dcn_legacy", sources / "dcn.params", save=True)


def test_mx2_code_loads_the_mx1_checkpoint_under_mx2(sources, original, mx2):
    got = _run(mx2, sources, "dcn_mx2", sources / "dcn.params")
    assert got["keys"] == original["keys"]
    np.testing.assert_allclose(got["output"], original["output"], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("oracle", ["mx1", "mx2"])
def test_dual_code_runs_on_both(sources, original, oracle, request):
    got = _run(request.getfixturevalue(oracle), sources, "dcn_dual", sources / "dcn.params")
    assert got["keys"] == original["keys"]
    if oracle == "mx1":
        assert got["names"] == original["names"]
    np.testing.assert_allclose(got["output"], original["output"], rtol=1e-4, atol=1e-5)
