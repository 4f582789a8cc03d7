"""Random dicts of arrays (every dtype, 0-d, zero-size) round-trip bit-exactly through every
format gluonbridge writes, and through every conversion between them."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gluonbridge.checkpoint import formats, read_index
from properties.checkpoint_strategies import array_dicts, arrays

WRITABLE = ("mxnet-binary", "npz", "safetensors", "onnx")


def same_content(index, arrays_by_key):
    return [(t.key, t.to_numpy().dtype, t.shape, t.to_numpy().tobytes()) for t in index.tensors] == \
        [(k, v.dtype, v.shape, v.tobytes()) for k, v in arrays_by_key.items()]


@settings(max_examples=60)
@given(array_dicts, st.sampled_from(WRITABLE), st.sampled_from(WRITABLE))
def test_roundtrip_and_conversion(tmp_path_factory, data, first, second):
    folder = tmp_path_factory.mktemp("rt")
    one, two = folder / "one", folder / "two"
    formats.save(one, data, first)
    assert same_content(read_index(one), data)
    formats.save(two, read_index(one), second)
    assert same_content(read_index(two), data)


@settings(max_examples=30)
@given(st.lists(arrays(), max_size=5))
def test_list_form_binary_and_npy(tmp_path_factory, items):
    folder = tmp_path_factory.mktemp("list")
    formats.save(folder / "l.params", items, "mxnet-binary")
    index = read_index(folder / "l.params")
    assert index.container == ("list" if items else index.container)
    assert [t.to_numpy().tobytes() for t in index.tensors] == [a.tobytes() for a in items]
    if len(items) == 1:
        formats.save(folder / "one.npy", items, "npy")
        assert np.load(folder / "one.npy", allow_pickle=False).tobytes() == items[0].tobytes()
