"""``HybridBlock.export`` against the real MXNet: the same program exported by MXNet 1.9.1 and by
gluonbridge (legacy naming, the same weights) gives equal symbol JSON (as data) and
byte-identical params files; gluonbridge's files load into 1.9.1's ``SymbolBlock.imports`` and
give gluonbridge's outputs. The same for MXNet 2.0.0b1 and structural naming.

What of 2.0.0b1's files depends on more than the program: the ``<n>`` of the op nodes'
``node_<n>`` counts every op MXNet recorded earlier in the process (deferred compute and
``autograd.record`` share the count), so both sides here start from a fresh count (the oracle's
fresh process, gluonbridge's counter replaced). The ``.npz`` params file is deterministic
(2.0.0b1's writer sets every zip timestamp to zero) and compared byte for byte. 2.0.0b1's
``export`` has a branch for the 1.x binary params format (numpy semantics off at the call), but
it cannot be reached with a working block: blocks accept only ``mx.np`` arrays, its own layers
switch numpy semantics on for the call, and a user block exported after ``npx.reset_np()``
fails in ``mx.nd.save`` ("cannot save mxnet.numpy.ndarray"). So the params file is always npz."""
import json
import shutil

import numpy as np
import pytest

from gluonbridge import naming

# User-style blocks, written against ``nn``/``HybridBlock`` of either library: name -> (source
# defining ``net``, input shapes, integer inputs?)
USER_CASES = {
    "layers": ("""
net = nn.HybridSequential()
with net.name_scope():
    net.add(nn.Conv2D(4, 3, padding=1), nn.BatchNorm(), nn.Activation("relu"),
            nn.MaxPool2D(2, ceil_mode=True), nn.Dropout(0.3), nn.Conv2D(3, 1, use_bias=False),
            nn.GlobalAvgPool2D(), nn.Flatten(), nn.Dense(8, activation="tanh"),
            nn.LayerNorm(), nn.PReLU(), nn.Dense(3, in_units=8))
""", [(2, 3, 9, 9)], False),
    "multi_output": ("""
class Mix(HybridBlock):
    def __init__(self, **kw):
        super().__init__(**kw)
        with self.name_scope():
            self.conv = nn.Conv2D(4, 3, strides=2)
            self.bn = nn.BatchNorm(scale=False)
            self.pool = nn.AvgPool2D(2)
            self.fc = nn.Dense(6)
    def hybrid_forward(self, F, x):
        y = F.relu(self.bn(self.conv(x)))
        z = self.fc(self.pool(y))
        both = F.concat(z, z * 2 + 1, dim=1)
        return both, F.sigmoid(z - 1) / 3
net = Mix()
""", [(2, 3, 12, 12)], False),
    "multi_input": ("""
class Two(HybridBlock):
    def __init__(self, **kw):
        super().__init__(**kw)
        with self.name_scope():
            self.a = nn.Dense(4)
            self.b = nn.Dense(4, in_units=5, use_bias=False)
            self.norm = nn.LayerNorm(epsilon=1e-3)
            self.act = nn.PReLU()
    def hybrid_forward(self, F, x, y):
        return self.act(self.norm(self.a(x) + self.b(y)))
net = Two()
""", [(3, 7), (3, 5)], False),
    "embedding": ("""
net = nn.HybridSequential()
with net.name_scope():
    net.add(nn.Embedding(10, 4), nn.Flatten(), nn.Dropout(0.5), nn.Dense(3))
""", [(2, 6)], True),
    "fill_functions": ("""
class Fill(HybridBlock):
    def hybrid_forward(self, F, x):
        y = F.broadcast_add(x, F.zeros(shape=(1, 4)))
        y = F.broadcast_mul(y, F.ones((1, 4), dtype="float32"))
        return F.broadcast_sub(F.broadcast_add(y, F.full((1, 4), 2)), F.full(shape=(1, 4), val=0.5))
net = Fill()
""", [(3, 4)], False),
}

FAST_ZOO = ["resnet18_v1", "mobilenet0.25", "squeezenet1.1", "mobilenetv2_0.25"]
ALL_ZOO = ["alexnet", "densenet121", "densenet161", "densenet169", "densenet201",
           "inceptionv3", "mobilenet0.25", "mobilenet0.5", "mobilenet0.75", "mobilenet1.0",
           "mobilenetv2_0.25", "mobilenetv2_0.5", "mobilenetv2_0.75", "mobilenetv2_1.0",
           "resnet101_v1", "resnet101_v2", "resnet152_v1", "resnet152_v2", "resnet18_v1",
           "resnet18_v2", "resnet34_v1", "resnet34_v2", "resnet50_v1", "resnet50_v2",
           "squeezenet1.0", "squeezenet1.1", "vgg11", "vgg11_bn", "vgg13", "vgg13_bn", "vgg16",
           "vgg16_bn", "vgg19", "vgg19_bn"]


def zoo_case(name):
    size = 299 if name == "inceptionv3" else 224
    return (f"net = vision.get_model({name!r})\n", [(1, 3, size, size)], False)


def inputs(shapes, integer):
    """The same inputs in both libraries (RandomState's stream is fixed across NumPy versions)."""
    rng = np.random.RandomState(0)
    return [np.floor(rng.uniform(0, 10, s)).astype(np.float32) if integer
            else rng.uniform(-1, 1, s).astype(np.float32) for s in shapes]


# MXNet 1.9.1: build, first forward (the variables' attributes are fixed then), save the
# weights for gluonbridge, export.
MX1_EXPORT = """
import numpy as np
from mxnet.gluon import nn, HybridBlock
from mxnet.gluon.model_zoo import vision
CASES, DIR = %r, %r
def inputs(shapes, integer):
    rng = np.random.RandomState(0)
    return [np.floor(rng.uniform(0, 10, s)).astype(np.float32) if integer
            else rng.uniform(-1, 1, s).astype(np.float32) for s in shapes]
for case, (source, shapes, integer) in CASES.items():
    with mx.name.NameManager():
        scope = {"nn": nn, "HybridBlock": HybridBlock, "vision": vision}
        exec(source, scope)
    net = scope["net"]
    net.initialize(mx.init.Xavier())
    net.hybridize()
    net(*[mx.nd.array(x) for x in inputs(shapes, integer)])
    net.save_parameters(f"{DIR}/{case}.weights")
    net.export(f"{DIR}/{case}-mx")
result = True
"""

# MXNet 1.9.1 imports gluonbridge's export and runs it.
MX1_IMPORT = """
import numpy as np
CASES, DIR = %r, %r
def inputs(shapes, integer):
    rng = np.random.RandomState(0)
    return [np.floor(rng.uniform(0, 10, s)).astype(np.float32) if integer
            else rng.uniform(-1, 1, s).astype(np.float32) for s in shapes]
result = {}
for case, (source, shapes, integer) in CASES.items():
    names = ["data"] if len(shapes) == 1 else [f"data{i}" for i in range(len(shapes))]
    block = mx.gluon.SymbolBlock.imports(f"{DIR}/{case}-gb-symbol.json", names,
                                         f"{DIR}/{case}-gb-0000.params")
    out = block(*[mx.nd.array(x) for x in inputs(shapes, integer)])
    outs = out if isinstance(out, (list, tuple)) else [out]
    result[case] = [o.asnumpy().tolist() for o in outs]
"""


def export_with_gluonbridge(cases, directory):
    """gluonbridge in legacy mode on the same programs and weights: returns the outputs."""
    from gluonbridge.gluon import HybridBlock, nn
    from gluonbridge.gluon.model_zoo import vision
    outputs = {}
    for case, (source, shapes, integer) in cases.items():
        with naming.override("legacy"), naming.NameManager():
            scope = {"nn": nn, "HybridBlock": HybridBlock, "vision": vision}
            exec(source, scope)
        net = scope["net"]
        net.initialize()
        net.hybridize()
        xs = inputs(shapes, integer)
        net(*xs)                                   # as in MXNet: the variables are made here
        net.load_parameters(f"{directory}/{case}.weights")
        out = net(*xs)
        outputs[case] = [np.asarray(o) for o in (out if isinstance(out, (list, tuple))
                                                 else [out])]
        net.export(f"{directory}/{case}-gb")
    return outputs


def check_against_mx1(mx1, cases, directory):
    mx1.run(MX1_EXPORT % (cases, str(directory)))
    ours = export_with_gluonbridge(cases, directory)
    for case in cases:
        with open(f"{directory}/{case}-gb-symbol.json") as fh:
            mine = json.load(fh)
        with open(f"{directory}/{case}-mx-symbol.json") as fh:
            theirs = json.load(fh)
        for key in ("arg_nodes", "node_row_ptr", "heads", "attrs"):
            assert mine[key] == theirs[key], (case, key)
        for a, b in zip(mine["nodes"], theirs["nodes"]):
            assert a == b, case
        assert len(mine["nodes"]) == len(theirs["nodes"]), case
        with open(f"{directory}/{case}-gb-0000.params", "rb") as fh:
            mine_params = fh.read()
        with open(f"{directory}/{case}-mx-0000.params", "rb") as fh:
            assert mine_params == fh.read(), case
    imported = mx1.run(MX1_IMPORT % (cases, str(directory)))
    for case in cases:
        for mine, theirs in zip(ours[case], imported[case]):
            theirs = np.asarray(theirs, np.float32)
            scale = max(1.0, float(np.abs(theirs).max()))
            np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-5 * scale, err_msg=case)


@pytest.mark.oracle
def test_user_blocks_export_as_mxnet_1_9_1(mx1, tmp_path):
    check_against_mx1(mx1, USER_CASES, tmp_path)


@pytest.mark.oracle
def test_zoo_models_export_as_mxnet_1_9_1(mx1, tmp_path):
    check_against_mx1(mx1, {n: zoo_case(n) for n in FAST_ZOO}, tmp_path)


@pytest.mark.oracle
@pytest.mark.slow
def test_every_zoo_model_exports_as_mxnet_1_9_1(mx1, tmp_path):
    """Three models at a time, each group's files removed before the next: the VGG files alone
    would fill 12 GB of the disk at once."""
    names = [n for n in ALL_ZOO if n not in FAST_ZOO]
    for start in range(0, len(names), 3):
        group = tmp_path / f"group{start}"
        group.mkdir()
        check_against_mx1(mx1, {n: zoo_case(n) for n in names[start:start + 3]}, group)
        shutil.rmtree(group)


def test_export_needs_a_hybridized_run():
    from gluonbridge.gluon import nn
    from gluonbridge.gluon.export import NOT_RUN
    with naming.override("legacy"):
        net = nn.Dense(3)
    net.initialize()
    net(np.ones((2, 4), np.float32))                # run, but not hybridized: MXNet refuses
    with pytest.raises(RuntimeError, match="hybridize"):
        net.export("unused")
    assert NOT_RUN.startswith("Please first call block.hybridize()")


# ---- structural naming: what MXNet 2.0.0b1 writes ------------------------------------------
# The same user blocks in MXNet 2 style (``forward``, ``np``/``npx``), run on ``mx.np`` arrays:
# 2.0.0b1's blocks refuse ``mx.nd`` arrays ("Block's inputs must be of type
# `mxnet.numpy.ndarray`"), so there is no ``mx.nd`` variant of its export to reproduce.
MX2_USER_CASES = {
    "numpy_functions": ("""
class Functions(HybridBlock):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(3)
    def forward(self, x):
        y = self.fc(x)
        return (np.mean(y, axis=1), np.mean(y), np.dot(y.T, y), np.cumsum(y, axis=1),
                np.arctan2(y, y + 1), np.isnan(y))
net = Functions()
""", [(2, 5)], False),
    "layers": ("""
net = nn.HybridSequential()
net.add(nn.Conv2D(4, 3, padding=1), nn.BatchNorm(), nn.Activation("relu"),
        nn.MaxPool2D(2, ceil_mode=True), nn.Dropout(0.3), nn.Conv2D(3, 1, use_bias=False),
        nn.GlobalAvgPool2D(), nn.Flatten(), nn.Dense(8, activation="tanh"),
        nn.LayerNorm(), nn.PReLU(), nn.Dense(3, in_units=8))
""", [(2, 3, 9, 9)], False),
    "multi_output": ("""
class Mix(HybridBlock):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2D(4, 3, strides=2)
        self.bn = nn.BatchNorm(scale=False, epsilon=1e-3, momentum=0.99)
        self.pool = nn.AvgPool2D(2)
        self.fc = nn.Dense(6)
    def forward(self, x):
        y = npx.relu(self.bn(self.conv(x)))
        z = self.fc(self.pool(y))
        both = np.concatenate([z, z * 2 + 1, 0.1 - z], axis=1)
        return both, npx.sigmoid(z - 1) / 3 + z * z
net = Mix()
""", [(2, 3, 12, 12)], False),
    "multi_input": ("""
class Two(HybridBlock):
    def __init__(self):
        super().__init__()
        self.a = nn.Dense(4)
        self.b = nn.Dense(4, in_units=5, use_bias=False)
        self.norm = nn.LayerNorm(epsilon=1e-3)
        self.act = nn.PReLU()
    def forward(self, x, y):
        return self.act(self.norm(self.a(x) + self.b(y)))
net = Two()
""", [(3, 7), (3, 5)], False),
    "embedding": ("""
net = nn.HybridSequential()
net.add(nn.Embedding(10, 4), nn.Flatten(), nn.Dropout(0.5), nn.Dense(3))
""", [(2, 6)], True),
    "more_layers": ("""
net = nn.HybridSequential()
net.add(nn.Conv2DTranspose(4, 3, strides=2, output_padding=1), nn.InstanceNorm(), nn.ELU(),
        nn.Conv2D(4, 3, dilation=2, groups=2, padding=2), nn.SELU(), nn.GELU(), nn.Swish(),
        nn.LeakyReLU(0.1), nn.AvgPool2D(3, 1, 1, count_include_pad=False), nn.GlobalMaxPool2D(),
        nn.Identity(), nn.Flatten(), nn.Dense(5, use_bias=False), nn.Activation("softsign"))
""", [(2, 3, 6, 6)], False),
    "one_d": ("""
net = nn.HybridSequential()
net.add(nn.Conv1D(4, 3), nn.BatchNorm(center=False, use_global_stats=True), nn.MaxPool1D(2),
        nn.GlobalAvgPool1D())
""", [(2, 3, 10)], False),
    "no_parameters": ("""
net = nn.Activation("softrelu")
""", [(2, 3)], False),
    "numpy_ops": ("""
class Ops(HybridBlock):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(6, flatten=False)
    def forward(self, x):
        y = npx.reshape(self.fc(x), (2, -1)).transpose()
        y = np.clip(y, -0.5, 1e7) - y / (y * y + 1.5)
        y = np.tanh((2 - 3 / (y + 4)) ** 2 + 2 ** y + (np.abs(y) + 1) ** y)
        y = np.maximum(y, 2) + np.minimum(y, 0.5) + np.maximum(y, y) - np.minimum(y, y)
        y = np.tanh(y) + np.exp(y * 0.5) + np.sqrt(np.abs(y)) + np.log(y * y + 1) + np.negative(y)
        y = npx.softmax(y, axis=1) + npx.log_softmax(y) + npx.activation(y, act_type="softrelu")
        y = np.where(y > 0.25, y, y * 0.1) + npx.erf(y).astype("float32")
        y = y + np.sum(y, axis=(0, 1), keepdims=True) + np.max(y, axis=0, keepdims=True) \
            + npx.reshape(np.min(y, axis=-1), (-1, 1)) * np.sum(y) + np.prod(y, axis=1).max()
        return np.stack([y, np.matmul(np.matmul(y, y.transpose()), y)], axis=0)
net = Ops()
""", [(2, 3, 4)], False),
    "shared": ("""
class Shared(HybridBlock):
    def __init__(self):
        super().__init__()
        self.a = nn.Dense(4, in_units=4)
        self.b = nn.Dense(4, in_units=4)
        self.b.share_parameters(self.a.collect_params())
    def forward(self, x):
        return self.b(npx.sigmoid(self.a(x)))
net = Shared()
""", [(3, 4)], False),
}

# MXNet 2.0.0b1 (numpy semantics on, as the harness sets): build, hybridize, first forward
# (the graph is recorded then), save the weights for gluonbridge, export.
MX2_EXPORT = """
import numpy as onp
from mxnet import np, npx
from mxnet.gluon import nn, HybridBlock
from mxnet.gluon.model_zoo import vision
CASES, DIR = %r, %r
def inputs(shapes, integer):
    rng = onp.random.RandomState(0)
    return [onp.floor(rng.uniform(0, 10, s)).astype(onp.float32) if integer
            else rng.uniform(-1, 1, s).astype(onp.float32) for s in shapes]
for case, (source, shapes, integer) in CASES.items():
    scope = {"nn": nn, "HybridBlock": HybridBlock, "vision": vision, "np": np, "npx": npx}
    exec(source, scope)
    net = scope["net"]
    net.initialize(mx.init.Xavier())
    net.hybridize()
    net(*[np.array(x) for x in inputs(shapes, integer)])
    net.save_parameters(f"{DIR}/{case}.weights")
    net.export(f"{DIR}/{case}-mx")
result = True
"""

# MXNet 2.0.0b1 imports gluonbridge's export and runs it.
MX2_IMPORT = """
import numpy as onp
from mxnet import np
CASES, DIR = %r, %r
def inputs(shapes, integer):
    rng = onp.random.RandomState(0)
    return [onp.floor(rng.uniform(0, 10, s)).astype(onp.float32) if integer
            else rng.uniform(-1, 1, s).astype(onp.float32) for s in shapes]
result = {}
for case, (source, shapes, integer) in CASES.items():
    names = ["data"] if len(shapes) == 1 else [f"data{i}" for i in range(len(shapes))]
    block = mx.gluon.SymbolBlock.imports(f"{DIR}/{case}-gb-symbol.json", names,
                                         f"{DIR}/{case}-gb-0000.params")
    out = block(*[np.array(x) for x in inputs(shapes, integer)])
    outs = out if isinstance(out, (list, tuple)) else [out]
    result[case] = [o.asnumpy().tolist() for o in outs]
"""


def export_structural(cases, directory):
    """gluonbridge in structural mode on the same programs and weights, its count of recorded
    ops starting from zero as in the oracle's fresh process: returns the outputs."""
    from gluonbridge import np as gnp, npx as gnpx
    from gluonbridge.gluon import HybridBlock, nn
    from gluonbridge.gluon.model_zoo import vision
    outputs = {}
    for case, (source, shapes, integer) in cases.items():
        with naming.override("structural"):
            scope = {"nn": nn, "HybridBlock": HybridBlock, "vision": vision, "np": gnp,
                     "npx": gnpx}
            exec(source, scope)
        net = scope["net"]
        net.initialize()
        net.hybridize()
        xs = inputs(shapes, integer)
        net(*xs)                                   # as in MXNet: the graph is recorded here
        net.load_parameters(f"{directory}/{case}.weights")
        out = net(*xs)
        outputs[case] = [np.asarray(o) for o in (out if isinstance(out, (list, tuple))
                                                 else [out])]
        assert net.export(f"{directory}/{case}-gb") == (     # as 2.0.0b1 returns them
            f"{directory}/{case}-gb-symbol.json",
            f"{directory}/{case}-gb-0000.params" if net.collect_params() else None)
    return outputs


def npz_members(path):
    """(name, bytes) of every member of an .npz, and the zip's own bytes (MXNet's writer fixes
    the timestamps at zero, so the whole file is deterministic)."""
    import zipfile
    with zipfile.ZipFile(path) as zf:
        return [(i.filename, i.date_time, zf.read(i)) for i in zf.infolist()]


def check_against_mx2(mx2, cases, directory, monkeypatch):
    from gluonbridge.gluon import export as export_module
    monkeypatch.setattr(export_module, "RECORDED_OPS", export_module._OpCounter())
    mx2.run(MX2_EXPORT % (cases, str(directory)))
    ours = export_structural(cases, directory)
    for case in cases:
        with open(f"{directory}/{case}-gb-symbol.json") as fh:
            mine = json.load(fh)
        with open(f"{directory}/{case}-mx-symbol.json") as fh:
            theirs = json.load(fh)
        for key in ("arg_nodes", "node_row_ptr", "heads", "attrs"):
            assert mine[key] == theirs[key], (case, key)
        for a, b in zip(mine["nodes"], theirs["nodes"]):
            assert a == b, case
        assert len(mine["nodes"]) == len(theirs["nodes"]), case
        mine_params = f"{directory}/{case}-gb-0000.params"
        theirs_params = f"{directory}/{case}-mx-0000.params"
        assert npz_members(mine_params) == npz_members(theirs_params), case
        with open(mine_params, "rb") as a, open(theirs_params, "rb") as b:
            assert a.read() == b.read(), case
    imported = mx2.run(MX2_IMPORT % (cases, str(directory)))
    for case in cases:
        for mine, theirs in zip(ours[case], imported[case]):
            theirs = np.asarray(theirs, np.float32)
            scale = max(1.0, float(np.abs(theirs).max()))
            np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-5 * scale, err_msg=case)


@pytest.mark.oracle
def test_user_blocks_export_as_mxnet_2(mx2, tmp_path, monkeypatch):
    check_against_mx2(mx2, MX2_USER_CASES, tmp_path, monkeypatch)


@pytest.mark.oracle
def test_zoo_models_export_as_mxnet_2(mx2, tmp_path, monkeypatch):
    check_against_mx2(mx2, {n: zoo_case(n) for n in FAST_ZOO}, tmp_path, monkeypatch)



@pytest.mark.oracle
@pytest.mark.slow
def test_every_zoo_model_exports_as_mxnet_2(mx2, tmp_path, monkeypatch):
    """Three models at a time, each group's files removed before the next (the node numbers
    continue from group to group in neither process: each group starts both counts at zero)."""
    names = [n for n in ALL_ZOO if n not in FAST_ZOO]
    for start in range(0, len(names), 3):
        group = tmp_path / f"group{start}"
        group.mkdir()
        check_against_mx2(mx2, {n: zoo_case(n) for n in names[start:start + 3]}, group,
                          monkeypatch)
        shutil.rmtree(group)

# Which calls record a graph (and so advance the process's count of recorded ops that names
# the nodes node_<n>): the first call after hybridize(), not an unhybridized call, not a second
# call; hybridize() again records anew.
RECORDING = """
a = nn.Dense(4)
a.initialize()
a(x)
a.hybridize()
a(x)
a(x)
b = nn.HybridSequential()
b.add(nn.Dense(2), nn.Activation("relu"))
b.initialize()
b.hybridize()
b(x)
a.hybridize()
a(x)
a.export(DIR + "/a")
b.export(DIR + "/b")
"""


def op_names(path):
    with open(path) as fh:
        return [n["name"] for n in json.load(fh)["nodes"] if n["op"] != "null"]


@pytest.mark.oracle
def test_node_numbers_follow_mxnet_2_recordings(mx2, tmp_path, monkeypatch):
    from gluonbridge.gluon import export as export_module
    from gluonbridge.gluon import nn
    mx2.run(f"from mxnet.gluon import nn\nx = mx.np.ones((2, 3))\nDIR = {str(tmp_path)!r}\n"
            f"{RECORDING}\nresult = True")
    theirs = [op_names(tmp_path / f"{n}-symbol.json") for n in "ab"]
    monkeypatch.setattr(export_module, "RECORDED_OPS", export_module._OpCounter())
    with naming.override("structural"):
        exec(RECORDING, {"nn": nn, "x": np.ones((2, 3), np.float32), "DIR": str(tmp_path)})
    assert [op_names(tmp_path / f"{n}-symbol.json") for n in "ab"] == theirs


def test_structural_export_refuses_an_op_it_cannot_spell(tmp_path):
    """An op missing from the 2.0.0b1 tables is refused, naming the node and the op, rather
    than written in a form MXNet 2 would not have written."""
    from gluonbridge import npx
    from gluonbridge.gluon import HybridBlock
    from gluonbridge.graph.mx2_nodes import UnwritableOp

    class Median(HybridBlock):
        def forward(self, x):
            return npx.relu(x).sort(axis=1)
    with naming.override("structural"):
        net = Median()
    net.hybridize()
    net(np.ones((2, 3), np.float32))
    with pytest.raises(UnwritableOp, match=r"node node_\d+ \(op \w*sort\w*\).*MXNet 2.0.0b1"):
        net.export(str(tmp_path / "sort"))


def test_every_table_field_prints_from_a_default():
    """A field of the 2.0.0b1 table without its own printed default takes the op table's,
    which must then declare it."""
    from gluonbridge.backend.ops import OPS
    from gluonbridge.graph.mx2_nodes import FULL
    for op, spec in FULL.items():
        traced = {v: k for k, v in spec.renamed.items()}
        for field, default in spec.fields.items():
            assert default is not None or traced.get(field, field) in OPS[op].attrs \
                or field == "num_args", (op, field)


@pytest.mark.oracle
def test_structural_export_needs_a_run_after_hybridize(mx2, tmp_path):
    """MXNet 2's ``hybridize()`` drops the recorded graph: export() before the next call is
    refused, as 1.9.1 refuses an export of a block never hybridized and run."""
    from gluonbridge.gluon import nn
    from gluonbridge.gluon.export import NOT_RUN
    program = "net.initialize()\nnet.hybridize()\nnet(x)\nnet.hybridize()\n"
    message = mx2.run(f"from mxnet.gluon import nn\nnet = nn.Dense(3)\nx = mx.np.ones((2, 4))\n"
                      f"{program}try:\n    net.export({str(tmp_path / 'mx')!r})\n"
                      f"    result = None\nexcept RuntimeError as err:\n    result = str(err)")
    assert message == NOT_RUN
    with naming.override("structural"):
        net = nn.Dense(3)
    exec(program, {"net": net, "x": np.ones((2, 4), np.float32)})
    with pytest.raises(RuntimeError, match="hybridize"):
        net.export(str(tmp_path / "gb"))


def test_structural_export_imports_back(tmp_path):
    """gluonbridge's own ``SymbolBlock.imports`` reads the 2.0.0b1-style files back and gives
    the block's outputs (the oracle tests check them against 2.0.0b1 itself)."""
    from gluonbridge import npx
    from gluonbridge.gluon import HybridBlock, SymbolBlock, nn

    class Double(HybridBlock):
        def forward(self, x):
            return npx.relu(x) * 2
    with naming.override("structural"):
        net = nn.HybridSequential()
        net.add(nn.Conv2D(4, 3), nn.BatchNorm(), Double(), nn.GlobalAvgPool2D(), nn.Flatten(),
                nn.Dense(3))
    net.initialize()
    net.hybridize()
    x = inputs([(2, 3, 8, 8)], False)[0]
    expected = np.asarray(net(x))
    symbol_file, params_file = net.export(str(tmp_path / "m"))
    block = SymbolBlock.imports(symbol_file, ["data"], params_file)
    np.testing.assert_array_equal(np.asarray(block(x)), expected)
