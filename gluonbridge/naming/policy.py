"""The interface every naming policy implements.

A policy decides how Blocks and Parameters are named; the Block system (``gluonbridge.gluon``) asks
it and never builds a name itself. Policies work on values: they return a block's naming state
(:class:`BlockNaming`) and read a model's Parameters from its
:class:`~gluonbridge.naming.table.ParameterTable`; they never write a Block's fields. Two ship
with gluonbridge:

* :class:`~gluonbridge.naming.legacy.LegacyNaming` — MXNet 1.x: prefixes, ``name_scope``, per-scope
  counters, ``params=`` sharing, ParameterDict, full prefixed parameter names.
* :class:`~gluonbridge.naming.structural.StructuralNaming` — MXNet 2.x: no prefixes, parameters
  named by their local name and keyed by attribute path, uuid-based variable names.

``api`` (an :class:`~gluonbridge.naming.api.MXNetApi`) says which MXNet version's API the Block
system mirrors under a policy: constructor signatures, which attributes exist, reprs, how unknown
dimensions show. A third-party policy subclasses one of the two built-ins and overrides the naming
hooks it wants to change (the pure functions below), then registers itself under the entry-point
group ``gluonbridge.naming_policies``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .api import MXNetApi


class NamingModeError(RuntimeError):
    """Blocks or Parameters built under different naming policies were combined, or the mode was
    changed after Blocks were built."""


@dataclass(frozen=True)
class BlockNaming:
    """A block's naming state, decided by its policy at construction and kept by the block.

    Under legacy naming the block's own ParameterDict is ``ParameterDict(params_prefix,
    shared)`` and ``scope`` is what ``name_scope()`` returns; under structural naming every
    field keeps its default (no prefix, no ParameterDict, no scopes)."""
    prefix: str = ""
    name: str = ""
    params_prefix: str = ""
    shared: Any = None
    scope: Any = None


class NamingPolicy:
    """Base class of naming policies. Subclass LegacyNaming or StructuralNaming rather than this."""

    #: the name the policy is registered under (``GLUONBRIDGE_NAMING=<name>``)
    name: str = ""
    #: which MXNet API the Block system mirrors under this policy
    api: MXNetApi

    @property
    def semantics(self) -> str:
        """``"mx1"`` or ``"mx2"`` (``api.name``), for code written before :attr:`api`."""
        return self.api.name

    # -- construction hooks called by Block --------------------------------------------------
    def init_block(self, hint: str, prefix: str | None, params: Any, owner: str) -> BlockNaming:
        """The naming state of a block being constructed. ``hint`` is what legacy naming numbers
        it by (``dense``); ``owner`` names the class whose ``__init__`` received
        ``prefix``/``params`` (for MXNet-style TypeErrors)."""
        raise NotImplementedError

    def collect_params(self, block, select: str | None) -> dict:
        """The entries of ``block.collect_params(select)``, in order (the Block wraps them)."""
        raise NotImplementedError

    # -- pure naming functions: the hooks a third-party policy overrides ---------------------
    def initializer_names(self, table) -> dict:
        """id(Parameter) -> ONNX initializer name for the Parameters of a
        :class:`~gluonbridge.naming.table.ParameterTable` (unique)."""
        raise NotImplementedError

    def variable_name(self, param) -> str:
        """The graph variable (symbol / ONNX initializer) name of a Parameter."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"
