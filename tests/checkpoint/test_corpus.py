"""Every corpus file reads to the arrays of the manifest; MXNet-written files are re-written
byte for byte; malformed files are refused with a CheckpointError (or accepted where MXNet
itself loads them)."""
import io

import pytest

from gluonbridge.checkpoint import CheckpointError, mxnet_binary, npz, read_index, sniff_format
from tests.checkpoint.corpus import FILES, MALFORMED, files, path, sha256

ARRAY_FORMATS = {"mxnet-ndarray-list": "mxnet-binary", "npz": "npz", "npy": "npy",
                 "onnx": "onnx"}
ARRAY_FILES = [n for n, e in FILES.items() if e["format"] in ARRAY_FORMATS]


class Sink:
    """A write-only in-memory file for the writers."""
    def __init__(self):
        self.buffer = io.BytesIO()

    def write(self, data):
        self.buffer.write(bytes(data))

    def getvalue(self):
        return self.buffer.getvalue()


@pytest.mark.parametrize("name", ARRAY_FILES)
def test_corpus_file_matches_manifest(name):
    entry = FILES[name]
    assert sniff_format(path(name)) == ARRAY_FORMATS[entry["format"]]
    index = read_index(path(name))
    assert len(index.tensors) == len(entry["arrays"])
    if entry["arrays"]:
        # an empty file cannot record dict vs list; MXNet loads nd.save(f, {}) as a list
        assert index.container == entry["container"] or entry["format"] == "onnx"
    for tensor, expected in zip(index.tensors, entry["arrays"]):
        assert tensor.key == expected["key"]
        assert list(tensor.shape) == expected["shape"]
        assert tensor.dtype == expected["dtype"]
        assert tensor.stype == expected["stype"]
        if tensor.stype == "default":
            assert tensor.parts[0].sha256() == expected["sha256"]
            assert sha256(tensor.to_numpy().tobytes()) == expected["sha256"]
        else:
            assert list(tensor.storage_shape) == expected["storage_shape"]
            assert tensor.parts[0].sha256() == expected["data_sha256"]
            for part, aux in zip(tensor.parts[1:], expected["aux"]):
                assert (part.dtype, list(part.shape), part.sha256()) == \
                    (aux["dtype"], aux["shape"], aux["sha256"])
            assert sha256(tensor.to_numpy().tobytes()) == expected["dense_sha256"]


@pytest.mark.parametrize("name", [n for n in files("mxnet-ndarray-list", written_by_mxnet=True)])
def test_binary_rewrite_is_byte_identical(name):
    sink = Sink()
    mxnet_binary.write_ndarray_list(sink, read_index(path(name)),
                                    mxnet_binary.RecordVersion.PRESERVE)
    assert sink.getvalue() == path(name).read_bytes()


def _dense_only(names):
    """Byte identity is checked for dense files only: MXNet stamps the ZIP members of sparse
    arrays with the wall-clock time (spec 4.5), so no writer reproduces those bytes."""
    return [n for n in names if all(a["stype"] == "default" for a in FILES[n]["arrays"])]


@pytest.mark.parametrize("name", _dense_only(files("npz", written_by_mxnet=True) +
                                             files("npy", True)))
def test_npz_rewrite_is_byte_identical(name):
    entry = FILES[name]
    sink = Sink()
    index = read_index(path(name))
    (npz.write_npz if entry["format"] == "npz" else npz.write_npy)(sink, index)
    assert sink.getvalue() == path(name).read_bytes()


def test_npz_member_order_matches_manifest():
    for name in files("npz"):
        members = FILES[name].get("zip_members")
        if members:
            import zipfile
            assert zipfile.ZipFile(path(name)).namelist() == members


def _expect_reject(name):
    return MALFORMED[name]["reference_parser"].startswith("rejected")


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed(name):
    def read_all():
        index = read_index(path(name))
        for tensor in index.tensors:
            for part in tensor.parts:
                part.sha256()
        return index

    if _expect_reject(name):
        with pytest.raises(CheckpointError) as info:
            read_all()
        message = str(info.value)
        assert str(path(name)) in message and "expected" in message and "found" in message
    else:
        read_all()


def test_trailing_garbage_is_refused_although_mxnet_ignores_it():
    """The issue lists trailing garbage as bad input: refused, with the offset and a fix."""
    assert all(v.startswith("ok") for v in MALFORMED["malformed/trailing_garbage.params"]
               ["observed"].values())
    with pytest.raises(CheckpointError) as info:
        read_index(path("malformed/trailing_garbage.params"))
    assert "trailing" in str(info.value) and "truncate" in str(info.value)
