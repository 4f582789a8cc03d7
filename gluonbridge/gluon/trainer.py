"""Mirrors ``mxnet.gluon.Trainer`` so training scripts construct it: the optimizer is created and
its learning rate can be read and set; ``step``/``update`` (training) raise at the call."""
from .. import optimizer as _optimizer
from ..base import without_mxnet


class Trainer:
    """``Trainer(params, optimizer, optimizer_params=None, kvstore='device', ...)``."""

    def __init__(self, params, optimizer, optimizer_params=None, kvstore="device",
                 compression_params=None, update_on_kvstore=None):
        params = list(params.values()) if hasattr(params, "values") else list(params)
        self._params = params
        if isinstance(optimizer, _optimizer.Optimizer):
            if optimizer_params:
                raise AssertionError("optimizer_params must be None if optimizer is an instance "
                                     "of Optimizer instead of str")
            self._optimizer = optimizer
        else:
            self._optimizer = _optimizer.create(optimizer, **(optimizer_params or {}))
        self._kvstore = kvstore

    @property
    def optimizer(self):
        return self._optimizer

    @property
    def learning_rate(self):
        return self._optimizer.learning_rate

    def set_learning_rate(self, lr):
        self._optimizer.set_learning_rate(lr)

    def step(self, batch_size, ignore_stale_grad=False):
        raise without_mxnet("Trainer.step()")

    def allreduce_grads(self):
        raise without_mxnet("Trainer.allreduce_grads()")

    def update(self, batch_size, ignore_stale_grad=False):
        raise without_mxnet("Trainer.update()")

    def save_states(self, fname):
        raise without_mxnet("Trainer.save_states()")

    def load_states(self, fname):
        raise without_mxnet("Trainer.load_states()")
