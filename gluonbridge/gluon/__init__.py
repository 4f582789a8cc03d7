"""A Gluon-compatible Block/Parameter/nn system: ``from gluonbridge import gluon`` replaces
``from mxnet import gluon``. Names follow the active naming mode (``gluonbridge.naming``)."""
from .. import naming as _naming
from . import contrib, model_zoo, nn
from .block import Block, HybridBlock
from .parameter import Constant, DeferredInitializationError, Parameter
from .parameter import ParameterDict as _ParameterDict
from .symbol_block import SymbolBlock


def __getattr__(name):
    # ParameterDict is MXNet 1.x API only: MXNet 2 removed it.
    if name == "ParameterDict" and _naming.current().semantics == "mx1":
        return _ParameterDict
    raise AttributeError(f"module 'gluonbridge.gluon' has no attribute {name!r}")
