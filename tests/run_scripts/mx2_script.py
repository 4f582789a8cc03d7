"""An MXNet 2-style script, run unmodified by MXNet 2.0.0b1 and by
`python -m gluonbridge.run --naming structural`."""
import sys

import mxnet as mx
from mxnet import gluon, np, npx
from mxnet.gluon import nn

npx.set_np()


class Net(gluon.HybridBlock):
    def __init__(self):
        super().__init__()
        self.features = nn.HybridSequential()
        self.features.add(nn.Dense(5, activation="relu"), nn.Dense(2))
        self.head = nn.Dense(1)

    def forward(self, x):
        return self.head(self.features(x))


if __name__ == "__main__":
    print("argv:", sys.argv[1:], "version:", mx.__version__)
    net = Net()
    net.initialize(mx.init.Constant(0.02))
    out = net(np.ones((3, 4)))
    for key, param in net.collect_params().items():
        print(key, param.name, param.shape)
    print(out.shape, [round(v, 6) for v in out.asnumpy().ravel().tolist()])
    print(gluon.loss.L2Loss())
