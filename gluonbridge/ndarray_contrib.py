"""Mirrors ``mxnet.ndarray.contrib`` for imports: the op table's ``_contrib_`` ops and MXNet's
optimizer update kernels (``adamw_update``, ``mp_adamw_update``, ...) under their short names.
Libraries import them at module level; calling one raises (eager ``nd.contrib`` execution lives
in :mod:`gluonbridge.backend.eager`; update kernels are training, which gluonbridge does not do).
"""


def __getattr__(name):
    from .backend.trace import resolve
    if name.startswith("__") or (resolve("contrib", name) is None
                                 and not name.endswith("_update")):
        raise AttributeError(f"module 'mxnet.ndarray.contrib' has no attribute {name!r} (an op "
                             "gluonbridge does not know)")

    def call(*args, **kwargs):
        raise NotImplementedError(f"mx.nd.contrib.{name} is not available in gluonbridge: "
                                  "update kernels are training (not supported); contrib ops run "
                                  "inside a HybridBlock")
    call.__name__ = name
    return call
