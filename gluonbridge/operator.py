"""Mirrors ``mxnet.operator``'s custom-operator API: ``CustomOp``/``CustomOpProp`` subclasses
and ``@register`` work, so modules defining custom operators import; running one raises, since
custom operators execute inside MXNet's engine."""
from .base import without_mxnet

_CUSTOM_OPS = {}


class CustomOp:
    """Base class of a custom operator's computation."""

    def __init__(self):
        pass

    def forward(self, is_train, req, in_data, out_data, aux):
        raise without_mxnet(f"custom operator {type(self).__name__}.forward()")

    def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
        raise without_mxnet(f"custom operator {type(self).__name__}.backward()")

    def assign(self, dst, req, src):
        raise without_mxnet("CustomOp.assign()")


class CustomOpProp:
    """Base class of a custom operator's properties (arguments, shapes, ``create_operator``)."""

    def __init__(self, need_top_grad=True):
        self.need_top_grad_ = need_top_grad

    def infer_shape(self, in_shape):
        return in_shape, (in_shape[0],) * len(self.list_outputs()), ()

    def infer_type(self, in_type):
        return in_type, [in_type[0]] * len(self.list_outputs()), \
            [in_type[0]] * len(self.list_auxiliary_states())

    def list_outputs(self):
        return ["output"]

    def list_arguments(self):
        return ["data"]

    def list_auxiliary_states(self):
        return []

    def declare_backward_dependency(self, out_grad, in_data, out_data):
        return (out_grad if self.need_top_grad_ else []) + in_data + out_data

    def create_operator(self, ctx, in_shapes, in_dtypes):
        return CustomOp()


def register(reg_name):
    """Register a CustomOpProp subclass as ``op_type=reg_name`` (``F.Custom`` would run it)."""
    def decorate(prop_cls):
        _CUSTOM_OPS[reg_name] = prop_cls
        return prop_cls
    return decorate


def get_all_registered_operators():
    """The names of the custom operators registered so far."""
    return list(_CUSTOM_OPS)
