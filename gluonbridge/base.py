"""Mirrors ``mxnet.base``: the type tuples, error class and small helpers model code imports.

The tuples are MXNet's own (``numeric_types`` accepts numpy scalars, ``integer_types`` numpy
int32/int64), so ``isinstance`` checks in library code answer as under MXNet.
"""
import os

import numpy as np

string_types = (str,)
numeric_types = (float, int, np.generic)
integer_types = (int, np.int32, np.int64)
py_str = str


class MXNetError(RuntimeError):
    """What MXNet raises from its C++ core; gluonbridge raises it where MXNet would."""


class NotSupportedWithoutMXNet(MXNetError, NotImplementedError):
    """A call that needs MXNet's own runtime (training kernels, GPUs, custom operators)."""


def without_mxnet(what: str, hint: str = "") -> NotSupportedWithoutMXNet:
    """The error for a call gluonbridge cannot perform: names the call and says why."""
    message = (f"{what} needs MXNet's own runtime: gluonbridge runs Gluon models for inference "
               "on ONNX (CPU) and does not train, run custom operators or use GPUs")
    return NotSupportedWithoutMXNet(message + (f"; {hint}" if hint else ""))


def data_dir():
    """MXNet's data folder: ``$MXNET_HOME``, else ``~/.mxnet`` (not expanded, as in MXNet)."""
    return os.getenv("MXNET_HOME", os.path.join("~", ".mxnet"))


def _as_list(obj):
    """``obj`` if it is a list or tuple, else ``[obj]``."""
    return obj if isinstance(obj, (list, tuple)) else [obj]
