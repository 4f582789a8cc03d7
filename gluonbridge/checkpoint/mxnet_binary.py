"""MXNet 1.x binary NDArray list files (``.params``, ``.nd``): what ``mx.nd.save`` writes.

Layout (all little-endian; spec: ``shared/spec/checkpoints.md`` section 2)::

    u64 0x112 | u64 reserved | u64 N | N records | u64 K (0: list, N: dict) | K x (u64 len, bytes)

Nothing may follow the names table: MXNet ignores trailing bytes, gluonbridge refuses them.

A record starts with a u32 that is a magic (V1 ``0xF993FAC8``, V2 ``0xF993FAC9``, V3
``0xF993FACA``) or, in magic-less V0 records, the ndim itself::

    V2/V3: magic | i32 stype | [storage shape if sparse] | shape | i32 dev_type | i32 dev_id |
           i32 type flag | [aux: i32 type flag + shape, per aux] | data | [aux data]
    V1:    magic | shape | i32 dev_type | i32 dev_id | i32 type flag | data
    V0:    u32 ndim | ndim x u32 dims | i32 dev_type | i32 dev_id | i32 type flag | data
    shape: i32 ndim | ndim x i64 dims

:func:`read_index` parses every header (nothing of the payloads is read except sparse indices,
which are validated) and returns a :class:`Checkpoint` whose parts point into the file.
:func:`write_ndarray_list` writes what MXNet 1.9.1 writes, byte for byte.

Shape rules (spec 2.7): in V3, V1 and V0 records ndim 0 is a 0-d scalar with a payload and a
dim of -1 makes the record an empty "none" array; in V2 a dim < 0 is an error and ndim 0 is
ambiguous: MXNet <= 1.4 wrote "none" arrays that way (nothing follows), 1.9.1 in legacy mode
writes 0-d arrays that way (ctx, dtype and a payload follow; MXNet itself then cannot read the
file back). The reader first parses V2 ndim-0 records as scalars, and if the file does not then
parse consistently, as "none" arrays.
"""
from __future__ import annotations

import enum
import mmap
import os
import struct

from .dtypes import BY_MXNET_FLAG, DTYPES, INTEGER_DTYPES
from .errors import (CheckpointError, CorruptDataError, CorruptHeaderError, TruncatedError,
                     UnknownFormatError, UnsupportedError)
from .tensor import (Checkpoint, FileRange, MappedFile, Part, Tensor, addressable,
                     check_sparse_indices, element_count)

LIST_MAGIC = 0x112
RECORD_MAGICS = {0xF993FAC8: "V1", 0xF993FAC9: "V2", 0xF993FACA: "V3"}
MAGIC_OF = {kind: magic for magic, kind in RECORD_MAGICS.items()}
STYPE_CODES = {0: "default", 1: "row_sparse", 2: "csr"}
STYPE_OF = {name: code for code, name in STYPE_CODES.items()}
MAX_NDIM = 64
DEFAULT_CONTEXT = (1, 0)       # cpu(0)


class _Cursor:
    """Bounds-checked little-endian reads from a buffer, with error messages that say where."""

    def __init__(self, buf, path):
        self.buf = buf
        self.path = path
        self.file = MappedFile(path, buf)       # the payloads' ranges share the map
        self.pos = 0
        self.size = len(buf)

    def need(self, nbytes: int, what: str) -> int:
        if nbytes < 0 or self.pos + nbytes > self.size:
            raise TruncatedError(self.path, None, f"{nbytes} bytes of {what}",
                                 f"{self.size - self.pos} bytes left in the file",
                                 "the file is truncated or a size field is corrupt",
                                 offset=self.pos)
        start = self.pos
        self.pos += nbytes
        return start

    def unpack(self, fmt: str, what: str):
        start = self.need(struct.calcsize(fmt), what)
        return struct.unpack_from(fmt, self.buf, start)[0]

    def remaining(self) -> int:
        return self.size - self.pos


def _corrupt(cur: _Cursor, at: int, expected: str, found: str, hint: str = "") -> CheckpointError:
    return CorruptHeaderError(cur.path, None, expected, found,
                              hint or "the file is corrupt or not an MXNet NDArray list file",
                              offset=at)


def _read_shape(cur: _Cursor, what: str):
    """An i32 ndim and ndim i64 dims; returns (dims, offset of the first dim)."""
    at = cur.pos
    ndim = cur.unpack("<i", f"the ndim of {what}")
    if not 0 <= ndim <= MAX_NDIM:
        raise _corrupt(cur, at, f"ndim of {what} between 0 and {MAX_NDIM}", str(ndim))
    dims_at = cur.need(8 * ndim, f"the {ndim} dims of {what}")
    return struct.unpack_from(f"<{ndim}q", cur.buf, dims_at), dims_at


def _payload(cur: _Cursor, dtype: str, shape, what: str) -> Part:
    nbytes = DTYPES[dtype].itemsize * element_count(shape)
    start = cur.need(nbytes, f"{what} ({dtype} {shape})")
    return Part(dtype, tuple(shape), FileRange(cur.path, start, nbytes, cur.file))


def _type_flag(cur: _Cursor, what: str) -> str:
    at = cur.pos
    flag = cur.unpack("<i", what)
    if flag not in BY_MXNET_FLAG:
        raise _corrupt(cur, at, f"a type flag 0..{max(BY_MXNET_FLAG)} for {what}", str(flag),
                       "unknown dtype code: corrupt file, or written by a newer MXNet")
    return BY_MXNET_FLAG[flag].name


def _read_record(cur: _Cursor, index: int, v2_ndim0_is_scalar: bool, seen_v2_ndim0: list):
    """Parse one record at the cursor; return a Tensor (key filled in later)."""
    start = cur.pos
    what = f"array {index}"
    first = cur.unpack("<I", f"the record header of {what}")
    kind = RECORD_MAGICS.get(first, "V0")
    stype = "default"
    storage_shape = None
    none = False
    if kind in ("V2", "V3"):
        at = cur.pos
        code = cur.unpack("<i", f"the storage type of {what}")
        if code not in STYPE_CODES or (kind == "V3" and code != 0):
            allowed = "0 (dense)" if kind == "V3" else "0, 1 or 2"
            raise _corrupt(cur, at, f"storage type {allowed} in a {kind} record", str(code))
        stype = STYPE_CODES[code]
        if stype != "default":
            storage_shape, dims_at = _read_shape(cur, f"the storage shape of {what}")
            _check_dims(cur, storage_shape, dims_at, what, allow_unknown=False)
        shape, dims_at = _read_shape(cur, f"the shape of {what}")
        if kind == "V3":
            none = _check_dims(cur, shape, dims_at, what, allow_unknown=True)
        else:
            _check_dims(cur, shape, dims_at, what, allow_unknown=False)
            if not shape:
                seen_v2_ndim0.append(start)
                none = not v2_ndim0_is_scalar
    elif kind == "V1":
        shape, dims_at = _read_shape(cur, f"the shape of {what}")
        none = _check_dims(cur, shape, dims_at, what, allow_unknown=True)
    else:
        if first > MAX_NDIM:
            raise _corrupt(cur, start, f"a record magic (0xF993FAC8/9/A) or a legacy V0 ndim "
                           f"<= {MAX_NDIM} for {what}", f"0x{first:08X}")
        dims_at = cur.need(4 * first, f"the {first} dims of {what}")
        shape = struct.unpack_from("<" + "I" * first, cur.buf, dims_at)
    meta = {"record": kind, "offset": start}
    if none:
        return Tensor(None, None, None, "none", (), meta)
    dev_type = cur.unpack("<i", f"the device type of {what}")
    dev_id = cur.unpack("<i", f"the device id of {what}")
    meta["context"] = (dev_type, dev_id)
    dtype = _type_flag(cur, f"the dtype of {what}")
    if stype == "default":
        data = _payload(cur, dtype, shape, f"the data of {what}")
        meta["data_offset"] = data.source.offset
        return Tensor(None, dtype, tuple(shape), stype, (data,), meta)
    return _read_sparse(cur, what, meta, stype, dtype, shape, storage_shape)


def _check_dims(cur, dims, dims_at, what, allow_unknown: bool) -> bool:
    """Reject negative dims (except -1 = unknown where allowed); True if the shape is unknown."""
    lowest = -1 if allow_unknown else 0
    for i, dim in enumerate(dims):
        if dim < lowest:
            raise _corrupt(cur, dims_at + 8 * i, f"dim {i} of {what} >= {lowest}", str(dim))
    if not addressable(dims):
        raise _corrupt(cur, dims_at, f"dims of {what} whose product numpy can address",
                       str(tuple(dims)))
    return -1 in dims


def _read_sparse(cur, what, meta, stype, dtype, shape, storage_shape) -> Tensor:
    aux_names = ("indices",) if stype == "row_sparse" else ("indptr", "indices")
    aux, aux_at = [], []   # (name, dtype, shape) and the offset of the shape's dims, per aux
    for name in aux_names:
        at = cur.pos
        aux_dtype = _type_flag(cur, f"the {name} dtype of {what}")
        if aux_dtype not in INTEGER_DTYPES:
            raise _corrupt(cur, at, f"an integer dtype for the {name} of {what}", aux_dtype)
        aux_shape, dims_at = _read_shape(cur, f"the {name} shape of {what}")
        _check_dims(cur, aux_shape, dims_at, what, allow_unknown=False)
        aux.append((name, aux_dtype, aux_shape))
        aux_at.append(dims_at)
    meta["storage_shape_as_written"] = storage_shape
    if element_count(storage_shape) == 0:
        # MXNet may write a placeholder storage shape; it then derives the real one (spec 2.6).
        storage_shape = ((aux[0][2][:1] + tuple(shape[1:])) if stype == "row_sparse"
                         else aux[1][2])
    _check_sparse_shapes(cur, what, stype, shape, storage_shape, aux, aux_at)
    data = _payload(cur, dtype, storage_shape, f"the data of {what}")
    meta["data_offset"] = data.source.offset
    parts = [data] + [_payload(cur, d, s, f"the {n} of {what}") for n, d, s in aux]
    tensor = Tensor(None, dtype, tuple(shape), stype, tuple(parts), meta)
    check_sparse_indices(cur.path, what, tensor)
    return tensor


def _check_sparse_shapes(cur, what, stype, shape, storage_shape, aux, aux_at):
    """Shape, storage shape and aux shapes must agree; the error points at the last aux shape
    (the storage shape written before it may be MXNet's placeholder, spec 2.6)."""
    at = aux_at[-1]
    if stype == "row_sparse":
        rows = storage_shape[0] if storage_shape else None
        if not shape or len(storage_shape) != len(shape) or tuple(storage_shape[1:]) != shape[1:] \
                or aux[0][2] != (rows,):
            raise _corrupt(cur, at, f"row_sparse {what} of shape {shape}: storage shape "
                           f"(rows, *{shape[1:]}) and indices shape (rows,)",
                           f"storage shape {storage_shape}, indices shape {aux[0][2]}")
    else:
        if len(shape) != 2 or aux[0][2] != (shape[0] + 1,) or len(storage_shape) != 1 \
                or aux[1][2] != tuple(storage_shape):
            rows = shape[0] + 1 if shape else "?"
            raise _corrupt(cur, at, f"csr {what} of shape {shape}: 2-D, indptr ({rows},) "
                           "and indices shape == storage shape (nnz,)",
                           f"storage shape {storage_shape}, indptr {aux[0][2]}, indices {aux[1][2]}")


def _parse(buf, path, v2_ndim0_is_scalar: bool, seen_v2_ndim0: list) -> Checkpoint:
    """One parse of the whole file, which must end exactly after the names table.
    ``v2_ndim0_is_scalar`` False is the fallback reading of V2 ndim-0 records as "none"."""
    cur = _Cursor(buf, path)
    magic = cur.unpack("<Q", "the list magic")
    if magic != LIST_MAGIC:
        raise UnknownFormatError(path, None, "the MXNet NDArray list magic 0x112",
                                 f"0x{magic:X}", "not an MXNet 1.x .params/.nd file", offset=0)
    cur.unpack("<Q", "the reserved field")   # MXNet ignores it
    count_at = cur.pos
    count = cur.unpack("<Q", "the array count")
    tensors = []
    while len(tensors) < count:   # each record takes >= 12 bytes: the file bounds the loop
        start = cur.pos
        try:
            tensors.append(_read_record(cur, len(tensors), v2_ndim0_is_scalar, seen_v2_ndim0))
        except CheckpointError:
            starts = [t.meta["offset"] for t in tensors] + [start]
            _raise_if_count_is_wrong(buf, path, starts, count_at, count)
            raise
    names = _read_names(cur, count)
    if names is not None:
        seen = {}
        for i, name in enumerate(names):
            if name in seen:
                raise UnsupportedError(path, f"name {i}", "unique names",
                                       f"{name!r} again (first as name {seen[name]})",
                                       "MXNet would silently keep only the last array", key=name)
            seen[name] = i
        tensors = [t.renamed(name) for t, name in zip(tensors, names)]
    return Checkpoint(tensors, "dict" if names is not None else "list", "mxnet-binary", path)


def _read_names(cur: _Cursor, count: int):
    """The names table at the cursor, which must end the file: a list of ``count`` names, or
    None for a list file (no names)."""
    at = cur.pos
    n_names = cur.unpack("<Q", "the names count")
    if n_names not in (0, count):
        raise _corrupt(cur, at, f"names count 0 (list) or {count} (dict, one per array)",
                       str(n_names))
    names = []
    for i in range(n_names):
        length = cur.unpack("<Q", f"the length of name {i}")
        start = cur.need(length, f"name {i}")
        try:
            names.append(bytes(cur.buf[start:start + length]).decode("utf-8"))
        except UnicodeDecodeError as err:
            raise CorruptDataError(cur.path, f"name {i}", "a UTF-8 name",
                                   f"invalid byte at position {err.start}",
                                   offset=start) from None
    if cur.remaining():
        raise _corrupt(cur, cur.pos, "the end of the file after the names table",
                       f"{cur.remaining()} more bytes", "trailing garbage: the file may be damaged "
                       f"(MXNet ignores it); if the arrays are known good, truncate the file to "
                       f"{cur.pos} bytes")
    return names if n_names else None


def _raise_if_count_is_wrong(buf, path, starts, count_at, count):
    """The record at ``starts[-1]`` could not be read. If a complete names table for the first
    ``i`` records starts at ``starts[i]`` instead, the array count is what is wrong: say so."""
    for parsed, start in enumerate(starts):
        probe = _Cursor(buf, path)
        probe.pos = start
        try:
            _read_names(probe, parsed)
        except CheckpointError:
            continue
        raise CorruptHeaderError(path, None, f"the array count {parsed} (the file holds {parsed} "
                                 "arrays and then their names table)", str(count),
                                 "the array count field is corrupt", offset=count_at)


def read_index(path) -> Checkpoint:
    """All keys, dtypes, shapes and payload locations of an NDArray list file.

    Only headers are read (plus sparse index arrays, which are validated); every length is
    checked against the file size first; the payloads' ranges share the map read here.
    Raises a :class:`CheckpointError` subclass.
    """
    path = os.fspath(path)
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size == 0:
            raise TruncatedError(path, None, "the MXNet NDArray list header (24 bytes)",
                                 "an empty file", offset=0)
        buf = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    seen_v2_ndim0: list = []
    try:
        return _parse(buf, path, True, seen_v2_ndim0)
    except CheckpointError as first_error:
        if not seen_v2_ndim0:
            raise
        try:
            return _parse(buf, path, False, [])
        except CheckpointError:
            raise first_error from None


# ------------------------------------------------------------------------------------ writing

def _shape_bytes(shape) -> bytes:
    return struct.pack(f"<i{len(shape)}q", len(shape), *shape)


def _record_header(tensor: Tensor, kind: str, preserve: bool) -> bytes:
    magic = struct.pack("<Ii", MAGIC_OF[kind], STYPE_OF.get(tensor.stype, 0))
    if tensor.stype == "none":
        return magic + _shape_bytes(())
    dev_type, dev_id = tensor.meta.get("context", DEFAULT_CONTEXT) if preserve else DEFAULT_CONTEXT
    head = [magic]
    if tensor.stype != "default":
        written = tensor.meta.get("storage_shape_as_written") if preserve else None
        head.append(_shape_bytes(written if written is not None else tensor.storage_shape))
    head.append(_shape_bytes(tensor.shape))
    head.append(struct.pack("<iii", dev_type, dev_id, DTYPES[tensor.dtype].mxnet_flag))
    for part in tensor.parts[1:]:
        head.append(struct.pack("<i", DTYPES[part.dtype].mxnet_flag) + _shape_bytes(part.shape))
    return b"".join(head)


class RecordVersion(enum.Enum):
    """Which NDArray records a ``.params`` file is written with, and so which shape semantics a
    reader applies to it (spec 2.2, 2.7). Not to be confused with the MXNet 1.x / 2.x naming
    API: a 2.x ``nd.save`` writes NUMPY records, a 1.x ``npx.save`` too.

    LEGACY: V2 records, 1.x shape semantics (ndim 0 means "none"): what ``mx.nd.save`` writes
    in MXNet 1.x and what every 1.x loader reads. If a tensor is 0-d, which a V2 record cannot
    carry readably, every record is V3 instead.
    NUMPY: V3 records, numpy shape semantics (ndim 0 is a scalar): ``npx.save`` in 1.x,
    ``nd.save`` in 2.x; dense arrays only.
    PRESERVE: each record of the kind it was read as (V0/V1 become V2), with the context and
    sparse storage shape as read, so that ``write(read(f))`` reproduces an MXNet file.
    """
    LEGACY = "legacy"
    NUMPY = "numpy"
    PRESERVE = "preserve"


def record_kinds(checkpoint: Checkpoint, records: RecordVersion) -> list:
    """The record kind (``'V2'``/``'V3'``) each tensor is written as (see :class:`RecordVersion`;
    its values are accepted too)."""
    records = RecordVersion(records)
    tensors = checkpoint.tensors
    if records is RecordVersion.PRESERVE:
        return ["V3" if t.meta.get("record") == "V3" and t.stype != "none" else "V2"
                for t in tensors]
    if records is RecordVersion.LEGACY and not any(t.shape == () for t in tensors):
        return ["V2"] * len(tensors)
    for t in tensors:
        if t.stype != "default":
            raise UnsupportedError(checkpoint.path, f"key {t.key!r}",
                                   "dense arrays in a numpy-semantics (V3) file",
                                   f"a {t.stype} array" + (" next to a 0-d array"
                                                           if records is RecordVersion.LEGACY
                                                           else ""),
                                   "densify it (--densify) or write legacy (V2) records",
                                   key=t.key)
    return ["V3"] * len(tensors)


def write_ndarray_list(out, checkpoint: Checkpoint,
                       records: RecordVersion = RecordVersion.LEGACY, progress=None) -> None:
    """Write ``checkpoint`` to the raw binary file ``out`` as an NDArray list file.

    Dict checkpoints get a names table (UTF-8), list checkpoints none. ``records`` chooses the
    record kinds (:class:`RecordVersion`).
    """
    kinds = record_kinds(checkpoint, records)
    preserve = RecordVersion(records) is RecordVersion.PRESERVE
    tensors = checkpoint.tensors
    out.write(struct.pack("<QQQ", LIST_MAGIC, 0, len(tensors)))
    for tensor, kind in zip(tensors, kinds):
        out.write(_record_header(tensor, kind, preserve))
        for part in tensor.parts:
            part.write_to(out, progress)
    if checkpoint.container == "dict":
        names = []
        for i, tensor in enumerate(tensors):
            if tensor.key is None:
                raise UnsupportedError(checkpoint.path, f"array {i}", "a key for every array of a "
                                       "dict checkpoint", "None")
            encoded = tensor.key.encode("utf-8")
            names.append(struct.pack("<Q", len(encoded)) + encoded)
        out.write(struct.pack("<Q", len(names)) + b"".join(names))
    else:
        out.write(struct.pack("<Q", 0))
