"""Mirrors ``mxnet.gluon.data.vision``: the numpy transforms and the dataset names."""
from . import transforms  # noqa: F401
from .datasets import *  # noqa: F401,F403
