"""Mirrors ``mxnet.symbol.contrib``: the op table's ``_contrib_`` ops under their short names
(``SyncBatchNorm``, ``box_nms``, ...), building graphs as :mod:`gluonbridge.symbol` does."""


def __getattr__(name):
    from .backend.trace import resolve
    from .symbol import _make_op
    op_name = None if name.startswith("__") else resolve("contrib", name)
    if op_name is None:
        raise AttributeError(f"module 'mxnet.symbol.contrib' has no attribute {name!r} (an op "
                             "gluonbridge does not know)")
    return _make_op(op_name)
