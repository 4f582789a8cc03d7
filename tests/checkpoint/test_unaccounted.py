"""Every reader accounts for every byte: gaps, overlaps, trailing bytes, duplicate keys and
values in a second place are refused with the file, the place (byte offset, key, member) and
the fix. For safetensors the format's own reader (the ``safetensors`` package) is the judge."""
import json
import struct
import zipfile

import numpy as np
import pytest

from gluonbridge.checkpoint import CheckpointError, formats, read_index, symbol_json
from gluonbridge.checkpoint.errors import (CorruptDataError, CorruptHeaderError, TruncatedError,
                                           UnsupportedError)
from tests.checkpoint.corpus import path


def _safetensors(header: dict, data: bytes) -> bytes:
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


def _f32(begin, end):
    return {"dtype": "F32", "shape": [(end - begin) // 4], "data_offsets": [begin, end]}


SAFETENSORS_CASES = {
    # name: (header, data bytes, the key the error names, the data offset it points at)
    "gap between tensors": ({"a": _f32(0, 4), "b": _f32(8, 12)}, 12, "b", 4),
    "gap before the first": ({"a": _f32(4, 8)}, 8, "a", 0),
    "overlap": ({"a": _f32(0, 8), "b": _f32(4, 8)}, 8, "b", 4),
    "trailing bytes": ({"a": _f32(0, 4)}, 6, None, 4),
}


@pytest.mark.parametrize("case", sorted(SAFETENSORS_CASES))
def test_safetensors_data_must_be_exactly_contiguous(case, tmp_path):
    from safetensors import SafetensorError
    from safetensors.numpy import load_file
    header, size, key, data_offset = SAFETENSORS_CASES[case]
    raw = _safetensors(header, bytes(size))
    target = tmp_path / "x.safetensors"
    target.write_bytes(raw)
    with pytest.raises(SafetensorError):       # the format's reference reader refuses it too
        load_file(str(target))
    with pytest.raises(CorruptHeaderError) as info:
        read_index(target)
    start = 8 + struct.unpack_from("<Q", raw)[0]
    assert info.value.offset == start + data_offset and info.value.key == key
    assert str(target) in str(info.value) and info.value.hint


def test_safetensors_duplicate_key_is_refused(tmp_path):
    text = b'{"a": %s, "a": %s}' % (json.dumps(_f32(0, 4)).encode(),
                                    json.dumps(_f32(4, 8)).encode())
    text += b" " * (-len(text) % 8)
    target = tmp_path / "dup.safetensors"
    target.write_bytes(struct.pack("<Q", len(text)) + text + bytes(8))
    with pytest.raises(CorruptHeaderError) as info:
        read_index(target)
    assert info.value.key == "a" and info.value.expected == "unique keys"


def test_safetensors_contiguous_file_with_empty_tensors_reads(tmp_path):
    header = {"a": _f32(0, 4), "e": {"dtype": "F32", "shape": [0], "data_offsets": [4, 4]},
              "b": _f32(4, 12)}
    target = tmp_path / "ok.safetensors"
    target.write_bytes(_safetensors(header, bytes(12)))
    assert [t.key for t in read_index(target).tensors] == ["a", "e", "b"]


def _npz(tmp_path, junk_between=b"", junk_after=b""):
    target = tmp_path / "x.npz"
    with open(target, "wb") as fh:
        with zipfile.ZipFile(fh, "w") as archive:
            for key in ("a", "b"):
                with archive.open(f"{key}.npy", "w") as member:
                    np.save(member, np.arange(3, dtype="<f4"))
                if key == "a" and junk_between:
                    fh.write(junk_between)
                    archive.start_dir = fh.tell()   # zipfile writes the next member here
        fh.write(junk_after)
    return target


def test_npz_bytes_between_members_are_refused(tmp_path):
    target = _npz(tmp_path, junk_between=b"HIDDEN")
    with zipfile.ZipFile(target) as archive:   # a ZIP reader does not notice
        second = archive.infolist()[1].header_offset
        assert archive.read("b.npy")
    with pytest.raises(CorruptHeaderError) as info:
        read_index(target)
    assert info.value.offset == second - len(b"HIDDEN")


def test_npz_bytes_after_the_end_record_are_refused(tmp_path):
    clean = _npz(tmp_path).read_bytes()
    target = _npz(tmp_path, junk_after=b"APPENDED")
    with pytest.raises(CorruptHeaderError) as info:
        read_index(target)
    assert info.value.offset == len(clean)


def test_npz_written_by_numpy_and_by_us_is_accounted_for(tmp_path):
    np.savez(tmp_path / "n.npz", w=np.ones((2, 3)), b=np.arange(4))
    np.savez_compressed(tmp_path / "c.npz", w=np.ones((2, 3)), b=np.arange(4))
    formats.save(tmp_path / "g.npz", {"w": np.ones((2, 3)), "b": np.arange(4)}, "npz")
    for name in ("n.npz", "c.npz", "g.npz"):
        assert read_index(tmp_path / name).keys() == ["w", "b"]


def test_npz_member_that_is_not_npy_is_reported(tmp_path):
    target = tmp_path / "x.npz"
    with zipfile.ZipFile(target, "w") as archive:
        with archive.open("w.npy", "w") as member:
            np.save(member, np.arange(3))
        archive.writestr("README.txt", "hello")
    index = read_index(target)
    assert index.keys() == ["w"] and any("README.txt" in note for note in index.notes)


@pytest.mark.parametrize("change", ["trailing bytes", "truncated"])
def test_npy_must_end_with_its_data(change, tmp_path):
    """The offset is where the file and its header part ways: the first extra byte, or the
    end of a truncated file."""
    target = tmp_path / "x.npy"
    np.save(target, np.arange(6, dtype="<i4"))
    raw = target.read_bytes()
    changed = raw + b"TRAIL" if change == "trailing bytes" else raw[:-4]
    target.write_bytes(changed)
    with pytest.raises(CorruptDataError) as info:
        read_index(target)
    assert info.value.offset == min(len(raw), len(changed))


def _onnx_model(tmp_path, initializers, sparse=()):
    import onnx
    from onnx import helper
    graph = helper.make_graph([], "g", [], [], initializer=initializers,
                              sparse_initializer=list(sparse))
    target = tmp_path / "m.onnx"
    onnx.save(helper.make_model(graph), str(target))
    return target


def test_onnx_values_in_a_second_field_are_refused(tmp_path):
    from onnx import TensorProto, helper
    init = helper.make_tensor("w", TensorProto.FLOAT, [2], [1.0, 2.0])
    init.int64_data.extend([7, 8])
    with pytest.raises(CorruptDataError) as info:
        read_index(_onnx_model(tmp_path, [init]))
    assert info.value.key == "w" and "int64_data" in info.value.found


def test_onnx_raw_data_with_typed_values_is_refused(tmp_path):
    from onnx import TensorProto, helper
    init = helper.make_tensor("w", TensorProto.FLOAT, [2], np.ones(2, "<f4").tobytes(), raw=True)
    init.float_data.extend([3.0, 4.0])
    with pytest.raises(CorruptDataError) as info:
        read_index(_onnx_model(tmp_path, [init]))
    assert info.value.key == "w" and "float_data" in info.value.found


def test_onnx_raw_data_length_must_match_the_shape(tmp_path):
    from onnx import TensorProto, helper
    init = helper.make_tensor("w", TensorProto.FLOAT, [3], np.ones(3, "<f4").tobytes(), raw=True)
    init.raw_data = np.ones(2, "<f4").tobytes()
    with pytest.raises(CorruptHeaderError) as info:
        read_index(_onnx_model(tmp_path, [init]))
    assert info.value.key == "w" and info.value.found == "8"


def test_onnx_duplicate_initializer_names_are_refused(tmp_path):
    from onnx import TensorProto, helper
    inits = [helper.make_tensor("w", TensorProto.FLOAT, [1], [float(i)]) for i in range(2)]
    with pytest.raises(CorruptDataError) as info:
        read_index(_onnx_model(tmp_path, inits))
    assert info.value.key == "w"


def test_onnx_sparse_and_external_initializers_are_refused_not_dropped(tmp_path):
    from onnx import TensorProto, helper
    values = helper.make_tensor("s", TensorProto.FLOAT, [1], [1.0])
    indices = helper.make_tensor("s_idx", TensorProto.INT64, [1], [0])
    sparse = helper.make_sparse_tensor(values, indices, [4])
    with pytest.raises(UnsupportedError) as info:
        read_index(_onnx_model(tmp_path, [], [sparse]))
    assert info.value.key == "s"
    external = helper.make_tensor("x", TensorProto.FLOAT, [1], [1.0])
    external.ClearField("float_data")
    external.data_location = TensorProto.EXTERNAL
    external.external_data.add(key="location", value="weights.bin")
    with pytest.raises(UnsupportedError) as info:
        read_index(_onnx_model(tmp_path, [external]))
    assert info.value.key == "x"


def test_symbol_json_duplicate_keys_are_refused(tmp_path):
    text = path("mx1_export-symbol.json")
    raw = text.read_text()
    target = tmp_path / "s-symbol.json"
    target.write_text(raw.replace('"nodes"', '"heads": [], "nodes"', 1))
    with pytest.raises(CorruptHeaderError) as info:
        symbol_json.load_symbol(target)
    assert info.value.key == "heads" and "twice" in info.value.found
    symbol_json.load_symbol(text)    # the original reads


def test_params_count_larger_than_the_records_is_named(tmp_path):
    """A list file (no names) whose array count says 5 but holds 2 arrays: the error is at the
    count, not wherever the parser ran out of bytes."""
    source = tmp_path / "l.params"
    formats.save(source, [np.arange(3, dtype="<f4"), np.arange(2, dtype="<i8")], "mxnet-binary")
    raw = bytearray(source.read_bytes())
    struct.pack_into("<Q", raw, 16, 5)
    source.write_bytes(bytes(raw))
    with pytest.raises(CorruptHeaderError) as info:
        read_index(source)
    assert info.value.offset == 16 and info.value.found == "5"


def test_params_truncated_file_is_a_truncation_not_a_bad_count(tmp_path):
    source = tmp_path / "t.params"
    formats.save(source, {"w": np.arange(3, dtype="<f4"), "b": np.arange(2, dtype="<i8")},
                 "mxnet-binary")
    raw = source.read_bytes()
    source.write_bytes(raw[:40])
    with pytest.raises(TruncatedError):
        read_index(source)


def test_every_checkpoint_error_carries_the_location_attributes(tmp_path):
    error = CheckpointError("f.params", "name 3", "a", "b", offset=12, key="w", member=None)
    assert (error.path, error.offset, error.key, error.member) == ("f.params", 12, "w", None)
    assert str(error) == "f.params: name 3, byte 12: expected a, found b"
