"""The OpenVINO backend: selected like the others, fp32 unless asked, a clear error without the
extra. (Its numerics against MXNet: tests/test_zoo_numerics.py, test_lowering_oracle.py,
test_ops_tensor_oracle.py, each run on every backend.)"""
import os
import subprocess
import sys

import numpy as np
import pytest

from gluonbridge import backend, naming
from gluonbridge.backend import openvino_backend
from gluonbridge.gluon import nn

from tests import backends

X = np.random.RandomState(0).rand(3, 4).astype("float32")


def _net():
    with naming.override("structural"):
        net = nn.HybridSequential()
        net.add(nn.Dense(5, in_units=4, activation="relu"), nn.Dense(2, in_units=5))
    net.initialize()
    net.hybridize()
    return net


@pytest.fixture
def on_openvino():
    before = backend.current()
    backend.use("openvino")
    yield
    backend.use(before)


@backends.needs("openvino")
def test_precision_hint_is_set_to_f32_unless_asked(monkeypatch, on_openvino):
    """Set explicitly (on a CPU with bf16 units OpenVINO's own default is bf16)."""
    import openvino
    configs = []

    class Core(openvino.Core):
        def compile_model(self, model, device, config):
            configs.append(dict(config))
            return super().compile_model(model, device, config)

    monkeypatch.setattr(openvino, "Core", Core)
    _net()(X)
    monkeypatch.setenv("GLUONBRIDGE_OPENVINO_PRECISION", "bf16")
    _net()(X)
    assert [c["INFERENCE_PRECISION_HINT"] for c in configs] == ["f32", "bf16"]


def test_unknown_precision_is_refused(monkeypatch):
    monkeypatch.setenv("GLUONBRIDGE_OPENVINO_PRECISION", "int8")
    with pytest.raises(ValueError, match="GLUONBRIDGE_OPENVINO_PRECISION='int8': choose one of "
                                         "f32, bf16, f16"):
        openvino_backend.precision()


def test_missing_openvino_names_the_extra(monkeypatch, on_openvino):
    monkeypatch.setitem(sys.modules, "openvino", None)      # as if not installed
    with pytest.raises(ImportError, match=r"pip install 'gluonbridge\[openvino\]'"):
        _net()(X)


@backends.needs("openvino")
def test_environment_selects_openvino():
    code = "from gluonbridge import backend; print(backend.current())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "GLUONBRIDGE_BACKEND": "openvino"})
    assert out.stdout.strip() == "openvino"
