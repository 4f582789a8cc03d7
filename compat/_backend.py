"""Which Gluon ``compat`` runs on, decided once, at import.

Real MXNet is preferred when ``import mxnet`` works (and is not gluonbridge's ``mxnet`` shim);
otherwise gluonbridge. ``GLUONBRIDGE_COMPAT=gluonbridge`` forces gluonbridge even where MXNet is
installed; ``GLUONBRIDGE_COMPAT=mxnet`` makes a missing MXNet an ImportError.
"""
from __future__ import annotations

import os

ENV_VAR = "GLUONBRIDGE_COMPAT"
CHOICES = ("mxnet", "gluonbridge")


def _import():
    choice = os.environ.get(ENV_VAR, "").strip().lower()
    if choice and choice not in CHOICES:
        raise ImportError(f"{ENV_VAR}={choice!r}: expected one of {', '.join(CHOICES)} (or unset "
                          "to prefer a real MXNet and fall back to gluonbridge)")
    if choice != "gluonbridge":
        try:
            import mxnet
        except ImportError:
            if choice == "mxnet":
                raise
        else:
            if not mxnet.gluon.__name__.startswith("gluonbridge"):   # not the mxnet shim
                return mxnet, "mxnet"
    import gluonbridge
    return gluonbridge, "gluonbridge"


mx, BACKEND = _import()
gluon = mx.gluon
nn = gluon.nn
ON_GLUONBRIDGE = BACKEND == "gluonbridge"


def api(block=None):
    """The :class:`~gluonbridge.naming.MXNetApi` code runs against. Real MXNet: its version's
    (gluonbridge is imported only now: on real MXNet compat imports it only for loading and
    name maps). gluonbridge: the API of the naming mode ``block`` was built under
    (``structural`` is the MXNet 2 API), or of the current mode when no block is given."""
    if not ON_GLUONBRIDGE:
        from gluonbridge.naming.api import for_version
        return for_version(mx.__version__)
    policy = block._naming if block is not None else mx.naming.current()
    return policy.api


def is_mx2(block=None) -> bool:
    """MXNet 2 API? Real MXNet: :data:`IS_MX2`; gluonbridge: see :func:`api`."""
    return IS_MX2 if not ON_GLUONBRIDGE else api(block).major == 2


# gluonbridge's Block answers hasattr(name_scope) per instance (by its naming mode), so the
# class-level test would say "1.x" in structural mode too: ask the naming mode instead.
IS_MX2 = is_mx2() if ON_GLUONBRIDGE else not hasattr(gluon.Block, "name_scope")


def describe(block=None) -> str:
    """``'MXNet 1.9.1'`` or ``'gluonbridge 0.1.0 (legacy naming)'`` (the mode ``block`` was
    built under): says where a name map came from."""
    if ON_GLUONBRIDGE:
        policy = block._naming if block is not None else mx.naming.current()
        return f"gluonbridge {mx.__version__} ({policy.name} naming)"
    return f"MXNet {mx.__version__}"
