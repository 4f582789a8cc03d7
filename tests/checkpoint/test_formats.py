"""Format modules one by one: safetensors against the safetensors package, ONNX renaming,
symbol JSON, bfloat16, 0-d / zero-size arrays, name maps and their report."""
import json
import struct
import zipfile

import numpy as np
import pytest

from gluonbridge.checkpoint import (BFLOAT16, Checkpoint, CheckpointError, bfloat16_to_float32,
                                    checkpoint_from_arrays, formats, read_index)
from gluonbridge.checkpoint import mxnet_binary, namemap, symbol_json
from gluonbridge.translate import matching, model
from gluonbridge.checkpoint.errors import NameMapError, ZipBombError
from tests.checkpoint.corpus import FILES, MX1_EXPORT, MX2_EXPORT, path, sha256


def test_safetensors_package_reads_what_we_write(tmp_path):
    from safetensors import safe_open
    out = tmp_path / "m.safetensors"
    source = read_index(path("mx1_all_dtypes.params"))
    dense = {t.key: t for t in source.tensors if t.dtype != "bfloat16"}   # numpy has no BF16
    formats.save(out, source, "safetensors")
    with safe_open(str(out), "np") as handle:
        assert set(handle.keys()) == set(source.keys())
        loaded = {key: handle.get_tensor(key) for key in dense}
    for key, tensor in dense.items():
        assert loaded[key].shape == tensor.shape
        assert sha256(np.ascontiguousarray(loaded[key]).tobytes()) == tensor.parts[0].sha256()


def test_we_read_what_the_safetensors_package_writes(tmp_path):
    from safetensors.numpy import save_file
    arrays = {"w": np.arange(12, dtype="f4").reshape(3, 4), "s": np.array(7, "i8"),
              "z": np.zeros((0, 5), "u1")}
    save_file(arrays, str(tmp_path / "x.safetensors"))
    loaded = formats.load(tmp_path / "x.safetensors")
    assert {k: v.tobytes() for k, v in loaded.items()} == {k: v.tobytes() for k, v in arrays.items()}


def test_bfloat16_bits_survive_every_format(tmp_path):
    entry = FILES["mx1_dtype_bfloat16.params"]["arrays"][0]
    bits = formats.load(path("mx1_dtype_bfloat16.params"))["x"]
    assert bits.dtype == BFLOAT16
    for fmt in ("mxnet-binary", "npz", "safetensors", "onnx"):
        out = tmp_path / f"bf16.{fmt}"
        formats.save(out, {"x": bits}, fmt)
        back = formats.load(out)["x"]
        assert back.dtype == BFLOAT16 and sha256(back.tobytes()) == entry["sha256"]
    # the float32 view: the upper 16 bits of each value, low bits zero
    values = bfloat16_to_float32(bits)
    assert (values.view("<u4") & 0xFFFF == 0).all()
    assert (values.view("<u4") >> 16 == bits.view("<u2")).all()


def test_zero_d_and_zero_size_through_every_format(tmp_path):
    arrays = {"scalar": np.array(3.5, "f8"), "empty": np.zeros((2, 0, 3), "i4")}
    for fmt in ("mxnet-binary", "npz", "safetensors", "onnx"):
        out = tmp_path / f"x.{fmt}"
        formats.save(out, arrays, fmt)
        back = formats.load(out)
        assert {k: (v.shape, v.dtype, v.tobytes()) for k, v in back.items()} == \
            {k: (v.shape, v.dtype, v.tobytes()) for k, v in arrays.items()}


def test_legacy_0d_file_reads_as_scalar_and_legacy_writer_switches_to_v3(tmp_path):
    index = read_index(path("mx1_legacy_0d.params"))
    expected = FILES["mx1_legacy_0d.params"]["arrays"]
    assert [list(t.shape) for t in index.tensors] == [a["shape"] for a in expected]
    assert mxnet_binary.record_kinds(index, mxnet_binary.RecordVersion.LEGACY) == \
        ["V3"] * len(expected)


@pytest.mark.skipif("mx1_export.onnx" not in FILES, reason="this corpus has no ONNX sample")
def test_onnx_rename_updates_every_reference(tmp_path):
    import onnx
    source = read_index(path("mx1_export.onnx"))
    mapping = {t.key: "renamed." + t.key for t in source.tensors}
    renamed = Checkpoint([t.renamed(mapping[t.key]) for t in source.tensors], "dict",
                                 "onnx", source.path)
    out = tmp_path / "renamed.onnx"
    formats.save(out, renamed, "onnx")
    model = onnx.load(str(out))
    onnx.checker.check_model(model)
    inits = {i.name for i in model.graph.initializer}
    assert inits == set(mapping.values())
    used = {name for node in model.graph.node for name in node.input}
    assert not used & set(mapping)           # no reference to an old name survives
    assert set(mapping.values()) <= used | {i.name for i in model.graph.input}
    import onnxruntime
    session = onnxruntime.InferenceSession(str(out))
    x = np.ones((1, 3), "f4")
    original = onnxruntime.InferenceSession(str(path("mx1_export.onnx")))
    np.testing.assert_array_equal(session.run(None, {"data": x})[0],
                                  original.run(None, {"data": x})[0])


def test_symbol_parameter_nodes_match_manifest():
    for name in ("mx1_export-symbol.json", "mx2_export-symbol.json"):
        entry = FILES[name]
        params = symbol_json.parameter_nodes(path(name), input_names=entry["input_names"])
        assert [n for n, _, _ in params] == [v for v in entry["symbol"]["variables"]
                                             if v not in entry["input_names"]]
        pair = FILES[entry["pair"]]["arrays"]
        assert [role + n for n, _, role in params] == [a["key"] for a in pair]
        assert [list(s) for _, s, _ in params] == [a["shape"] for a in pair]


def test_symbol_rename_and_write_back(tmp_path):
    graph = symbol_json.load_symbol(path("mx1_export-symbol.json"))
    first = symbol_json.parameter_nodes(graph)[0][0]
    renamed = symbol_json.rename(graph, {first: "renamed.weight"})
    out = tmp_path / "renamed-symbol.json"
    symbol_json.save(out, renamed)
    names = [n for n, _, _ in symbol_json.parameter_nodes(out)]
    assert names[0] == "renamed.weight" and first not in names


@pytest.mark.parametrize("graph", [
    {"nodes": [{"op": "null", "name": "a", "inputs": [[0, 0, 0]]}]},          # self loop
    {"nodes": [{"op": "null", "name": "a", "inputs": []}], "heads": [[3, 0, 0]]},
    {"nodes": [{"op": "relu", "name": "a", "inputs": []}], "arg_nodes": [0]},
    {"nodes": "x"},
])
def test_symbol_validation(graph, tmp_path):
    bad = tmp_path / "bad-symbol.json"
    bad.write_text(json.dumps(graph))
    with pytest.raises(CheckpointError):
        symbol_json.load_symbol(bad)


def test_prefix_match_reports_ambiguity_instead_of_guessing():
    source = [("model0_dense0_weight", (4, 3)), ("model0_dense0_bias", (4,))]
    target = [("model1_dense0_weight", (4, 3)), ("model1_dense0_bias", (4,)),
              ("model1_dense0_bias", (4,))]
    result, report = matching.match_by_prefix(source, target)
    assert result is None and report.ambiguous


def test_report_collects_everything_before_failing():
    entries = [namemap.Entry("m_a", "0.a", (2,)), namemap.Entry("m_b", "0.b", (3,)),
               namemap.Entry("m_c", "0.c", None)]
    source = checkpoint_from_arrays({"m_a": np.zeros(5), "m_b": np.zeros(3),
                                             "m_x": np.zeros(1)})
    result, report = matching.translate(source, namemap.NameMap(entries))
    assert result is None
    assert report.missing == ["0.c"] and report.unexpected == ["m_x"]
    assert [k for k, _, _ in report.shape_mismatch] == ["m_a"]
    with pytest.raises(NameMapError) as info:
        report.raise_if_errors("ckpt.params")
    assert all(s in str(info.value) for s in ("'0.c'", "'m_x'", "'m_a'"))


def test_roles_are_kept_on_request():
    source = read_index(path(MX1_EXPORT))
    entries = [namemap.Entry(a["key"], b["key"]) for a, b in zip(
        FILES["mx1_collect_params.params"]["arrays"], FILES["mx1_save_parameters.params"]["arrays"])]
    result, report = matching.translate(source, namemap.NameMap(entries), keep_roles=True)
    assert report.ok
    assert result.keys() == [a["key"] for a in FILES[MX2_EXPORT]["arrays"]]


def test_namemap_json_schema_is_checked(tmp_path):
    bad = tmp_path / "map.json"
    bad.write_text(json.dumps({"format": "gluonbridge-namemap", "version": 1,
                               "entries": [{"legacy": "a"}]}))
    with pytest.raises(CheckpointError):
        namemap.NameMap.from_json(bad)


def test_model_factory_extension_point():
    result = model.namemap_from_model(lambda: [("m_w", "0.w", (2, 2))])
    assert result.by_legacy["m_w"].structural == "0.w"


def test_unknown_dims_of_a_model_match_any_size_only_in_the_model():
    """-1 (a dim deferred initialization has not fixed) matches any size; a zero-size dim in
    the file is a real size and must equal the model's."""
    entries = namemap.NameMap([namemap.Entry("m_w", "0.weight", (4, -1)),
                               namemap.Entry("m_b", "0.bias", (4,))])
    fits = checkpoint_from_arrays({"m_w": np.zeros((4, 7), "f4"), "m_b": np.zeros(4, "f4")})
    assert matching.translate(fits, entries)[1].ok
    zero = checkpoint_from_arrays({"m_w": np.zeros((0, 7), "f4"), "m_b": np.zeros(0, "f4")})
    report = matching.translate(zero, entries)[1]
    assert [k for k, _, _ in report.shape_mismatch] == ["m_w", "m_b"]


def test_zip_bomb_is_refused(tmp_path):
    import zipfile
    bomb = tmp_path / "bomb.npz"
    payload = np.zeros(50 << 20, "u1")
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("x.npy", "w") as member:
            np.lib.format.write_array(member, payload)
    with pytest.raises(ZipBombError):
        read_index(bomb)


def test_deflated_npz_is_read(tmp_path):
    arrays = {"a": np.arange(100, dtype="f4"), "b": np.ones((3, 3), "i8")}
    np.savez_compressed(tmp_path / "c.npz", **arrays)
    loaded = formats.load(tmp_path / "c.npz")
    assert {k: v.tobytes() for k, v in loaded.items()} == {k: v.tobytes() for k, v in arrays.items()}


def test_pickled_npz_is_refused(tmp_path):
    np.savez(tmp_path / "p.npz", obj=np.array([{"evil": 1}], dtype=object))
    with pytest.raises(CheckpointError) as info:
        read_index(tmp_path / "p.npz")
    assert "|O" in str(info.value)


def test_npz_whose_directory_offset_points_before_the_file_is_refused(tmp_path):
    """An end-of-directory record whose directory offset is 256 too large: zipfile shifts every
    member's header offset by -256 (its fix for archives with a prefix), so the first one lies
    before the file's start (found by properties/test_checkpoint_corruption.py)."""
    np.savez(tmp_path / "a.npz", **{"0": np.zeros(0, "f4")})
    data = bytearray((tmp_path / "a.npz").read_bytes())
    data[-5] ^= 1      # the second byte of the directory's offset (end record bytes 16-19)
    (tmp_path / "a.npz").write_bytes(bytes(data))
    with pytest.raises(CheckpointError, match="local header offset within the file"):
        read_index(tmp_path / "a.npz")


HUGE = 1 << 62       # with a zero dim beside it: no bytes, but beyond numpy's array size


def _unaddressable(path, fmt):
    """A file of one float32 array of shape (0, HUGE)."""
    if fmt == "mxnet":      # written as (0, 3), the 3 (the i64 after the 0) then replaced
        formats.save(path, {"a": np.zeros((0, 3), "f4")}, "mxnet-binary")
        data = bytearray(path.read_bytes())
        at = data.index(struct.pack("<qq", 0, 3)) + 8
        data[at:at + 8] = struct.pack("<q", HUGE)
        path.write_bytes(bytes(data))
    elif fmt == "npz":
        with zipfile.ZipFile(path, "w") as archive, archive.open("a.npy", "w") as member:
            np.lib.format.write_array_header_1_0(
                member, {"descr": "<f4", "fortran_order": False, "shape": (0, HUGE)})
    else:
        header = json.dumps({"a": {"dtype": "F32", "shape": [0, HUGE],
                                   "data_offsets": [0, 0]}}).encode()
        path.write_bytes(struct.pack("<Q", len(header)) + header)


@pytest.mark.parametrize("fmt", ["mxnet", "npz", "safetensors"])
def test_empty_array_of_unaddressable_dims_is_refused(tmp_path, fmt):
    """A zero dim beside dims whose product overflows numpy's size: no bytes are needed, but
    numpy cannot make the array; the header is refused (found by
    properties/test_checkpoint_corruption.py on a flipped mxnet-binary dim)."""
    path = tmp_path / "a.bin"
    _unaddressable(path, fmt)
    with pytest.raises(CheckpointError, match="numpy can address|non-negative"):
        read_index(path)
