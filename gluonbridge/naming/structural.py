"""MXNet 2.x naming: no prefixes; parameters keyed by attribute path; uuid variable names.

(``shared/spec/naming.md`` Part B, checked against MXNet 2.0.0b1 by the oracle tests.)
``Parameter.name`` is the local name (``weight``), never unique; ``collect_params()`` maps the
structural key (``features.0.weight``) to the Parameter, listing every path (no deduplication);
the graph variable is ``<uuid4 with '-' replaced by '_'>_<name>``.
"""
from __future__ import annotations

from .api import MX2
from .keys import unique_names
from .policy import BlockNaming, NamingPolicy


def uuid_variable_name(uuid: str, local_name: str) -> str:
    """MXNet 2.0.0b1's variable name for a Parameter (no ``param_`` prefix in this version)."""
    return uuid.replace("-", "_") + "_" + local_name


class StructuralNaming(NamingPolicy):
    """MXNet 2.x naming: ``features.0.weight`` keys, no prefixes, no ``name_scope``."""

    name = "structural"
    api = MX2

    def init_block(self, hint, prefix, params, owner):
        for keyword, value in (("prefix", prefix), ("params", params)):
            if value is not None:
                raise TypeError(f"{owner}.__init__() got an unexpected keyword argument '{keyword}'")
        return BlockNaming()

    def collect_params(self, block, select):
        """Structural key -> Parameter, every path listed; ``select`` is ``re.match`` on the
        full key."""
        block._check_container_with_block()
        return block._collect_params_with_prefix(select=select)

    def initializer_names(self, table):
        """Structural keys; a shared Parameter under the last key that reaches it (as MXNet 2's
        export does)."""
        return unique_names(table.deduplicated().items())

    def variable_name(self, param):
        return uuid_variable_name(param._uuid, param.name)
