"""gluonbridge: MXNet Gluon code and checkpoints across the 1.x / 2.x naming break, on ONNX.

    from gluonbridge import gluon          # instead of: from mxnet import gluon
    net = gluon.nn.Dense(10)

The naming mode (``legacy``: MXNet 1.x, ``structural``: MXNet 2.x) is chosen with the
environment variable GLUONBRIDGE_NAMING or :func:`gluonbridge.naming.use`.
"""
import importlib
import os

from . import naming     # reads GLUONBRIDGE_NAMING now: a bad value fails at import

__version__ = "0.1.0"

# Run from a source checkout (its root on sys.path, or an editable install of it), the root's
# folders codemods/ and compat/ are this package's gluonbridge.codemods and gluonbridge.compat,
# as setup.py installs them: searching the root after this folder finds that checkout's own
# copies. An installed copy has them inside this folder and no pyproject.toml beside it.
_HERE = os.path.dirname(os.path.abspath(__file__))
_ROOT = os.path.dirname(_HERE)
if os.path.isfile(os.path.join(_ROOT, "pyproject.toml")) and \
        not os.path.isdir(os.path.join(_HERE, "compat")):
    __path__.append(_ROOT)

# Submodules load on first use, so that the command-line tools (inspect, convert) start fast.
# MXNet's short spellings (``mx.init``, ``mx.sym``, ``mx.nd``) name the same modules.
_SUBMODULES = {"gluon": "gluon", "initializer": "initializer", "init": "initializer",
               "name": "name", "nd": "ndarray", "ndarray": "ndarray", "np": "numpy",
               "numpy": "numpy", "npx": "numpy_extension", "numpy_extension": "numpy_extension",
               "sym": "symbol", "symbol": "symbol", "autograd": "autograd", "random": "random",
               "backend": "backend", "checkpoint": "checkpoint", "device": "device"}
__all__ = sorted(_SUBMODULES) + ["LoweringError", "naming"]


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f".{_SUBMODULES[name]}", __name__)
    if name == "LoweringError":
        from .backend import LoweringError
        return LoweringError
    raise AttributeError(f"module 'gluonbridge' has no attribute {name!r}")
