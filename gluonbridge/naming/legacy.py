"""MXNet 1.x naming: prefixes, ``name_scope``, per-scope counters, ParameterDict lineage.

The rules (``shared/spec/naming.md`` Part A, checked against MXNet 1.9.1 by the oracle tests):

* A block created while no block scope is current (in this thread) is top-level: its prefix is
  ``<hint><n>_`` from the thread's current :class:`NameManager`, or the explicit ``prefix=``
  verbatim.
* A block created inside ``with parent.name_scope():`` gets ``parent.prefix + <hint><n>_`` with
  ``n`` counted per hint on the parent's scope (so counters restart in every parent instance and
  continue when the scope is re-entered), or ``parent.prefix + prefix`` for an explicit prefix.
* ``prefix=''`` makes an "empty-prefix" block whose ``name_scope()`` does nothing.
* Parameter names follow the ParameterDict lineage (``params=`` sharing), not the block prefix.
"""
from __future__ import annotations

import re
import threading

from .policy import NamingPolicy


def auto_prefix(hint: str, count: int) -> str:
    """The prefix MXNet 1.x generates for the ``count``-th block with ``hint`` in a scope."""
    return f"{hint}{count}_"


def block_name(prefix: str) -> str:
    """``Block.name``: the prefix with exactly one trailing ``_`` removed, if there is one."""
    return prefix[:-1] if prefix.endswith("_") else prefix


# -- the symbol NameManager (mirrors mxnet.name): top-level counters, one set per thread ----------

class NameManager:
    """Per-hint counters for top-level names; ``with NameManager():`` gives fresh counters."""

    _current = threading.local()

    def __init__(self):
        self._counter = {}
        self._old_manager = None

    def get(self, name, hint):
        """``name`` if given, else ``<hint><n>`` with this manager's counter for ``hint``."""
        if name:
            return name
        count = self._counter.get(hint, 0)
        self._counter[hint] = count + 1
        return f"{hint}{count}"

    @classmethod
    def current(cls) -> "NameManager":
        manager = getattr(cls._current, "value", None)
        if manager is None:
            manager = cls._current.value = NameManager()
        return manager

    def __enter__(self):
        self._old_manager = NameManager.current()
        NameManager._current.value = self
        return self

    def __exit__(self, *exc):
        NameManager._current.value = self._old_manager


class Prefix(NameManager):
    """A NameManager that puts ``prefix`` in front of every name it makes (``mx.name.Prefix``)."""

    def __init__(self, prefix):
        super().__init__()
        self._prefix = prefix

    def get(self, name, hint):
        return self._prefix + super().get(name, hint)


# -- block scopes -----------------------------------------------------------------------------------

class BlockScope:
    """What ``block.name_scope()`` returns: makes ``block`` the parent of blocks created inside.

    The per-hint counters live here, one scope per block instance, for the block's lifetime.
    """

    _current = threading.local()

    def __init__(self, block):
        self._block = block
        self._counter = {}
        self._old_scope = None
        self._name_scope = None

    @staticmethod
    def current():
        return getattr(BlockScope._current, "value", None)

    def next_prefix(self, hint: str) -> str:
        count = self._counter.get(hint, 0)
        self._counter[hint] = count + 1
        return auto_prefix(hint, count)

    def __enter__(self):
        if self._block._empty_prefix:
            return self
        self._old_scope = BlockScope.current()
        BlockScope._current.value = self
        self._name_scope = Prefix(self._block.prefix)
        self._name_scope.__enter__()
        return self

    def __exit__(self, *exc):
        if self._block._empty_prefix:
            return
        self._name_scope.__exit__(*exc)
        self._name_scope = None
        BlockScope._current.value = self._old_scope


def _parameter_dict_class():
    """gluon.parameter.ParameterDict (imported on first use: gluon imports this module)."""
    global _ParameterDict
    if _ParameterDict is None:
        from ..gluon.parameter import ParameterDict as _ParameterDict
    return _ParameterDict


_ParameterDict = None


def _collect_into(ret, block, select):
    """Add ``block``'s parameters and its descendants' to the ParameterDict ``ret`` in
    ``collect_params`` order; a different Parameter under a name already there fails."""
    block._check_container_with_block()
    own = block.params.items()
    if select:
        pattern = re.compile(select)            # re caches it: compiled once per process
        own = [(name, p) for name, p in own if pattern.match(name)]
    _add_params(ret._params, own)
    for _, child in block._child_items():
        if type(child).collect_params is _block_collect_params():
            _collect_into(ret, child, select)
        else:
            _add_params(ret._params, child.collect_params(select=select).items())


def _collect_per_level(block, select):
    """``collect_params`` exactly as MXNet 1.x computes it: a ParameterDict per level."""
    block._check_container_with_block()
    ret = _parameter_dict_class()(block.params.prefix)
    if not select:
        ret.update(block.params)
    else:
        pattern = re.compile(select)
        ret.update({name: p for name, p in block.params.items() if pattern.match(name)})
    for _, child in block._child_items():
        ret.update(_collect_per_level(child, select)
                   if type(child).collect_params is _block_collect_params()
                   else child.collect_params(select=select))
    return ret


def _add_params(params: dict, items) -> None:
    for name, param in items:
        existing = params.setdefault(name, param)
        assert existing is param, (
            "Cannot update self with other because they have different Parameters with "
            f"the same name '{name}'")


def _block_collect_params():
    """gluon.Block.collect_params (imported on first use: gluon imports this module)."""
    global _BLOCK_COLLECT_PARAMS
    if _BLOCK_COLLECT_PARAMS is None:
        from ..gluon.block import Block
        _BLOCK_COLLECT_PARAMS = Block.collect_params
    return _BLOCK_COLLECT_PARAMS


_BLOCK_COLLECT_PARAMS = None


class LegacyNaming(NamingPolicy):
    """MXNet 1.x naming (the default): ``dense0_weight``, ``resnetv10_stage1_conv0_weight``."""

    name = "legacy"
    semantics = "mx1"
    unknown_dim = 0

    def init_block(self, block, prefix, params, owner):
        ParameterDict = _parameter_dict_class()
        block.__dict__["_empty_prefix"] = prefix == ""
        scope = BlockScope.current()
        if scope is None:
            if prefix is None:
                prefix = NameManager.current().get(None, block._alias()) + "_"
            params = ParameterDict(prefix) if params is None else ParameterDict(params.prefix, params)
        else:
            if prefix is None:
                prefix = scope.next_prefix(block._alias())
            if params is None:
                parent = scope._block.params
                params = ParameterDict(parent.prefix + prefix, parent._shared)
            else:
                params = ParameterDict(params.prefix, params)
            prefix = scope._block.prefix + prefix
        block.__dict__.update(_prefix=prefix, _params=params, _name=block_name(prefix),
                              _scope=BlockScope(block))

    def new_parameter(self, block, local_name, **kwargs):
        return block.params.get(local_name, **kwargs)

    def new_constant(self, block, local_name, value):
        return block.params.get_constant(local_name, value)

    def collect_params(self, block, select):
        """A ParameterDict keyed by full name: own params, then each child's, deduplicated by
        name; ``select`` is ``re.match`` on the full name at every level.

        One pass over the tree into one dict; MXNet builds a dict per level and merges them,
        which gives the same result, so that is done only when two different Parameters share
        a name, for MXNet's error (the first clash MXNet meets). A child that overrides
        ``collect_params`` is asked for its own.
        """
        ret = _parameter_dict_class()(block.params.prefix)
        try:
            _collect_into(ret, block, select)
        except AssertionError:
            _collect_per_level(block, select)   # raises MXNet's own AssertionError
            raise
        return ret

    def variable_name(self, param):
        return param.name

    def initializer_names(self, block):
        """Full parameter names, as MXNet 1.x's export writes them."""
        from ..backend.trace import unique_initializer_names
        params = list(block.collect_params().values())
        params += list(block._collect_params_with_prefix().values())
        return unique_initializer_names((p.name, p) for p in params)
