"""Recurrent layers in name maps and in ``convert`` without the oracles: fused entries (version 2)
and version-1 per-gate entries, MXNet's flat order enforced, ``--to mx1`` splitting from
``--model``, ``--namemap`` and ``--target``, and the refusals. End to end against the real MXNets:
tests/test_rnn_split_oracle.py."""
import json

import numpy as np
import pytest

from gluonbridge import naming
from gluonbridge.convert import main as convert
from gluonbridge.checkpoint.errors import CorruptHeaderError, NameMapError
from gluonbridge.checkpoint.formats import load
from gluonbridge.checkpoint.namemap import Entry, FusedEntry, NameMap
from gluonbridge.translate import rnn_namemap
from gluonbridge.translate.model import namemap_from_model
from gluonbridge.translate.rnn_weights import RNNLayout

FACTORY = f"{__name__}:build"
LSTM = RNNLayout.for_mode("lstm", num_layers=2, hidden_size=3, input_size=4, bidirectional=True)


def build():
    """A Dense and a 2-layer bidirectional LSTM, fresh full names (``dense0_``, ``lstm0_``)."""
    from gluonbridge.gluon import nn, rnn
    with naming.NameManager():
        net = nn.HybridSequential()
        net.add(nn.Dense(4, in_units=2, flatten=False),
                rnn.LSTM(3, num_layers=2, bidirectional=True, input_size=4))
    return net


def _unfused(local):
    d, layer, rest = local[0], local[1], local.split("_", 1)[1]
    return f"1._unfused.{layer}.{d}_cell.{rest}"


def _structural_file(path, seed=0):
    """What MXNet 2 writes for build(): '0.weight', '0.bias', '1.rnn_param'."""
    rng = np.random.RandomState(seed)
    arrays = {"0.weight": rng.standard_normal((4, 2)).astype("float32"),
              "0.bias": rng.standard_normal(4).astype("float32"),
              "1.rnn_param": rng.standard_normal(LSTM.size).astype("float32")}
    np.savez(path, **arrays)
    return arrays


def test_model_namemap_has_one_fused_entry_in_flat_order():
    entries = namemap_from_model(build).entries
    assert [type(e) for e in entries] == [Entry, Entry, FusedEntry]
    fused = entries[2]
    assert (fused.structural, fused.shape) == ("1.rnn_param", (LSTM.size,))
    assert [(p.legacy, p.structural, p.shape) for p in fused.parts] == [
        (f"lstm0_{local}", _unfused(local), shape) for local, shape in LSTM.entries()]


def test_version_2_round_trip_and_version_1_when_nothing_is_fused(tmp_path):
    namemap = namemap_from_model(build)
    path = tmp_path / "map.json"
    path.write_text(json.dumps(namemap.to_json()))
    assert json.loads(path.read_text())["version"] == 2
    assert NameMap.from_json(path).entries == namemap.entries
    plain = NameMap(namemap.entries[:2]).to_json()
    assert plain["version"] == 1 and "fused" not in json.dumps(plain)


def test_version_1_per_gate_entries_are_grouped_in_flat_order(tmp_path):
    fused = namemap_from_model(build).entries[2]
    shuffled = list(reversed(fused.parts))         # a version-1 map lists parts in any order
    path = tmp_path / "v1.json"
    path.write_text(json.dumps({"format": "gluonbridge-namemap", "version": 1, "entries": [
        {"legacy": p.legacy, "structural": p.structural, "shape": list(p.shape)}
        for p in shuffled]}))
    (grouped,) = rnn_namemap.grouped(NameMap.from_json(path)).entries
    assert grouped == fused


def test_version_1_file_with_a_fused_entry_is_refused(tmp_path):
    doc = namemap_from_model(build).to_json()
    doc["version"] = 1
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(CorruptHeaderError, match="entry 2: expected .*fused entries need "
                                                 "version 2"):
        NameMap.from_json(path)


def test_fused_entry_out_of_mxnets_order_is_refused():
    fused = namemap_from_model(build).entries[2]
    swapped = FusedEntry(fused.structural, fused.shape, (fused.parts[1], fused.parts[0])
                         + fused.parts[2:])
    with pytest.raises(NameMapError, match=r"fused entry '1.rnn_param'.*not MXNet's"):
        rnn_namemap.layout_of(swapped)


@pytest.mark.parametrize("legacy_names", [False, True])
def test_to_mx1_with_model_splits_and_to_mx2_fuses_back_bit_exactly(tmp_path, legacy_names):
    source = tmp_path / "mx2.npz"
    arrays = _structural_file(source)
    split_path, back = tmp_path / "split.params", tmp_path / "back.npz"
    extra = ["--legacy-names"] if legacy_names else []
    assert convert([str(source), str(split_path), "--to", "mx1", "--model", FACTORY,
                    *extra]) == 0
    split = load(split_path)
    want = {f"lstm0_{local}" if legacy_names else _unfused(local): shape
            for local, shape in LSTM.entries()}
    assert {k: v.shape for k, v in split.items() if "lstm0_" in k or "_unfused" in k} == want
    assert convert([str(split_path), str(back), "--to", "mx2", "--model", FACTORY]) == 0
    again = load(back)
    assert list(again) == list(arrays)
    for key, value in arrays.items():
        assert again[key].tobytes() == value.tobytes(), key


def test_to_mx1_with_a_target_of_full_names(tmp_path):
    """One flat array and one full-name layer in the target: paired, split to its keys."""
    source, target, out = tmp_path / "lstm2.npz", tmp_path / "lstm1.npz", tmp_path / "o.params"
    flat = np.arange(LSTM.size, dtype="float32")
    np.savez(source, rnn_param=flat)
    np.savez(target, **{f"lstm7_{k}": np.zeros(s, "float32") for k, s in LSTM.entries()})
    assert convert([str(source), str(out), "--to", "mx1", "--target", str(target)]) == 0
    got = load(out)
    assert list(got) == [f"lstm7_{k}" for k, _ in LSTM.entries()]
    assert np.concatenate([v.ravel() for v in got.values()]).tobytes() == flat.tobytes()


def test_to_mx1_without_layer_sizes_is_refused(tmp_path, capsys):
    source, out = tmp_path / "mx2.npz", tmp_path / "never.params"
    _structural_file(source)
    assert convert([str(source), str(out), "--to", "mx1"]) == 1
    err = capsys.readouterr().err
    assert "key '1.rnn_param'" in err and "--model" in err and "--target" in err
    assert not out.exists()
    # written for MXNet 2 (npx.save records), the fused array stays as it is
    assert convert([str(source), str(out), "--to", "mx1", "--numpy-semantics"]) == 0
    assert "1.rnn_param" in load(out)


def test_to_mx1_with_a_target_of_another_size_gives_both_counts(tmp_path, capsys):
    source, target, out = tmp_path / "mx2.npz", tmp_path / "mx1.npz", tmp_path / "o.params"
    _structural_file(source)
    other = RNNLayout.for_mode("lstm", 2, 5, 4, True)
    np.savez(target, **{_unfused(k): np.zeros(s, "float32") for k, s in other.entries()})
    assert convert([str(source), str(out), "--to", "mx1", "--target", str(target)]) == 1
    err = capsys.readouterr().err
    assert f"expected {other.size} elements" in err and f"found {LSTM.size}" in err


def test_structural_model_loads_full_names_through_a_namemap(tmp_path):
    """load_parameters(namemap=) fuses the per-gate arrays the map names into rnn_param."""
    x = np.random.RandomState(3).uniform(-1, 1, (5, 2, 2)).astype("float32")
    with naming.override("legacy"):
        old = build()
        old.initialize()
        want = np.asarray(old(x))
        path = str(tmp_path / "full.params")
        old.collect_params().save(path)
    namemap = namemap_from_model(build)
    with naming.override("structural"):
        from gluonbridge.gluon import nn, rnn
        new = nn.HybridSequential()
        new.add(nn.Dense(4, in_units=2, flatten=False),
                rnn.LSTM(3, num_layers=2, bidirectional=True, input_size=4))
        new.load_parameters(path, namemap=namemap)
        np.testing.assert_array_equal(np.asarray(new(x)), want)
