"""Contributed recurrent cells (mirrors ``mxnet.gluon.contrib.rnn`` of MXNet 1.x; the
convolutional cells are not provided)."""
from ...rnn.rnn_cell import LSTMPCell, VariationalDropoutCell

__all__ = ["VariationalDropoutCell", "LSTMPCell"]
