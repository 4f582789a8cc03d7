"""Elementwise ops: binary (elemwise_*, broadcast_*, numpy-mode _npi_*), with a scalar
(``_plus_scalar`` ...), unary math, clip and Cast."""
from __future__ import annotations

import math

import numpy as np

from ...graph.attrs import Bool, Dtype, Float
from .common import binary, broadcast, same_shape
from .registry import op

# ONNX op -> the MXNet ops computing it on two arrays, each (name, aliases...)
BINARY = {
    "Add": [("elemwise_add", "_plus", "_Plus", "_add"), ("broadcast_add", "broadcast_plus"),
            ("_npi_add", "add")],
    "Sub": [("elemwise_sub", "_minus", "_Minus", "_sub"), ("broadcast_sub", "broadcast_minus"),
            ("_npi_subtract", "subtract")],
    "Mul": [("elemwise_mul", "_mul", "_Mul"), ("broadcast_mul",), ("_npi_multiply", "multiply")],
    "Div": [("elemwise_div", "_div", "_Div"), ("broadcast_div",),
            ("_npi_true_divide", "true_divide", "divide")],
    "Max": [("_maximum", "_Maximum"), ("broadcast_maximum",), ("_npi_maximum", "maximum")],
    "Min": [("_minimum", "_Minimum"), ("broadcast_minimum",), ("_npi_minimum", "minimum")],
    "Pow": [("_power", "_Power"), ("broadcast_power",), ("_npi_power", "power")],
}

# ONNX op -> (MXNet scalar op and aliases, reversed: scalar <op> array)
SCALAR = {
    "Add": [(("_plus_scalar", "_PlusScalar"), False), (("_npi_add_scalar",), False)],
    "Sub": [(("_minus_scalar", "_MinusScalar"), False), (("_rminus_scalar", "_RMinusScalar"), True),
            (("_npi_subtract_scalar",), False), (("_npi_rsubtract_scalar",), True)],
    "Mul": [(("_mul_scalar", "_MulScalar"), False), (("_npi_multiply_scalar",), False)],
    "Div": [(("_div_scalar", "_DivScalar"), False), (("_rdiv_scalar", "_RDivScalar"), True),
            (("_npi_true_divide_scalar",), False), (("_npi_rtrue_divide_scalar",), True)],
    "Max": [(("_maximum_scalar", "_MaximumScalar"), False)],
    "Min": [(("_minimum_scalar", "_MinimumScalar"), False)],
    "Pow": [(("_power_scalar", "_PowerScalar"), False),
            (("_rpower_scalar", "_RPowerScalar"), True)],
}


def _declare_binary(onnx_op, names):
    @op(names[0], *names[1:], inputs=("lhs", "rhs"), uniform=False,
        shape=lambda a, lhs, rhs: broadcast(lhs, rhs))
    def lower(g, a, lhs, rhs):
        return binary(g, onnx_op, lhs, rhs)


def _declare_scalar(onnx_op, names, reverse):
    @op(names[0], *names[1:], attrs={"scalar": Float(1.0), "is_int": Bool(False)},
        shape=same_shape)
    def lower(g, a, data):
        scalar = g.constant(a.scalar, dtype=data.dtype)
        lhs, rhs = (scalar, data) if reverse else (data, scalar)
        return g.node(onnx_op, [lhs, rhs], data.shape, data.dtype)


for _onnx, _groups in BINARY.items():
    for _names in _groups:
        _declare_binary(_onnx, _names)
for _onnx, _groups in SCALAR.items():
    for _names, _reverse in _groups:
        _declare_scalar(_onnx, _names, _reverse)


def _declare_unary(onnx_op, names):
    @op(names[0], *names[1:], shape=same_shape)
    def lower(g, a, data):
        return g.node(onnx_op, [data], data.shape, data.dtype)


for _onnx, _names in {
        "Relu": ("relu", "_npx_relu"), "Sigmoid": ("sigmoid", "_npx_sigmoid"),
        "Tanh": ("tanh", "_npi_tanh"), "Exp": ("exp", "_npi_exp"), "Log": ("log", "_npi_log"),
        "Sqrt": ("sqrt", "_npi_sqrt"), "Abs": ("abs", "_npi_absolute", "absolute"),
        "Erf": ("erf", "_npx_erf"),
        "Identity": ("_copy", "identity", "copy", "_npi_copy"),
}.items():
    _declare_unary(_onnx, _names)


@op("BlockGrad", "stop_gradient", shape=same_shape)
def block_grad(g, a, data):
    return g.node("Identity", [data], data.shape, data.dtype)


@op("softsign", shape=same_shape)
def softsign(g, a, data):
    return softsign_nodes(g, data)


def softsign_nodes(g, data):
    """``x / (1 + |x|)`` (ONNX Softsign is 1 ulp off on onnxruntime)."""
    one_plus = binary(g, "Add", g.node("Abs", [data], data.shape, data.dtype), 1.0)
    return binary(g, "Div", data, one_plus)


def gelu_erf(g, data):
    """``0.5 x (1 + erf(x / sqrt 2))`` (MXNet's GELU)."""
    erf = g.node("Erf", [binary(g, "Div", data, math.sqrt(2.0))], data.shape, data.dtype)
    return binary(g, "Mul", binary(g, "Mul", data, 0.5), binary(g, "Add", erf, 1.0))


@op("clip", "_npi_clip", attrs={"a_min": Float(required=True), "a_max": Float(required=True)},
    shape=same_shape)
def clip(g, a, data):
    return g.node("Clip", [data, g.constant(a.a_min, data.dtype), g.constant(a.a_max, data.dtype)],
                  data.shape, data.dtype)


@op("Cast", "cast", "astype", "_npi_astype", attrs={"dtype": Dtype(required=True)},
    shape=same_shape, dtype=lambda a, data: a.dtype)
def cast(g, a, data):
    from onnx import helper
    return g.node("Cast", [data], data.shape, a.dtype,
                  to=helper.np_dtype_to_tensor_dtype(np.dtype(a.dtype)))


# Symbol arithmetic (``a + b``, ``a * 2``, ``2 - a``): operator -> the MXNet functions it calls
# (array op, scalar op, reversed scalar op), under the 1.x API (whose function names are the
# node-name hints: ``_plus0``, ``_mulscalar0``) and the 2.x numpy API.
ARITHMETIC = {
    False: {"add": ("_Plus", "_PlusScalar", "_PlusScalar"),
            "sub": ("_Minus", "_MinusScalar", "_RMinusScalar"),
            "mul": ("_Mul", "_MulScalar", "_MulScalar"),
            "div": ("_Div", "_DivScalar", "_RDivScalar"),
            "pow": ("_Power", "_PowerScalar", "_RPowerScalar")},
    True: {"add": ("_npi_add", "_npi_add_scalar", "_npi_add_scalar"),
           "sub": ("_npi_subtract", "_npi_subtract_scalar", "_npi_rsubtract_scalar"),
           "mul": ("_npi_multiply", "_npi_multiply_scalar", "_npi_multiply_scalar"),
           "div": ("_npi_true_divide", "_npi_true_divide_scalar", "_npi_rtrue_divide_scalar"),
           "pow": ("_npi_power", "_power_scalar", "_rpower_scalar")},
}
# The 1.x array ops need equal shapes; where shapes differ the trace records the broadcast op
# (MXNet 1.x NDArray arithmetic broadcasts; its Symbol arithmetic would refuse).
BROADCAST_FORM = {"elemwise_add": "broadcast_add", "elemwise_sub": "broadcast_sub",
                  "elemwise_mul": "broadcast_mul", "elemwise_div": "broadcast_div",
                  "_power": "broadcast_power"}


# A binary op called with a number (``F.broadcast_mul(x, 2)``, ``np.multiply(x, 2)``) records
# its scalar form: binary op -> (array <op> number, number <op> array).
SCALAR_FORM = {}
for _ops, _forms in [
        (("elemwise_add", "broadcast_add"), ("_plus_scalar", "_plus_scalar")),
        (("_npi_add",), ("_npi_add_scalar", "_npi_add_scalar")),
        (("elemwise_sub", "broadcast_sub"), ("_minus_scalar", "_rminus_scalar")),
        (("_npi_subtract",), ("_npi_subtract_scalar", "_npi_rsubtract_scalar")),
        (("elemwise_mul", "broadcast_mul"), ("_mul_scalar", "_mul_scalar")),
        (("_npi_multiply",), ("_npi_multiply_scalar", "_npi_multiply_scalar")),
        (("elemwise_div", "broadcast_div"), ("_div_scalar", "_rdiv_scalar")),
        (("_npi_true_divide",), ("_npi_true_divide_scalar", "_npi_rtrue_divide_scalar")),
        (("_maximum", "broadcast_maximum", "_npi_maximum"), ("_maximum_scalar",) * 2),
        (("_minimum", "broadcast_minimum", "_npi_minimum"), ("_minimum_scalar",) * 2),
        (("_power", "broadcast_power", "_npi_power"), ("_power_scalar", "_rpower_scalar"))]:
    SCALAR_FORM.update(dict.fromkeys(_ops, _forms))
