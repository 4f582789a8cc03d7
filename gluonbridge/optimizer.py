"""Mirrors ``mxnet.optimizer`` for model code that names optimizers: the classes exist, are
registered (``create('sgd', learning_rate=0.1)``) and keep their settings; ``update`` (training)
raises, since gluonbridge runs models for inference only."""
from .base import without_mxnet

_REGISTRY = {}


class Optimizer:
    """Base class: the learning rate (or ``lr_scheduler``), weight decay and their per-parameter
    multipliers; subclasses take their own hyper-parameters as keyword arguments."""

    def __init__(self, rescale_grad=1.0, param_idx2name=None, wd=0.0, clip_gradient=None,
                 learning_rate=None, lr_scheduler=None, sym=None, begin_num_update=0,
                 multi_precision=False, param_dict=None, **hyper):
        self.rescale_grad = rescale_grad
        self.lr_scheduler = lr_scheduler
        if lr_scheduler is None and learning_rate is None:
            learning_rate = 0.01
        self.lr = learning_rate
        if lr_scheduler is not None and learning_rate is not None:
            lr_scheduler.base_lr = learning_rate
        self.wd = wd
        self.lr_mult, self.wd_mult = {}, {}
        self.begin_num_update = self.num_update = begin_num_update
        self.clip_gradient = clip_gradient
        self.multi_precision = multi_precision
        self.idx2name = dict(param_idx2name or {})
        self.param_dict = param_dict or {}
        for key, value in hyper.items():
            setattr(self, key, value)

    opt_registry = _REGISTRY

    @staticmethod
    def register(klass):
        """Register an Optimizer subclass under its lower-cased class name."""
        if not isinstance(klass, type):
            raise AssertionError()
        _REGISTRY[klass.__name__.lower()] = klass
        return klass

    @staticmethod
    def create_optimizer(name, **kwargs):
        """An optimizer by registered name."""
        if name.lower() not in _REGISTRY:
            raise ValueError(f"Cannot find optimizer {name}")
        return _REGISTRY[name.lower()](**kwargs)

    @property
    def learning_rate(self):
        return self.lr_scheduler(self.num_update) if self.lr_scheduler is not None else self.lr

    def set_learning_rate(self, lr):
        if self.lr_scheduler is not None:
            raise UserWarning("LRScheduler of the optimizer has already been defined. Note that "
                              "set_learning_rate can mutate the value of the learning rate of "
                              "the optimizer only when the LRScheduler of the optimizer is "
                              "undefined.")
        self.lr = lr

    def set_lr_mult(self, args_lr_mult):
        self.lr_mult = dict(args_lr_mult)

    def set_wd_mult(self, args_wd_mult):
        self.wd_mult = dict(args_wd_mult)

    def create_state(self, index, weight):
        raise without_mxnet(f"{type(self).__name__}.create_state()")

    def update(self, index, weight, grad, state):
        raise without_mxnet(f"{type(self).__name__}.update()")

    update_multi_precision = update


register = Optimizer.register
create = Optimizer.create_optimizer


def _define(name, defaults):
    """An Optimizer subclass with MXNet's hyper-parameter defaults."""
    def __init__(self, **kwargs):
        Optimizer.__init__(self, **dict(defaults, **kwargs))
    klass = type(name, (Optimizer,), {"__init__": __init__, "__doc__":
                                      f"MXNet's {name} optimizer (settings only)."})
    klass.__module__ = __name__
    return register(klass)


# name -> hyper-parameter defaults of MXNet 1.9.1's constructor
_OPTIMIZERS = {
    "SGD": {"momentum": 0.0, "lazy_update": True},
    "NAG": {"momentum": 0.0},
    "Signum": {"learning_rate": 0.01, "momentum": 0.9, "wd_lh": 0.0},
    "FTML": {"beta1": 0.6, "beta2": 0.999, "epsilon": 1e-8},
    "LARS": {"momentum": 0.0, "lazy_update": True, "eta": 0.001, "eps": 0},
    "LAMB": {"learning_rate": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-6},
    "DCASGD": {"momentum": 0.0, "lamda": 0.04},
    "SGLD": {},
    "Adam": {"learning_rate": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
    "AdaGrad": {"eps": 1e-7},
    "RMSProp": {"learning_rate": 0.001, "gamma1": 0.9, "gamma2": 0.9, "epsilon": 1e-8},
    "AdaDelta": {"rho": 0.9, "epsilon": 1e-5},
    "Ftrl": {"lamda1": 0.01, "learning_rate": 0.1, "beta": 1},
    "Adamax": {"learning_rate": 0.002, "beta1": 0.9, "beta2": 0.999},
    "Nadam": {"learning_rate": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
}
globals().update({name: _define(name, defaults) for name, defaults in _OPTIMIZERS.items()})


class Updater:
    """Applies an optimizer to weights: raises when called (training needs MXNet)."""

    def __init__(self, optimizer):
        self.optimizer = optimizer

    def __call__(self, index, grad, weight):
        raise without_mxnet("optimizer.Updater()")


def get_updater(optimizer):
    return Updater(optimizer)
