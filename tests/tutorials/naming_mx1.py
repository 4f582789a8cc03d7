# The code cells of MXNet 1.x's "Naming of Gluon Parameter and Blocks" tutorial
# (apache/mxnet, docs/python_docs/python/tutorials/packages/gluon/blocks/naming.md, v1.x),
# Apache License 2.0. Deviations: a cell ending in a bare expression (a notebook shows its
# value) prints it; the AlexNet cells use `pretrained=False` (pretrained=True downloads) and
# initialize the network so that it can be printed; the failed load prints its message between
# two marker lines (gluonbridge's message lists every mismatch, MXNet's only the first).
from __future__ import print_function
import mxnet as mx
from mxnet import gluon

mydense = gluon.nn.Dense(100, prefix='mydense_')
print(mydense.prefix)
print(mydense.name)

dense0 = gluon.nn.Dense(100)
print(dense0.prefix)

dense1 = gluon.nn.Dense(100)
print(dense1.prefix)

print(dense0.collect_params())


class Model(gluon.Block):
    def __init__(self, **kwargs):
        super(Model, self).__init__(**kwargs)
        with self.name_scope():
            self.dense0 = gluon.nn.Dense(20)
            self.dense1 = gluon.nn.Dense(20)
            self.mydense = gluon.nn.Dense(20, prefix='mydense_')

    def forward(self, x):
        x = mx.nd.relu(self.dense0(x))
        x = mx.nd.relu(self.dense1(x))
        return mx.nd.relu(self.mydense(x))

model0 = Model()
model0.initialize()
print(model0(mx.nd.zeros((1, 20))))
print(model0.prefix)
print(model0.dense0.prefix)
print(model0.dense1.prefix)
print(model0.mydense.prefix)

model1 = Model()
print(model1.prefix)
print(model1.dense0.prefix)
print(model1.dense1.prefix)
print(model1.mydense.prefix)

net = gluon.nn.Sequential()
with net.name_scope():
    net.add(gluon.nn.Dense(20))
    net.add(gluon.nn.Dense(20))
print(net.prefix)
print(net[0].prefix)
print(net[1].prefix)

net = gluon.nn.Sequential()
with net.name_scope():
    net.add(gluon.model_zoo.vision.alexnet(pretrained=False))
    net.add(gluon.model_zoo.vision.alexnet(pretrained=False))
print(net.prefix, net[0].prefix, net[1].prefix)

print(model0.collect_params(), '\n')
print(model1.collect_params())

model0.collect_params().save('model.params')
try:
    model1.collect_params().load('model.params', mx.cpu())
except Exception as e:
    print('--- load error ---')
    print(e)
    print('--- end ---')

model0.save_parameters('model.params')
model1.load_parameters('model.params')
print(mx.nd.load('model.params').keys())

alexnet = gluon.model_zoo.vision.alexnet(pretrained=False)
print(alexnet.output)
print(alexnet.output.prefix)

with alexnet.name_scope():
    alexnet.output = gluon.nn.Dense(100)
alexnet.output.initialize()
print(alexnet.output)
print(alexnet.output.prefix)
