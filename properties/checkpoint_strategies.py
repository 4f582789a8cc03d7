"""Hypothesis strategies for checkpoint properties: random dicts of arrays of every dtype,
including 0-d and zero-size ones, with bit patterns drawn at random (NaNs, infinities, -0.0)."""
import numpy as np
from hypothesis import strategies as st

from gluonbridge.checkpoint.dtypes import DTYPES

KEY_ALPHABET = "abcxyz019._:-/ü"


@st.composite
def arrays(draw, dtypes=tuple(DTYPES)):
    name = draw(st.sampled_from(dtypes))
    row = DTYPES[name]
    shape = tuple(draw(st.lists(st.integers(0, 4), max_size=4)))
    count = int(np.prod(shape, dtype=np.int64))
    raw = draw(st.binary(min_size=count * row.itemsize, max_size=count * row.itemsize))
    data = np.frombuffer(raw, np.uint8).copy()
    if name == "bool":
        data &= 1
    return data.view(row.numpy).reshape(shape)


def _keys_are_plain(keys):
    """No key may look like a member of an MXNet sparse npz folder (``k/data`` ...)."""
    leaves = {"data", "indices", "indptr", "shape", "format"}
    return not any("/" in k and k.rsplit("/", 1)[1] in leaves for k in keys)


array_dicts = st.dictionaries(
    st.text(KEY_ALPHABET, min_size=1, max_size=12).filter(lambda k: k != "__metadata__"),
    arrays(), max_size=6).filter(lambda d: _keys_are_plain(d))
