"""Properties of recurrent layers over random configurations (mode, layers, directions,
layout, projection, sizes, states given or not):

* per-gate weights fused into ``rnn_param`` and split back are bit-identical;
* a legacy layer and a structural layer holding the same weights (per-gate arrays vs their
  fused vector, moved by saving and loading) give identical outputs and states.
"""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gluonbridge import naming
from gluonbridge.gluon import rnn
from gluonbridge.translate.rnn_weights import GATES, RNNLayout, fuse, split


@st.composite
def configs(draw):
    mode = draw(st.sampled_from(sorted(GATES)))
    kwargs = dict(num_layers=draw(st.integers(1, 3)), bidirectional=draw(st.booleans()),
                  layout=draw(st.sampled_from(["TNC", "NTC"])))
    hidden = draw(st.integers(1, 6))
    if mode == "lstm" and draw(st.booleans()):
        kwargs["projection_size"] = draw(st.integers(1, hidden))
    return mode, hidden, draw(st.integers(1, 5)), kwargs, draw(st.booleans()), draw(
        st.integers(0, 2 ** 16))


def _layer(mode, hidden, input_size, kwargs):
    if mode.startswith("rnn_"):
        return rnn.RNN(hidden, activation=mode[4:], input_size=input_size, **kwargs)
    return {"lstm": rnn.LSTM, "gru": rnn.GRU}[mode](hidden, input_size=input_size, **kwargs)


@settings(max_examples=40)
@given(configs())
def test_fuse_split_round_trip_is_bit_exact(config):
    mode, hidden, input_size, kwargs, _, seed = config
    layout = RNNLayout.for_mode(mode, kwargs["num_layers"], hidden, input_size,
                                kwargs["bidirectional"], kwargs.get("projection_size"))
    rng = np.random.RandomState(seed)
    arrays = {k: rng.standard_normal(s).astype(np.float32) for k, s in layout.entries()}
    back = split(fuse(arrays, layout), layout)
    assert set(back) == set(arrays)
    assert all(back[k].tobytes() == arrays[k].tobytes() for k in arrays)


@settings(max_examples=25)
@given(configs())
def test_both_modes_compute_the_same(tmp_path_factory, config):
    mode, hidden, input_size, kwargs, with_states, seed = config
    path = str(tmp_path_factory.mktemp("rnn") / "p.params")
    rng = np.random.RandomState(seed)
    steps, batch = 3, 2
    shape = (batch, steps, input_size) if kwargs["layout"] == "NTC" else (steps, batch, input_size)
    x = rng.uniform(-1, 1, shape).astype(np.float32)
    results = []
    for naming_mode in ("legacy", "structural"):
        with naming.override(naming_mode):
            net = _layer(mode, hidden, input_size, kwargs)
            net.initialize()
            if naming_mode == "legacy":
                for param in net.collect_params().values():
                    param.set_data(rng.uniform(-1, 1, param.shape).astype(np.float32))
                net.save_parameters(path)
            else:
                net.load_parameters(path)
            states = [np.random.RandomState(seed + 1).uniform(-1, 1, s["shape"]).astype(
                np.float32) for s in net.state_info(batch)]
            out = net(x, states) if with_states else (net(x), [])
            results.append([np.asarray(out[0])] + [np.asarray(s) for s in out[1]])
    legacy, structural = results
    assert len(legacy) == len(structural)
    assert all(np.array_equal(a, b) for a, b in zip(legacy, structural))
