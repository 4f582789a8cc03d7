"""Format sniffing and the uniform entry points over the format modules.

    from gluonbridge import checkpoint
    index = checkpoint.read_index("model-0000.params")   # keys, dtypes, shapes; no data read
    arrays = checkpoint.load("model-0000.params")         # dict (or list) of NumPy arrays
    checkpoint.save("model.safetensors", arrays, "safetensors")

Format names: ``mxnet-binary`` (MXNet 1.x ``.params``), ``npz`` and ``npy`` (MXNet 2.x),
``safetensors``, ``onnx`` (initializers only), ``symbol-json`` (graph, no arrays).
"""
from __future__ import annotations

import os
import struct

from . import mxnet_binary, npz, safetensors_format
from ..atomic import atomic_output
from .direct_output import direct_output
from .errors import TruncatedError, UnknownFormatError, UnsupportedError
from .mxnet_binary import RecordVersion
from .tensor import Checkpoint, checkpoint_from_arrays

TARGETS = {"mx1": "mxnet-binary", "mx2": "npz", "safetensors": "safetensors", "onnx": "onnx"}
ARRAY_FORMATS = ("mxnet-binary", "npz", "npy", "safetensors", "onnx")


def sniff_format(path) -> str:
    """The format of ``path`` from its first bytes (and, for ONNX, its extension)."""
    path = os.fspath(path)
    with open(path, "rb") as fh:
        head = fh.read(16)
    size = os.path.getsize(path)
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "npz"
    if head[:6] == npz.NPY_MAGIC:
        return "npy"
    if len(head) >= 8 and struct.unpack_from("<Q", head)[0] == mxnet_binary.LIST_MAGIC:
        return "mxnet-binary"
    if len(head) >= 9 and head[8:9] == b"{" and struct.unpack_from("<Q", head)[0] <= size - 8:
        return "safetensors"
    if head.lstrip()[:1] == b"{":
        return "symbol-json"
    if path.endswith(".onnx") or head[:1] == b"\x08":
        return "onnx"
    if not head:
        raise TruncatedError(path, None, "a checkpoint file", "an empty file", offset=0)
    raise UnknownFormatError(path, None, "an MXNet .params/.npz/.npy, safetensors, ONNX or "
                             "symbol JSON file", repr(head[:8]),
                             "is this really a checkpoint file?", offset=0)


def read_index(path, format: str | None = None) -> Checkpoint:
    """Keys, dtypes, shapes and payload locations of any array file; payloads stay on disk."""
    format = format or sniff_format(path)
    if format == "mxnet-binary":
        return mxnet_binary.read_index(path)
    if format == "npz":
        return npz.read_index(path)
    if format == "npy":
        return npz.read_npy_index(path)
    if format == "safetensors":
        return safetensors_format.read_index(path)
    if format == "onnx":
        from . import onnx_initializers
        return onnx_initializers.read_index(path)
    raise UnsupportedError(path, None, "a file holding arrays (" + ", ".join(ARRAY_FORMATS) + ")",
                           f"a {format} file", "a symbol JSON holds the graph, not the weights")


def load(path, format: str | None = None):
    """The arrays of a file: a dict, or a list for list-form files (NumPy arrays, memory-mapped
    where possible; sparse arrays densified; bfloat16 as :data:`dtypes.BFLOAT16`)."""
    return read_index(path, format).to_numpy()


def write(out, checkpoint: Checkpoint, format: str, progress=None,
          records: RecordVersion = RecordVersion.LEGACY):
    """Write ``checkpoint`` in ``format`` to the raw binary file ``out`` (large outputs through
    :mod:`.direct_output`); ``records`` chooses the NDArray records of an ``mxnet-binary`` file
    (:class:`~.mxnet_binary.RecordVersion`)."""
    if format not in ARRAY_FORMATS:
        raise ValueError(f"unknown format {format!r}; expected one of {ARRAY_FORMATS}")
    with direct_output(out, checkpoint.nbytes) as sink:
        if format == "mxnet-binary":
            mxnet_binary.write_ndarray_list(sink, checkpoint, records, progress)
        elif format == "npz":
            npz.write_npz(sink, checkpoint, progress)
        elif format == "npy":
            npz.write_npy(sink, checkpoint, progress)
        elif format == "safetensors":
            safetensors_format.write_safetensors(sink, checkpoint, progress)
        else:
            from . import onnx_initializers
            onnx_initializers.write_onnx(sink, checkpoint, progress)


def save(path, arrays, format: str, force: bool = False, progress=None,
         records: RecordVersion = RecordVersion.LEGACY) -> None:
    """Write a dict / list of arrays or a :class:`Checkpoint` to ``path`` atomically."""
    checkpoint = checkpoint_from_arrays(arrays)
    with atomic_output(path, force) as out:
        write(out, checkpoint, format, progress, records)
