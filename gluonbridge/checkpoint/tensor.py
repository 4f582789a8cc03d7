"""The format-independent view of a checkpoint: :class:`Checkpoint` holds :class:`Tensor` entries,
each made of :class:`Part` arrays whose bytes stay in the file until asked for.

A dense tensor has one part (``data``); a row_sparse tensor two (``data``, ``indices``); a csr
tensor three (``data``, ``indptr``, ``indices``). Every part is a C-order little-endian array, so
converting between formats only re-frames the same bytes: writers stream each part's bytes
straight from the input file (:meth:`Part.write_to`), and memory use stays flat.
"""
from __future__ import annotations

import mmap
import os
import sys
import zlib
from dataclasses import dataclass, field, replace
from typing import Callable, Iterator, Sequence

from .direct_output import DirectOutput
from .dtypes import DTYPES, dtype_of_array
from .errors import CorruptDataError, UnsupportedError

CHUNK = 1 << 20                 # larger buffers measured slower (cache misses)
SPARSE_PART_NAMES = {
    "default": ("data",),
    "row_sparse": ("data", "indices"),
    "csr": ("data", "indptr", "indices"),
}


def element_count(shape: Sequence[int]) -> int:
    count = 1
    for dim in shape:
        count *= int(dim)
    return count


MAX_ARRAY_BYTES = sys.maxsize      # numpy's bound on one array's size (its intp)


def addressable(shape: Sequence[int]) -> bool:
    """Whether numpy can make an empty array of ``shape`` (one with a zero dim) in any dtype:
    numpy bounds the product of the other dims even then. A shape without a zero dim needs its
    bytes in the file, which each reader checks (a truncated file, not this)."""
    return 0 not in shape or element_count([d for d in shape if d]) * 16 <= MAX_ARRAY_BYTES


class MappedFile:
    """One file's read-only memory map, made on first use (or given: the map a reader already
    has) and shared by every :class:`FileRange` of the file: loading a model's hundreds of
    arrays maps the file once, not once per array."""

    def __init__(self, path, mapping: mmap.mmap | None = None):
        self.path = os.fspath(path)
        self._mapping = mapping

    def mapping(self) -> mmap.mmap:
        if self._mapping is None:
            with open(self.path, "rb") as fh:
                self._mapping = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        return self._mapping


class FileRange:
    """``nbytes`` bytes at ``offset`` of the file ``path``, read on demand. ``mapped``: the
    file's shared :class:`MappedFile` (without one, each :meth:`array` maps the file)."""

    def __init__(self, path, offset: int, nbytes: int, mapped: MappedFile | None = None):
        self.path = os.fspath(path)
        self.offset = offset
        self.nbytes = nbytes
        self.mapped = mapped

    def array(self, dtype: np.dtype, shape) -> np.ndarray:
        """A read-only memory-mapped view (a fresh empty array for zero bytes)."""
        import numpy as np
        if self.nbytes == 0:
            return np.empty(shape, dtype)
        mapped = (self.mapped or MappedFile(self.path)).mapping()
        count = self.nbytes // dtype.itemsize
        return np.frombuffer(mapped, dtype, count, self.offset).reshape(shape)

    def chunks(self, size: int = CHUNK) -> Iterator[bytes]:
        with open(self.path, "rb", buffering=0) as fh:
            fh.seek(self.offset)
            left = self.nbytes
            while left:
                block = fh.read(min(size, left))
                if not block:
                    raise OSError(f"{self.path} shrank while being read")
                left -= len(block)
                yield block

    def copy_with_crc(self, out, progress, value: int) -> int:
        """Copy the bytes to ``out`` (:meth:`copy_to`) and return their CRC-32 continued from
        ``value``."""
        return self._copy(out, progress, value)

    def copy_to(self, out, progress: Callable[[int], None] | None) -> None:
        """Copy the bytes to ``out``: read straight into its buffers if it is a
        :class:`.DirectOutput`, else through a buffer."""
        self._copy(out, progress, None)

    def _copy(self, out, progress, crc: int | None) -> int | None:
        with open(self.path, "rb", buffering=0) as fh:
            if isinstance(out, DirectOutput):
                return out.copy_range(fh.fileno(), self.offset, self.nbytes, crc, progress)
            fh.seek(self.offset)
            left = self.nbytes
            while left:
                block = fh.read(min(CHUNK, left))
                if not block:
                    raise OSError(f"{self.path} shrank while being read")
                if crc is not None:
                    crc = zlib.crc32(block, crc)
                out.write(block)
                left -= len(block)
                if progress:
                    progress(len(block))
            return crc


class ArrayRange:
    """The bytes of an in-memory array (C order, little-endian)."""

    def __init__(self, array: np.ndarray):
        self.data = array
        self.nbytes = array.nbytes

    def array(self, dtype: np.dtype, shape) -> np.ndarray:
        import numpy as np
        return self.data.view(dtype).reshape(shape) if self.nbytes else np.empty(shape, dtype)

    def chunks(self, size: int = CHUNK) -> Iterator[bytes]:
        flat = memoryview(self.data.reshape(-1).view("u1")) if self.nbytes else memoryview(b"")
        for start in range(0, self.nbytes, size):
            yield flat[start:start + size]

    def copy_to(self, out, progress) -> None:
        for block in self.chunks():
            out.write(block)
            if progress:
                progress(len(block))


@dataclass(frozen=True)
class Part:
    """One array of a tensor: its dtype name, shape and where its bytes are."""
    dtype: str
    shape: tuple
    source: object   # FileRange, ArrayRange, or a format module's own range type

    @property
    def nbytes(self) -> int:
        return self.source.nbytes

    def array(self) -> np.ndarray:
        return self.source.array(DTYPES[self.dtype].numpy, self.shape)

    def sha256(self) -> str:
        import hashlib
        digest = hashlib.sha256()
        for block in self.source.chunks():
            digest.update(block)
        return digest.hexdigest()

    def write_to(self, out, progress=None, crc: int | None = None) -> int | None:
        """Append the bytes to the raw file ``out``. With ``crc`` (a starting CRC-32 value),
        return the CRC-32 continued over these bytes."""
        if crc is None:
            self.source.copy_to(out, progress)
            return None
        if isinstance(self.source, FileRange):
            return self.source.copy_with_crc(out, progress, crc)
        value = crc
        for block in self.source.chunks():
            value = zlib.crc32(block, value)
            out.write(block)
            if progress:
                progress(len(block))
        return value


@dataclass(frozen=True)
class Tensor:
    """One entry of a checkpoint.

    ``key`` is None for entries of list-form files. ``stype`` is ``'default'``, ``'row_sparse'``,
    ``'csr'``, or ``'none'`` (MXNet's empty "none" NDArray: no dtype, shape or parts).
    ``meta`` carries format details needed to re-write a file byte for byte (MXNet record kind,
    context, storage shape as written); other formats ignore it.
    """
    key: str | None
    dtype: str | None
    shape: tuple | None
    stype: str = "default"
    parts: tuple = ()
    meta: dict = field(default_factory=dict, compare=False)

    @property
    def storage_shape(self) -> tuple | None:
        return self.parts[0].shape if self.parts else None

    @property
    def nbytes(self) -> int:
        return sum(part.nbytes for part in self.parts)

    def part(self, name: str) -> Part:
        return self.parts[SPARSE_PART_NAMES[self.stype].index(name)]

    def to_numpy(self) -> np.ndarray:
        """The dense array (sparse tensors are densified; memory-mapped when possible)."""
        if self.stype == "none":
            raise UnsupportedError(None, f"key {self.key!r}", "an array with data",
                                   "an MXNet 'none' array (no shape, no data)")
        if self.stype == "default":
            return self.parts[0].array()
        import numpy as np
        dense = np.zeros(self.shape, DTYPES[self.dtype].numpy)
        values = self.parts[0].array()
        if self.stype == "row_sparse":
            dense[self.part("indices").array()] = values
        else:
            indptr, columns = self.part("indptr").array(), self.part("indices").array()
            rows = np.repeat(np.arange(self.shape[0]), np.diff(indptr))
            dense[rows, columns] = values
        return dense

    def densified(self) -> "Tensor":
        if self.stype in ("default", "none"):
            return self
        return tensor_from_array(self.key, self.to_numpy())

    def renamed(self, key: str | None) -> "Tensor":
        return replace(self, key=key)


def tensor_from_array(key: str | None, array) -> Tensor:
    """A dense tensor holding a NumPy array (converted to C order, little-endian)."""
    import numpy as np
    array = np.asarray(array)
    row = dtype_of_array(array)
    if row is None:
        raise UnsupportedError(None, f"key {key!r}", "one of " + ", ".join(DTYPES),
                               f"dtype {array.dtype}", "object, string and complex arrays "
                               "cannot be stored in MXNet checkpoints")
    if row.name == "bfloat16":
        bits = array.view(array.dtype["bfloat16"] if array.dtype.fields else np.uint16)
        data = np.ascontiguousarray(bits, dtype="<u2").view(row.numpy)
    else:
        data = np.ascontiguousarray(array, dtype=row.numpy)
    return Tensor(key, row.name, tuple(int(d) for d in array.shape), "default",
                  (Part(row.name, tuple(int(d) for d in array.shape), ArrayRange(data)),))


def check_sparse_indices(path, what, tensor: Tensor) -> None:
    """Validate sparse index arrays. MXNet does not, and then computes wrong dense values or
    crashes while densifying (spec 2.6). The error's offset is that of the first bad index."""
    import numpy as np

    def check(name, values, low, high, order):
        """The error if a value is outside [low, high] or breaks ``order`` (None, "<" or "<=")."""
        bad = np.flatnonzero((values < low) | (values > high))
        if not bad.size and order:
            steps = np.diff(values)
            bad = 1 + np.flatnonzero(steps <= 0 if order == "<" else steps < 0)
        if not bad.size:
            return None
        part = tensor.part(name)
        source = getattr(part.source, "range", part.source)   # a ZIP member's range in the file
        offset = getattr(source, "offset", None)
        return CorruptDataError(path, f"{what}, {name}[{bad[0]}]", expected(name, low, high),
                                f"{values[bad[0]]} in {name} {values[:8].tolist()}"
                                f"{'...' if values.size > 8 else ''}",
                                "the sparse index arrays are corrupt", key=tensor.key,
                                offset=None if offset is None
                                else offset + int(bad[0]) * DTYPES[part.dtype].itemsize)

    def expected(name, low, high):
        if name == "indptr":
            return f"csr indptr non-decreasing from 0 to nnz={high}"
        order = "strictly increasing " if tensor.stype == "row_sparse" else ""
        return f"{order}{name} in [{low}, {high + 1})"

    if tensor.stype == "row_sparse":
        rows = tensor.part("indices").array().astype(np.int64, copy=False)
        error = check("indices", rows, 0, tensor.shape[0] - 1, "<")
    else:
        nnz = tensor.storage_shape[0]
        indptr = tensor.part("indptr").array().astype(np.int64, copy=False)
        error = check("indptr", indptr, 0, nnz, "<=")
        if error is None and (indptr[0] != 0 or indptr[-1] != nnz):
            error = CorruptDataError(path, f"{what}, indptr", f"csr indptr from 0 to nnz={nnz}",
                                     f"{indptr[0]} to {indptr[-1]}",
                                     "the sparse index arrays are corrupt", key=tensor.key)
        error = error or check("indices", tensor.part("indices").array().astype(
            np.int64, copy=False), 0, tensor.shape[1] - 1, None)
    if error is not None:
        raise error


@dataclass
class Checkpoint:
    """The tensors of one file, in file order. ``container`` is ``'dict'`` or ``'list'``."""
    tensors: list
    container: str = "dict"
    format: str = ""
    path: str | None = None
    notes: list = field(default_factory=list)

    def keys(self) -> list:
        return [t.key for t in self.tensors]

    def to_numpy(self):
        """A dict (or list, for list-form files) of dense NumPy arrays; None for 'none' arrays."""
        values = [None if t.stype == "none" else t.to_numpy() for t in self.tensors]
        if self.container == "list":
            return values
        return dict(zip(self.keys(), values))

    @property
    def nbytes(self) -> int:
        return sum(t.nbytes for t in self.tensors)


def checkpoint_from_arrays(arrays) -> Checkpoint:
    """A checkpoint from a dict (key -> array) or a list of arrays (list form)."""
    if isinstance(arrays, Checkpoint):
        return arrays
    if isinstance(arrays, dict):
        return Checkpoint([tensor_from_array(str(k), v) for k, v in arrays.items()], "dict")
    return Checkpoint([tensor_from_array(None, v) for v in arrays], "list")
