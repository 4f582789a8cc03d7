"""A Gluon-compatible Block/Parameter/nn system: ``from gluonbridge import gluon`` replaces
``from mxnet import gluon``. Names follow the active naming mode (``gluonbridge.naming``)."""
from .. import naming as _naming
from . import contrib, model_zoo, nn, rnn
from .block import Block, HybridBlock
from .parameter import Constant, DeferredInitializationError, Parameter
from .parameter import ParameterDict as _ParameterDict
from .symbol_block import SymbolBlock


# modules model code reaches as attributes (``gluon.loss.L2Loss``), loaded on first use
_LAZY = {"loss": ".loss", "data": ".data", "utils": ".utils", "metric": "..metric",
         "Trainer": ".trainer"}


def __getattr__(name):
    if name in _LAZY:
        import importlib
        module = importlib.import_module(_LAZY[name], __name__)
        return getattr(module, name) if name == "Trainer" else module
    # ParameterDict is MXNet 1.x API only: MXNet 2 removed it.
    if name == "ParameterDict" and _naming.current().api.has_prefixes:
        return _ParameterDict
    raise AttributeError(f"module 'gluonbridge.gluon' has no attribute {name!r}")
