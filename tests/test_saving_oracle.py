"""Block.save_parameters / load_parameters / collect_params().save against the real MXNet.

One model (the zoo's mobilenet0.25: convolutions, BatchNorm statistics, Dense) gets the same
seeded weights in MXNet 1.9.1, MXNet 2.0.0b1 and gluonbridge under both naming modes. Each saves
the way its MXNet does; then every file is loaded by every other side and the outputs compared
with MXNet 1.9.1's. Files gluonbridge writes must equal, byte for byte, what its MXNet writes.
"""
import numpy as np
import pytest

pytestmark = pytest.mark.oracle

SETUP = {
    "mx1": "from mxnet.gluon.model_zoo import vision\nARRAY = mx.nd.array\n"
           "OUTPUT = lambda y: y.asnumpy()\n",
    "mx2": "from mxnet.gluon.model_zoo import vision\nARRAY = mx.np.array\n"
           "OUTPUT = lambda y: y.asnumpy()\n",
    "legacy": "from gluonbridge.gluon.model_zoo import vision\nARRAY = OUTPUT = lambda a: a\n",
    "structural": "from gluonbridge.gluon.model_zoo import vision\nARRAY = OUTPUT = lambda a: a\n",
}

SAVE = """
import numpy as np
net = vision.get_model('mobilenet0.25')
net.initialize()
x = np.random.RandomState(1).uniform(-1, 1, (2, 3, 64, 64)).astype('float32')
net(ARRAY(x))
rng = np.random.RandomState(7)
for key, p in net._collect_params_with_prefix().items():
    low, high = (0.5, 1.5) if key.endswith(('running_var', 'gamma')) else (-0.3, 0.3)
    p.set_data(ARRAY(rng.uniform(low, high, p.shape).astype('float32')))
net.save_parameters(DIR + '/' + TAG + '-save_parameters.params')
if hasattr(net, 'name_scope'):
    net.collect_params().save(DIR + '/' + TAG + '-collect_params.params')
result = np.asarray(OUTPUT(net(ARRAY(x)))).tolist()
"""

LOAD = """
import numpy as np
net = vision.get_model('mobilenet0.25')
x = np.random.RandomState(1).uniform(-1, 1, (2, 3, 64, 64)).astype('float32')
result = {}
for path in PATHS:
    if 'collect_params' in path and LOADER == 'mx1':   # 1.9.1's load_parameters restores the
        net.collect_params().load(path)                # block prefix, doubling it: no fallback
    else:
        net.load_parameters(path)
    result[path] = np.asarray(OUTPUT(net(ARRAY(x)))).tolist()
"""

SIDES = ("mx1", "mx2", "legacy", "structural")


@pytest.fixture(scope="module")
def saved(tmp_path_factory, mx1, mx2, gb_legacy, gb_structural):
    """Each side's saved files and output: ``(folder, {side: output})``."""
    folder = tmp_path_factory.mktemp("saved")
    interpreters = dict(zip(SIDES, (mx1, mx2, gb_legacy, gb_structural)))
    outputs = {side: np.asarray(interp.run(f"DIR = {str(folder)!r}\nTAG = {side!r}\n" +
                                           SETUP[side] + SAVE))
               for side, interp in interpreters.items()}
    return folder, outputs, interpreters


def _close(have, want):
    return float(np.abs(np.asarray(have) - want).max() / np.abs(want).max())


def test_every_side_computes_the_same_model(saved):
    _, outputs, _ = saved
    for side in SIDES[1:]:
        assert _close(outputs[side], outputs["mx1"]) <= 1e-5, side


@pytest.mark.parametrize("ours,theirs,kind", [
    ("legacy", "mx1", "save_parameters"),       # 1.x binary keyed by structural key
    ("legacy", "mx1", "collect_params"),        # 1.x binary keyed by full prefixed name
    ("structural", "mx2", "save_parameters"),   # npz keyed by structural key
])
def test_gluonbridge_writes_the_bytes_mxnet_writes(saved, ours, theirs, kind):
    folder, _, _ = saved
    mine = (folder / f"{ours}-{kind}.params").read_bytes()
    real = (folder / f"{theirs}-{kind}.params").read_bytes()
    assert mine == real


@pytest.mark.parametrize("loader", SIDES)
def test_every_file_loads_everywhere_it_should(saved, loader):
    """MXNet 1.9.1 loads every 1.x binary file (either naming); 2.0.0b1 loads structural-key
    files; gluonbridge loads every file in both modes (legacy names in structural mode need a
    name map, tested in test_saving_errors)."""
    folder, outputs, interpreters = saved
    files = [f"{side}-save_parameters.params" for side in SIDES]
    if loader in ("mx1", "legacy"):
        files += [f"{side}-collect_params.params" for side in ("mx1", "legacy")]
    if loader == "mx1":      # 1.9.1 reads neither npz archive (spec S6)
        files = [f for f in files if not f.startswith(("mx2", "structural"))]
    paths = [str(folder / f) for f in files]
    got = interpreters[loader].run(f"PATHS = {paths!r}\nLOADER = {loader!r}\n" + SETUP[loader] +
                                   LOAD)
    for path in paths:
        assert _close(got[path], outputs["mx1"]) <= 1e-5, (loader, path)


def test_missing_and_unexpected_fail_as_in_mxnet(saved):
    """A file that lacks a parameter fails with AssertionError on both sides; gluonbridge lists
    every problem at once."""
    folder, _, interpreters = saved
    code = (f"path = {str(folder / 'mx1-save_parameters.params')!r}\n" + SETUP["mx1"] + """
net = vision.get_model('mobilenetv2_0.25')
try:
    net.load_parameters(path)
    result = None
except Exception as err:
    result = [isinstance(err, AssertionError), str(err).count(" is missing"),
              str(err).count("missing: '")]
""")
    real = interpreters["mx1"].run(code)
    ours = interpreters["legacy"].run(code.replace("from mxnet.gluon", "from gluonbridge.gluon")
                                      .replace("mx.nd.array", "None"))
    assert real[0] and ours[0], (real, ours)
    assert real[1] == 1 and ours[2] > 1      # MXNet stops at the first; we list them all


def test_nd_load_of_an_npz_lists_keys_as_mxnet_2_does(mx2, gb_structural, tmp_path):
    path = str(tmp_path / "keys.npz")
    np.savez(path, **{key: np.full(2, i, "float32")
                      for i, key in enumerate(["zeta", "alpha", "mid.b", "Mid", "a_1", "a.0"])})
    snippet = (f"loaded = mx.nd.load({path!r})\n"
               "result = [[k, v.asnumpy().tolist()] for k, v in loaded.items()]\n")
    assert gb_structural.run(snippet) == mx2.run(snippet)
