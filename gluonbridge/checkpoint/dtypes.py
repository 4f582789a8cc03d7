"""The one table of element types, shared by every format module.

A dtype is named by a short string (``'float32'``, ``'bfloat16'``, ...). Each row says how the
formats spell it: MXNet's type flag (binary list format and symbol ``__dtype__``), the ``.npy``
``descr``, the safetensors code and the ONNX ``TensorProto`` data type.

bfloat16: NumPy has no bfloat16. gluonbridge represents a bfloat16 array exactly as MXNet 1.x's
Python API and MXNet 2's ``.npz`` writer do: the structured dtype ``[('bfloat16', '<u2')]``
(:data:`BFLOAT16`), one ``uint16`` per element holding the upper 16 bits of the float32 value.
No arithmetic is possible on it, and nothing is rounded: the bits go through unchanged. Use
:func:`bfloat16_to_float32` to look at the values.
"""
from __future__ import annotations

import functools
from typing import NamedTuple


class DType(NamedTuple):
    name: str
    mxnet_flag: int
    itemsize: int
    npy_descr: object          # what .npy headers spell (a str, or a list for bfloat16)
    safetensors: str
    onnx: int                  # onnx.TensorProto.DataType value

    @property
    def numpy(self):
        """The NumPy dtype, which is the ``.npy`` descr's (NumPy is imported on first use: the
        command-line converters never need it)."""
        return _numpy_dtype(self.name)


_ROWS = [
    # name       flag size npy descr                 safetensors onnx
    ("float32",   0, 4, "<f4",                        "F32",  1),
    ("float64",   1, 8, "<f8",                        "F64",  11),
    ("float16",   2, 2, "<f2",                        "F16",  10),
    ("uint8",     3, 1, "|u1",                        "U8",   2),
    ("int32",     4, 4, "<i4",                        "I32",  6),
    ("int8",      5, 1, "|i1",                        "I8",   3),
    ("int64",     6, 8, "<i8",                        "I64",  7),
    ("bool",      7, 1, "|b1",                        "BOOL", 9),
    ("int16",     8, 2, "<i2",                        "I16",  5),
    ("uint16",    9, 2, "<u2",                        "U16",  4),
    ("uint32",   10, 4, "<u4",                        "U32",  12),
    ("uint64",   11, 8, "<u8",                        "U64",  13),
    ("bfloat16", 12, 2, [("bfloat16", "<u2")],        "BF16", 16),
]
DTYPES = {row[0]: DType(*row) for row in _ROWS}
BY_MXNET_FLAG = {d.mxnet_flag: d for d in DTYPES.values()}
BY_SAFETENSORS = {d.safetensors: d for d in DTYPES.values()}
BY_ONNX = {d.onnx: d for d in DTYPES.values()}

# Type flags MXNet 1.9.1 itself can read and write; 8..11 need 2.x (``Unknown type enum 8``).
MXNET1_FLAGS = frozenset(range(8)) | {12}
INTEGER_DTYPES = frozenset(["uint8", "int32", "int8", "int64", "int16", "uint16", "uint32",
                            "uint64"])


@functools.lru_cache(maxsize=None)
def _numpy_dtype(name: str):
    import numpy as np
    return np.dtype(DTYPES[name].npy_descr)


def __getattr__(name):
    if name == "BFLOAT16":       # np.dtype([("bfloat16", "<u2")]), made when first asked for
        return DTYPES["bfloat16"].numpy
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def npy_descr_key(descr) -> object:
    """A hashable form of a ``.npy`` descr (lists of tuples become tuples of tuples)."""
    if isinstance(descr, list):
        return tuple(tuple(field) for field in descr)
    return descr


BY_NPY_DESCR = {npy_descr_key(d.npy_descr): d for d in DTYPES.values()}
# NumPy also spells single-byte types with '<' or '=' and bool as '<b1'; accept them on read.
for _d in ("uint8", "int8", "bool"):
    for _order in "<=":
        BY_NPY_DESCR[_order + DTYPES[_d].npy_descr[1:]] = DTYPES[_d]


def dtype_of_array(array) -> DType | None:
    """The table row for a NumPy array's dtype, or None. Byte order is ignored (writers convert
    to little-endian); the structured bfloat16 dtype and ``ml_dtypes.bfloat16`` both map to
    bfloat16."""
    dt = array.dtype
    if dt.fields is not None:
        if list(dt.fields) == ["bfloat16"] and dt.itemsize == 2 and dt["bfloat16"].kind == "u":
            return DTYPES["bfloat16"]
        return None
    if dt.name == "bfloat16" and dt.itemsize == 2:
        return DTYPES["bfloat16"]
    for row in DTYPES.values():
        if row.name != "bfloat16" and dt.kind == row.numpy.kind and dt.itemsize == row.itemsize:
            return row
    return None


def bfloat16_to_float32(array):
    """The float32 values of a bfloat16 array (raw ``uint16`` bits or :data:`BFLOAT16`)."""
    import numpy as np
    bits = np.ascontiguousarray(array).view("<u2").astype("<u4")
    return (bits << 16).view("<f4").reshape(array.shape)
