"""The naming-policy layer: how Blocks and Parameters are named, in MXNet 1.x or 2.x style.

    GLUONBRIDGE_NAMING=structural python train.py      # pick the mode at start-up, or:

    from gluonbridge import naming
    naming.use("structural")                           # before building any Block
    with naming.override("legacy"):                    # scoped, e.g. in tests
        ...
"""
from .api import MX1, MX2, MXNetApi
from .keys import deduplicate
from .legacy import LegacyNaming, NameManager, Prefix
from .mode import (ENTRY_POINT_GROUP, ENV_VAR, available, current, get_policy, override,
                   register, use)
from .policy import BlockNaming, NamingModeError, NamingPolicy
from .structural import StructuralNaming
from .table import ParameterTable

__all__ = [
    "NamingPolicy", "LegacyNaming", "StructuralNaming", "NamingModeError", "BlockNaming",
    "MXNetApi", "MX1", "MX2", "ParameterTable",
    "NameManager", "Prefix", "deduplicate",
    "current", "use", "override", "register", "available", "get_policy",
    "ENV_VAR", "ENTRY_POINT_GROUP",
]
