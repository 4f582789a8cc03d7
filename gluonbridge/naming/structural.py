"""MXNet 2.x naming: no prefixes; parameters keyed by attribute path; uuid variable names.

(``shared/spec/naming.md`` Part B, checked against MXNet 2.0.0b1 by the oracle tests.)
``Parameter.name`` is the local name (``weight``), never unique; ``collect_params()`` maps the
structural key (``features.0.weight``) to the Parameter, listing every path (no deduplication);
the graph variable is ``<uuid4 with '-' replaced by '_'>_<name>``.
"""
from __future__ import annotations

from .policy import NamingPolicy


def uuid_variable_name(uuid: str, local_name: str) -> str:
    """MXNet 2.0.0b1's variable name for a Parameter (no ``param_`` prefix in this version)."""
    return uuid.replace("-", "_") + "_" + local_name


class StructuralNaming(NamingPolicy):
    """MXNet 2.x naming: ``features.0.weight`` keys, no prefixes, no ``name_scope``."""

    name = "structural"
    semantics = "mx2"
    unknown_dim = -1

    def init_block(self, block, prefix, params, owner):
        for keyword, value in (("prefix", prefix), ("params", params)):
            if value is not None:
                raise TypeError(f"{owner}.__init__() got an unexpected keyword argument '{keyword}'")
        block.__dict__["_params"] = block._reg_params

    def new_parameter(self, block, local_name, **kwargs):
        from ..gluon.parameter import Parameter

        return Parameter(local_name, **kwargs)

    def new_constant(self, block, local_name, value):
        from ..gluon.parameter import Constant

        return Constant(value)

    def collect_params(self, block, select):
        """A plain dict from structural key to Parameter, every path listed; ``select`` is
        ``re.match`` on the full key."""
        block._check_container_with_block()
        return block._collect_params_with_prefix(select=select)

    def initializer_names(self, block):
        """Structural keys; a shared Parameter under the last key that reaches it (as MXNet 2's
        export does)."""
        from ..backend.trace import unique_initializer_names
        from .keys import deduplicate
        return unique_initializer_names(
            deduplicate(block._collect_params_with_prefix().items()).items())

    def variable_name(self, param):
        return uuid_variable_name(param._uuid, param.name)
