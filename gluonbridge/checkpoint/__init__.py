"""Read and write every MXNet checkpoint format without MXNet (see :mod:`.formats`).

One module per format (:mod:`.mxnet_binary`, :mod:`.npz`, :mod:`.safetensors_format`,
:mod:`.onnx_initializers`, :mod:`.symbol_json`), a shared in-memory view (:mod:`.tensor`),
one dtype table (:mod:`.dtypes`), the error family (:mod:`.errors`) and the name-map file
(:mod:`.namemap`); translating names through it is ``gluonbridge.translate``.
"""
from .dtypes import bfloat16_to_float32
from .errors import CheckpointError
from .formats import load, read_index, save, sniff_format
from .tensor import Checkpoint, Tensor, checkpoint_from_arrays

__all__ = ["BFLOAT16", "Checkpoint", "CheckpointError", "Tensor", "bfloat16_to_float32",
           "checkpoint_from_arrays", "load", "read_index", "save", "sniff_format"]


def __getattr__(name):
    if name == "BFLOAT16":       # NumPy loads on first use: the converters do not need it
        from . import dtypes
        return dtypes.BFLOAT16
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
