"""``Parameter.data()`` as MXNet's: an NDArray (``asnumpy()``, NDArray methods) over the
Parameter's own memory, so a write into it changes what a hybridized block computes next."""
import pytest

SNIPPET = """
net = mx.gluon.nn.Dense(3, in_units=4)
net.initialize(mx.initializer.Zero())
net.hybridize()
x = mx.nd.ones((1, 4))
seen = [net(x).asnumpy().tolist()]
net.bias.data()[:] = 1
seen.append(net(x).asnumpy().tolist())
net.weight.data()[0] += 2
seen.append(net(x).asnumpy().tolist())
copy = net.bias.data().copy()
copy[:] = 5                                  # a copy is not the Parameter
seen.append(net(x).asnumpy().tolist())
result = {"outputs": seen, "shape": list(net.weight.data().asnumpy().shape),
          "sum": float(net.weight.data().sum().asscalar())}
"""


@pytest.mark.oracle
def test_writes_into_data_reach_the_next_call_as_in_mxnet(mx1, gb_legacy):
    assert gb_legacy.run(SNIPPET) == mx1.run(SNIPPET)
