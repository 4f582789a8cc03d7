"""gluonbridge.translate.rnn_weights: errors, shapes and recognising per-gate key groups."""
import numpy as np
import pytest

from gluonbridge.translate.rnn_weights import (RNNLayout, RNNWeightsError, find_rnn_groups, fuse,
                                               layout_from_arrays, split)

LSTM2BI = RNNLayout.for_mode("lstm", num_layers=2, hidden_size=3, input_size=5,
                             bidirectional=True)


def test_split_reports_expected_and_found_counts():
    with pytest.raises(RNNWeightsError, match=rf"expected {LSTM2BI.size} elements .* found 7"):
        split(np.zeros(7, np.float32), LSTM2BI)


def test_split_without_input_size_reports_the_size_that_fits_nothing():
    layout = RNNLayout.for_mode("gru", 1, 2, 0)
    with pytest.raises(RNNWeightsError, match="rnn_param has 13 elements: no input size fits"):
        split(np.zeros(13, np.float32), layout)


def test_fuse_names_the_key_and_both_counts():
    arrays = {k: np.zeros(s, np.float32) for k, s in LSTM2BI.entries()}
    arrays["r1_h2h_weight"] = np.zeros((12, 2), np.float32)
    with pytest.raises(RNNWeightsError, match=r"r1_h2h_weight: expected 36 elements .* found 24"):
        fuse(arrays, LSTM2BI)


def test_fuse_lists_missing_and_unexpected_keys():
    arrays = {k: np.zeros(s, np.float32) for k, s in LSTM2BI.entries()}
    del arrays["l1_i2h_bias"]
    arrays["l2_i2h_bias"] = np.zeros(12, np.float32)
    with pytest.raises(RNNWeightsError, match=r"missing \['l1_i2h_bias'\], unexpected "
                                              r"\['l2_i2h_bias'\]"):
        fuse(arrays, LSTM2BI)


def test_layout_from_arrays_reads_projection_and_gates():
    layout = RNNLayout.for_mode("lstm", 2, 5, 4, True, 3)
    arrays = {k: np.zeros(s, np.float32) for k, s in layout.entries()}
    assert layout_from_arrays(arrays, "lstm") == layout
    with pytest.raises(RNNWeightsError, match="mode 'gru' has 3 gates, the arrays 4"):
        layout_from_arrays(arrays, "gru")


def test_find_groups_full_names_and_unfused_keys():
    keys = [f"model_lstm0_{k}" for k, _ in LSTM2BI.entries()] + ["model_dense0_weight"]
    keys += [f"encoder.rnn._unfused.{i}.{c}_{t}" for i in range(2) for c in ("i2h", "h2h")
             for t in ("weight", "bias")]
    groups, problems = find_rnn_groups(keys)
    assert problems == []
    by_style = {g.style: g for g in groups}
    full, unfused = by_style["full_name"], by_style["unfused"]
    assert (full.prefix, full.num_layers, full.bidirectional, full.fused_key) == \
        ("model_lstm0_", 2, True, None)
    assert full.keys["r1_h2h_bias"] == "model_lstm0_r1_h2h_bias"
    assert (unfused.prefix, unfused.num_layers, unfused.bidirectional, unfused.fused_key) == \
        ("encoder.rnn.", 2, False, "encoder.rnn.rnn_param")
    assert unfused.keys["l1_i2h_weight"] == "encoder.rnn._unfused.1.i2h_weight"


def test_find_groups_bidirectional_unfused_keys():
    keys = [f"_unfused.0.{d}_cell.{c}_{t}" for d in "lr" for c in ("i2h", "h2h", "h2r")
            for t in ("weight", "bias") if not (c == "h2r" and t == "bias")]
    (group,), problems = find_rnn_groups(keys)
    assert problems == [] and group.bidirectional and group.projection
    assert group.fused_key == "rnn_param"
    assert group.keys["r0_h2r_weight"] == "_unfused.0.r_cell.h2r_weight"


def test_find_groups_reports_incomplete_and_mixed_groups():
    keys = ["lstm0_l0_i2h_weight", "lstm0_l0_h2h_weight", "lstm0_l0_i2h_bias",
            "lstm0_l1_i2h_weight", "lstm0_l1_h2h_weight", "lstm0_l1_i2h_bias",
            "lstm0_l1_h2h_bias"]
    groups, problems = find_rnn_groups(keys)
    assert groups == []
    assert problems == ["full_name keys under 'lstm0_': not one complete recurrent layer "
                        "(missing ['l0_h2h_bias'], unexpected nothing)"]
    mixed = [f"_unfused.0.{c}_{t}" for c in ("i2h", "h2h") for t in ("weight", "bias")]
    mixed += [f"_unfused.0.r_cell.{c}_{t}" for c in ("i2h", "h2h") for t in ("weight", "bias")]
    groups, problems = find_rnn_groups(mixed)
    assert groups == [] and "mixes bidirectional" in problems[0]
