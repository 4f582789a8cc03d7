"""safetensors files, read and written without loading tensors into memory.

Layout: u64 N | N bytes of UTF-8 JSON header | data. The header maps each tensor name to
``{"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}`` (offsets relative to the start
of the data) plus an optional ``"__metadata__"`` string map; it is padded with spaces to a
multiple of 8. This module parses and validates the header itself, so the payloads can be
streamed or memory-mapped like every other format's; the ``safetensors`` package reads what
:func:`write_safetensors` writes.

Nothing may be unaccounted for, as the format requires: keys are unique, and the tensors'
byte ranges, taken in order, are exactly contiguous: the first begins at 0, each begins where
the previous one ends and the last ends at the end of the file (no gaps, no overlaps, no
trailing bytes).

safetensors stores dense arrays only: sparse tensors must be densified first (``--densify``).
bfloat16 is stored as ``BF16`` (the raw bits, as everywhere in gluonbridge).
"""
from __future__ import annotations

import json
import os
import struct

from .dtypes import BY_SAFETENSORS, DTYPES
from .errors import (CorruptHeaderError, DuplicateKey, TruncatedError, UnsupportedError,
                     unique_keys)
from .tensor import Checkpoint, FileRange, MappedFile, Part, Tensor, addressable, element_count

MAX_HEADER = 100 << 20          # the safetensors library's own limit
ALIGN = 8


def read_index(path) -> Checkpoint:
    """The tensors of a safetensors file, in data order; the header is validated in full."""
    path = os.fspath(path)
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        head = fh.read(8)
        if len(head) < 8:
            raise TruncatedError(path, None, "an 8-byte header length", f"{len(head)} bytes",
                                 offset=0)
        length = struct.unpack("<Q", head)[0]
        if length > min(MAX_HEADER, size - 8):
            raise CorruptHeaderError(path, None,
                                     f"a header length <= {min(MAX_HEADER, size - 8)}",
                                     str(length), "not a safetensors file, or truncated",
                                     offset=0)
        raw = fh.read(length)
    try:
        header = json.loads(raw.decode("utf-8"), object_pairs_hook=unique_keys)
    except DuplicateKey as err:
        raise CorruptHeaderError(path, "header", "unique keys", f"{err.args[0]!r} twice",
                                 "only one of the tensors could be read; the file is corrupt",
                                 offset=8, key=err.args[0]) from None
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise CorruptHeaderError(path, None, "a UTF-8 JSON header", str(err)[:80],
                                 offset=8) from None
    if not isinstance(header, dict):
        raise CorruptHeaderError(path, None, "a JSON object header", type(header).__name__,
                                 offset=8)
    metadata = header.pop("__metadata__", None) or {}
    if not isinstance(metadata, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
        raise CorruptHeaderError(path, "__metadata__", "a map of strings to strings",
                                 repr(metadata)[:80], offset=8)
    start, data_size = 8 + length, size - 8 - length
    entries = sorted(((_entry(path, key, entry, data_size), key)
                      for key, entry in header.items()), key=lambda e: e[0][2:])
    tensors, end_of_last, mapped = [], 0, MappedFile(path)
    for (dtype, shape, begin, end), key in entries:
        if begin != end_of_last:
            raise _not_contiguous(path, key, start, end_of_last, begin)
        end_of_last = end
        part = Part(dtype, shape, FileRange(path, start + begin, end - begin, mapped))
        tensors.append(Tensor(key, dtype, shape, "default", (part,)))
    if end_of_last != data_size:
        raise CorruptHeaderError(path, None, f"the end of the file after the last tensor "
                                 f"({start + end_of_last} bytes)",
                                 f"{data_size - end_of_last} more bytes",
                                 "bytes that belong to no tensor: the file is damaged; if the "
                                 f"tensors are known good, truncate it to {start + end_of_last} "
                                 "bytes", offset=start + end_of_last)
    notes = [f"metadata {k}={v!r}" for k, v in metadata.items()]
    return Checkpoint(tensors, "dict", "safetensors", path, notes)


def _not_contiguous(path, key, start, expected, begin):
    """The error for a tensor whose data does not begin where the previous one ends."""
    found = (f"a gap of {begin - expected} bytes before it" if begin > expected
             else f"data starting at {begin}, overlapping the previous tensor")
    return CorruptHeaderError(path, f"tensor {key!r}", f"data beginning at data offset "
                              f"{expected} (right after the previous tensor)", found,
                              "the tensors' data_offsets must be exactly contiguous: the file "
                              "is damaged or was not written by a safetensors writer",
                              offset=start + min(expected, begin), key=key)


def _entry(path, key, entry, data_size):
    where = f"tensor {key!r}"
    if not isinstance(entry, dict) or set(entry) != {"dtype", "shape", "data_offsets"}:
        raise CorruptHeaderError(path, where, "an object with dtype, shape and data_offsets",
                                 repr(entry)[:80], key=key)
    row = BY_SAFETENSORS.get(entry["dtype"]) if isinstance(entry["dtype"], str) else None
    if row is None:
        raise UnsupportedError(path, where, "a dtype among " + ", ".join(BY_SAFETENSORS),
                               repr(entry["dtype"])[:40], key=key)
    shape, offsets = entry["shape"], entry["data_offsets"]
    if not isinstance(shape, list) or len(shape) > 64 or not all(
            type(d) is int and d >= 0 for d in shape) or not addressable(shape):
        raise CorruptHeaderError(path, where, "a shape of non-negative ints", repr(shape)[:80],
                                 key=key)
    if not isinstance(offsets, list) or len(offsets) != 2 or not all(
            type(o) is int for o in offsets) or not 0 <= offsets[0] <= offsets[1] <= data_size:
        raise CorruptHeaderError(path, where, f"data_offsets [begin, end] within the {data_size} "
                                 "data bytes", repr(offsets)[:80], key=key)
    nbytes = row.itemsize * element_count(shape)
    if offsets[1] - offsets[0] != nbytes:
        raise CorruptHeaderError(path, where, f"{nbytes} bytes for {row.name} {tuple(shape)}",
                                 f"{offsets[1] - offsets[0]}", key=key)
    return row.name, tuple(shape), offsets[0], offsets[1]


def header_bytes(checkpoint: Checkpoint, metadata: dict | None = None) -> bytes:
    header, offset = {}, 0
    if metadata:
        header["__metadata__"] = dict(metadata)
    keys = [t.key if checkpoint.container == "dict" else f"arr_{i}"
            for i, t in enumerate(checkpoint.tensors)]
    for key, tensor in zip(keys, checkpoint.tensors):
        if tensor.stype != "default":
            raise UnsupportedError(checkpoint.path, f"key {key!r}", "dense arrays (safetensors "
                                   "has no sparse or 'none' arrays)", f"a {tensor.stype} array",
                                   "densify sparse arrays first (--densify)")
        if key in header or key is None:
            raise UnsupportedError(checkpoint.path, f"key {key!r}", "unique string keys", repr(key))
        nbytes = tensor.parts[0].nbytes
        header[key] = {"dtype": DTYPES[tensor.dtype].safetensors, "shape": list(tensor.shape),
                       "data_offsets": [offset, offset + nbytes]}
        offset += nbytes
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % ALIGN)
    return struct.pack("<Q", len(text)) + text


def write_safetensors(out, checkpoint: Checkpoint, progress=None, metadata=None) -> None:
    out.write(header_bytes(checkpoint, metadata))
    for tensor in checkpoint.tensors:
        tensor.parts[0].write_to(out, progress)
