"""Every corpus file reads to the arrays of the manifest; MXNet-written files are re-written
byte for byte; malformed files are refused with a CheckpointError (or accepted where MXNet
itself loads them)."""
import io
import re
import struct
import zipfile

import numpy as np
import pytest

from gluonbridge.checkpoint import CheckpointError, mxnet_binary, npz, read_index, sniff_format
from gluonbridge.checkpoint.errors import (CorruptDataError, CorruptHeaderError, TruncatedError,
                                           UnknownFormatError, UnsupportedError)
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
            assert zipfile.ZipFile(path(name)).namelist() == members


def _expect_reject(name):
    return MALFORMED[name]["reference_parser"].startswith("rejected")


def _aux_offsets(name):
    """The offset of each aux array of the one sparse record of ``name`` (its manifest records
    where the data starts; the aux arrays follow it in order, spec 2.3)."""
    entry = FILES[name]
    array, offset = entry["arrays"][0], entry["ndarray_records"][0]["data_offset"]
    offsets = {}
    offset += np.dtype(array["dtype"]).itemsize * int(np.prod(array["storage_shape"]))
    for aux in array["aux"]:
        offsets[aux["name"]] = offset
        offset += np.dtype(aux["dtype"]).itemsize * int(np.prod(aux["shape"]))
    return offsets


def _reported_offset(name):
    """The byte offset the manifest's reference parser reported ("... at offset N")."""
    return int(re.search(r"at offset (\d+)", MALFORMED[name]["reference_parser"]).group(1))


def _payload_mismatch(name):
    """Where a member's payload and its header disagree: after the .npy header, at the shorter
    of the payload lengths the reference parser reported ("npy data length N != expected M")."""
    found, expected = map(int, re.search(r"length (\d+) != expected (\d+)",
                                         MALFORMED[name]["reference_parser"]).groups())
    with zipfile.ZipFile(path(name)) as archive:
        info = archive.infolist()[0]
    raw = path(name).read_bytes()
    start = info.header_offset + 30 + len(info.filename)   # after the local header (spec 4.3)
    header = 10 + struct.unpack_from("<H", raw, start + 8)[0]
    return start + header + min(found, expected)


def _second_member(name):
    with zipfile.ZipFile(path(name)) as archive:
        return archive.infolist()[1].header_offset


# Where the fields of malformed/base.params (the oracle-written file every .params mutation
# edits) are: from its manifest entry (record and data offsets, array shapes) and the layout of
# spec 2.1 / 2.3 (u64 magic, u64 reserved, u64 count; record: u32 magic, i32 stype, i32 ndim,
# i64 dims, i32 dev_type, i32 dev_id, i32 type flag, data; names after the last record).
BASE = FILES["malformed/base.params"]
R0, R1 = BASE["ndarray_records"]
COUNT = 16
STYPE0, NDIM0 = R0["offset"] + 4, R0["offset"] + 8
DIM0, TYPE0 = NDIM0 + 4, R0["data_offset"] - 4
NAMES = R1["data_offset"] + np.dtype(BASE["arrays"][1]["dtype"]).itemsize * int(
    np.prod(BASE["arrays"][1]["shape"]))
RSP, CSR = _aux_offsets("malformed/base_rsp.params"), _aux_offsets("malformed/base_csr.params")
# the one dim of the row_sparse indices shape, right before the data
RSP_INDICES_SHAPE = FILES["malformed/base_rsp.params"]["ndarray_records"][0]["data_offset"] - 8
NPY_DICT = 30 + len("w.npy") + 10   # the first member's .npy header text (spec 4.3, 4.2)

# file -> (error class, byte offset of the fault, ZIP member), for every rejected file. Cascade
# failures (a mutation that shifts the parse) carry the value the reference parser reported
# instead, checked against the error's "found" in test_malformed_file_is_refused_where_it_is_bad.
REJECTED = {
    "trunc_in_header.params": (TruncatedError, _reported_offset, None),
    "trunc_in_shape.params": (TruncatedError, _reported_offset, None),
    "trunc_in_data.params": (TruncatedError, R0["data_offset"], None),
    "trunc_in_names.params": (TruncatedError, _reported_offset, None),
    "trailing_garbage.params": (CorruptHeaderError, BASE["size"], None),
    "bad_list_magic.params": (UnknownFormatError, 0, None),
    "count_huge.params": (CorruptHeaderError, COUNT, None),
    "count_too_small.params": (CorruptHeaderError, R1["offset"], None),
    "names_count_mismatch.params": (CorruptHeaderError, NAMES, None),
    "names_count_huge.params": (CorruptHeaderError, NAMES, None),
    "name_len_huge.params": (TruncatedError, _reported_offset, None),
    "name_not_utf8.params": (CorruptDataError, NAMES + 16, None),
    "duplicate_names.params": (UnsupportedError, None, None),
    "array_magic_garbage.params": (CorruptHeaderError, R0["offset"], None),
    "stype_7.params": (CorruptHeaderError, STYPE0, None),
    "ndim_minus1.params": (CorruptHeaderError, _reported_offset, None),
    "ndim_minus5.params": (CorruptHeaderError, _reported_offset, None),
    "ndim_0_with_payload.params": (CorruptHeaderError, r"legacy ndim (\d+)", None),
    "ndim_huge.params": (CorruptHeaderError, _reported_offset, None),
    "dim_negative.params": (CorruptHeaderError, DIM0, None),
    "dim_huge.params": (TruncatedError, R0["data_offset"], None),
    "dim_product_overflow.params": (TruncatedError, R0["data_offset"], None),
    "dim_larger_than_payload.params": (CorruptHeaderError, r"names count (\d+)", None),
    "dtype_13.params": (CorruptHeaderError, TYPE0, None),
    "dtype_minus1.params": (CorruptHeaderError, TYPE0, None),
    "rsp_index_out_of_range.params": (CorruptDataError, RSP["indices"] + 8, None),
    "rsp_indices_unsorted.params": (CorruptDataError, RSP["indices"] + 8, None),
    "rsp_aux_shape_mismatch.params": (CorruptHeaderError, RSP_INDICES_SHAPE, None),
    "csr_indptr_decreasing.params": (CorruptDataError, CSR["indptr"] + 16, None),
    "csr_col_out_of_range.params": (CorruptDataError, CSR["indices"] + 8, None),
    "npz_crc_corrupt.npz": (CorruptDataError, NPY_DICT - 10, "w.npy"),
    "npz_truncated.npz": (CorruptHeaderError, None, None),
    "npz_trailing_in_member.npz": (CorruptDataError, _payload_mismatch, "w.npy"),
    "npz_shape_bigger_than_data.npz": (CorruptDataError, _payload_mismatch, "w.npy"),
    "npz_shape_negative.npz": (CorruptHeaderError, NPY_DICT, "w.npy"),
    "npz_big_endian.npz": (UnsupportedError, NPY_DICT, "w.npy"),
    "npz_complex.npz": (UnsupportedError, NPY_DICT, "w.npy"),
    "npz_duplicate_member.npz": (CorruptHeaderError, _second_member, "w.npy"),
}


def _read_all(name):
    index = read_index(path(name))
    for tensor in index.tensors:
        for part in tensor.parts:
            part.sha256()
    return index


def test_every_rejected_file_has_an_expectation():
    assert {n for n in MALFORMED if _expect_reject(n)} == \
        {"malformed/" + n for n in REJECTED}


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_malformed_file_is_refused_where_it_is_bad(name):
    """The error class, the byte offset of the fault (as the manifest records it) and the
    ZIP member; the message names the file and the same offset."""
    error_class, where, member = REJECTED[name]
    name = "malformed/" + name
    with pytest.raises(CheckpointError) as info:
        _read_all(name)
    error = info.value
    assert type(error) is error_class
    assert error.path == str(path(name)) and str(error).startswith(str(path(name)))
    assert error.member == member
    if callable(where):
        where = where(name)
    if isinstance(where, str):   # a cascade: the value the reference parser choked on
        value = int(re.search(where, MALFORMED[name]["reference_parser"]).group(1))
        assert str(value) in error.found or f"0x{value:08X}" in error.found
    else:
        assert error.offset == where
        if where is not None:
            assert f"byte {where}:" in str(error)


def test_duplicate_names_error_names_the_key():
    with pytest.raises(UnsupportedError) as info:
        _read_all("malformed/duplicate_names.params")
    assert info.value.key == "w"


@pytest.mark.parametrize("name", sorted(n for n in MALFORMED if not _expect_reject(n)))
def test_malformed_file_that_mxnet_and_the_reference_accept_reads(name):
    _read_all(name)


def test_trailing_garbage_is_refused_although_mxnet_ignores_it():
    """The issue lists trailing garbage as bad input: refused, with the offset and a fix."""
    assert all(v.startswith("ok") for v in MALFORMED["malformed/trailing_garbage.params"]
               ["observed"].values())
    with pytest.raises(CheckpointError) as info:
        read_index(path("malformed/trailing_garbage.params"))
    assert "trailing" in str(info.value) and "truncate" in str(info.value)
