"""Save / load / translate round-trips over random runnable models (properties/executable_models.py).

* A model saved in one naming mode and file format and loaded into the same model built in either
  mode (every pair: legacy ``save_parameters`` and ``collect_params().save``, structural
  ``save_parameters``, each converted to npz, 1.x binary, safetensors and ONNX initializers) gives
  bit-identical ONNX outputs.
* Translating legacy full names to structural keys and back is the identity on names and arrays.
"""
import os
import tempfile

import numpy as np
from hypothesis import given, settings

from gluonbridge import checkpoint, naming
from gluonbridge.checkpoint.namemap import NameMap
from gluonbridge.translate.matching import translate
from gluonbridge.translate.model import namemap_from_model
from gluonbridge.naming import NameManager
from properties.executable_models import build, model_specs

CONVERSIONS = {"mxnet-binary": "params", "npz": "npz", "safetensors": "safetensors",
               "onnx": "onnx"}


def _namemap(legacy_net) -> NameMap:
    """Full name <-> structural key of every Parameter of a legacy-mode model."""
    return namemap_from_model(legacy_net)


def _legacy_source(spec, folder):
    """The model under legacy naming with random arrays, saved both 1.x ways; returns
    ``(input, output, namemap)``."""
    with naming.override("legacy"), NameManager():
        source = build(spec)
        source.initialize()
        x = np.random.RandomState(0).uniform(-1, 1, spec.input_shape).astype(np.float32)
        source(x)
        rng = np.random.RandomState(1)
        for key, param in source._collect_params_with_prefix().items():
            low = 0.5 if key.endswith("running_var") else -1.0
            param.set_data(rng.uniform(low, 1.0, param.shape).astype(np.float32))
        source.save_parameters(os.path.join(folder, "legacy.params"))
        source.collect_params().save(os.path.join(folder, "legacy-full.params"))
        return x, np.asarray(source(x)), _namemap(source)


def _saved_files(spec, folder):
    """Save the model every way (both modes, every format); return ``(input, output, files,
    namemap)`` where files are ``(path, naming of its keys)`` pairs."""
    x, expected, names = _legacy_source(spec, folder)
    with naming.override("structural"):
        twin = build(spec)
        twin.load_parameters(os.path.join(folder, "legacy.params"))
        twin.save_parameters(os.path.join(folder, "structural.params"))
    files = [("legacy.params", "structural"), ("legacy-full.params", "legacy"),
             ("structural.params", "structural")]
    for name, names_kind in list(files):
        arrays = checkpoint.load(os.path.join(folder, name))
        for fmt, suffix in CONVERSIONS.items():
            converted = f"{name}.{suffix}"
            checkpoint.save(os.path.join(folder, converted), arrays, fmt)
            files.append((converted, names_kind))
    return x, expected, [(os.path.join(folder, f), n) for f, n in files], names


@settings(max_examples=15)
@given(model_specs())
def test_every_mode_and_format_pair_gives_bit_identical_outputs(spec):
    with tempfile.TemporaryDirectory() as folder:
        x, expected, files, names = _saved_files(spec, folder)
        with naming.override("legacy"), NameManager():
            build(spec)                        # the target gets another top-level prefix
            legacy = build(spec)
        with naming.override("structural"):
            structural = build(spec)
        for path, file_naming in files:
            for net in (legacy, structural):
                needs_map = file_naming == "legacy" and net is structural
                net.load_parameters(path, namemap=names if needs_map else None)
                assert np.array_equal(np.asarray(net(x)), expected), (path, net._naming.name)


@settings(max_examples=25)
@given(model_specs())
def test_legacy_to_structural_to_legacy_is_the_identity(spec):
    with tempfile.TemporaryDirectory() as folder:
        _, _, names = _legacy_source(spec, folder)
        original = checkpoint.read_index(os.path.join(folder, "legacy-full.params"))
        structural, report = translate(original, names, "structural")
        assert report.ok, report.problems()
        assert sorted(structural.keys()) == sorted(names.by_structural)
        back, report = translate(structural, names, "legacy")
        assert report.ok, report.problems()
        assert back.keys() == original.keys()
        for a, b in zip(back.tensors, original.tensors):
            value = a.to_numpy()
            assert value.dtype == b.to_numpy().dtype and np.array_equal(value, b.to_numpy())
