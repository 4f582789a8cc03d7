"""Saving and loading TinyNet's parameters, the MXNet 1.x way."""
from mxnet import gluon


def trainer(net):
    net.collect_params().setattr('grad_req', 'write')
    return gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})


def save(net, path):
    net.collect_params().save(path)


def load(net, path, ctx):
    net.collect_params().load(path, ctx)
    net.collect_params().reset_ctx(ctx)
