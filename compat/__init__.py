"""Dual-version Gluon code: one source tree for MXNet 1.x, MXNet 2.x and gluonbridge (like
``six`` for Python 2/3). ``gluonbridge-codemod --target dual`` writes code against this module,
installed as ``gluonbridge.compat`` (the repository keeps it in the top-level ``compat/``).

    from gluonbridge import compat
    from gluonbridge.compat import gluon, nn    # the Gluon found at import (compat.BACKEND)

    class Net(gluon.HybridBlock):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            with compat.name_scope(self):
                self.fc = nn.Dense(4, **compat.prefix_kw('fc_'))
                self.scale = compat.new_param(self, 'scale', shape=(4,))

    compat.save_parameters(net, 'net.params')     # readable by 1.9.1 and 2.x alike
    report = compat.load_parameters(net, 'old-1.x-or-2.x-file.params')

See ``compat/README.md`` for what every helper does on each version and why.
"""
from ._backend import BACKEND, ENV_VAR, IS_MX2, gluon, mx, nn
from .blocks import (DeformableConvolution, HybridConcatenate, Identity,
                     ModulatedDeformableConvolution, name_scope, new_const, new_param, params_kw,
                     prefix_kw, reset_ctx, set_param_attr, share, zero_grad)
from .checkpoints import load_dict, load_parameters, save_parameters
from .namemaps import LegacyNamesUnavailable, namemap

__all__ = ["BACKEND", "ENV_VAR", "IS_MX2", "gluon", "mx", "nn",
           "DeformableConvolution", "HybridConcatenate", "Identity",
           "ModulatedDeformableConvolution", "name_scope", "new_const", "new_param", "params_kw",
           "prefix_kw", "reset_ctx", "set_param_attr", "share", "zero_grad",
           "load_dict", "load_parameters", "save_parameters",
           "LegacyNamesUnavailable", "namemap"]
