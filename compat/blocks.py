"""Block construction and parameter helpers that mean the same thing on MXNet 1.x and 2.x.

Each helper picks the version's own spelling (see README.md for the traps behind each one).
Under gluonbridge the version is the naming mode the block was built under.
"""
from __future__ import annotations

import contextlib

import numpy as np

from ._backend import IS_MX2, gluon, is_mx2, nn

# 1.9.1 has these only in contrib (MXNet's own zoo uses the contrib names; same naming hint).
HybridConcatenate = nn.HybridConcatenate if IS_MX2 else gluon.contrib.nn.HybridConcurrent
Identity = nn.Identity if IS_MX2 else gluon.contrib.nn.Identity
# the same arguments on both, less prefix/params (2.0.0b1's modulated forward cannot run: it
# calls an npx.slice_axis 2.0.0b1 lacks)
DeformableConvolution = (nn.DeformableConvolution if IS_MX2
                         else gluon.contrib.cnn.DeformableConvolution)
ModulatedDeformableConvolution = (nn.ModulatedDeformableConvolution if IS_MX2
                                  else gluon.contrib.cnn.ModulatedDeformableConvolution)


def name_scope(block):
    """``with compat.name_scope(self):`` the block's own scope on 1.x, a no-op on 2.x."""
    return contextlib.nullcontext() if is_mx2(block) else block.name_scope()


def prefix_kw(prefix) -> dict:
    """``nn.Dense(4, **compat.prefix_kw('fc_'))``: ``{'prefix': prefix}`` on 1.x, ``{}`` on 2.x."""
    return {} if is_mx2() else {"prefix": prefix}


def params_kw(shared) -> dict:
    """``{'params': shared}`` on 1.x (sharing at construction), ``{}`` on 2.x; pair with
    :func:`share`: ``compat.share(Net(**compat.params_kw(p)), p)``."""
    return {} if is_mx2() else {"params": shared}


def share(block, shared):
    """``block.share_parameters(shared)`` on 2.x (by structural key); on 1.x the sharing
    already happened through :func:`params_kw`, so ``block`` is returned as it is."""
    return block.share_parameters(shared) if is_mx2(block) else block


def new_param(block, name, **kwargs):
    """``self.w = compat.new_param(self, 'w', shape=...)``: ``block.params.get`` on 1.x (a bare
    ``Parameter`` is not collected there), ``gluon.Parameter(name, ...)`` on 2.x."""
    return gluon.Parameter(name, **kwargs) if is_mx2(block) else block.params.get(name, **kwargs)


def new_const(block, name, value):
    """``block.params.get_constant(name, value)`` on 1.x, ``gluon.Constant(value)`` on 2.x.

    On 1.x a list value becomes a float32 array (what 1.9.1 makes of a list): 1.9.1's
    ``get_constant`` fails on a list when the constant already exists through ``params=``."""
    if is_mx2(block):
        return gluon.Constant(value)
    if not hasattr(value, "shape"):
        value = np.asarray(value, dtype=np.float32)
    return block.params.get_constant(name, value)


def _unique_params(block) -> list:
    seen = {}
    for param in block.collect_params().values():
        seen.setdefault(id(param), param)
    return list(seen.values())


def set_param_attr(block, name, value) -> None:
    """``block.setattr(name, value)`` (2.x) / ``collect_params().setattr`` (1.x) for every
    Parameter, e.g. ``set_param_attr(net, 'grad_req', 'null')``."""
    for param in _unique_params(block):
        setattr(param, name, value)


def _for_all_params(block, method, *args) -> None:
    """``method`` of the object that holds it for all Parameters (the Block on 2.x, the
    ``collect_params()`` ParameterDict on 1.x), else of each Parameter that has it
    (gluonbridge keeps no gradients and computes on the CPU only: nothing to do there)."""
    holder = block if is_mx2(block) else block.collect_params()
    bound = getattr(holder, method, None)
    if bound is not None:
        bound(*args)
        return
    for param in _unique_params(block):
        if hasattr(param, method):
            getattr(param, method)(*args)


def zero_grad(block) -> None:
    """Set every gradient buffer to 0 (``block.zero_grad()`` on 2.x)."""
    _for_all_params(block, "zero_grad")


def reset_ctx(block, ctx) -> None:
    """Move every Parameter to ``ctx``: ``block.reset_device`` on 2.x (which also resets a
    hybridized block's cached arguments), ``collect_params().reset_ctx`` on 1.x."""
    _for_all_params(block, "reset_device" if is_mx2(block) else "reset_ctx", ctx)
