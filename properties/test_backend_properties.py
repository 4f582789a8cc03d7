"""Properties of ONNX execution over random runnable models (properties/executable_models.py).

* A model built under legacy naming and the same model built under structural naming, holding
  the same arrays by structural key, give bit-identical outputs: names differ, numerics don't.
* Exported initializer names are unique: one per distinct Parameter the graph uses.
* onnxruntime and the reference evaluator agree.
"""
import numpy as np
from hypothesis import given, settings

from gluonbridge import backend, naming
from gluonbridge.naming import NameManager
from properties.executable_models import build, model_specs


def _built(spec, mode, seed=0):
    with naming.override(mode), NameManager():
        net = build(spec)
    net.initialize()
    x = np.random.RandomState(seed).uniform(-1, 1, spec.input_shape).astype(np.float32)
    net(x)   # finish deferred initialization
    return net, x


def _randomize(net, seed=1):
    rng = np.random.RandomState(seed)
    for key, param in net._collect_params_with_prefix().items():
        low = 0.5 if key.endswith("running_var") else -1.0
        param.set_data(rng.uniform(low, 1.0, param.shape).astype(np.float32))


@settings(max_examples=60)
@given(model_specs())
def test_same_arrays_by_structural_key_give_identical_outputs_in_both_modes(spec):
    legacy, x = _built(spec, "legacy")
    _randomize(legacy)
    structural, _ = _built(spec, "structural")
    for key, param in structural._collect_params_with_prefix().items():
        param.set_data(legacy._collect_params_with_prefix()[key].data())
    assert np.array_equal(np.asarray(legacy(x)), np.asarray(structural(x)))


@settings(max_examples=60)
@given(model_specs())
def test_exported_initializer_names_are_unique_one_per_parameter(spec):
    for mode in ("legacy", "structural"):
        net, x = _built(spec, mode)
        executor = next(iter(net._executors.values()))
        names = list(executor.initializers)
        param_names = [n for n in names if not n.startswith("const_")]
        assert len(param_names) == len(set(param_names)) == len({id(p) for p in executor.params})


@settings(max_examples=30)
@given(model_specs())
def test_onnxruntime_and_reference_evaluator_agree(spec):
    net, x = _built(spec, "legacy")
    _randomize(net)
    before = backend.current()
    try:
        backend.use("onnxruntime")
        fast = np.asarray(net(x))
        backend.use("reference")
        slow = np.asarray(net(x))
    finally:
        backend.use(before)
    assert np.allclose(fast, slow, rtol=1e-4, atol=1e-4 * max(1.0, float(np.abs(slow).max())))
