"""The attributes MXNet writes on a parameter variable (``symbol.var`` of MXNet 1.9.1/2.0.0b1):
``__shape__`` (0 for an unknown dimension, as the Parameter's shape reads when the variable is
made), ``__dtype__`` (MXNet's type flag), ``__lr_mult__``, ``__wd_mult__``, ``__init__`` (the
string the layer passed, or the initializer's JSON), ``__storage_type__`` and, in MXNet 2,
``__profiler_scope__``."""
from __future__ import annotations

from ..checkpoint.dtypes import DTYPES

STORAGE_TYPES = {"default": 0, "row_sparse": 1, "csr": 2}


def variable_attrs(shape, dtype, lr_mult=1.0, wd_mult=1.0, init=None, stype="default",
                   profiler_scope=None) -> dict:
    """``symbol.var(name, shape, dtype, lr_mult, wd_mult, init, stype)``'s attributes (values
    None are left out, as MXNet does); ``profiler_scope``: MXNet 2's ``__profiler_scope__``
    (1.9.1 writes none)."""
    import numpy as np
    attrs = {}
    if shape is not None:
        kind = list if isinstance(shape, list) else tuple   # MXNet writes str(shape)
        attrs["__shape__"] = str(kind(int(d) for d in shape))
    if lr_mult is not None:
        attrs["__lr_mult__"] = str(lr_mult)
    if wd_mult is not None:
        attrs["__wd_mult__"] = str(wd_mult)
    if dtype is not None:
        name = "bfloat16" if np.dtype(dtype).fields else np.dtype(dtype).name
        attrs["__dtype__"] = str(DTYPES[name].mxnet_flag)
    if init is not None:
        attrs["__init__"] = init if isinstance(init, str) else init.dumps()
    if profiler_scope is not None:
        attrs["__profiler_scope__"] = profiler_scope
    if stype is not None:
        attrs["__storage_type__"] = str(STORAGE_TYPES[stype])
    return attrs
