"""Saving and loading a Block's (or a ParameterDict's) Parameters through gluonbridge.checkpoint.

What is written mirrors the real MXNet of the block's API (``Block._naming.api``):

* MXNet 1.9.1 (legacy naming): ``save_parameters`` writes the 1.x binary list format keyed by
  structural key (``features.0.weight``); ``collect_params().save`` writes it keyed by full
  prefixed name (``resnetv10_conv0_weight``), minus ``strip_prefix``;
* MXNet 2.0.0b1 (structural naming, numpy semantics): ``save_parameters`` writes an ``.npz``
  archive keyed by structural key.

Loading accepts any array format gluonbridge reads (1.x binary, npz, npy, safetensors, ONNX
initializers) and either naming; pairing keys with Parameters and checking the fit is
:mod:`gluonbridge.translate.loading`, working on the block's
:class:`~gluonbridge.naming.ParameterTable`. Every problem is collected into one
:class:`~gluonbridge.translate.LoadReport` and raised once as :class:`ParameterLoadError` before
anything is assigned.
"""
from __future__ import annotations

import os

import numpy as np

from .. import checkpoint
from ..buffers import copies_together
from ..checkpoint.errors import CheckpointError
from ..translate import loading
from ..translate.loading import ParameterLoadError
from ..translate.report import LoadReport

__all__ = ["ParameterLoadError", "LoadReport", "save_block", "save_parameter_dict",
           "read_named_arrays", "load_block", "load_block_dict", "load_parameter_dict"]


# -- saving --------------------------------------------------------------------------------

def _values(params: dict) -> dict:
    """key -> numpy array of every Parameter, failing like MXNet on uninitialized ones."""
    out = {}
    for key, param in params.items():
        if param._data is None:
            state = "was deferred (its shape is inferred at the first forward pass)" \
                if param._deferred_init else "has not been initialized"
            raise RuntimeError(f"Parameter '{param.name}' (key '{key}') {state}; initialize the "
                               "block and run one batch through it (or load parameters) before "
                               "saving.")
        out[key] = param._data
    return out


def save_block(block, filename, deduplicate: bool = False) -> None:
    """``Block.save_parameters``: structural keys, in the file format of the block's MXNet."""
    params = block.structural_params(deduplicate)
    checkpoint.save(filename, _values(params), block._naming.api.checkpoint_format, force=True)


def save_parameter_dict(params, filename, strip_prefix: str = "") -> None:
    """``ParameterDict.save``: full names minus ``strip_prefix``, 1.x binary format."""
    arrays = {}
    for name, param in params.items():
        if not name.startswith(strip_prefix):
            raise ValueError(
                f"Prefix '{strip_prefix}' is to be striped before saving, but Parameter's name "
                f"'{name}' does not start with '{strip_prefix}'. This may be due to your Block "
                "sharing parameters from other Blocks or you forgot to use 'with name_scope()' "
                "when creating child blocks.")
        arrays[name[len(strip_prefix):]] = _values({name: param})[name]
    checkpoint.save(filename, arrays, "mxnet-binary", force=True)


# -- loading -------------------------------------------------------------------------------

def read_named_arrays(filename) -> dict:
    """The arrays of any checkpoint file as ``{key: numpy array}``, roles (``arg:``) kept."""
    arrays = checkpoint.load(filename)
    if isinstance(arrays, list) and not arrays:    # MXNet writes no names for no arrays
        return {}
    if not isinstance(arrays, dict):
        raise CheckpointError(os.fspath(filename), None, "named arrays (a dict-form file)",
                              f"an unnamed list of {len(arrays)} arrays",
                              "load it with gluonbridge.checkpoint.load and name the arrays")
    return arrays


def assign(param, value, adopt_dtype: bool) -> None:
    """Put ``value`` (a copy from :func:`gluonbridge.buffers.copies_together`) into ``param``."""
    if adopt_dtype:
        param._dtype = value.dtype
    param.set_data(value)
    param._deferred_init = ()


def load_block(block, filename, allow_missing=False, ignore_extra=False, cast_dtype=False,
               dtype_source="current", namemap=None) -> LoadReport:
    """``Block.load_parameters``: any format, either naming; returns the report."""
    return _load(block, read_named_arrays(filename), os.fspath(filename), allow_missing,
                 ignore_extra, cast_dtype, dtype_source, namemap)


def load_block_dict(block, param_dict: dict, allow_missing=False, ignore_extra=False,
                    cast_dtype=False, dtype_source="current", namemap=None) -> LoadReport:
    """``Block.load_dict``: a ``{key: array}`` dict, either naming; returns the report."""
    loaded = {k: np.asarray(v) for k, v in param_dict.items()}
    return _load(block, loaded, "param_dict", allow_missing, ignore_extra, cast_dtype,
                 dtype_source, namemap)


def _load(block, loaded, source, allow_missing, ignore_extra, cast_dtype, dtype_source,
          namemap) -> LoadReport:
    table = block.parameter_table()
    targets, keyed, report = loading.match(table, loaded, namemap)
    return loading.load(targets, keyed, report, source, lambda r: loading.hint(table.api, r),
                        assign, allow_missing, ignore_extra, cast_dtype, dtype_source,
                        detach=copies_together)


def load_parameter_dict(params, param_dict: dict, source: str, allow_missing=False,
                        ignore_extra=False, restore_prefix="", cast_dtype=False,
                        dtype_source="current") -> LoadReport:
    """``ParameterDict.load``/``load_dict``: full names (``restore_prefix`` prepended)."""
    for name in params.keys():
        if not name.startswith(restore_prefix):
            raise AssertionError(
                f"restore_prefix is '{restore_prefix}' but Parameters name '{name}' does not "
                f"start with '{restore_prefix}'.")
    report = LoadReport()
    loaded = loading.strip_roles({k: np.asarray(v) for k, v in param_dict.items()}, report)
    keyed = {restore_prefix + k: v for k, v in loaded.items()}
    hint = "make sure source and target networks have the same prefix (restore_prefix=)"
    return loading.load(dict(params.items()), keyed, report, source, lambda r: hint, assign,
                        allow_missing, ignore_extra, cast_dtype, dtype_source, detach=copies_together)
