"""gluonbridge: MXNet Gluon code and checkpoints across the 1.x / 2.x naming break, on ONNX.

    from gluonbridge import gluon          # instead of: from mxnet import gluon
    net = gluon.nn.Dense(10)

The naming mode (``legacy``: MXNet 1.x, ``structural``: MXNet 2.x) is chosen with the
environment variable GLUONBRIDGE_NAMING or :func:`gluonbridge.naming.use`.
"""
from . import initializer, naming
from . import name
from . import gluon
from . import ndarray as nd
from . import numpy as np
from . import numpy_extension as npx
from .backend import LoweringError

__version__ = "0.1.0"
