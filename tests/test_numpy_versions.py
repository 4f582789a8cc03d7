"""gluonbridge must work with numpy 1.23 through 2.x: the oracles' virtualenvs hold numpy 1.23.5
(MXNet needs numpy<1.24), so a zoo model is built there too, from this checkout, and must
describe exactly as it does under this interpreter's numpy."""

import pytest

from tests.oracle.harness import REPO, Interpreter, describe_snippet, oracle_python

EXAMPLE = """
import numpy
from gluonbridge.gluon.model_zoo import vision
models = [vision.resnet18_v1()]
extra = {'numpy_major_minor': numpy.__version__.split('.')[:2]}
"""


@pytest.mark.oracle
@pytest.mark.parametrize("mode,version", [("legacy", "mx1"), ("structural", "mx2")])
def test_zoo_model_names_the_same_on_numpy_1_23(mx1, gb_legacy, gb_structural, mode, version):
    old_numpy = Interpreter("numpy-1.23", str(oracle_python("mx1")), "import gluonbridge as mx\n",
                            env={"PYTHONPATH": str(REPO), "GLUONBRIDGE_NAMING": mode})
    here = gb_legacy if mode == "legacy" else gb_structural
    old = old_numpy.run(describe_snippet(EXAMPLE, version))
    new = here.run(describe_snippet(EXAMPLE, version))
    assert old.pop("extra") == {"numpy_major_minor": ["1", "23"]}
    new.pop("extra")
    assert "error" not in old and old == new
