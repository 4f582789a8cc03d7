"""Backends as pytest parameters, each skipped where its package is not installed (the
``[test]`` extra installs OpenVINO, so in CI every backend runs)."""
import importlib.util

import pytest

from gluonbridge import backend

PACKAGES = {"onnxruntime": "onnxruntime", "openvino": "openvino", "reference": "onnx"}


def needs(name):
    """The mark skipping a test without backend ``name``'s package."""
    package = PACKAGES[name]
    return pytest.mark.skipif(importlib.util.find_spec(package) is None,
                              reason=f"{package} is not installed")


def params(names=backend.BACKENDS):
    """``names`` as pytest parameters, each skipped without its package."""
    return [pytest.param(name, marks=needs(name)) for name in names]
