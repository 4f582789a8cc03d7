"""Mirrors ``mxnet.autograd`` for inference: gluonbridge runs models, it does not train.

The scopes model code wraps its forward pass in — ``record()``, ``pause()``, ``train_mode()``,
``predict_mode()`` — are real context managers that track the state ``is_recording()`` and
``is_training()`` report, so code that branches on them behaves as under MXNet. Nothing is
recorded and no gradient exists: models always run in inference mode (Dropout off, BatchNorm on
its running statistics), whatever ``is_training()`` says. ``backward``, ``grad`` and
``mark_variables`` raise at the call.
"""
import contextlib
import threading

from .base import without_mxnet

_state = threading.local()


def is_recording() -> bool:
    """Whether a ``record()`` scope is active (and not paused)."""
    return getattr(_state, "recording", False)


def is_training() -> bool:
    """Whether the active scope is in train mode (``record()`` defaults to it)."""
    return getattr(_state, "training", False)


def set_recording(is_recording):  # noqa: F811 (MXNet's parameter name)
    """Set the recording flag; returns the previous one."""
    previous = getattr(_state, "recording", False)
    _state.recording = bool(is_recording)
    return previous


def set_training(train_mode):
    """Set the train-mode flag; returns the previous one. Inference runs either way."""
    previous, _state.training = is_training(), bool(train_mode)
    return previous


@contextlib.contextmanager
def _scope(recording, training):
    old_recording = set_recording(recording) if recording is not None else None
    old_training = set_training(training) if training is not None else None
    try:
        yield
    finally:
        if recording is not None:
            set_recording(old_recording)
        if training is not None:
            set_training(old_training)


def record(train_mode=True):
    """Scope where MXNet records for autograd: here only the flags change."""
    return _scope(True, train_mode)


def pause(train_mode=False):
    """Scope where recording is paused."""
    return _scope(False, train_mode)


def train_mode():
    """Scope where ``is_training()`` is True (the model still runs in inference mode)."""
    return _scope(None, True)


def predict_mode():
    """Scope where ``is_training()`` is False."""
    return _scope(None, False)


def mark_variables(variables, gradients, grad_reqs="write"):
    raise without_mxnet("autograd.mark_variables()")


def backward(heads, head_grads=None, retain_graph=False, train_mode=True):
    raise without_mxnet("autograd.backward()")


def grad(heads, variables, head_grads=None, retain_graph=None, create_graph=False,
         train_mode=True):
    raise without_mxnet("autograd.grad()")


def get_symbol(x):
    raise without_mxnet("autograd.get_symbol()")


class Function:
    """Base of user-defined differentiable functions; defining one works, calling one raises."""

    def forward(self, *inputs):
        raise NotImplementedError

    def backward(self, *output_grads):
        raise NotImplementedError

    def __call__(self, *inputs):
        raise without_mxnet(f"autograd.Function {type(self).__name__}()")
