"""Contributed layers (mirrors ``mxnet.gluon.contrib``)."""
from . import cnn, nn, rnn
