"""Mirrors ``mxnet.contrib.amp`` (its functions live in ``amp.amp``, as in MXNet)."""
from . import amp  # noqa: F401
from .amp import (convert_hybrid_block, convert_model, init, init_trainer,  # noqa: F401
                  scale_loss, unscale)
