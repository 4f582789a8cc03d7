"""The interface every naming policy implements.

A policy decides how Blocks and Parameters are named; the Block system (``gluonbridge.gluon``) asks
it and never builds a name itself. Two policies ship with gluonbridge:

* :class:`~gluonbridge.naming.legacy.LegacyNaming` — MXNet 1.x: prefixes, ``name_scope``, per-scope
  counters, ``params=`` sharing, ParameterDict, full prefixed parameter names.
* :class:`~gluonbridge.naming.structural.StructuralNaming` — MXNet 2.x: no prefixes, parameters
  named by their local name and keyed by attribute path, uuid-based variable names.

``semantics`` says which MXNet version's API a policy mirrors (``"mx1"`` or ``"mx2"``): constructor
signatures, which attributes exist, reprs, how unknown dimensions show. A third-party policy
subclasses one of the two built-ins and overrides the naming hooks it wants to change (the pure
functions below), then registers itself under the entry-point group ``gluonbridge.naming_policies``.
"""
from __future__ import annotations

from typing import Any


class NamingModeError(RuntimeError):
    """Blocks or Parameters built under different naming policies were combined, or the mode was
    changed after Blocks were built."""


class NamingPolicy:
    """Base class of naming policies. Subclass LegacyNaming or StructuralNaming rather than this."""

    #: the name the policy is registered under (``GLUONBRIDGE_NAMING=<name>``)
    name: str = ""
    #: which MXNet API the Block system mirrors under this policy: "mx1" or "mx2"
    semantics: str = ""
    #: how an unknown dimension is shown in Parameter.shape: 0 (MXNet 1.x) or -1 (MXNet 2.x)
    unknown_dim: int = 0

    # -- construction hooks called by Block and Parameter ------------------------------------
    def init_block(self, block, prefix: str | None, params: Any, owner: str) -> None:
        """Give a freshly constructed block its naming state. ``owner`` names the class whose
        ``__init__`` received ``prefix``/``params`` (for MXNet-style TypeErrors)."""
        raise NotImplementedError

    def new_parameter(self, block, local_name: str, **kwargs):
        """The Parameter a built-in layer asks for under ``local_name`` (e.g. ``'weight'``)."""
        raise NotImplementedError

    def new_constant(self, block, local_name: str, value):
        """The Constant a built-in layer asks for under ``local_name``."""
        raise NotImplementedError

    def collect_params(self, block, select: str | None):
        """What ``block.collect_params(select)`` returns."""
        raise NotImplementedError

    # -- pure naming functions: the hooks a third-party policy overrides ---------------------
    def initializer_names(self, block) -> dict:
        """id(Parameter) -> ONNX initializer name for the parameters of ``block`` (unique)."""
        raise NotImplementedError

    def variable_name(self, param) -> str:
        """The graph variable (symbol / ONNX initializer) name of a Parameter."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"
