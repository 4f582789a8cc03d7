"""Which Gluon ``compat`` runs on, decided once, at import.

Real MXNet is preferred when ``import mxnet`` works (and is not gluonbridge's ``mxnet`` shim);
otherwise gluonbridge. ``GLUONBRIDGE_COMPAT=gluonbridge`` forces gluonbridge even where MXNet is
installed; ``GLUONBRIDGE_COMPAT=mxnet`` makes a missing MXNet an ImportError.
"""
from __future__ import annotations

import os

from gluonbridge.naming.api import for_version

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
    (:data:`API`). gluonbridge: the API of the naming mode ``block`` was built under
    (``structural`` is the MXNet 2 API), or of the current mode when no block is given."""
    if not ON_GLUONBRIDGE:
        return API
    policy = block._naming if block is not None else mx.naming.current()
    return policy.api


def is_mx2(block=None) -> bool:
    """MXNet 2 API? (see :func:`api`)"""
    return api(block).major == 2


API = for_version(mx.__version__) if not ON_GLUONBRIDGE else api()
IS_MX2 = API.major == 2


def describe(block=None) -> str:
    """``'MXNet 1.9.1'`` or ``'gluonbridge 0.1.0 (legacy naming)'`` (the mode ``block`` was
    built under): says where a name map came from."""
    if ON_GLUONBRIDGE:
        policy = block._naming if block is not None else mx.naming.current()
        return f"gluonbridge {mx.__version__} ({policy.name} naming)"
    return f"MXNet {mx.__version__}"
