"""Random recurrent layouts: fuse -> split and split -> fuse are bit-exact identities."""
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from gluonbridge.translate import rnn_weights

layouts = st.builds(
    rnn_weights.RNNLayout.for_mode,
    mode=st.sampled_from(sorted(rnn_weights.GATES)),
    num_layers=st.integers(1, 3), hidden_size=st.integers(1, 6), input_size=st.integers(1, 7),
    bidirectional=st.booleans(), projection_size=st.none() | st.integers(1, 4))
dtypes = st.sampled_from(["float32", "float16", "float64"])


def _random(shape, dtype, seed):
    return np.random.RandomState(seed).standard_normal(shape).astype(dtype)


@given(layouts, dtypes, st.integers(0, 2**31 - 1))
def test_fuse_then_split_is_identity(layout, dtype, seed):
    arrays = {key: _random(shape, dtype, seed + i)
              for i, (key, shape) in enumerate(layout.entries())}
    flat = rnn_weights.fuse(arrays, layout)
    assert flat.shape == (layout.size,) and flat.dtype == np.dtype(dtype)
    back = rnn_weights.split(flat, layout)
    assert back.keys() == arrays.keys()
    for key, arr in arrays.items():
        assert back[key].dtype == arr.dtype and back[key].shape == arr.shape
        assert back[key].tobytes() == arr.tobytes()


@given(layouts, dtypes, st.integers(0, 2**31 - 1), st.booleans())
def test_split_then_fuse_is_identity(layout, dtype, seed, input_size_known):
    flat = _random((layout.size,), dtype, seed)
    target = layout if input_size_known else rnn_weights.RNNLayout(
        layout.gates, layout.num_layers, layout.hidden_size, 0, layout.bidirectional,
        layout.projection_size)
    arrays = rnn_weights.split(flat, target)
    assert rnn_weights.layout_from_arrays(arrays) == layout
    assert rnn_weights.fuse(arrays, layout).tobytes() == flat.tobytes()


@given(layouts, dtypes, st.integers(0, 2**31 - 1), st.randoms(use_true_random=False))
def test_name_map_fuses_and_splits_back_bit_exactly(layout, dtype, seed, rnd):
    """Per-gate entries listed in any order (a version-1 map) are grouped into one fused entry;
    full names -> rnn_param -> full names through it is the identity."""
    from gluonbridge.checkpoint.namemap import Entry, NameMap
    from gluonbridge.checkpoint.tensor import checkpoint_from_arrays
    from gluonbridge.gluon.rnn.rnn_layer import _unfused_key
    from gluonbridge.translate.matching import translate
    entries = [Entry(f"net0_rnn0_{key}", "3." + _unfused_key(key, layout.bidirectional), shape)
               for key, shape in layout.entries()]
    rnd.shuffle(entries)
    namemap = NameMap(entries)
    arrays = {e.legacy: _random(e.shape, dtype, seed + i) for i, e in enumerate(entries)}
    fused, report = translate(checkpoint_from_arrays(arrays), namemap, "structural")
    assert report.ok and fused.keys() == ["3.rnn_param"]
    assert fused.tensors[0].shape == (layout.size,)
    back, report = translate(fused, namemap, "legacy")
    assert report.ok and sorted(back.keys()) == sorted(arrays)
    for tensor in back.tensors:
        assert tensor.to_numpy().tobytes() == arrays[tensor.key].tobytes()
