"""``mx.model``: checkpoints as ``Module.save_checkpoint`` writes them — ``PREFIX-symbol.json``
and ``PREFIX-EPOCH.params`` with ``arg:``/``aux:`` keys (the 1.x binary format)."""
from __future__ import annotations

import numpy as np

from . import checkpoint
from . import symbol as sym
from .checkpoint.errors import CheckpointError
from .checkpoint.namemap import split_role
from .ndarray import NDArray


def _params_file(prefix, epoch) -> str:
    return f"{prefix}-{int(epoch):04d}.params"


def load_params(prefix, epoch):
    """``(arg_params, aux_params)`` of ``PREFIX-EPOCH.params``, as NDArrays by name."""
    path = _params_file(prefix, epoch)
    arrays = checkpoint.load(path)
    if not isinstance(arrays, dict):
        raise CheckpointError(path, None, "named arrays with arg:/aux: keys",
                              "an unnamed list of arrays")
    arg_params, aux_params = {}, {}
    for key, value in arrays.items():
        role, name = split_role(key)
        if role not in ("arg:", "aux:"):
            raise CheckpointError(path, None, "keys 'arg:NAME' or 'aux:NAME'", repr(key),
                                  "not a Module checkpoint; load it with "
                                  "gluonbridge.checkpoint.load", key=key)
        (arg_params if role == "arg:" else aux_params)[name] = np.asarray(value).view(NDArray)
    return arg_params, aux_params


def load_checkpoint(prefix, epoch):
    """``(symbol, arg_params, aux_params)`` of a checkpoint written by ``save_checkpoint``
    (or ``HybridBlock.export``)."""
    symbol = sym.load(f"{prefix}-symbol.json")
    arg_params, aux_params = load_params(prefix, epoch)
    return symbol, arg_params, aux_params


def save_checkpoint(prefix, epoch, symbol, arg_params, aux_params, remove_amp_cast=True):
    """Write ``PREFIX-symbol.json`` (when ``symbol`` is given) and ``PREFIX-EPOCH.params``."""
    if symbol is not None:
        symbol.save(f"{prefix}-symbol.json", remove_amp_cast=remove_amp_cast)
    arrays = {f"arg:{k}": np.asarray(v) for k, v in arg_params.items()}
    arrays.update({f"aux:{k}": np.asarray(v) for k, v in aux_params.items()})
    checkpoint.save(_params_file(prefix, epoch), arrays, "mxnet-binary", force=True)
