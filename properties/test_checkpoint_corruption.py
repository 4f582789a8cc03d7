"""Truncated and bit-flipped copies of valid files raise CheckpointError and nothing else,
and never allocate much more than the file holds."""
import tracemalloc

from hypothesis import example, given, settings
from hypothesis import strategies as st

from gluonbridge.checkpoint import CheckpointError, formats, onnx_initializers, read_index
from properties.checkpoint_strategies import array_dicts

FORMATS = ("mxnet-binary", "npz", "safetensors", "onnx")
ALLOCATION_LIMIT = 8 << 20


def read_everything(path):
    index = read_index(path)
    for tensor in index.tensors:
        for part in tensor.parts:
            part.sha256()
        if tensor.stype != "none":
            tensor.to_numpy()


@st.composite
def corruptions(draw):
    size = draw(st.integers(1, 10_000))
    if draw(st.booleans()):
        return ("truncate", draw(st.integers(0, size)))
    return ("flip", draw(st.lists(st.tuples(st.integers(0, size), st.integers(1, 255)),
                                  min_size=1, max_size=4)))


def corrupt(raw: bytes, how):
    kind, arg = how
    if kind == "truncate":
        return raw[:arg % (len(raw) + 1)]
    data = bytearray(raw)
    for position, mask in arg:
        data[position % len(data)] ^= mask
    return bytes(data)


@settings(max_examples=300)
@given(array_dicts, st.sampled_from(FORMATS), corruptions())
@example(data={}, fmt="safetensors", how=("truncate", 5))    # 5 bytes sniffed as ONNX
def test_corrupt_files_raise_only_checkpoint_error(tmp_path_factory, data, fmt, how):
    # a damaged file may be sniffed as ONNX: import the onnx package (~10 MB) before measuring,
    # or the first such example in a process fails on the import, not on the reading
    onnx_initializers._onnx()
    folder = tmp_path_factory.mktemp("bad")
    good = folder / "good"
    formats.save(good, data, fmt)
    bad = folder / "bad"
    bad.write_bytes(corrupt(good.read_bytes(), how))
    tracemalloc.start()
    try:
        read_everything(bad)
    except CheckpointError as err:
        assert str(bad) in str(err) or "<memory>" in str(err)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < ALLOCATION_LIMIT
