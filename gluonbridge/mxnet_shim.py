"""An opt-in ``mxnet`` module backed by gluonbridge, for MXNet 1.x model-construction code.

With no MXNet installed, a user's own model definitions (``import mxnet as mx``,
``from mxnet.gluon import nn``, ``from mxnet.gluon.model_zoo import vision``) can still be
built — and named exactly as MXNet 1.9.1 names them — so their checkpoints can be translated::

    from gluonbridge import mxnet_shim
    mxnet_shim.install()        # explicit; refused when a real mxnet is importable
    import mxnet as mx          # now gluonbridge under legacy naming

Nothing is installed silently: ``import gluonbridge`` never touches ``mxnet``. ``uninstall()``
removes the shim again. Only what building block trees needs is provided: ``mxnet.gluon``
(Block, HybridBlock, Parameter, nn, contrib.nn, model_zoo), ``mxnet.name``, ``mxnet.initializer``
/ ``mxnet.init``, ``mxnet.nd`` / ``mxnet.np`` / ``mxnet.npx`` (arrays and the traced ops),
``mxnet.base.data_dir``, ``mxnet.context.cpu`` and ``mxnet.util.is_np_array``.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import os
import sys
import types

# mxnet module -> gluonbridge module; 'mxnet.gluon.*' not listed maps to 'gluonbridge.gluon.*'
ALIASES = {
    "mxnet.gluon": "gluonbridge.gluon",
    "mxnet.name": "gluonbridge.name",
    "mxnet.initializer": "gluonbridge.initializer",
    "mxnet.init": "gluonbridge.initializer",
    "mxnet.ndarray": "gluonbridge.ndarray",
    "mxnet.nd": "gluonbridge.ndarray",
    "mxnet.numpy": "gluonbridge.numpy",
    "mxnet.np": "gluonbridge.numpy",
    "mxnet.numpy_extension": "gluonbridge.numpy_extension",
    "mxnet.npx": "gluonbridge.numpy_extension",
    "mxnet.device": "gluonbridge.device",
    "mxnet.symbol": "gluonbridge.symbol",
    "mxnet.sym": "gluonbridge.symbol",
    "mxnet.model": "gluonbridge.model",
    "mxnet.module": "gluonbridge.module",
    "mxnet.mod": "gluonbridge.module",
    "mxnet.io": "gluonbridge.io",
}
ROOT_MODULES = ("symbol", "sym", "model", "module", "mod", "io")   # also mx.<name> attributes
COMPAT_MODULES = ("base", "context", "util")


def _compat_module():
    """``mxnet.base`` / ``mxnet.context`` / ``mxnet.util``: the few helpers model code uses."""
    from . import device, naming
    module = types.ModuleType("mxnet.base")
    module.data_dir = lambda: os.environ.get("MXNET_HOME", os.path.join("~", ".mxnet"))
    module.cpu, module.gpu, module.Context = device.cpu, device.gpu, device.Context
    module.current_context = device.current_context
    module.MXNetError = RuntimeError
    module.is_np_array = module.is_np_shape = lambda: naming.current().semantics == "mx2"
    return module


class _AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        if fullname == "mxnet" or self._target(fullname):
            return importlib.util.spec_from_loader(fullname, self)
        return None

    @staticmethod
    def _target(fullname):
        if fullname in ALIASES:
            return ALIASES[fullname]
        if fullname.startswith("mxnet.gluon."):
            candidate = "gluonbridge.gluon." + fullname[len("mxnet.gluon."):]
            try:
                if importlib.util.find_spec(candidate) is not None:
                    return candidate
            except ModuleNotFoundError:   # its parent is not ours (a user package under mxnet.)
                return None
        return None

    def create_module(self, spec):
        if spec.name == "mxnet":
            return _root_module()
        return importlib.import_module(self._target(spec.name))

    def exec_module(self, module):
        pass


def _root_module():
    import gluonbridge
    root = types.ModuleType("mxnet")
    root.__path__ = []            # a package, so ``import mxnet.gluon`` works
    root.__version__ = "1.9.1 (gluonbridge shim)"
    for attr, value in (("gluon", gluonbridge.gluon), ("name", gluonbridge.name),
                        ("init", gluonbridge.initializer),
                        ("initializer", gluonbridge.initializer), ("nd", gluonbridge.nd),
                        ("ndarray", gluonbridge.nd), ("np", gluonbridge.np),
                        ("numpy", gluonbridge.np), ("npx", gluonbridge.npx),
                        ("numpy_extension", gluonbridge.npx)):
        setattr(root, attr, value)
    for name in ROOT_MODULES:
        setattr(root, name, importlib.import_module(ALIASES[f"mxnet.{name}"]))
    compat = _compat_module()
    for name in COMPAT_MODULES:
        setattr(root, name, compat)
        sys.modules[f"mxnet.{name}"] = compat
    root.cpu, root.gpu, root.Context = compat.cpu, compat.gpu, compat.Context
    return root


_finder = _AliasFinder()


def install(force: bool = False) -> None:
    """Make ``import mxnet`` resolve to gluonbridge. Refused when a real MXNet is importable or
    already imported (pass ``force=True`` to shadow it anyway)."""
    if _finder in sys.meta_path:
        return
    if not force:
        real = sys.modules.get("mxnet")
        if real is not None or importlib.util.find_spec("mxnet") is not None:
            raise RuntimeError("a real mxnet is installed; gluonbridge's mxnet shim would shadow "
                               "it. Use the real one, or install(force=True) to shadow it.")
    sys.meta_path.insert(0, _finder)


def uninstall() -> None:
    """Remove the shim and forget every ``mxnet`` module it provided."""
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    for name in [n for n in sys.modules if n == "mxnet" or n.startswith("mxnet.")]:
        del sys.modules[name]
