"""The one name-map builder (``gluonbridge.translate.model``) against MXNet itself.

A Parameter reached by several structural keys is mapped to the key MXNet 2's
``save_parameters(deduplicate=True)`` writes for it (the last), and an unknown dimension is
recorded as MXNet 2 shows it (-1); ``compat.namemap`` on a real MXNet 1.9.1 and the converter's
``--model`` on gluonbridge write the same entries.
"""
import pytest

from gluonbridge import naming
from gluonbridge.gluon import nn
from gluonbridge.translate.model import model_entries

from tests.compat.conftest import with_repo

# the same block at positions 0 and 2 (shared), and a layer whose input size is deferred
MODEL = """
from mxnet.gluon import nn
net = nn.HybridSequential()
shared = nn.Dense(2, in_units=2)
net.add(shared, nn.Dense(2, in_units=2), shared, nn.Dense(3))
"""


def _gluonbridge_model():
    net = nn.HybridSequential()
    shared = nn.Dense(2, in_units=2)
    net.add(shared, nn.Dense(2, in_units=2), shared, nn.Dense(3))
    return net


@pytest.mark.oracle
def test_shared_parameters_map_to_mxnet2s_deduplicated_keys(mx1, mx2):
    mx2_keys = mx2.run(MODEL + """
import os, tempfile, numpy
net.initialize()
net(mx.np.ones((1, 2)))
path = os.path.join(tempfile.mkdtemp(), "net.params")
net.save_parameters(path, deduplicate=True)
result = {"keys": list(numpy.load(path).keys()),
          "deferred": list(nn.Dense(3).weight.shape)}
""")
    mx1_doc = with_repo(mx1).run(MODEL + "import compat\nresult = compat.namemap(net)")
    with naming.override("legacy"), naming.NameManager():   # fresh counters, as in a new process
        entries = model_entries(_gluonbridge_model)
    ours = [{"legacy": e.legacy, "structural": e.structural,
             "shape": None if e.shape is None else list(e.shape)} for e in entries]
    assert ours == mx1_doc["entries"]
    assert [e["structural"] for e in ours] == mx2_keys["keys"]
    assert ours[-2]["shape"] == mx2_keys["deferred"]     # [3, -1]


def test_a_parameter_with_only_a_full_name_is_left_out():
    class Net(nn.HybridBlock):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = nn.Dense(2, in_units=2)
            self.params.get("unassigned", shape=(1,))    # no attribute: no structural key

    with naming.override("legacy"):
        entries = model_entries(Net)
    assert [e.structural for e in entries] == ["dense.weight", "dense.bias"]
