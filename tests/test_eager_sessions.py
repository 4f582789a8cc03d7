"""The eager session cache: shape-free sessions for ops whose lowering ignores the sizes, exact
ones for the rest, and an eager path that never imports the onnx package."""
import os
import subprocess
import sys

import numpy as np
import pytest

from gluonbridge import ndarray as nd
from gluonbridge.backend import eager


@pytest.fixture(autouse=True)
def fresh_cache():
    eager.clear()
    yield
    eager.clear()


def test_a_shape_free_op_serves_new_sizes_from_one_session():
    for shape in [(2, 3), (5, 7), (40, 9)]:
        x = np.random.rand(*shape).astype("float32") - 0.5
        np.testing.assert_allclose(nd.softmax(nd.array(x)).asnumpy(),
                                   np.exp(x) / np.exp(x).sum(-1, keepdims=True), rtol=1e-6)
    assert len(eager._sessions) == 1


def test_broadcasting_pattern_and_ranks_get_their_own_sessions():
    a = nd.array(np.ones((2, 3)))
    nd.broadcast_add(a, a)
    nd.broadcast_add(nd.array(np.ones((4, 6))), nd.array(np.ones((4, 6))))
    assert len(eager._sessions) == 1
    out = nd.broadcast_add(a, nd.array([[1.0, 2.0, 3.0]]))    # a 1 where there was a 3
    np.testing.assert_array_equal(out.asnumpy(), [[2, 3, 4], [2, 3, 4]])
    nd.broadcast_add(nd.array(np.ones(3)), nd.array(np.ones(3)))
    assert len(eager._sessions) == 3


def test_an_op_whose_graph_holds_sizes_is_kept_per_shape():
    x = nd.array(np.arange(6.0).reshape(2, 3))
    assert nd.Reshape(x, shape=(0, -1)).shape == (2, 3)
    y = nd.array(np.arange(20.0).reshape(4, 5))
    assert nd.Reshape(y, shape=(0, -1)).shape == (4, 5)
    assert len(eager._sessions) == 2


def test_the_eager_path_does_not_import_onnx():
    pytest.importorskip("onnxruntime")
    code = ("import sys\nfrom gluonbridge import ndarray as nd\nx = nd.array([[1.0, -2.0]])\n"
            "nd.relu(x); nd.sin(x); nd.softmax(x); nd.sum(x); nd.broadcast_add(x, x)\n"
            "print('onnx' in sys.modules)")
    env = dict(os.environ, GLUONBRIDGE_BACKEND="onnxruntime")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env=env)
    assert done.stdout.strip() == "False"
