"""Contributed layers (mirrors ``mxnet.gluon.contrib``)."""
from . import nn, rnn
