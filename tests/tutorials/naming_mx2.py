# The code cells of MXNet 2's "Parameter and Block Naming" tutorial
# (apache/mxnet, docs/python_docs/python/tutorials/packages/gluon/blocks/naming.md, master),
# Apache License 2.0. Deviations, each where the tutorial itself cannot run as printed:
# `print(param.name)` is left out (a fresh uuid4 every run), `dense0` (never defined in the
# tutorial) is `mydense`, `print(block.name)` is left out (2.0.0b1 blocks have no `name`:
# the tutorial raises AttributeError there on MXNet 2.0.0b1 itself), `model1` (never defined) is a second Model(), and the pretrained
# AlexNet cells (a download) are left out; `mx.npx.relu`/`mx.np.zeros` are `mx.npx.relu`/
# `mx.np.zeros` (2.0.0b1 refuses `mx.nd` arrays as Block inputs; gluonbridge accepts them).
from __future__ import print_function
import mxnet as mx
from mxnet import gluon

mydense = gluon.nn.Dense(100)

dense1 = gluon.nn.Dense(100)

param = gluon.Parameter(name = 'bias')

print(mydense.collect_params())


class Model(gluon.HybridBlock):
    def __init__(self):
        super(Model, self).__init__()
        self.dense0 = gluon.nn.Dense(20)
        self.dense1 = gluon.nn.Dense(20)
        self.mydense = gluon.nn.Dense(20)

    def forward(self, x):
        x = mx.npx.relu(self.dense0(x))
        x = mx.npx.relu(self.dense1(x))
        return mx.npx.relu(self.mydense(x))

model0 = Model()
model0.initialize()
model0.hybridize()
print(model0(mx.np.zeros((1, 20))).shape)

net = gluon.nn.Sequential()
net.add(gluon.nn.Dense(20))
net.add(gluon.nn.Dense(20))
print(net)

model1 = Model()
model0.save_parameters('model.params')
model1.load_parameters('model.params')
print(mx.nd.load('model.params').keys())
