"""The one value a Block hands out about its Parameters (:meth:`Block.parameter_table`).

Tracing (initializer names), load matching, name-map building and ``gluonbridge.compat`` read a
model's Parameters from a :class:`ParameterTable` rather than from a Block's internals; compat
builds one from a real MXNet block the same way. A Parameter here is anything with ``shape``,
``dtype`` and, for the gluonbridge layers, the rest of the Parameter API.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from .api import MXNetApi
from .keys import deduplicate


@dataclass(frozen=True)
class ParameterTable:
    """A model's Parameters by both names, with the API they were built under."""

    #: structural key -> Parameter, every path (``features.0.weight``), in registration order:
    #: what ``save_parameters`` writes
    by_key: Mapping[str, Any]
    #: full name -> Parameter (``collect_params()`` under the MXNet 1.x API); empty under 2.x,
    #: whose Parameters have no unique names
    by_name: Mapping[str, Any]
    #: the model's prefix (``resnetv10_``); ``''`` under the 2.x API
    prefix: str
    #: which MXNet API the model follows
    api: MXNetApi
    #: the naming policy the model was built under (None for a real MXNet model)
    policy: Any = field(default=None, compare=False)

    def deduplicated(self) -> dict:
        """One key per distinct Parameter, the last that reaches it (``save_parameters(
        deduplicate=True)``)."""
        return deduplicate(self.by_key.items())

    def initializer_names(self) -> dict:
        """id(Parameter) -> graph initializer name, as the model's naming policy names them."""
        return self.policy.initializer_names(self)
