"""MXNet 2.x ``.npy`` / ``.npz`` files, read and written without pickle.

``.npy`` (spec 4.2): ``\\x93NUMPY`` | u8 major | u8 minor | u16 (v1) or u32 (v2, v3) header length |
a Python-literal dict ``{'descr': ..., 'fortran_order': ..., 'shape': ...}`` padded with spaces
and a newline to a multiple of 64 bytes | the C-order payload. The header is parsed with
``ast.literal_eval`` (never ``eval``), must hold exactly those three keys, and ``descr`` must be
one of the dtypes of :mod:`.dtypes`: object, string, complex and big-endian arrays are refused.

``.npz`` (spec 4.3, 4.5): a ZIP with one ``<key>.npy`` member per array. MXNet 2 writes it with
miniz: stored members, flags 0x0808, zero timestamps, a data descriptor after each member;
:func:`write_npz` reproduces that byte for byte. Sparse arrays are folders
``<key>/{data,indices,[indptr],shape,format}.npy``.

Reading keeps payloads in the file: a stored member's payload is memory-mapped or streamed, and
its CRC-32 is checked whenever its bytes are read. Deflated members (``numpy.savez_compressed``)
are streamed through zlib with their declared size capped (zip bombs), never fully trusted.
"""
from __future__ import annotations

import ast
import os
import struct
import zipfile
import zlib

from .dtypes import BY_NPY_DESCR, DTYPES, INTEGER_DTYPES, npy_descr_key
from .errors import (CorruptDataError, CorruptHeaderError, TruncatedError,
                     UnsupportedError, ZipBombError)
from .tensor import (CHUNK, ArrayRange, Checkpoint, FileRange, MappedFile, Part, Tensor,
                     addressable, check_sparse_indices, element_count)

NPY_MAGIC = b"\x93NUMPY"
NPY_ALIGN = 64
MAX_HEADER_LEN = 65536          # numpy's own reader refuses headers above 10000 bytes by default
MAX_NDIM = 64
MAX_MEMBERS = 1 << 20
DEFLATE_MAX_RATIO = 1032        # deflate cannot expand more; a larger claim is a lie
MAX_INFLATE_RATIO = 100         # zip-bomb limit: deflated members may hold at most this many
MIN_INFLATE_BUDGET = 16 << 20   # times the archive size in total (and at least 16 MiB)
ZIP_LOCAL = struct.Struct("<4sHHHHHIIIHH")
ZIP_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")
ZIP_END = struct.Struct("<4sHHHHIIH")
ZIP_DESCRIPTOR = struct.Struct("<4sIII")
MINIZ_FLAGS = 0x0808            # sizes in a data descriptor; UTF-8 names
SPARSE_FOLDERS = {
    frozenset(["data", "indices", "shape", "format"]): "row_sparse",
    frozenset(["data", "indptr", "indices", "shape", "format"]): "csr",
}


# ------------------------------------------------------------------------------------ npy header

def npy_header(dtype: str, shape) -> bytes:
    """The v1.0 ``.npy`` header MXNet 2 (and numpy) write for a C-order array."""
    text = "{'descr': %r, 'fortran_order': False, 'shape': %r, }" % (
        DTYPES[dtype].npy_descr, tuple(int(d) for d in shape))
    used = len(NPY_MAGIC) + 4 + len(text) + 1
    text += " " * (NPY_ALIGN - used % NPY_ALIGN) + "\n"
    if len(text) > 0xFFFF:
        return NPY_MAGIC + b"\x02\x00" + struct.pack("<I", len(text)) + text.encode("latin1")
    return NPY_MAGIC + b"\x01\x00" + struct.pack("<H", len(text)) + text.encode("latin1")


def parse_npy_header(head: bytes, path, where: str | None, offset: int = 0,
                     member: str | None = None):
    """Parse the start of a ``.npy`` file: returns (dtype name, shape, fortran_order, header size).

    ``head`` must hold at least the whole header (callers pass the first
    ``MAX_HEADER_LEN + 12`` bytes or the whole member if shorter); ``offset`` is where it
    starts in the file, ``member`` the ZIP member it is (both for error messages).
    """
    def corrupt(at, expected, found, hint="not a valid .npy header"):
        return CorruptHeaderError(path, where, expected, found, hint, offset=offset + at,
                                  member=member)

    if len(head) < 10 or head[:6] != NPY_MAGIC:
        raise corrupt(0, "the .npy magic \\x93NUMPY", repr(bytes(head[:6])))
    major = head[6]
    if major not in (1, 2, 3):
        raise corrupt(6, ".npy format version 1, 2 or 3", f"{major}.{head[7]}")
    if major == 1:
        length, start = struct.unpack_from("<H", head, 8)[0], 10
    else:
        if len(head) < 12:
            raise TruncatedError(path, where, "a 12-byte .npy preamble", f"{len(head)} bytes",
                                 offset=offset, member=member)
        length, start = struct.unpack_from("<I", head, 8)[0], 12
    if length > MAX_HEADER_LEN:
        raise corrupt(8, f"a header length <= {MAX_HEADER_LEN}", str(length))
    if start + length > len(head):
        raise TruncatedError(path, where, f"a {length}-byte .npy header",
                             f"{len(head) - start} bytes", "the member is truncated",
                             offset=offset + start, member=member)
    raw = bytes(head[start:start + length])
    try:
        text = raw.decode("utf-8" if major == 3 else "latin1")
        header = ast.literal_eval(text)
    except (ValueError, SyntaxError, UnicodeDecodeError, MemoryError, RecursionError, TypeError):
        raise corrupt(start, "a Python-literal dict header", repr(raw[:60])) from None
    if not isinstance(header, dict) or set(header) != {"descr", "fortran_order", "shape"}:
        raise corrupt(start, "a dict with exactly 'descr', 'fortran_order', 'shape'",
                      repr(raw[:60]))
    shape, fortran = header["shape"], header["fortran_order"]
    if not isinstance(shape, tuple) or len(shape) > MAX_NDIM or not all(
            isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape) \
            or not addressable(shape):
        raise corrupt(start, f"a shape tuple of at most {MAX_NDIM} non-negative ints",
                      repr(shape))
    if not isinstance(fortran, bool):
        raise corrupt(start, "fortran_order True or False", repr(fortran))
    try:
        row = BY_NPY_DESCR.get(npy_descr_key(header["descr"]))
    except TypeError:
        row = None
    if row is None:
        raise UnsupportedError(path, where, "a descr among " + ", ".join(
            repr(d.npy_descr) for d in DTYPES.values()), repr(header["descr"]),
            "object (pickled), string, complex and big-endian arrays are refused; convert the "
            "array to a little-endian numeric dtype first", offset=offset + start, member=member)
    return row.name, shape, fortran, start + length


# ------------------------------------------------------------------------------------ zip reading

class StoredMember:
    """The payload of a stored (uncompressed) ZIP member; its CRC-32 is checked on every read."""

    def __init__(self, path, member, offset, nbytes, header, crc, mapped):
        self.path, self.member = path, member
        self.range = FileRange(path, offset, nbytes, mapped)
        self.nbytes = nbytes
        self.header, self.crc = header, crc   # the .npy header bytes (part of the CRC)

    def _crc_error(self):
        return CorruptDataError(self.path, f"member {self.member!r}", f"CRC-32 {self.crc:08x}",
                                "different bytes", "the archive is corrupt",
                                offset=self.range.offset - len(self.header), member=self.member)

    def chunks(self, size=CHUNK):
        value = zlib.crc32(self.header)
        for block in self.range.chunks(size):
            value = zlib.crc32(block, value)
            yield block
        if value != self.crc:
            raise self._crc_error()

    def array(self, dtype, shape):
        data = self.range.array(dtype, shape)
        value = zlib.crc32(self.header)
        flat = data.reshape(-1).view("u1")
        for start in range(0, flat.size, CHUNK):
            value = zlib.crc32(flat[start:start + CHUNK], value)
        if value != self.crc:
            raise self._crc_error()
        return data

    def copy_to(self, out, progress):
        for block in self.chunks():
            out.write(block)
            if progress:
                progress(len(block))


class DeflatedMember:
    """The payload of a deflated ZIP member, decompressed as a stream (CRC checked by zipfile)."""

    def __init__(self, path, info, skip, nbytes):
        self.path, self.info, self.skip, self.nbytes = path, info, skip, nbytes

    def chunks(self, size=CHUNK):
        try:
            with zipfile.ZipFile(self.path) as archive, archive.open(self.info) as stream:
                stream.read(self.skip)
                left = self.nbytes
                while left:
                    block = stream.read(min(size, left))
                    if not block:
                        raise TruncatedError(self.path, f"member {self.info.filename!r}",
                                             f"{self.nbytes} payload bytes", "fewer",
                                             member=self.info.filename)
                    left -= len(block)
                    yield block
                if stream.read(1):
                    raise CorruptDataError(self.path, f"member {self.info.filename!r}",
                                           f"{self.nbytes} payload bytes", "more",
                                           member=self.info.filename)
        except (zipfile.BadZipFile, zlib.error, EOFError) as err:
            raise CorruptDataError(self.path, f"member {self.info.filename!r}",
                                   "a valid deflate stream with a matching CRC-32",
                                   str(err), member=self.info.filename) from None

    def array(self, dtype, shape):
        import numpy as np
        return np.frombuffer(b"".join(self.chunks()), dtype).reshape(shape).copy() \
            if self.nbytes else np.empty(shape, dtype)

    def copy_to(self, out, progress):
        for block in self.chunks():
            out.write(block)
            if progress:
                progress(len(block))


def _members(path):
    """The archive's members (validated: unique names, at most MAX_MEMBERS), the offset of its
    central directory and the length of its comment."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            start_dir, comment = archive.start_dir, len(archive.comment)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, struct.error, OSError,
            EOFError, UnicodeDecodeError, OverflowError, NotImplementedError, KeyError) as err:
        # zipfile raises all of these on damaged central directories
        raise CorruptHeaderError(path, "ZIP central directory", "a readable ZIP archive",
                                 f"{type(err).__name__}: {err}",
                                 "the .npz file is truncated or corrupt") from None
    if len(infos) > MAX_MEMBERS:
        raise CorruptHeaderError(path, "ZIP central directory", f"at most {MAX_MEMBERS} members",
                                 str(len(infos)), offset=start_dir)
    seen = set()
    for info in infos:
        if info.filename in seen:
            raise CorruptHeaderError(path, f"member {info.filename!r}", "unique member names",
                                     "a duplicate", "MXNet refuses this archive too",
                                     offset=info.header_offset, member=info.filename)
        seen.add(info.filename)
    return infos, start_dir, comment


def _member_data_offset(path, fh, size, info) -> int:
    where = f"member {info.filename!r}"
    if info.header_offset < 0:      # a corrupt directory offset, shifted by zipfile's concat fix
        raise CorruptHeaderError(path, where, "a local header offset within the file",
                                 str(info.header_offset), "the .npz file is corrupt",
                                 member=info.filename)
    if info.header_offset + ZIP_LOCAL.size > size:
        raise TruncatedError(path, where, "a ZIP local header", f"a {size}-byte file",
                             offset=info.header_offset, member=info.filename)
    fh.seek(info.header_offset)
    fields = ZIP_LOCAL.unpack(fh.read(ZIP_LOCAL.size))
    if fields[0] != b"PK\x03\x04":
        raise CorruptHeaderError(path, where, "a ZIP local header signature PK\\3\\4",
                                 repr(fields[0]), offset=info.header_offset,
                                 member=info.filename)
    start = info.header_offset + ZIP_LOCAL.size + fields[9] + fields[10]
    if start + info.compress_size > size:
        raise TruncatedError(path, where, f"{info.compress_size} bytes of data",
                             f"a {size}-byte file", "the archive is truncated", offset=start,
                             member=info.filename)
    return start


def _member_end(fh, info, data_start) -> int:
    """Where a member's bytes end: after its data and its data descriptor, if it has one
    (flag bit 3; 12 or 16 bytes, 20 or 24 with ZIP64 sizes, the signature being optional)."""
    end = data_start + info.compress_size
    if not info.flag_bits & 0x08:
        return end
    fh.seek(end)
    signed = fh.read(4) == b"PK\x07\x08"
    zip64 = info.file_size >= 0xFFFFFFFF or info.compress_size >= 0xFFFFFFFF
    return end + (4 if signed else 0) + (20 if zip64 else 12)


def _check_accounted(path, fh, size, infos, starts, start_dir, comment) -> None:
    """Every byte of the archive belongs to a member (local header, data, data descriptor),
    the central directory or the end records, in that order and without gaps: bytes hidden
    between members, before the first or after the end record are refused."""
    def gap(at, expected, found):
        return CorruptHeaderError(path, None, expected, found, "the archive holds bytes that "
                                  "belong to no member (data hidden between members or "
                                  "appended after the archive); re-save it with numpy.savez",
                                  offset=at)

    pos = 0
    for info in sorted(infos, key=lambda i: i.header_offset):
        if info.header_offset != pos:
            raise gap(pos, f"member {info.filename!r} at byte {pos}",
                      f"it at byte {info.header_offset}")
        pos = _member_end(fh, info, starts[info.filename])
    if start_dir != pos:
        raise gap(pos, f"the central directory at byte {pos}", f"it at byte {start_dir}")
    for info in infos:
        name = info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437")
        pos += ZIP_CENTRAL.size + len(name) + len(info.extra) + len(info.comment)
    fh.seek(pos)
    if fh.read(4) == b"PK\x06\x06":     # ZIP64 end record and locator
        pos += 12 + struct.unpack("<Q", fh.read(8))[0] + 20
    end = pos + ZIP_END.size + comment
    if end != size:
        raise gap(min(end, size), f"the end of the archive at byte {end}",
                  f"a {size}-byte file")


def _read_member(path, fh, start, info, budget: list, mapped) -> Part:
    """One ``.npy`` member whose data starts at byte ``start`` as a Part (header parsed,
    payload left in the file)."""
    where, member = f"member {info.filename!r}", info.filename
    if info.compress_type == zipfile.ZIP_STORED:
        if info.file_size != info.compress_size:
            raise CorruptHeaderError(path, where, "equal sizes for a stored member",
                                     f"{info.compress_size} stored, {info.file_size} declared",
                                     offset=info.header_offset, member=member)
        fh.seek(start)
        head = fh.read(min(info.file_size, MAX_HEADER_LEN + 12))
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        if info.file_size > DEFLATE_MAX_RATIO * info.compress_size + 1024:
            raise CorruptHeaderError(path, where, f"at most {DEFLATE_MAX_RATIO}x "
                                     f"{info.compress_size} bytes when inflated",
                                     f"{info.file_size} declared", "impossible for deflate",
                                     offset=info.header_offset, member=member)
        if info.file_size > budget[0]:
            raise ZipBombError(path, where, f"deflated members holding at most "
                               f"{MAX_INFLATE_RATIO}x the archive size in total",
                               f"{info.file_size} bytes declared with {budget[0]} left",
                               "refusing a likely zip bomb; if the file is genuine, re-save it "
                               "uncompressed (numpy.savez) or raise npz.MAX_INFLATE_RATIO",
                               offset=info.header_offset, member=member)
        budget[0] -= info.file_size
        try:
            with zipfile.ZipFile(path) as archive, archive.open(info) as stream:
                head = stream.read(min(info.file_size, MAX_HEADER_LEN + 12))
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as err:
            raise CorruptDataError(path, where, "a valid deflate stream", str(err),
                                   offset=start, member=member) from None
    else:
        raise UnsupportedError(path, where, "a stored or deflated member",
                               f"compression method {info.compress_type}",
                               offset=info.header_offset, member=member)
    stored = info.compress_type == zipfile.ZIP_STORED
    dtype, shape, fortran, header_size = parse_npy_header(
        head, path, where, start if stored else None, member)
    nbytes = DTYPES[dtype].itemsize * element_count(shape)
    if header_size + nbytes != info.file_size:
        # the offset: where the member's data stops matching its header (in stored members)
        raise CorruptDataError(path, where, f"{header_size + nbytes} bytes ({header_size} header "
                               f"+ {nbytes} for {dtype} {shape})", f"{info.file_size} bytes",
                               "the member's shape does not match its data",
                               offset=start + min(header_size + nbytes, info.file_size)
                               if stored else None, member=member)
    if info.compress_type == zipfile.ZIP_STORED:
        source = StoredMember(path, info.filename, start + header_size, nbytes,
                              bytes(head[:header_size]), info.CRC, mapped)
    else:
        source = DeflatedMember(path, info, header_size, nbytes)
    part = Part(dtype, tuple(shape), source)
    if fortran and len(shape) > 1:
        import numpy as np
        c_order = np.ascontiguousarray(part.array().reshape(shape[::-1]).T)
        part = Part(dtype, tuple(shape), ArrayRange(c_order))
    return part


def read_index(path) -> Checkpoint:
    """The keys, dtypes, shapes and payload locations of a ``.npz`` (data left in the file).

    Like MXNet 2: members not ending in ``.npy`` are ignored (noted), and a folder whose member
    set is a sparse pattern becomes one sparse tensor named after the folder. Entries keep the
    archive's order (MXNet's ``npx.load`` returns them sorted by key).
    """
    path = os.fspath(path)
    size = os.path.getsize(path)
    infos, start_dir, comment = _members(path)
    with open(path, "rb") as fh:
        starts = {info.filename: _member_data_offset(path, fh, size, info) for info in infos}
        _check_accounted(path, fh, size, infos, starts, start_dir, comment)
    notes = [f"member {i.filename!r} is not a .npy file (ignored, as MXNet does)"
             for i in infos if not i.filename.endswith(".npy")]
    infos = [i for i in infos if i.filename.endswith(".npy")]
    folders = {}
    for info in infos:
        folder, _, leaf = info.filename[:-4].rpartition("/")
        folders.setdefault(folder, {})[leaf] = info
    sparse = {folder: SPARSE_FOLDERS.get(frozenset(members))
              for folder, members in folders.items() if folder}
    budget = [max(MAX_INFLATE_RATIO * size, MIN_INFLATE_BUDGET)]
    tensors, mapped = [], MappedFile(path)
    with open(path, "rb") as fh:
        for info in infos:
            folder, _, leaf = info.filename[:-4].rpartition("/")
            if sparse.get(folder):
                if info is next(iter(folders[folder].values())):
                    tensors.append(_sparse_tensor(path, fh, starts, folder, sparse[folder],
                                                  folders[folder], budget, mapped))
                continue
            part = _read_member(path, fh, starts[info.filename], info, budget, mapped)
            tensors.append(Tensor(info.filename[:-4], part.dtype, part.shape, "default",
                                  (part,), {"member": info.filename}))
    return Checkpoint(tensors, "dict", "npz", path, notes)


def _format_text(path, fh, start, info) -> str:
    """The text of a sparse folder's ``format.npy``. MXNet 2 writes it with a malformed header,
    so only the header length field is trusted and the payload read raw."""
    where, member = f"member {info.filename!r}", info.filename
    if info.file_size > 4096 or info.compress_type != zipfile.ZIP_STORED:
        raise CorruptHeaderError(path, where, "a small stored format.npy",
                                 f"{info.file_size} bytes, method {info.compress_type}",
                                 offset=info.header_offset, member=member)
    fh.seek(start)
    raw = fh.read(info.file_size)
    if zlib.crc32(raw) != info.CRC:
        raise CorruptDataError(path, where, f"CRC-32 {info.CRC:08x}", f"{zlib.crc32(raw):08x}",
                               offset=start, member=member)
    if len(raw) < 10 or raw[:6] != NPY_MAGIC:
        raise CorruptHeaderError(path, where, "a .npy member", repr(raw[:10]), offset=start,
                                 member=member)
    header_len = struct.unpack_from("<H", raw, 8)[0]
    return raw[10 + header_len:].decode("ascii", "replace").strip("\x00 ")


def _sparse_tensor(path, fh, starts, folder, stype, infos, budget, mapped) -> Tensor:
    where = f"sparse folder {folder!r}"
    fmt = _format_text(path, fh, starts[infos["format"].filename], infos["format"])
    if fmt != stype:
        raise CorruptDataError(path, where, f"format.npy saying {stype!r}", repr(fmt),
                               member=infos["format"].filename, key=folder)
    members = {leaf: _read_member(path, fh, starts[info.filename], info, budget, mapped)
               for leaf, info in infos.items() if leaf != "format"}
    shape_part = members["shape"]
    if shape_part.dtype != "int64" or len(shape_part.shape) != 1:
        raise CorruptDataError(path, where, "shape.npy: a 1-D int64 array",
                               f"{shape_part.dtype} {shape_part.shape}", key=folder)
    shape = tuple(int(d) for d in shape_part.array())
    if any(d < 0 for d in shape):
        raise CorruptDataError(path, where, "non-negative dims in shape.npy", str(shape),
                               key=folder)
    names = ("data", "indices") if stype == "row_sparse" else ("data", "indptr", "indices")
    parts = tuple(members[n] for n in names)
    for part in parts[1:]:
        if part.dtype not in INTEGER_DTYPES:
            raise CorruptDataError(path, where, "integer index arrays", part.dtype, key=folder)
    data, aux = parts[0], parts[1:]
    ok = (len(shape) >= 1 and len(data.shape) == len(shape) and data.shape[1:] == shape[1:]
          and aux[0].shape == data.shape[:1]) if stype == "row_sparse" else (
        len(shape) == 2 and aux[0].shape == (shape[0] + 1,) and len(data.shape) == 1
        and aux[1].shape == data.shape)
    if not ok:
        raise CorruptDataError(path, where, f"consistent {stype} data/index shapes for {shape}",
                               ", ".join(f"{n} {p.shape}" for n, p in zip(names, parts)),
                               key=folder)
    tensor = Tensor(folder, data.dtype, shape, stype, parts, {"member": folder + "/"})
    check_sparse_indices(path, where, tensor)
    return tensor


def read_npy_index(path) -> Checkpoint:
    """A single ``.npy`` file (``npx.save`` of one array) as a one-entry list checkpoint."""
    path = os.fspath(path)
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        head = fh.read(MAX_HEADER_LEN + 12)
    dtype, shape, fortran, header_size = parse_npy_header(head, path, None)
    nbytes = DTYPES[dtype].itemsize * element_count(shape)
    if header_size + nbytes != size:
        # the offset: where the file stops matching its header (its end, or the extra bytes)
        raise CorruptDataError(path, None, f"{nbytes} payload bytes for {dtype} {shape}",
                               f"{size - header_size}", "the file is truncated"
                               if size < header_size + nbytes else "bytes follow the array: "
                               "the file is damaged or not a single .npy",
                               offset=min(size, header_size + nbytes))
    part = Part(dtype, tuple(shape), FileRange(path, header_size, nbytes))
    if fortran and len(shape) > 1:
        import numpy as np
        part = Part(dtype, tuple(shape),
                    ArrayRange(np.ascontiguousarray(part.array().reshape(shape[::-1]).T)))
    return Checkpoint([Tensor(None, dtype, tuple(shape), "default", (part,))], "list", "npy", path)


# ------------------------------------------------------------------------------------ writing

def member_names(checkpoint: Checkpoint) -> list:
    """The key of each tensor in an npz: its key, or ``arr_<i>`` for list checkpoints (what
    ``savez(*arrays)`` does)."""
    if checkpoint.container == "list":
        return [f"arr_{i}" for i in range(len(checkpoint.tensors))]
    return [t.key for t in checkpoint.tensors]


def _npy_members(key: str, tensor: Tensor):
    """(member name, header bytes, payload Part or bytes) for one tensor."""
    if tensor.stype == "none":
        raise UnsupportedError(None, f"key {key!r}", "an array with data",
                               "an MXNet 'none' array", ".npz cannot store it")
    if tensor.stype == "default":
        part = tensor.parts[0]
        yield f"{key}.npy", npy_header(part.dtype, part.shape), part
        return
    names = ("data", "indices") if tensor.stype == "row_sparse" else ("data", "indptr", "indices")
    for name, part in zip(names, tensor.parts):
        yield f"{key}/{name}.npy", npy_header(part.dtype, part.shape), part
    shape = struct.pack(f"<{len(tensor.shape)}q", *tensor.shape)
    yield f"{key}/shape.npy", npy_header("int64", (len(tensor.shape),)), shape
    text = tensor.stype.encode()
    yield f"{key}/format.npy", _format_header(len(text)), text


def _format_header(length: int) -> bytes:
    text = "{'descr': '|S%d', 'fortran_order': False, 'shape': (), }" % length
    used = len(NPY_MAGIC) + 4 + len(text) + 1
    text += " " * (NPY_ALIGN - used % NPY_ALIGN) + "\n"
    return NPY_MAGIC + b"\x01\x00" + struct.pack("<H", len(text)) + text.encode("latin1")


def write_npz(out, checkpoint: Checkpoint, progress=None) -> None:
    """Write an ``.npz`` exactly as MXNet 2's miniz writer lays it out (spec 4.3)."""
    central, offset = [], 0
    seen = set()
    for key, tensor in zip(member_names(checkpoint), checkpoint.tensors):
        if key is None:
            raise UnsupportedError(checkpoint.path, "a dict checkpoint", "a key for every array",
                                   "None")
        for name, header, payload in _npy_members(key, tensor):
            if name in seen:
                raise UnsupportedError(checkpoint.path, f"key {key!r}", "unique member names",
                                       f"{name!r} twice")
            seen.add(name)
            encoded = name.encode("utf-8")
            size = len(header) + (len(payload) if isinstance(payload, bytes) else payload.nbytes)
            if offset + size >= 1 << 32:
                raise UnsupportedError(checkpoint.path, f"key {key!r}", "an archive below 4 GiB",
                                       "a larger one", "ZIP64 output is not supported yet; "
                                       "convert to safetensors or mx1 instead")
            out.write(ZIP_LOCAL.pack(b"PK\x03\x04", 0, MINIZ_FLAGS, 0, 0, 0, 0, 0, 0,
                                     len(encoded), 0) + encoded + header)
            if isinstance(payload, bytes):
                out.write(payload)
                crc = zlib.crc32(payload, zlib.crc32(header))
            else:
                crc = payload.write_to(out, progress, crc=zlib.crc32(header))
            out.write(ZIP_DESCRIPTOR.pack(b"PK\x07\x08", crc, size, size))
            central.append(ZIP_CENTRAL.pack(b"PK\x01\x02", 0, 0, MINIZ_FLAGS, 0, 0, 0, crc, size,
                                            size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
            offset += ZIP_LOCAL.size + len(encoded) + size + ZIP_DESCRIPTOR.size
    directory = b"".join(central)
    out.write(directory)
    out.write(ZIP_END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory),
                           offset, 0))


def write_npy(out, checkpoint: Checkpoint, progress=None) -> None:
    """Write the single array of ``checkpoint`` as a ``.npy`` (``npx.save`` of one array)."""
    if len(checkpoint.tensors) != 1 or checkpoint.tensors[0].stype != "default":
        raise UnsupportedError(checkpoint.path, None, "exactly one dense array for a .npy file",
                               f"{len(checkpoint.tensors)} arrays", "write an .npz instead")
    part = checkpoint.tensors[0].parts[0]
    out.write(npy_header(part.dtype, part.shape))
    part.write_to(out, progress)
