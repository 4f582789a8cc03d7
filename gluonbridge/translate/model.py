"""Name maps read off a model: each Parameter's MXNet 1.x full name paired with its structural key.

The one builder behind ``python -m gluonbridge.convert --model pkg.module:factory`` and
``compat.namemap(block)`` (on gluonbridge or a real MXNet 1.x), working on a
:class:`~gluonbridge.naming.ParameterTable`:

* pairing is by Parameter identity; a Parameter reached by several structural keys gets the
  *last* one, the key MXNet 2's ``save_parameters(deduplicate=True)`` writes for it (the oracle
  test ``tests/test_translate.py`` checks this against MXNet 2.0.0b1), so a translated file has
  the keys MXNet 2 itself would write;
* a Parameter with only one of the two names is left out: a ``params.get`` result never
  assigned to an attribute has no key (``save_parameters`` skips it), a bare ``Parameter``
  attribute is not collected on 1.x;
* shapes as the model knows them, an unknown dimension (deferred initialization: 0 in MXNet 1.x,
  -1 in 2.x) recorded as -1, which matches any size.
"""
from __future__ import annotations

import importlib

from .. import naming
from ..checkpoint.errors import ModelError
from ..checkpoint.namemap import Entry, NameMap

UNKNOWN_DIM = -1


def _entry_shape(shape):
    return None if shape is None else tuple(UNKNOWN_DIM if d <= 0 else int(d) for d in shape)


def table_entries(table) -> list:
    """The name-map entries of a model's ParameterTable (1.x API: full names), in
    ``collect_params()`` order; a recurrent layer's per-gate Parameters are one fused entry
    (:func:`~gluonbridge.translate.rnn_namemap.group_entries`)."""
    from .rnn_namemap import group_entries
    keys = {id(param): key for key, param in table.deduplicated().items()}
    entries, seen = [], set()
    for name, param in table.by_name.items():
        if id(param) in keys and id(param) not in seen:
            seen.add(id(param))
            entries.append(Entry(name, keys[id(param)], _entry_shape(param.shape)))
    return group_entries(entries)


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


def _is_block(obj) -> bool:
    """A Block instance (not a class, which is a factory): it hands out a ParameterTable."""
    return not isinstance(obj, type) and callable(getattr(obj, "parameter_table", None))


def model_entries(factory, source: str = "model") -> list:
    """The name-map entries of the model ``factory()`` builds under legacy naming (``factory``
    may also be the Block, or return ``[(legacy_name, structural_key, shape), ...]``)."""
    built = factory
    if not _is_block(factory):
        try:
            with naming.override("legacy"):
                built = factory()
        except Exception as err:   # user code: report it as one line, not a traceback
            raise ModelError(source, None, "a factory that builds the model without arguments",
                             f"{type(err).__name__}: {err}") from None
    if _is_block(built):
        table = built.parameter_table()
        if not table.api.has_prefixes:
            raise ModelError(source, None, "a model built under legacy naming",
                             f"one built under {table.policy.name!r} naming",
                             "build it inside the factory, not at import under another mode")
        return table_entries(table)
    try:
        return [Entry(legacy, structural, None if shape is None else tuple(shape))
                for legacy, structural, shape in built]
    except (TypeError, ValueError):
        raise ModelError(source, None, "a gluonbridge Block or [(legacy, structural, shape)]",
                         f"{type(built).__name__}") from None


def namemap_from_model(factory, source: str = "model") -> NameMap:
    """A NameMap of the model ``factory`` builds (see :func:`model_entries`)."""
    return NameMap(model_entries(factory, source), source=source)
