"""gluon.rnn without an oracle: checkpoint round trips in each mode, the size the structural
``rnn_param`` takes at the first call, and the arguments only one MXNet version has."""
import numpy as np
import pytest

from gluonbridge import naming
from gluonbridge.checkpoint.formats import load
from gluonbridge.gluon import rnn
from gluonbridge.translate.rnn_weights import RNNLayout


def test_legacy_layer_saves_unfused_keys_and_loads_them_back(tmp_path):
    with naming.override("legacy"):
        layer = rnn.LSTM(4, num_layers=2, bidirectional=True, input_size=3)
        layer.initialize()
        path = str(tmp_path / "lstm.params")
        layer.save_parameters(path)
        saved = load(path)
        assert sorted(saved) == sorted(layer._collect_params_with_prefix())
        assert "_unfused.1.r_cell.h2h_bias" in saved
        again = rnn.LSTM(4, num_layers=2, bidirectional=True, input_size=3)
        again.load_parameters(path)
        for mine, theirs in zip(layer.collect_params().values(),
                                again.collect_params().values()):
            assert np.array_equal(mine.data(), theirs.data()), mine.name
        assert list(layer._collect_params_with_prefix(select=r".*l_cell\.i2h")) == \
            ["_unfused.0.l_cell.i2h_weight", "_unfused.0.l_cell.i2h_bias",
             "_unfused.1.l_cell.i2h_weight", "_unfused.1.l_cell.i2h_bias"]


def test_structural_rnn_param_size_from_the_first_input_or_a_checkpoint():
    with naming.override("structural"):
        layer = rnn.LSTM(5, num_layers=2, projection_size=2, bidirectional=True)
        assert layer.rnn_param.shape == (-1,)
        layer.infer_shape(np.zeros((7, 3, 4), np.float32))
        expected = RNNLayout.for_mode("lstm", 2, 5, 4, True, 2).size
        assert layer.rnn_param.shape == (expected,)
        assert repr(layer) == "LSTM(4 -> 5, TNC, num_layers=2, bidirectional)"
        loaded = rnn.GRU(3)
        loaded.load_dict({"rnn_param": np.arange(72, dtype=np.float32)})
        assert loaded.rnn_param.shape == (72,)


@pytest.mark.parametrize("mode,build,message", [
    ("legacy", lambda: rnn.GRUCell(3, activation="relu"), "activation"),
    ("legacy", lambda: rnn.BidirectionalCell(rnn.RNNCell(2), rnn.RNNCell(2), "x_", 1), "1"),
    ("structural", lambda: rnn.LSTMCell(3, prefix="p_"), "prefix"),
    ("structural", lambda: rnn.BidirectionalCell(rnn.RNNCell(2), rnn.RNNCell(2),
                                                 output_prefix="x_"), "output_prefix"),
])
def test_arguments_of_the_other_mxnet_version_are_refused(mode, build, message):
    with naming.override(mode), pytest.raises(TypeError) as info:
        build()
    assert message in str(info.value)


def test_cell_arguments_bind_as_in_each_version():
    with naming.override("structural"):
        cell = rnn.GRUCell(3, None, None, "zeros", "zeros", 2, "relu", "tanh")
        assert (cell._activation, cell._recurrent_activation) == ("relu", "tanh")
        assert rnn.LSTMCell(3, None, None, "zeros", "zeros", 0, "relu")._activation == "relu"
    with naming.override("legacy"):
        cell = rnn.LSTMCell(3, None, None, "zeros", "zeros", 2, "enc_", None, "relu")
        assert (cell.prefix, cell._activation) == ("enc_", "relu")
        assert rnn.BidirectionalCell(rnn.RNNCell(2), rnn.RNNCell(2), "both_")._output_prefix \
            == "both_"
