"""Pre-defined model architectures (mirrors ``mxnet.gluon.model_zoo``)."""
from . import model_store, vision
