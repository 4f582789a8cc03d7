"""The conversion copy path: tensor bytes read straight into page-aligned buffers and written
with O_DIRECT on a writer thread (checkpoint/direct_output.py), and a converter that never
imports NumPy."""
import errno
import fcntl
import os
import subprocess
import sys
import threading
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest

from gluonbridge.checkpoint import crc32, direct_output, formats, read_index
from gluonbridge.checkpoint.direct_output import DirectOutput
from gluonbridge.checkpoint.tensor import Checkpoint, tensor_from_array

REPO = Path(__file__).resolve().parents[2]
ALIGN = direct_output.ALIGN


@pytest.fixture
def small_pieces(monkeypatch):
    """Buffers of 4 pages, reads of one page, every output through DirectOutput: small files
    take every path (full buffers, reads across buffer ends, pieces checksummed in two halves
    on two threads, an unaligned last buffer)."""
    monkeypatch.setattr(direct_output, "BUFFER", 4 * ALIGN)
    monkeypatch.setattr(direct_output, "READ_BLOCK", ALIGN)
    monkeypatch.setattr(direct_output, "MIN_BYTES", 0)


def _writer_threads():
    return [t for t in threading.enumerate()
            if t.name in ("gluonbridge-direct-write", "gluonbridge-checksum")]


@pytest.mark.parametrize("sizes", [(0, 0), (0, 5), (5, 0), (1, 1), (3000, 17), (17, 3000),
                                   (65536, 65537), (1 << 20, 12345)])
def test_combine_equals_the_crc_of_the_whole(sizes):
    a, b = os.urandom(sizes[0]), os.urandom(sizes[1])
    assert crc32.combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


@pytest.mark.parametrize("size", [0, 1, 15, 16, 63, 64, 65, 4095, 100_003, 1 << 20])
def test_the_fast_crc32_is_zlibs(size):
    """ISA-L's CRC-32 (the test extras install it), continued from any value, is zlib's."""
    data = os.urandom(size)
    for seed in (0, 1, 0xDEADBEEF, 0xFFFFFFFF):
        assert crc32.fast()(data, seed) == zlib.crc32(data, seed)
    assert crc32.fast()(memoryview(data)) == zlib.crc32(data)


def test_without_isal_the_crc32_is_zlibs(monkeypatch):
    monkeypatch.setitem(sys.modules, "isal.isal_zlib", None)     # import fails
    crc32.fast.cache_clear()
    try:
        assert crc32.fast() is zlib.crc32
    finally:
        crc32.fast.cache_clear()


def _supports_direct_io(folder) -> bool:
    probe = folder / "probe"
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | getattr(os, "O_DIRECT", 0)))
    except OSError:
        return False
    finally:
        probe.unlink(missing_ok=True)
    return hasattr(os, "O_DIRECT")


def _copy(src_path, dst_path, pieces, head=b""):
    """Write ``head`` then ``pieces`` ((offset, nbytes) ranges of ``src_path`` and bytes,
    interleaved) through direct_output; returns the CRC-32s of the ranges (seeded with 7)."""
    crcs, seen = [], []
    with open(src_path, "rb") as src, open(dst_path, "wb", buffering=0) as out:
        out.write(head)
        with direct_output.direct_output(out, 1 << 40) as sink:
            for piece in pieces:
                if isinstance(piece, bytes):
                    sink.write(piece)
                else:
                    crcs.append(sink.copy_range(src.fileno(), *piece, 7, seen.append))
        assert out.tell() == len(head) + sum(
            len(p) if isinstance(p, bytes) else p[1] for p in pieces)
    assert sum(seen) == sum(p[1] for p in pieces if not isinstance(p, bytes))
    return crcs


@pytest.mark.parametrize("nbytes", [0, 1, ALIGN - 1, 2 * ALIGN, 4 * ALIGN, 4 * ALIGN + 1,
                                    13 * ALIGN + 77])
@pytest.mark.parametrize("offset", [0, 61])
def test_copy_range_copies_and_checksums(nbytes, offset, small_pieces, tmp_path):
    data = os.urandom(offset + nbytes + 9)
    (tmp_path / "f").write_bytes(data)
    header = os.urandom(100)
    crcs = _copy(tmp_path / "f", tmp_path / "g", [header, (offset, nbytes), b"xyz",
                                                  (offset, nbytes)])
    payload = data[offset:offset + nbytes]
    assert crcs == [zlib.crc32(payload, 7)] * 2
    assert (tmp_path / "g").read_bytes() == header + payload + b"xyz" + payload
    assert not _writer_threads()


@pytest.mark.parametrize("head", [b"", bytes(ALIGN), b"head"])
def test_full_buffers_bypass_the_page_cache_where_the_start_is_aligned(head, small_pieces,
                                                                       tmp_path, monkeypatch):
    """Full buffers are written with O_DIRECT from an aligned start on (an unaligned start,
    or the last, partial buffer: through the page cache); the flags are restored after."""
    if not _supports_direct_io(tmp_path):
        pytest.skip("the file system refuses O_DIRECT")
    flags_seen = []
    real_pwrite = os.pwrite

    def pwrite(fd, block, position):
        flags_seen.append((bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_DIRECT), position,
                           len(block)))
        return real_pwrite(fd, block, position)

    monkeypatch.setattr(os, "pwrite", pwrite)
    data = os.urandom(10 * ALIGN + 5)
    (tmp_path / "f").write_bytes(data)
    _copy(tmp_path / "f", tmp_path / "g", [(0, len(data))], head)
    assert (tmp_path / "g").read_bytes() == head + data
    start = len(head)
    if start % ALIGN == 0:
        assert flags_seen == [(True, start, 4 * ALIGN), (True, start + 4 * ALIGN, 4 * ALIGN),
                              (True, start + 8 * ALIGN, 2 * ALIGN),    # the last buffer's
                              (False, start + 10 * ALIGN, 5)]          # aligned part, the rest
    else:
        assert flags_seen == [(False, start, 4 * ALIGN), (False, start + 4 * ALIGN, 4 * ALIGN),
                              (False, start + 8 * ALIGN, 2 * ALIGN + 5)]
    with open(tmp_path / "g", "rb") as fh:
        assert not fcntl.fcntl(fh.fileno(), fcntl.F_GETFL) & os.O_DIRECT


def test_a_refused_direct_write_continues_through_the_page_cache(small_pieces, tmp_path,
                                                                   monkeypatch):
    real_pwrite = os.pwrite

    def pwrite(fd, block, position):
        if fcntl.fcntl(fd, fcntl.F_GETFL) & getattr(os, "O_DIRECT", 0):
            raise OSError(errno.EINVAL, "Invalid argument")
        return real_pwrite(fd, block, position)

    monkeypatch.setattr(os, "pwrite", pwrite)
    data = os.urandom(9 * ALIGN + 3)
    (tmp_path / "f").write_bytes(data)
    _copy(tmp_path / "f", tmp_path / "g", [(0, len(data))])
    assert (tmp_path / "g").read_bytes() == data


def test_copy_range_of_a_shrunk_file_raises(small_pieces, tmp_path):
    (tmp_path / "f").write_bytes(os.urandom(100_000))
    with pytest.raises(OSError, match="shrank"):
        _copy(tmp_path / "f", tmp_path / "g", [(0, 300_000)])
    assert not _writer_threads()


def test_a_failing_write_is_raised_and_stops_the_writer(small_pieces, tmp_path):
    (tmp_path / "f").write_bytes(os.urandom(1 << 20))
    with open(tmp_path / "f", "rb") as src, pytest.raises(OSError) as raised:
        sink = DirectOutput(src.fileno(), 0)    # the input itself, read-only: EBADF
        try:
            sink.copy_range(src.fileno(), 0, 1 << 20)
            sink.flush()
        finally:
            sink.stop()
    assert raised.value.errno == errno.EBADF
    assert not _writer_threads()


def test_small_outputs_and_other_files_are_written_directly(tmp_path):
    import io
    with open(tmp_path / "g", "wb", buffering=0) as out:
        with direct_output.direct_output(out, direct_output.MIN_BYTES - 1) as sink:
            assert sink is out
        with direct_output.direct_output(out, direct_output.MIN_BYTES) as sink:
            assert isinstance(sink, DirectOutput)
    with open(tmp_path / "g", "ab", buffering=0) as out, \
            direct_output.direct_output(out, 1 << 30) as sink:
        assert sink is out
    memory = io.BytesIO()
    with direct_output.direct_output(memory, 1 << 30) as sink:
        assert sink is memory


def _arrays():
    rng = np.random.RandomState(0)
    return {"big": rng.rand(700, 1000).astype("f4"),          # several pieces, odd size
            "small": np.arange(7, dtype="i8"),
            "empty": np.zeros((0, 3), "f2"),
            "mid": rng.randint(0, 255, size=300_001).astype("u1")}


@pytest.mark.parametrize("fmt", ["npz", "safetensors", "mxnet-binary"])
def test_file_ranges_write_the_same_bytes_as_arrays_in_memory(fmt, small_pieces, tmp_path):
    """The same tensors, once read from a file into DirectOutput's buffers and once written
    from memory: byte-identical outputs."""
    arrays = _arrays()
    formats.save(tmp_path / "in.params", arrays, "mxnet-binary")
    from_file = read_index(tmp_path / "in.params")
    assert all(type(t.parts[0].source).__name__ == "FileRange" for t in from_file.tensors)
    formats.save(tmp_path / "a.out", from_file, fmt)
    formats.save(tmp_path / "b.out", Checkpoint([tensor_from_array(k, v)
                                                 for k, v in arrays.items()]), fmt)
    assert (tmp_path / "a.out").read_bytes() == (tmp_path / "b.out").read_bytes()


def test_npz_written_from_a_file_is_valid_for_numpy_and_zipfile(small_pieces, tmp_path):
    arrays = _arrays()
    formats.save(tmp_path / "in.params", arrays, "mxnet-binary")
    formats.save(tmp_path / "out.npz", read_index(tmp_path / "in.params"), "npz")
    with zipfile.ZipFile(tmp_path / "out.npz") as archive:
        assert archive.testzip() is None                     # every member's CRC-32 checked
    with np.load(tmp_path / "out.npz") as loaded:
        assert {k: loaded[k].tobytes() for k in loaded} == {k: v.tobytes()
                                                            for k, v in arrays.items()}


def test_safetensors_written_from_a_file_is_valid_for_the_safetensors_package(tmp_path):
    from safetensors.numpy import load_file
    arrays = _arrays()
    formats.save(tmp_path / "in.params", arrays, "mxnet-binary")
    formats.save(tmp_path / "out.safetensors", read_index(tmp_path / "in.params"), "safetensors")
    loaded = load_file(str(tmp_path / "out.safetensors"))
    assert {k: v.tobytes() for k, v in loaded.items()} == {k: v.tobytes()
                                                           for k, v in arrays.items()}


def test_converting_does_not_import_numpy(tmp_path):
    formats.save(tmp_path / "in.params", _arrays(), "mxnet-binary")
    code = ("import sys\nfrom gluonbridge.convert import main\n"
            f"for to in ('mx2', 'safetensors', 'mx1'):\n"
            f"    if main([{str(tmp_path / 'in.params')!r}, {str(tmp_path)!r} + '/o.' + to,"
            " '--to', to]):\n"
            "        sys.exit(1)\n"
            "print('numpy' in sys.modules)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"
    with np.load(tmp_path / "o.mx2") as loaded:
        assert loaded["big"].shape == (700, 1000)


def test_append_mode_and_in_memory_outputs_take_the_buffered_path(small_pieces, tmp_path):
    """pwrite ignores the position on an O_APPEND file: such outputs, and non-files, are
    written sequentially, with the same bytes."""
    import io
    formats.save(tmp_path / "in.params", _arrays(), "mxnet-binary")
    source = read_index(tmp_path / "in.params")
    formats.save(tmp_path / "ref.npz", source, "npz")
    (tmp_path / "app.npz").write_bytes(b"")
    with open(tmp_path / "app.npz", "ab", buffering=0) as out:
        formats.write(out, source, "npz")
    memory = io.BytesIO()
    formats.write(memory, source, "npz")
    assert (tmp_path / "app.npz").read_bytes() == memory.getvalue() == \
        (tmp_path / "ref.npz").read_bytes()
