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

from .api import MX1
from .keys import unique_names
from .policy import BlockNaming, NamingPolicy


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
    """What ``block.name_scope()`` returns: makes its block the parent of blocks created inside.

    It holds what a child needs of its parent (prefix, ParameterDict prefix and shared dict) and
    the per-hint counters, one scope per block instance, for the block's lifetime. Its prefix
    is the block's ``prefix`` attribute once ``block`` is set: MXNet 1.x reads
    ``block.prefix`` there, so a subclass overriding that property (Sockeye's attention layers)
    names its children and its ops after the override, while its parameters keep the
    ParameterDict lineage.
    """

    _current = threading.local()

    def __init__(self, prefix: str, params_prefix: str, shared, empty_prefix: bool):
        self._prefix = prefix
        self.block = None
        self.params_prefix = params_prefix
        self.shared = shared
        self._empty_prefix = empty_prefix
        self._counter = {}
        self._old_scope = None
        self._name_scope = None

    @property
    def prefix(self) -> str:
        return self._prefix if self.block is None else self.block.prefix

    @staticmethod
    def current():
        return getattr(BlockScope._current, "value", None)

    def next_prefix(self, hint: str) -> str:
        count = self._counter.get(hint, 0)
        self._counter[hint] = count + 1
        return auto_prefix(hint, count)

    def __enter__(self):
        if self._empty_prefix:
            return self
        self._old_scope = BlockScope.current()
        BlockScope._current.value = self
        self._name_scope = Prefix(self.prefix)
        self._name_scope.__enter__()
        return self

    def __exit__(self, *exc):
        if self._empty_prefix:
            return
        self._name_scope.__exit__(*exc)
        self._name_scope = None
        BlockScope._current.value = self._old_scope


def _select(items, select):
    if not select:
        return list(items)
    pattern = re.compile(select)            # re caches it: compiled once per process
    return [(name, p) for name, p in items if pattern.match(name)]


def _collect_into(ret: dict, block, select) -> None:
    """Add ``block``'s parameters and its descendants' to ``ret`` in ``collect_params`` order;
    a different Parameter under a name already there fails."""
    block._check_container_with_block()
    _add_params(ret, _select(block.params.items(), select))
    for _, child in block._child_items():
        if child._overrides_collect_params():
            _add_params(ret, child.collect_params(select=select).items())
        else:
            _collect_into(ret, child, select)


def _collect_per_level(block, select) -> dict:
    """``collect_params`` exactly as MXNet 1.x computes it: a ParameterDict per level."""
    block._check_container_with_block()
    ret = dict(_select(block.params.items(), select))
    for _, child in block._child_items():
        level = child.collect_params(select=select) if child._overrides_collect_params() \
            else _collect_per_level(child, select)
        _add_params(dict(ret), level.items())    # ParameterDict.update: check all, then copy
        ret.update(level.items())
    return ret


def _add_params(params: dict, items) -> None:
    for name, param in items:
        existing = params.setdefault(name, param)
        if existing is not param:
            raise AssertionError(
                "Cannot update self with other because they have different Parameters with "
                f"the same name '{name}'")


class LegacyNaming(NamingPolicy):
    """MXNet 1.x naming (the default): ``dense0_weight``, ``resnetv10_stage1_conv0_weight``."""

    name = "legacy"
    api = MX1

    def init_block(self, hint, prefix, params, owner):
        """MXNet 1.x's ``_BlockScope.create``: the prefix, and the ParameterDict's prefix and
        shared dict (``params=``, or the enclosing scope's)."""
        empty = prefix == ""
        scope = BlockScope.current()
        if scope is None:
            if prefix is None:
                prefix = NameManager.current().get(None, hint) + "_"
            params_prefix, shared = (prefix, None) if params is None else (params.prefix, params)
        else:
            if prefix is None:
                prefix = scope.next_prefix(hint)
            if params is None:
                params_prefix, shared = scope.params_prefix + prefix, scope.shared
            else:
                params_prefix, shared = params.prefix, params
            prefix = scope.prefix + prefix
        return BlockNaming(prefix, block_name(prefix), params_prefix, shared,
                           BlockScope(prefix, params_prefix, shared, empty))

    def collect_params(self, block, select):
        """Full name -> Parameter: own params, then each child's, deduplicated by name;
        ``select`` is ``re.match`` on the full name at every level.

        One pass over the tree into one dict; MXNet builds a dict per level and merges them,
        which gives the same result, so that is done only when two different Parameters share
        a name, for MXNet's error (the first clash MXNet meets). A child that overrides
        ``collect_params`` is asked for its own.
        """
        ret = {}
        try:
            _collect_into(ret, block, select)
        except AssertionError:
            _collect_per_level(block, select)   # raises MXNet's own AssertionError
            raise
        return ret

    def variable_name(self, param):
        return param.name

    def initializer_names(self, table):
        """Full parameter names, as MXNet 1.x's export writes them."""
        params = list(table.by_name.values()) + list(table.by_key.values())
        return unique_names((p.name, p) for p in params)
