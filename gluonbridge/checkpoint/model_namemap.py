"""Name-map option (a): legacy names and structural keys read off a gluonbridge model.

``--model pkg.module:factory`` names a callable (or a Block object) in an importable module. The
module is imported and the factory called under legacy naming, so the model gets MXNet 1.x full
names; each Parameter's full name (``collect_params()``) is paired, by Parameter identity, with
its structural key (``save_parameters(deduplicate=True)`` order and keys). A factory may also
return ``[(legacy_name, structural_key, shape), ...]`` directly.

Shapes are taken as the model knows them: a dimension still unknown because initialization is
deferred (0 in MXNet 1.x) is recorded as -1 and matches any size.
"""
from __future__ import annotations

import importlib

from .. import naming
from ..gluon import Block
from .errors import ModelError
from .namemap import Entry

UNKNOWN_DIM = -1


def load_factory(spec: str):
    """The object ``spec`` (``'pkg.module:attr.path'``) names, imported under legacy naming."""
    module_name, sep, attr_path = spec.partition(":")
    if not (module_name and sep and attr_path):
        raise ModelError(spec, None, "a model as pkg.module:factory", repr(spec),
                         "e.g. gluonbridge.gluon.model_zoo.vision:resnet18_v1")
    try:
        with naming.override("legacy"):
            obj = importlib.import_module(module_name)
        for attr in attr_path.split("."):
            obj = getattr(obj, attr)
    except Exception as err:   # the user's module: any import-time failure is reported
        raise ModelError(spec, None, f"an importable module {module_name!r} with {attr_path!r}",
                         f"{type(err).__name__}: {err}",
                         "run from the directory holding the package, or set PYTHONPATH") from None
    return obj


def model_entries(factory, source: str = "model") -> list:
    """The name-map entries of the model ``factory`` builds (or of ``factory`` itself, a Block)."""
    built = factory
    if not isinstance(factory, Block):
        try:
            with naming.override("legacy"):
                built = factory()
        except Exception as err:   # user code: report it as one line, not a traceback
            raise ModelError(source, None, "a factory that builds the model without arguments",
                             f"{type(err).__name__}: {err}") from None
    if isinstance(built, Block):
        return block_entries(built, source)
    try:
        return [Entry(legacy, structural, None if shape is None else tuple(shape))
                for legacy, structural, shape in built]
    except (TypeError, ValueError):
        raise ModelError(source, None, "a gluonbridge Block or [(legacy, structural, shape)]",
                         f"{type(built).__name__}") from None


def block_entries(net: Block, source: str = "model") -> list:
    """(full name, structural key, shape) of every distinct Parameter of a legacy-mode Block."""
    if net._naming.semantics != "mx1":
        raise ModelError(source, None, "a model built under legacy naming",
                         f"one built under {net._naming.name!r} naming",
                         "build it inside the factory, not at import under another mode")
    keys = {id(param): key for key, param in net.structural_params(deduplicate=True).items()}
    entries = []
    for name, param in net.collect_params().items():
        if id(param) not in keys:
            raise ModelError(source, f"parameter {name!r}", "a structural key for every "
                             "parameter", "none (not registered as a block attribute)",
                             "assign the parameter to an attribute of its block")
        shape = None if param.shape is None else tuple(
            UNKNOWN_DIM if d <= 0 else int(d) for d in param.shape)
        entries.append(Entry(name, keys[id(param)], shape))
    return entries
