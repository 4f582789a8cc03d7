"""The casts AMP (``mx.contrib.amp``) inserts into a converted graph, as MXNet 1.9.1 types them
(src/operator/tensor/amp_cast.h): ``amp_cast`` casts a float32/float16 array to ``dtype`` and
passes any other array through; ``amp_multicast`` casts its float32/float16 inputs to one dtype
(float32 if one of them is float32, else the first input's dtype; with ``cast_narrow``:
float16 if one of them is float16, else float32) and passes the others through.

A float array cast to an integer dtype is refused: MXNet's CPU kernels round (float32, oneDNN)
or truncate (float16) there, with saturation rules of their own, and AMP never asks for it.
"""
from __future__ import annotations

import numpy as np

from ...graph.attrs import Bool, Dtype, Int
from .common import same_shape
from .elementwise import as_dtype
from .registry import Unsupported, op

_AMP_FLOATS = (np.dtype(np.float16), np.dtype(np.float32))


def _cast_to(source, target):
    """The dtype an AMP cast gives an array of ``source`` dtype asked for ``target``."""
    source, target = np.dtype(source), np.dtype(target)
    if source not in _AMP_FLOATS:
        return source
    if target.kind != "f":
        raise Unsupported(f"a {source} array cast to {target} (AMP casts between float types)")
    return target


@op("amp_cast", attrs={"dtype": Dtype(required=True)}, shape=same_shape,
    dtype=lambda a, data: _cast_to(data, a.dtype))
def amp_cast(g, a, data):
    return as_dtype(g, data, _cast_to(data.dtype, a.dtype))


def _multicast_target(a, dtypes):
    dtypes = [np.dtype(d) for d in dtypes]
    if a.cast_narrow:
        return np.dtype(np.float16 if np.float16 in dtypes else np.float32)
    return np.dtype(np.float32) if np.float32 in dtypes else dtypes[0]


def _multicast_shapes(a, *shapes):
    if len(shapes) != a.num_outputs:
        raise Unsupported(f"{len(shapes)} inputs with num_outputs={a.num_outputs} (one output "
                          "per input)")
    return [tuple(s) for s in shapes]


def _multicast_dtypes(a, *dtypes):
    target = _multicast_target(a, dtypes)
    return [_cast_to(d, target) for d in dtypes]


def _declared_outputs(raw):
    return int(str(raw.get("num_outputs", 1)).strip("'\""))


@op("amp_multicast", inputs="*data", uniform=False,
    attrs={"num_outputs": Int(required=True), "cast_narrow": Bool(False)},
    shape=_multicast_shapes, dtype=_multicast_dtypes, num_outputs=_declared_outputs)
def amp_multicast(g, a, *data):
    target = _multicast_target(a, [x.dtype for x in data])
    return [as_dtype(g, x, _cast_to(x.dtype, target)) for x in data]
