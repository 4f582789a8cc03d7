"""An opt-in ``mxnet`` module backed by gluonbridge, for MXNet 1.x model-construction code.

With no MXNet installed, a user's own model definitions (``import mxnet as mx``,
``from mxnet.gluon import nn``, ``from mxnet.gluon.model_zoo import vision``) can still be
built — and named exactly as MXNet 1.9.1 names them — so their checkpoints can be translated::

    from gluonbridge import mxnet_shim
    mxnet_shim.install()        # explicit; refused when a real mxnet is importable
    import mxnet as mx          # now gluonbridge under legacy naming

Nothing is installed silently: ``import gluonbridge`` never touches ``mxnet``. ``uninstall()``
removes the shim again; ``python -m gluonbridge.run script.py`` runs a script with it installed.
Each ``mxnet`` module is a real gluonbridge module mirroring MXNet's (the table ``ALIASES``):
``gluon`` (blocks, nn, rnn, contrib.nn, contrib.cnn, contrib.rnn, model_zoo, loss, data, utils,
Trainer), ``nd``/``np``/``npx``, ``name``,
``initializer``, ``autograd`` (inference-safe scopes), ``random`` (numpy-backed), ``metric``,
``optimizer``/``lr_scheduler``, ``registry``, ``operator``, ``base``, ``util``, ``context``,
``contrib.amp``, ``image`` (numpy resize/crop) and ``test_utils``. What needs MXNet's runtime
(training, GPUs, custom operators, RecordIO) raises at the call, never at import.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import types

# mxnet module -> gluonbridge module (each a real gluonbridge module mirroring MXNet's)
ALIASES = {
    "mxnet.gluon": "gluonbridge.gluon",
    "mxnet.name": "gluonbridge.name",
    "mxnet.initializer": "gluonbridge.initializer",
    "mxnet.init": "gluonbridge.initializer",
    "mxnet.ndarray": "gluonbridge.ndarray",
    "mxnet.nd": "gluonbridge.ndarray",
    "mxnet.ndarray.contrib": "gluonbridge.ndarray_contrib",
    "mxnet.nd.contrib": "gluonbridge.ndarray_contrib",
    "mxnet.numpy": "gluonbridge.numpy",
    "mxnet.np": "gluonbridge.numpy",
    "mxnet.numpy_extension": "gluonbridge.numpy_extension",
    "mxnet.npx": "gluonbridge.numpy_extension",
    "mxnet.device": "gluonbridge.device",
    "mxnet.context": "gluonbridge.device",
    "mxnet.base": "gluonbridge.base",
    "mxnet.util": "gluonbridge.util",
    "mxnet.autograd": "gluonbridge.autograd",
    "mxnet.random": "gluonbridge.random",
    "mxnet.metric": "gluonbridge.metric",
    "mxnet.optimizer": "gluonbridge.optimizer",
    "mxnet.lr_scheduler": "gluonbridge.lr_scheduler",
    "mxnet.registry": "gluonbridge.registry",
    "mxnet.operator": "gluonbridge.operator",
    "mxnet.contrib": "gluonbridge.contrib",
    "mxnet.test_utils": "gluonbridge.test_utils",
    "mxnet.image": "gluonbridge.image",
    "mxnet.symbol": "gluonbridge.symbol",
    "mxnet.sym": "gluonbridge.symbol",
    "mxnet.symbol.contrib": "gluonbridge.symbol_contrib",
    "mxnet.sym.contrib": "gluonbridge.symbol_contrib",
    "mxnet.model": "gluonbridge.model",
    "mxnet.module": "gluonbridge.module",
    "mxnet.mod": "gluonbridge.module",
    "mxnet.io": "gluonbridge.io",
}
# packages whose submodules not listed above map by name ('mxnet.gluon.data.vision' ->
# 'gluonbridge.gluon.data.vision') when gluonbridge has them
PACKAGES = ("mxnet.gluon.", "mxnet.contrib.")
# attribute of the root ``mxnet`` -> its module (``mx.nd``, ``mx.autograd``, ...)
ROOT_MODULES = {name[len("mxnet."):]: target for name, target in ALIASES.items()}
# what MXNet reports as ``mxnet.__version__``, by the major version of the naming mode's API
VERSIONS = {1: "1.9.1", 2: "2.0.0beta1"}


class _AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        if fullname == "mxnet" or self._target(fullname):
            return importlib.util.spec_from_loader(fullname, self)
        return None

    @staticmethod
    def _target(fullname):
        if fullname in ALIASES:
            return ALIASES[fullname]
        for package in PACKAGES:
            if fullname.startswith(package):
                candidate = "gluonbridge." + fullname[len("mxnet."):]
                try:
                    if importlib.util.find_spec(candidate) is not None:
                        return candidate
                except ModuleNotFoundError:   # its parent is not ours (a user package)
                    return None
        return None

    def create_module(self, spec):
        if spec.name == "mxnet":
            return _root_module()
        module = importlib.import_module(self._target(spec.name))
        if any(name.startswith(spec.name + ".") for name in ALIASES) and \
                not hasattr(module, "__path__"):
            module.__path__ = []   # a module with aliased children (mxnet.symbol.contrib)
        return module

    def exec_module(self, module):
        pass


class _Root(types.ModuleType):
    """The ``mxnet`` package: its modules load on first use; ``__version__`` is the version of
    the MXNet the naming mode mirrors ("1.9.1" legacy, "2.0.0beta1" structural — what those
    releases report, so ``packaging.version`` parses it)."""

    @property
    def __version__(self):
        from . import naming
        return VERSIONS[naming.current().api.major]

    def __getattr__(self, name):
        if name in ROOT_MODULES:
            return importlib.import_module(f"mxnet.{name}")
        raise AttributeError(f"module 'mxnet' has no attribute {name!r} (gluonbridge's mxnet "
                             "shim provides: " + ", ".join(sorted(ROOT_MODULES)) + ")")


def _root_module():
    from . import base, device
    # MXNet's import loads multiprocessing.pool (its DataLoader's pools); libraries name
    # ``multiprocessing.pool.Pool`` after a bare ``import multiprocessing`` (Sockeye's data_io)
    importlib.import_module("multiprocessing.pool")
    root = _Root("mxnet")
    root.__path__ = []            # a package, so ``import mxnet.gluon`` works
    root.cpu, root.gpu, root.Context = device.cpu, device.gpu, device.Context
    root.current_context = device.current_context
    root.MXNetError = base.MXNetError
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
