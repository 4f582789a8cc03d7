"""save_parameters / load_parameters / load_dict: any checkpoint format, either naming.

Reading and matching are gluonbridge's (``gluonbridge.gluon.saving``, which needs only numpy):
file keys may be structural keys, 1.x full names (matched against ``collect_params()`` on 1.x,
including another top-level prefix such as ``model0_`` vs ``model1_``), ``arg:``/``aux:`` roles,
or anything a name map translates. Every problem is collected into one report and raised once,
before any Parameter is touched. Real-MXNet Parameters are then filled with their own
``_load_init``, as MXNet's ``load_parameters`` does (deferred shapes completed, ``ctx`` honoured).
"""
from __future__ import annotations

import os

import numpy as np

from ._backend import IS_MX2, ON_GLUONBRIDGE, api, mx


def _numpy(value) -> np.ndarray:
    return value.asnumpy() if hasattr(value, "asnumpy") else np.asarray(value)


def save_parameters(block, path) -> None:
    """Write the Parameters keyed by structural key in the MXNet 1.x binary format: the one
    file that MXNet 1.9.1's and 2.x's own ``load_parameters`` both read (2.x's native save writes
    ``.npz``, which 1.9.1 cannot read). Written atomically; shared Parameters under every key."""
    from gluonbridge import checkpoint
    arrays = {key: _numpy(param.data() if ON_GLUONBRIDGE else param._reduce())
              for key, param in block._collect_params_with_prefix().items()}
    checkpoint.save(path, arrays, "mxnet-binary", force=True)


def load_parameters(block, path, ctx=None, allow_missing=False, ignore_extra=False, *,
                    namemap=None):
    """Load a 1.x ``.params`` (structural keys or full prefixed names), ``.npz``, ``.npy`` or
    safetensors file; returns the :class:`~gluonbridge.translate.LoadReport`.

    ``namemap`` (a name-map JSON path, a ``NameMap`` or a ``{legacy: structural}`` dict) is
    needed on 2.x for files keyed by 1.x full names: a 2.x model has no such names.
    Raises ``gluonbridge.gluon.saving.ParameterLoadError`` (an AssertionError, like MXNet)
    listing every missing, unexpected, shape- or dtype-mismatched key.
    """
    if ON_GLUONBRIDGE:
        return block.load_parameters(path, ctx, allow_missing, ignore_extra, namemap=namemap)
    from gluonbridge.gluon import saving     # reading needs only numpy
    return _load(block, saving.read_named_arrays(path), os.fspath(path), ctx, allow_missing,
                 ignore_extra, namemap)


def load_dict(block, mapping, ctx=None, allow_missing=False, ignore_extra=False, *,
              namemap=None):
    """:func:`load_parameters` for a ``{key: array}`` dict (1.9.1's Block has no ``load_dict``,
    and 2.x's takes ``device=``, not ``ctx=``)."""
    if ON_GLUONBRIDGE:
        return block.load_dict(mapping, ctx, allow_missing, ignore_extra, namemap=namemap)
    arrays = {key: _numpy(value) for key, value in mapping.items()}
    return _load(block, arrays, "param_dict", ctx, allow_missing, ignore_extra, namemap)


def _load(block, arrays, source, ctx, allow_missing, ignore_extra, namemap):
    from gluonbridge.translate import loading
    table = parameter_table(block)
    targets, keyed, report = loading.match(table, arrays, namemap)

    def assign(param, value, _adopt_dtype):
        array = mx.np.array if IS_MX2 and mx.util.is_np_array() else mx.nd.array
        param._load_init(array(value, dtype=value.dtype), ctx)
    return loading.load(targets, keyed, report, source, lambda r: loading.hint(table.api, r),
                        assign, allow_missing, ignore_extra)


def parameter_table(block):
    """A block's Parameters as a :class:`gluonbridge.naming.ParameterTable`: gluonbridge's own,
    or one built from a real-MXNet block's own dictionaries (its Parameters as they are)."""
    if ON_GLUONBRIDGE:
        return block.parameter_table()
    from gluonbridge.naming import ParameterTable
    by_name = {} if IS_MX2 else dict(block.collect_params().items())
    return ParameterTable(block._collect_params_with_prefix(), by_name,
                          "" if IS_MX2 else block.prefix, api())
