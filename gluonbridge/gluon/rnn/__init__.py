"""Recurrent layers and cells (mirrors ``mxnet.gluon.rnn``; LSTMPCell and
VariationalDropoutCell are here as in MXNet 2, and in ``gluon.contrib.rnn`` as in MXNet 1.x)."""
from .rnn_cell import (BidirectionalCell, DropoutCell, GRUCell, HybridRecurrentCell,
                       HybridSequentialRNNCell, LSTMCell, LSTMPCell, ModifierCell, RecurrentCell,
                       ResidualCell, RNNCell, SequentialRNNCell, VariationalDropoutCell,
                       ZoneoutCell)
from .rnn_layer import GRU, LSTM, RNN

__all__ = ["RecurrentCell", "HybridRecurrentCell", "RNNCell", "LSTMCell", "GRUCell",
           "SequentialRNNCell", "HybridSequentialRNNCell", "DropoutCell", "ModifierCell",
           "ZoneoutCell", "ResidualCell", "BidirectionalCell", "VariationalDropoutCell",
           "LSTMPCell", "RNN", "LSTM", "GRU"]
