"""The conversion copy path: file ranges copied and checksummed in pieces on two threads
(checkpoint/range_copy.py, crc32.py), and a converter that never imports NumPy."""
import os
import subprocess
import sys
import threading
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest

from gluonbridge.checkpoint import crc32, formats, range_copy, read_index
from gluonbridge.checkpoint.tensor import Checkpoint, tensor_from_array

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def small_pieces(monkeypatch):
    """Pieces of 64 KiB, and the second thread for any size: small files take every path."""
    monkeypatch.setattr(range_copy, "PIECE", 64 << 10)
    monkeypatch.setattr(range_copy, "BLOCK", 16 << 10)
    monkeypatch.setattr(range_copy, "PARALLEL_MIN", 0)


@pytest.mark.parametrize("sizes", [(0, 0), (0, 5), (5, 0), (1, 1), (3000, 17), (17, 3000),
                                   (65536, 65537), (1 << 20, 12345)])
def test_combine_equals_the_crc_of_the_whole(sizes):
    a, b = os.urandom(sizes[0]), os.urandom(sizes[1])
    assert crc32.combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


@pytest.mark.parametrize("nbytes", [0, 1, (64 << 10) - 1, 64 << 10, (64 << 10) + 1,
                                    (5 << 16) + 77])
@pytest.mark.parametrize("offset", [0, 61])
def test_copy_range_copies_and_checksums(nbytes, offset, small_pieces, tmp_path):
    data = os.urandom(offset + nbytes + 9)
    (tmp_path / "f").write_bytes(data)
    seed = zlib.crc32(b"npy header")
    seen = []
    with open(tmp_path / "f", "rb") as src, open(tmp_path / "g", "wb") as dst:
        dst.write(b"head")
        got = range_copy.copy_range(src.fileno(), offset, nbytes, dst.fileno(), 4, seed,
                                    seen.append)
        assert range_copy.copy_range(src.fileno(), offset, nbytes, dst.fileno(), 4) is None
    assert got == zlib.crc32(data[offset:offset + nbytes], seed)
    assert (tmp_path / "g").read_bytes() == b"head" + data[offset:offset + nbytes]
    assert sum(seen) == nbytes


def test_copy_range_of_a_shrunk_file_raises(small_pieces, tmp_path):
    (tmp_path / "f").write_bytes(os.urandom(100_000))
    with open(tmp_path / "f", "rb") as src, open(tmp_path / "g", "wb") as dst, \
            pytest.raises(OSError, match="shrank"):
        range_copy.copy_range(src.fileno(), 0, 300_000, dst.fileno(), 0, 0)
    assert not [t for t in threading.enumerate() if t.name == "gluonbridge-copy"]


def test_a_failing_write_stops_both_threads(small_pieces, tmp_path):
    (tmp_path / "f").write_bytes(os.urandom(1 << 20))
    with open(tmp_path / "f", "rb") as src, pytest.raises(OSError):   # EBADF: not writable
        range_copy.copy_range(src.fileno(), 0, 1 << 20, src.fileno(), 0, 0)
    assert not [t for t in threading.enumerate() if t.name == "gluonbridge-copy"]


def _arrays():
    rng = np.random.RandomState(0)
    return {"big": rng.rand(700, 1000).astype("f4"),          # several pieces, odd size
            "small": np.arange(7, dtype="i8"),
            "empty": np.zeros((0, 3), "f2"),
            "mid": rng.randint(0, 255, size=300_001).astype("u1")}


@pytest.mark.parametrize("fmt", ["npz", "safetensors", "mxnet-binary"])
def test_file_ranges_write_the_same_bytes_as_arrays_in_memory(fmt, small_pieces, tmp_path):
    """The same tensors, once streamed from a file (kernel copy, CRC-32 on two threads) and
    once from memory (one thread, zlib.crc32 in order): byte-identical outputs."""
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
    """pwrite ignores the position on an O_APPEND file: such outputs, and non-files, get the
    sequential copy, with the same bytes."""
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
