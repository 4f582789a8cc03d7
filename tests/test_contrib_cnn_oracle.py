"""The deformable convolution layers against the real MXNets: ``gluon.contrib.cnn`` of MXNet 1.9.1
(legacy naming) and ``gluon.nn`` of MXNet 2.0.0b1 (structural naming).

For every case the same layer is built in MXNet and in gluonbridge: the parameter names (keys),
shapes (as printed: 1.9.1 gives ``deformable_conv_weight`` as a list) and reprs are equal, and so
are the errors 1.9.1 raises at construction. The run cases (one nested in a HybridSequential,
for the prefixes and structural keys below a parent) are then initialized, hybridized and
run once (the variables' attributes are fixed then), given seeded random weights in MXNet (large
enough offsets to move the taps across pixels and out of the input), run again and exported;
gluonbridge loads MXNet's saved parameters, runs (outputs within 1e-5 of MXNet's, relative to
their largest magnitude), exports (symbol JSON equal as data, params file byte for byte) and
imports MXNet's own export back (``SymbolBlock.imports``: the ops read under MXNet's spellings).

MXNet 2.0.0b1's ModulatedDeformableConvolution cannot run: its forward calls ``npx.slice_axis``,
which 2.0.0b1 does not have (AttributeError, checked below). Its construction is compared; its
numerics are checked in structural mode against 1.9.1's outputs for the same weights, its export
is refused (UnwritableOp: no 2.0.0b1 graph to reproduce), and the op itself,
``npx.modulated_deformable_convolution``, is compared with 2.0.0b1 in a user block (outputs and
the ``_npx_modulated_deformable_convolution`` node of its export).
"""
import json
import re

import numpy as np
import pytest

from gluonbridge import naming
from tests.test_export_oracle import npz_members

DEFORMABLE, MODULATED = "DeformableConvolution", "ModulatedDeformableConvolution"
SEQUENTIAL = "HybridSequential"      # of (layer, keyword arguments) pairs

# (layer, keyword arguments, input shape): built, run and exported on both sides
RUNS = [
    (DEFORMABLE, dict(channels=4, kernel_size=3, padding=1, num_deformable_group=2,
                      activation="relu"), (2, 4, 7, 7)),
    (DEFORMABLE, dict(channels=6, kernel_size=(3, 2), strides=2, dilation=(2, 1), padding=(2, 1),
                      groups=2, use_bias=False, in_channels=4), (1, 4, 9, 8)),
    (DEFORMABLE, dict(channels=3, offset_use_bias=False, weight_initializer="ones"),
     (2, 3, 5, 5)),
    (MODULATED, dict(channels=4, kernel_size=3, padding=1, num_deformable_group=2,
                     activation="relu"), (2, 4, 6, 6)),
    (MODULATED, dict(channels=6, kernel_size=3, strides=2, dilation=2, padding=2, groups=3,
                     in_channels=6, use_bias=False), (1, 6, 9, 9)),
    (MODULATED, dict(channels=2, kernel_size=2, strides=(1, 2), offset_use_bias=False),
     (2, 2, 6, 7)),
    (SEQUENTIAL, [("Conv2D", dict(channels=4, kernel_size=1)),
                  (DEFORMABLE, dict(channels=3, kernel_size=3, strides=2, num_deformable_group=4,
                                    activation="sigmoid"))], (1, 2, 8, 8)),
]
# the runs 2.0.0b1 can run (no modulated layer)
MX2_RUNS = [i for i, (cls, kwargs, _) in enumerate(RUNS)
            if MODULATED not in [cls] + [c for c, _ in (kwargs if cls == SEQUENTIAL else [])]]
# (layer, keyword arguments): only built (names, shapes, reprs; 1.9.1's construction errors)
BUILDS = [
    (DEFORMABLE, dict(channels=4, layout="NHWC")),
    (MODULATED, dict(channels=4, layout="NHWC", in_channels=4)),
    (DEFORMABLE, dict(channels=4, kernel_size=[3, 3], strides=[1, 1], padding=[1, 1],
                      in_channels=2)),
    (DEFORMABLE, dict(channels=4, groups=2)),
    (DEFORMABLE, dict(channels=5, kernel_size=3, groups=2, in_channels=4)),
    (MODULATED, dict(channels=4, groups=2)),            # 3 offset channels in 2 groups
    (DEFORMABLE, dict(channels=4, in_channels=3, groups=2)),
    (MODULATED, dict(channels=4, activation="tanh", use_bias=False, offset_use_bias=False)),
]

# Shared by both sides: what a built layer looks like, and the weights MXNet gives it.
DESCRIBE = """
import numpy as onp
def describe(net):
    return {"repr": repr(net),
            "params": [[k, p.name, str(p.shape)] for k, p in net.collect_params().items()]}
def build(make, cls, kwargs):
    try:
        return describe(make(cls, kwargs))
    except Exception as err:
        return {"error": [type(err).__name__, str(err)]}
def weights(net, seed):
    rng = onp.random.RandomState(seed)
    return {k: rng.uniform(-0.5, 0.5, p.shape).astype("float32")
            for k, p in net.collect_params().items()}
"""

# MXNet 1.9.1: build, run, weights, run, save, export.
MX1 = DESCRIBE + """
from mxnet.gluon import nn
from mxnet.gluon.contrib import cnn
RUNS, BUILDS, DIR = %r, %r, %r
def make(cls, kwargs):
    if cls != "HybridSequential":
        return getattr(cnn if hasattr(cnn, cls) else nn, cls)(**kwargs)
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(*[make(*layer) for layer in kwargs])
    return net
result = {"builds": [build(make, c, k) for c, k in BUILDS], "runs": []}
for i, (cls, kwargs, shape) in enumerate(RUNS):
    net = make(cls, kwargs)
    before = describe(net)
    x = onp.random.RandomState(100 + i).uniform(-1, 1, shape).astype("float32")
    onp.save(f"{DIR}/x{i}.npy", x)
    net.initialize()
    net.hybridize()
    net(mx.nd.array(x))
    for k, w in weights(net, i).items():
        net.collect_params()[k].set_data(mx.nd.array(w))
    out = net(mx.nd.array(x)).asnumpy()
    onp.save(f"{DIR}/out{i}.npy", out)
    net.save_parameters(f"{DIR}/w{i}.params")
    net.export(f"{DIR}/mx{i}")
    result["runs"].append({"before": before, "after": describe(net)})
"""

# MXNet 2.0.0b1: the same for the layers it can run, then the modulated op in a user block,
# then the modulated layer's failure (last: its recording would count towards node_<n>).
MX2 = DESCRIBE + """
from mxnet import np, npx
from mxnet.gluon import HybridBlock, nn
RUNS, BUILDS, DIR, RUNNABLE = %r, %r, %r, %r
def make(cls, kwargs):
    if cls != "HybridSequential":
        return getattr(nn, cls)(**kwargs)
    net = nn.HybridSequential()
    net.add(*[make(*layer) for layer in kwargs])
    return net
result = {"builds": [build(make, c, k) for c, k in BUILDS], "runs": []}
for i, (cls, kwargs, shape) in enumerate(RUNS):
    net = make(cls, kwargs)
    if i not in RUNNABLE:
        result["runs"].append({"before": describe(net)})
        continue
    before = describe(net)
    x = onp.load(f"{DIR}/x{i}.npy")
    net.initialize()
    net.hybridize()
    net(np.array(x))
    for k, w in weights(net, i).items():
        net.collect_params()[k].set_data(np.array(w))
    onp.save(f"{DIR}/out{i}.npy", net(np.array(x)).asnumpy())
    net.save_parameters(f"{DIR}/w{i}.params")
    net.export(f"{DIR}/mx{i}")
    result["runs"].append({"before": before, "after": describe(net)})
%s
op = ModulatedOp()
op.hybridize()
args = [np.array(onp.random.RandomState(200 + j).uniform(-1, 1, s).astype("float32"))
        for j, s in enumerate(OP_SHAPES)]
onp.save(f"{DIR}/op_out.npy", op(*args).asnumpy())
onp.savez(f"{DIR}/op_args.npz", *[a.asnumpy() for a in args])
op.export(f"{DIR}/op-mx")
net = nn.ModulatedDeformableConvolution(4, 3)
net.initialize()
try:
    net(np.ones((1, 2, 5, 5)))
    result["modulated"] = None
except Exception as err:
    result["modulated"] = [type(err).__name__, str(err)]
"""

MODULATED_OP = """
class ModulatedOp(HybridBlock):
    def forward(self, x, offset, mask, weight, bias):
        return npx.modulated_deformable_convolution(x, offset, mask, weight, bias, kernel=(3, 3),
                                                    pad=(1, 1), num_filter=4,
                                                    num_deformable_group=2)
OP_SHAPES = [(2, 4, 5, 5), (2, 36, 5, 5), (2, 18, 5, 5), (4, 4, 3, 3), (4,)]
"""

_shared: dict = {}
exec(DESCRIBE, _shared)     # the helpers MXNet's side runs, on this side too
describe, build = _shared["describe"], _shared["build"]


def assert_close(mine, theirs, what):
    theirs = np.asarray(theirs, np.float32)
    assert np.asarray(mine).shape == theirs.shape, what
    scale = max(1.0, float(np.abs(theirs).max()))
    np.testing.assert_allclose(np.asarray(mine), theirs, rtol=0, atol=1e-5 * scale,
                               err_msg=what)


def assert_same_export(directory, mine, theirs, what):
    with open(f"{directory}/{mine}-symbol.json") as fh:
        mine_json = json.load(fh)
    with open(f"{directory}/{theirs}-symbol.json") as fh:
        theirs_json = json.load(fh)
    assert mine_json == theirs_json, what
    with open(f"{directory}/{mine}-0000.params", "rb") as a, \
            open(f"{directory}/{theirs}-0000.params", "rb") as b:
        assert a.read() == b.read(), what


def assert_same_builds(mine, theirs):
    for (cls, kwargs), a, b in zip(BUILDS, mine, theirs):
        if "error" in b:       # the same type, operator and failed check
            assert a["error"][0] == b["error"][0], (cls, kwargs, a, b)
            for pattern in (r"Error in operator \w+", r"\w+ num_filter must divide group size"):
                assert re.search(pattern, b["error"][1]).group() in a["error"][1], (a, b)
        else:
            assert a == b, (cls, kwargs)


def run_case(net, directory, i, shape_source):
    """Build-run-load-run-export as the oracle did; (describe before, after, output)."""
    before = describe(net)
    x = np.load(f"{directory}/x{i}.npy")
    net.initialize()
    net.hybridize()
    net(x)
    net.load_parameters(shape_source)
    out = np.asarray(net(x))
    return before, describe(net), out


@pytest.mark.oracle
def test_layers_as_mxnet_1_9_1(mx1, tmp_path):
    from gluonbridge.gluon import SymbolBlock, nn
    from gluonbridge.gluon.contrib import cnn
    theirs = mx1.run(MX1 % (RUNS, BUILDS, str(tmp_path)))

    def make(cls, kwargs):
        if cls != SEQUENTIAL:
            return getattr(cnn if hasattr(cnn, cls) else nn, cls)(**kwargs)
        net = nn.HybridSequential()
        with net.name_scope():
            net.add(*[make(*layer) for layer in kwargs])
        return net
    with naming.override("legacy"), naming.NameManager():
        builds = [build(make, c, k) for c, k in BUILDS]
        nets = [make(c, k) for c, k, _ in RUNS]
    assert_same_builds(builds, theirs["builds"])
    for i, ((cls, kwargs, _), net) in enumerate(zip(RUNS, nets)):
        before, after, out = run_case(net, tmp_path, i, f"{tmp_path}/w{i}.params")
        what = (cls, kwargs)
        assert before == theirs["runs"][i]["before"], what
        assert after == theirs["runs"][i]["after"], what
        expected = np.load(f"{tmp_path}/out{i}.npy")
        assert_close(out, expected, what)
        net.export(f"{tmp_path}/gb{i}")
        assert_same_export(tmp_path, f"gb{i}", f"mx{i}", what)
        with naming.override("legacy"):
            imported = SymbolBlock.imports(f"{tmp_path}/mx{i}-symbol.json", ["data"],
                                           f"{tmp_path}/mx{i}-0000.params")
        assert_close(imported(np.load(f"{tmp_path}/x{i}.npy")), expected, what)


@pytest.mark.oracle
def test_layers_as_mxnet_2(mx1, mx2, tmp_path, monkeypatch):
    from gluonbridge import np as gnp, npx as gnpx
    from gluonbridge.gluon import HybridBlock, SymbolBlock, nn
    from gluonbridge.gluon import export as export_module
    from gluonbridge.graph.mx2_nodes import UnwritableOp
    mx1.run(MX1 % (RUNS, BUILDS, str(tmp_path)))         # inputs, and the modulated weights
    theirs = mx2.run(MX2 % (RUNS, BUILDS, str(tmp_path), MX2_RUNS, MODULATED_OP))
    assert theirs["modulated"][0] == "AttributeError" and "slice_axis" in theirs["modulated"][1]
    def make(cls, kwargs):
        if cls != SEQUENTIAL:
            return getattr(nn, cls)(**kwargs)
        net = nn.HybridSequential()
        net.add(*[make(*layer) for layer in kwargs])
        return net
    with naming.override("structural"):
        assert [build(make, c, k) for c, k in BUILDS] == theirs["builds"]
        nets = [make(c, k) for c, k, _ in RUNS]
    monkeypatch.setattr(export_module, "RECORDED_OPS", export_module._OpCounter())
    for i, ((cls, kwargs, _), net) in enumerate(zip(RUNS, nets)):
        what = (cls, kwargs)
        if i not in MX2_RUNS:
            continue
        before, after, out = run_case(net, tmp_path, i, f"{tmp_path}/w{i}.params")
        assert before == theirs["runs"][i]["before"], what
        assert after == theirs["runs"][i]["after"], what
        expected = np.load(f"{tmp_path}/out{i}.npy")
        assert_close(out, expected, what)
        assert net.export(f"{tmp_path}/gb{i}") == (f"{tmp_path}/gb{i}-symbol.json",
                                                   f"{tmp_path}/gb{i}-0000.params")
        assert_same_export(tmp_path, f"gb{i}", f"mx{i}", what)
        assert npz_members(f"{tmp_path}/gb{i}-0000.params") == \
            npz_members(f"{tmp_path}/mx{i}-0000.params")
        with naming.override("structural"):
            imported = SymbolBlock.imports(f"{tmp_path}/mx{i}-symbol.json", ["data"],
                                           f"{tmp_path}/mx{i}-0000.params")
        assert_close(imported(np.load(f"{tmp_path}/x{i}.npy")), expected, what)

    scope = {"HybridBlock": HybridBlock, "np": gnp, "npx": gnpx}
    with naming.override("structural"):
        exec(MODULATED_OP, scope)
        op = scope["ModulatedOp"]()
    op.hybridize()
    with np.load(f"{tmp_path}/op_args.npz") as args:
        out = op(*[args[f"arr_{j}"] for j in range(len(args.files))])
    assert_close(out, np.load(f"{tmp_path}/op_out.npy"), "npx.modulated_deformable_convolution")
    op.export(f"{tmp_path}/op-gb")
    with open(f"{tmp_path}/op-gb-symbol.json") as a, open(f"{tmp_path}/op-mx-symbol.json") as b:
        assert json.load(a) == json.load(b)

    # the modulated layer (2.0.0b1 cannot run it): as 1.9.1 computes it, from 1.9.1's weights
    for i, ((cls, kwargs, _), net) in enumerate(zip(RUNS, nets)):
        if i in MX2_RUNS:
            continue
        before, after, out = run_case(net, tmp_path, i, f"{tmp_path}/w{i}.params")
        assert before == theirs["runs"][i]["before"], (cls, kwargs)
        assert_close(out, np.load(f"{tmp_path}/out{i}.npy"), (cls, kwargs))
        with pytest.raises(UnwritableOp, match=r"op slice_axis"):
            net.export(f"{tmp_path}/gb{i}")
