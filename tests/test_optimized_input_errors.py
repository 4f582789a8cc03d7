"""User mistakes MXNet 1.9.1 rejects with AssertionError are rejected the same way by gluonbridge
even under ``python -O`` (which strips ``assert`` statements): the checks are explicit raises."""
import subprocess
import sys

import pytest

from tests.oracle.harness import REPO, Interpreter, gluonbridge_interpreter, to_gluonbridge

PROGRAM = """
import mxnet as mx
from mxnet import gluon
from mxnet.gluon import nn
from mxnet.gluon.model_zoo import vision


class Twice(nn.Block):
    def __init__(self):
        super().__init__()
        self.w = self.params.get("w", shape=(1,))
        self.w = self.params.get("v", shape=(1,))


def shared_get():
    d = gluon.ParameterDict("p_")
    d.get("w", shape=(2,))
    d.get("w", shape=(3,))


def constant_twice():
    d = gluon.ParameterDict("p_")
    d.get_constant("c", mx.nd.array([1.0]))
    d.get_constant("c", mx.nd.array([2.0]))


MISTAKES = {
    "leaky_relu_slope": lambda: nn.LeakyReLU(-1),
    "conv_kernel_rank": lambda: nn.Conv2D(2, (3, 3, 3)),
    "conv_layout": lambda: nn.Conv2D(2, 3, layout="NCW"),
    "pool_layout": lambda: nn.MaxPool2D(layout="NCW"),
    "grad_req": lambda: gluon.Parameter("w", grad_req="sometimes"),
    "stype": lambda: gluon.Parameter("w", stype="dense"),
    "resnet_layers": lambda: vision.get_resnet(1, 19),
    "resnet_version": lambda: vision.get_resnet(3, 18),
    "squeezenet_version": lambda: vision.SqueezeNet("1.2"),
    "parameter_attribute_twice": Twice,
    "parameter_dict_mismatch": shared_get,
    "constant_mismatch": constant_twice,
}
result = {}
for name, mistake in MISTAKES.items():
    try:
        mistake()
        result[name] = None
    except Exception as err:
        result[name] = type(err).__name__
"""


def _optimized(interp: Interpreter) -> Interpreter:
    return Interpreter(interp.name + "-O", interp.python, interp.prelude,
                       dict(interp.env, PYTHONOPTIMIZE="1"))


@pytest.mark.oracle
def test_mistakes_raise_mxnets_assertion_error_under_python_O(mx1):
    real = mx1.run(PROGRAM)
    ours = _optimized(gluonbridge_interpreter("legacy")).run(to_gluonbridge(PROGRAM))
    assert set(real.values()) == {"AssertionError"}
    assert ours == real


def test_the_interpreter_really_runs_optimized():
    code = "import sys; print(sys.flags.optimize)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO, env=_optimized(gluonbridge_interpreter("legacy")).env)
    assert proc.stdout.strip() == "1"
