"""Wrong input shapes and dtypes fail at trace time with MXNet 1.9.1's message and the block path."""
import re

import pytest

pytestmark = pytest.mark.oracle

PROGRAM = """
import numpy as np
net = nn.HybridSequential()
with net.name_scope():
    net.add(nn.Conv2D(4, 3))
    net.add(nn.Dense(3))
net.initialize()
net(ARRAY(np.zeros((2, 3, 8, 8), 'float32')))
result = []
for shape, dtype in [((2, 5, 8, 8), 'float32'), ((2, 3, 8, 8), 'int32')]:
    try:
        net(ARRAY(np.zeros(shape, dtype), dtype=dtype))
        result.append(None)
    except Exception as err:
        result.append([type(err).__name__, str(err)])
"""
MXNET = "from mxnet.gluon import nn\nARRAY = mx.nd.array\n"
OURS = "from gluonbridge.gluon import nn\nARRAY = lambda a, dtype=None: a\n"


def test_wrong_shape_and_dtype_messages_match_mxnet(mx1, gb_legacy):
    real = mx1.run(MXNET + PROGRAM.replace("net.initialize()",
                                           "net.initialize()\nnet.hybridize()"))
    ours = gb_legacy.run(OURS + PROGRAM)
    shape_message = re.search(r"Shape inconsistent, Provided = \[[\d,]+\], "
                              r"inferred shape=\([\d,]+\)", real[0][1]).group(0)
    assert shape_message in ours[0][1]
    assert "block '0'" in ours[0][1] and "hybridsequential0_conv0_weight" in ours[0][1]
    assert "This layer requires uniform type" in real[1][1]
    assert "This layer requires uniform type" in ours[1][1] and "block '0'" in ours[1][1]
    assert ours[0][0] == ours[1][0] == "IncompatibleInputError"
