"""An MXNet 1.x-style script, run unmodified by MXNet 1.9.1 and by `python -m gluonbridge.run`."""
import sys

import mxnet as mx
import numpy as np
from mxnet import autograd, gluon, metric
from mxnet.gluon import nn


class Net(gluon.HybridBlock):
    def __init__(self, **kwargs):
        super(Net, self).__init__(**kwargs)
        with self.name_scope():
            self.body = nn.HybridSequential(prefix="body_")
            with self.body.name_scope():
                self.body.add(nn.Dense(8, activation="relu"), nn.Dense(3))
            self.scale = self.params.get("scale", shape=(1,), init=mx.init.One())

    def hybrid_forward(self, F, x, scale):
        return F.broadcast_mul(self.body(x), scale)


def main():
    print("name:", __name__, "argv:", sys.argv[1:])
    print("version:", mx.__version__)
    net = Net(prefix="model_")
    print(net.prefix, net.body.prefix, [b.name for b in net.body])
    for name, param in net.collect_params().items():
        print(name, param.shape)
    net.initialize(mx.init.Constant(0.01))
    X = np.arange(24, dtype="float32").reshape(6, 4) / 10
    y = np.array([0, 1, 2, 0, 1, 2], dtype="float32")
    loader = gluon.data.DataLoader(gluon.data.ArrayDataset(X, y), batch_size=4)
    acc = metric.Accuracy()
    for data, label in loader:
        with autograd.predict_mode():
            out = net(data)
        acc.update([label], [out])
        print(out.shape, [round(v, 5) for v in out.asnumpy().ravel().tolist()])
    print(acc.get()[0], round(float(acc.get()[1]), 4))
    print([s.shape for s in gluon.utils.split_and_load(X, [mx.cpu(0), mx.cpu(0)])])
    sys.exit(int(sys.argv[-1]))


if __name__ == "__main__":
    main()
