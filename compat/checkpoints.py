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
import types

import numpy as np

from ._backend import IS_MX2, ON_GLUONBRIDGE, mx


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
    safetensors file; returns the :class:`~gluonbridge.checkpoint.namemap.LoadReport`.

    ``namemap`` (a name-map JSON path, a ``NameMap`` or a ``{legacy: structural}`` dict) is
    needed on 2.x for files keyed by 1.x full names: a 2.x model has no such names.
    Raises ``gluonbridge.gluon.saving.ParameterLoadError`` (an AssertionError, like MXNet)
    listing every missing, unexpected, shape- or dtype-mismatched key.
    """
    if ON_GLUONBRIDGE:
        return block.load_parameters(path, ctx, allow_missing, ignore_extra, namemap=namemap)
    from gluonbridge.gluon import saving
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
    from gluonbridge.gluon import saving
    view = _BlockView(block, ctx)
    targets, keyed, report = saving.match_to_parameters(view, arrays, namemap)
    return saving.load_into(targets, keyed, report, source, _hint, allow_missing, ignore_extra)


def _hint(report) -> str:
    if IS_MX2 and report.unexpected and not any("." in k for k in report.unexpected):
        return ("the file looks keyed by MXNet 1.x full names, which a 2.x model does not have: "
                "pass namemap= (written by compat.namemap under MXNet 1.x), or convert the file "
                "with python -m gluonbridge.convert --namemap")
    return "check that the file belongs to this model (python -m gluonbridge.inspect FILE)"


class _BlockView:
    """A real-MXNet block seen through the members gluonbridge's matcher reads."""

    def __init__(self, block, ctx):
        self._naming = types.SimpleNamespace(semantics="mx2" if IS_MX2 else "mx1")
        self._prefix = "" if IS_MX2 else block.prefix
        self._block, self._ctx, self._views = block, ctx, {}

    def _view(self, params) -> dict:
        return {key: self._views.setdefault(id(p), _ParamView(p, self._ctx))
                for key, p in params.items()}

    def _collect_params_with_prefix(self) -> dict:
        return self._view(self._block._collect_params_with_prefix())

    def collect_params(self) -> dict:
        return self._view(self._block.collect_params())


class _ParamView:
    """A real-MXNet Parameter as the loader sees it; ``set_data`` goes through ``_load_init``."""

    def __init__(self, param, ctx):
        self._param, self._ctx = param, ctx
        self._deferred_init = ()

    _shape = property(lambda self: self._param._shape)
    shape = property(lambda self: self._param.shape)
    dtype = property(lambda self: self._param.dtype)

    def set_data(self, value) -> None:
        array = mx.np.array if IS_MX2 and mx.util.is_np_array() else mx.nd.array
        self._param._load_init(array(value, dtype=value.dtype), self._ctx)
