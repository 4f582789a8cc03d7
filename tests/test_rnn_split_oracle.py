"""``python -m gluonbridge.convert --to mx1`` splits MXNet 2.0.0b1's fused ``rnn_param`` back
into MXNet 1.9.1's per-gate arrays, end to end on the oracles (and ``--to mx2`` fuses 1.9.1's
full-name files, which need ``--model`` or a name map; its ``_unfused`` keys alone:
tests/test_rnn_translation_oracle.py).

The real 2.0.0b1 saves a recurrent model (a 2-layer bidirectional LSTM, a GRU whose input size
is inferred, relu and tanh RNNs, an LSTM with projection) with random weights. Converted with
the layer sizes from ``--model`` (gluonbridge's legacy build of the same model), from a name map
the real 1.9.1 wrote with ``compat.namemap``, or from ``--target`` (a 1.9.1 file of the same
model), the file loads in the real 1.9.1 (``load_parameters``; with ``--legacy-names``,
``collect_params().load``) and computes 2.0.0b1's output within 1e-5.
"""
import json

import numpy as np
import pytest

from gluonbridge import naming
from gluonbridge.convert import main as convert
from gluonbridge.checkpoint.formats import load

pytestmark = pytest.mark.oracle

MODEL = """
from mxnet.gluon import nn, rnn
net = nn.HybridSequential()
net.add(nn.Dense(5, in_units=3, flatten=False),
        rnn.LSTM(4, num_layers=2, bidirectional=True, input_size=5),
        rnn.GRU(3),
        rnn.RNN(4, activation='relu', input_size=3),
        rnn.RNN(3, num_layers=2, activation='tanh', bidirectional=True, layout='TNC'),
        rnn.LSTM(6, projection_size=2, input_size=6))
"""
FACTORY = f"{__name__}:build"
X = "np.random.RandomState(0).uniform(-1, 1, (7, 2, 3)).astype('float32')"

_SAVE_MX2 = MODEL + f"""
import mxnet as mx
import numpy as np
net.initialize()
x = mx.np.array({X})
net(x)                                           # infers every rnn_param's size
rng = np.random.RandomState(5)
for p in net.collect_params().values():
    p.set_data(mx.np.array(rng.uniform(-0.8, 0.8, p.shape).astype('float32')))
net.save_parameters(PATH)
result = net(x).asnumpy().tolist()
"""

_SAVE_MX1 = MODEL + f"""
import mxnet as mx
import numpy as np
net.initialize()
x = mx.nd.array({X})
net(x)
net.save_parameters(PATH)
from gluonbridge import compat
compat.namemap(net, NAMEMAP)
shapes = {{k: list(v.shape) for k, v in mx.nd.load(PATH).items()}}
rng = np.random.RandomState(6)
for p in net.collect_params().values():
    p.set_data(mx.nd.array(rng.uniform(-0.8, 0.8, p.shape)))
net.collect_params().save(FULL)
result = shapes, net(x).asnumpy().tolist()
"""

_LOAD_MX2 = MODEL + f"""
import mxnet as mx
import numpy as np
net.initialize()
x = mx.np.array({X})
net(x)
net.load_parameters(PATH)
result = net(x).asnumpy().tolist()
"""

_LOAD_MX1 = MODEL + f"""
import mxnet as mx
import numpy as np
if FULL_NAMES:
    net.collect_params().load(PATH)
else:
    net.load_parameters(PATH)
result = net(mx.nd.array({X})).asnumpy().tolist()
"""


def build():
    """The ``--model`` factory: MODEL in gluonbridge, with fresh name counters (full names as
    in a new 1.9.1 process)."""
    scope = {}
    with naming.NameManager():
        exec(MODEL.replace("mxnet", "gluonbridge"), scope)
    return scope["net"]


@pytest.fixture(scope="module")
def files(tmp_path_factory, request):
    """The 2.0.0b1 file with its output; 1.9.1's save_parameters file (keys and shapes), name
    map, and collect_params().save file (full names) with its output."""
    folder = tmp_path_factory.mktemp("rnn_split")
    mx2_path, mx1_path, namemap, full = (str(folder / n) for n in (
        "mx2.params", "mx1.params", "mx1.namemap.json", "mx1_full.params"))
    expected = request.getfixturevalue("mx2").run(f"PATH = {mx2_path!r}\n" + _SAVE_MX2)
    mx1 = request.getfixturevalue("mx1")
    from tests.compat.conftest import with_repo      # compat.namemap runs inside 1.9.1
    shapes, expected1 = with_repo(mx1).run(
        f"PATH = {mx1_path!r}\nNAMEMAP = {namemap!r}\nFULL = {full!r}\n" + _SAVE_MX1)
    return dict(mx2=mx2_path, mx1=mx1_path, namemap=namemap, shapes=shapes,
                expected=np.array(expected), mx1_full=full, expected1=np.array(expected1))


def _check_in_mx1(mx1, path, expected, full_names=False):
    got = mx1.run(f"PATH = {path!r}\nFULL_NAMES = {full_names}\n" + _LOAD_MX1)
    np.testing.assert_allclose(np.array(got), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("how", ["model", "namemap", "target"])
def test_split_file_loads_in_mxnet1_load_parameters(files, mx1, tmp_path, how):
    out = str(tmp_path / "split.params")
    option = {"model": FACTORY, "namemap": files["namemap"], "target": files["mx1"]}[how]
    assert convert([files["mx2"], out, "--to", "mx1", f"--{how}", option]) == 0
    written = load(out)
    assert {k: list(v.shape) for k, v in written.items()} == files["shapes"]
    _check_in_mx1(mx1, out, files["expected"])


@pytest.mark.parametrize("how", ["model", "namemap"])
def test_split_to_full_names_loads_in_mxnet1_collect_params(files, mx1, tmp_path, how):
    out = str(tmp_path / "split_full.params")
    option = {"model": FACTORY, "namemap": files["namemap"]}[how]
    assert convert([files["mx2"], out, "--to", "mx1", f"--{how}", option,
                    "--legacy-names"]) == 0
    assert "lstm0_r1_h2h_bias" in load(out)
    _check_in_mx1(mx1, out, files["expected"], full_names=True)


def test_mxnet1_namemap_describes_the_fusion_as_gluonbridge_does(files):
    """compat.namemap under the real 1.9.1 (after one batch) writes each layer as one fused
    entry, its parts in the flat order; gluonbridge's legacy build of the model gives the same
    entries."""
    from gluonbridge.translate.model import namemap_from_model
    with open(files["namemap"], encoding="utf-8") as fh:
        doc = json.load(fh)
    assert doc["version"] == 2
    fused = [e for e in doc["entries"] if "fused" in e]
    assert [e["structural"] for e in fused] == [f"{i}.rnn_param" for i in range(1, 6)]
    assert [p["legacy"] for p in fused[3]["fused"]] == [
        f"rnn1_{d}{layer}_{c}_{t}" for t in ("weight", "bias")
        for layer in range(2) for d in "lr" for c in ("i2h", "h2h")]
    with naming.override("legacy"):
        net = build()
        net.initialize()
        net(eval(X))                                   # completes the GRU's deferred shapes
    assert namemap_from_model(net).to_json()["entries"] == doc["entries"]


def test_split_refuses_a_size_that_does_not_add_up(files, tmp_path, capsys):
    """A model with another hidden size: refused naming the key and both element counts."""
    arrays = load(files["mx2"])
    small = str(tmp_path / "wrong.npz")
    np.savez(small, **{k: (v[:-4] if k == "1.rnn_param" else v) for k, v in arrays.items()})
    out = tmp_path / "never.params"
    assert convert([small, str(out), "--to", "mx1", "--model", FACTORY]) == 1
    err = capsys.readouterr().err
    size = arrays["1.rnn_param"].size
    assert f"expected {size} elements" in err and f"found {size - 4}" in err
    assert "'1.rnn_param'" in err and not out.exists()


@pytest.mark.parametrize("how", ["model", "namemap"])
def test_full_names_fused_load_in_mxnet2(files, mx2, tmp_path, how):
    """The opposite direction from 1.x full names (collect_params().save), which do not say
    where a layer sits: --model or a 1.9.1 name map does."""
    out = str(tmp_path / "fused.params")
    option = {"model": FACTORY, "namemap": files["namemap"]}[how]
    assert convert([files["mx1_full"], out, "--to", "mx2", f"--{how}", option]) == 0
    assert sorted(load(out)) == sorted(load(files["mx2"]))
    got = mx2.run(f"PATH = {out!r}\n" + _LOAD_MX2)
    np.testing.assert_allclose(np.array(got), files["expected1"], rtol=1e-5, atol=1e-5)
