"""Mirrors ``mxnet.contrib.amp`` (automatic mixed precision) as documented no-ops: ``init()``
changes nothing and the ``convert_*`` functions return the model unchanged (gluonbridge runs in
the Parameters' own dtypes; cast a block with ``block.cast('float16')`` to change them)."""
from ...base import without_mxnet

# MXNet's flag, read by library code (GluonNLP masks attention scores with -1e4 instead of
# -1e18 once AMP is on)
_amp_initialized = False


def init(target_dtype="float16", target_precision_ops=None, conditional_fp32_ops=None,
         fp32_ops=None, layout_optimization=False):
    """Sets ``_amp_initialized`` as MXNet does; mixed precision itself is not simulated."""
    global _amp_initialized
    _amp_initialized = True


def init_trainer(optimizer_or_trainer):
    """No-op (gluonbridge does not train)."""


def convert_hybrid_block(block, target_dtype="float16", target_dtype_ops=None, fp32_ops=None,
                         conditional_fp32_ops=None, excluded_sym_names=None, ctx=None,
                         cast_optional_params=False):
    """Returns ``block`` unchanged."""
    return block


def convert_model(sym, arg_params, aux_params, target_dtype="float16", target_dtype_ops=None,
                  fp32_ops=None, conditional_fp32_ops=None, excluded_sym_names=None,
                  cast_optional_params=False):
    """Returns its inputs unchanged."""
    return sym, arg_params, aux_params


def scale_loss(loss, optimizer_or_trainer):
    raise without_mxnet("amp.scale_loss()")


def unscale(optimizer_or_trainer):
    raise without_mxnet("amp.unscale()")
