"""Recurrent checkpoints written by the real MXNets, read by gluonbridge.

* 1.9.1 ``save_parameters`` files load into gluonbridge's legacy layers (``_unfused`` keys);
  2.0.0b1 files into its structural layers (``rnn_param``, size unknown until loaded).
* :func:`~gluonbridge.translate.rnn_weights.find_rnn_groups` finds the fused layers in a 1.9.1
  file from its keys alone, each with the structural key of its ``rnn_param``; fusing them gives
  what gluonbridge's structural model of the same architecture loads.
"""
import numpy as np
import pytest

from gluonbridge.checkpoint.formats import load
from gluonbridge.translate import rnn_weights

_MODEL = """
from mxnet.gluon import nn, rnn
net = nn.HybridSequential()
net.add(nn.Dense(5, in_units=3, flatten=False),
        rnn.LSTM(4, num_layers=2, bidirectional=True, input_size=5),
        rnn.GRU(3, input_size=8, layout='NTC'),
        rnn.LSTM(6, projection_size=2, input_size=3))
"""

_SAVE_MX1 = _MODEL + """
import mxnet as mx
net.initialize(mx.init.Uniform(0.5))
for p in net.collect_params().values():     # biases too, so that a swap would show
    p.set_data(mx.nd.random.uniform(-1, 1, p.shape))
net.save_parameters(PATH)
result = {k: [p.name, list(p.shape)] for k, p in net._collect_params_with_prefix().items()}
import numpy as np
OUTPUT = net(mx.nd.array(np.random.RandomState(0).uniform(-1, 1, (2, 7, 3)))).asnumpy().tolist()
"""

_SAVE_MX2 = _MODEL + """
import mxnet as mx
net.initialize()
net(mx.np.ones((2, 7, 3)))
net.save_parameters(PATH)
result = list(net.collect_params())
"""

_LOAD = _MODEL + """
import numpy as np
net.load_parameters(PATH)
result = {k: np.asarray(p.data()).ravel().tolist() for k, p in net.collect_params().items()}
"""


@pytest.mark.oracle
def test_mxnet1_file_loads_in_legacy_layers(mx1, gb_legacy, tmp_path):
    path = str(tmp_path / "mx1.params")
    names = mx1.run(f"PATH = {path!r}\n" + _SAVE_MX1)      # _unfused key -> [full name, shape]
    written = load(path)
    assert sorted(written) == sorted(names)
    assert "1._unfused.0.l_cell.i2h_weight" in written and "2._unfused.0.h2h_bias" in written
    loaded = gb_legacy.run(f"PATH = {path!r}\n" + _LOAD.replace("mxnet", "gluonbridge"))
    assert sorted(loaded) == sorted(full for full, _ in names.values())
    for key, (full, _) in names.items():
        assert np.asarray(loaded[full], np.float32).tobytes() == \
            np.asarray(written[key], np.float32).ravel().tobytes(), key


@pytest.mark.oracle
def test_mxnet2_file_loads_in_structural_layers(mx2, gb_structural, tmp_path):
    path = str(tmp_path / "mx2.params")
    keys = mx2.run(f"PATH = {path!r}\n" + _SAVE_MX2)
    written = load(path)
    loaded = gb_structural.run(f"PATH = {path!r}\n" + _LOAD.replace("mxnet", "gluonbridge"))
    assert sorted(loaded) == sorted(keys) == sorted(written)
    for key, values in loaded.items():
        assert np.asarray(values, np.float32).tobytes() == \
            np.asarray(written[key], np.float32).ravel().tobytes(), key


@pytest.mark.oracle
def test_groups_found_in_a_mxnet1_file_fuse_to_the_structural_keys(mx1, mx2, tmp_path):
    path = str(tmp_path / "mx1.params")
    expected = mx1.run(f"PATH = {path!r}\n" + _SAVE_MX1 + "result = OUTPUT\n")
    written = load(path)
    groups, problems = rnn_weights.find_rnn_groups(written)
    assert problems == []
    assert sorted(g.fused_key for g in groups) == ["1.rnn_param", "2.rnn_param", "3.rnn_param"]
    fused = {}
    for group in groups:
        arrays = {local: np.asarray(written[key]) for local, key in group.keys.items()}
        fused[group.fused_key] = rnn_weights.fuse(arrays, rnn_weights.layout_from_arrays(arrays))
    # MXNet 2.0.0b1 loads the translated file, agrees on every rnn_param size and computes
    # what 1.9.1 did
    out = str(tmp_path / "fused.npz")
    others = {k: np.asarray(v) for k, v in written.items()
              if not any(k in g.keys.values() for g in groups)}
    np.savez(out, **others, **fused)
    sizes = mx2.run(f"PATH = {out!r}\n" + _MODEL + """
import mxnet as mx
net.initialize()
net(mx.np.ones((2, 7, 3)))
net.load_parameters(PATH)
import numpy as np
out = net(mx.np.array(np.random.RandomState(0).uniform(-1, 1, (2, 7, 3)))).asnumpy().tolist()
result = {k: list(p.shape) for k, p in net.collect_params().items()}, out
""")
    sizes, output = sizes
    np.testing.assert_allclose(np.array(output), np.array(expected), rtol=1e-5, atol=1e-5)
    assert {k: list(v.shape) for k, v in fused.items()} == \
        {k: v for k, v in sizes.items() if k.endswith("rnn_param")}
