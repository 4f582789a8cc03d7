"""The opt-in ``mxnet`` shim: MXNet 1.9.1's own model-zoo sources, imported through the shim and
built on gluonbridge, name every model exactly as MXNet 1.9.1 does."""
import importlib
import sys
import types

import pytest

from gluonbridge import mxnet_shim
from tests.oracle.harness import oracle_python

MODELS = """
try:
    vision.get_model('no such model')
except ValueError as e:   # lists every model name, one per line
    names = [line.strip() for line in str(e).splitlines()[1:]]
models = [vision.get_model(n) for n in names] + [vision.get_model('resnet18_v1')]
def describe(m):
    return {'prefix': m.prefix,
            'params': [[k, list(p.shape)] for k, p in m.collect_params().items()],
            'structural': [[k, p.name] for k, p in m._collect_params_with_prefix().items()]}
result = {'names': names, 'models': [describe(m) for m in models]}
"""

THROUGH_SHIM = """
import importlib.util, sys
from gluonbridge import mxnet_shim
mxnet_shim.install()
import mxnet
spec = importlib.util.spec_from_file_location(
    'mxnet.gluon.model_zoo.mxnet_vision', {init!r}, submodule_search_locations=[{folder!r}])
vision = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = vision
spec.loader.exec_module(vision)
"""


@pytest.mark.oracle
def test_mxnet_zoo_sources_name_the_same_through_the_shim(mx1, gb_legacy):
    folder = oracle_python("mx1").parents[1] / "lib" / "python3.11" / "site-packages" / \
        "mxnet" / "gluon" / "model_zoo" / "vision"
    expected = mx1.run("from mxnet.gluon.model_zoo import vision\n" + MODELS)
    shim = THROUGH_SHIM.format(init=str(folder / "__init__.py"), folder=str(folder))
    got = gb_legacy.run(shim + MODELS)
    assert got["names"] == expected["names"] and len(got["names"]) >= 30
    for name, want, have in zip(expected["names"] + ["resnet18_v1 (2nd)"], expected["models"],
                                got["models"]):
        assert have == want, name


def test_install_refuses_to_shadow_a_real_mxnet(monkeypatch):
    monkeypatch.setitem(sys.modules, "mxnet", types.ModuleType("mxnet"))
    with pytest.raises(RuntimeError, match="real mxnet is installed"):
        mxnet_shim.install()


def test_shim_is_explicit_and_removable():
    import gluonbridge  # noqa: F401
    assert "mxnet" not in sys.modules
    mxnet_shim.install()
    try:
        import mxnet as mx
        from mxnet.gluon import nn
        assert mx.gluon.nn is nn and mx.base.data_dir()
        assert nn.Dense(2).name.startswith("dense")
    finally:
        mxnet_shim.uninstall()
    assert "mxnet" not in sys.modules


@pytest.mark.parametrize("short", ["init", "sym", "symbol", "nd", "np", "npx", "autograd", "random"])
def test_import_gluonbridge_as_mx_has_mxnets_short_module_names(short):
    import gluonbridge
    assert getattr(gluonbridge, short) is importlib.import_module(mxnet_shim.ROOT_MODULES[short])
