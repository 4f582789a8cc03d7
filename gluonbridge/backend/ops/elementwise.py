"""Elementwise ops: binary (elemwise_*, broadcast_*, numpy-mode _npi_*), with a scalar
(``_plus_scalar`` ...), mod and hypot, comparisons and logic (1.x: 1/0 in the input dtype;
numpy mode: bool), where, unary math (MXNet's own rounding rules), clip, Cast, and the
``*_like`` fills."""
from __future__ import annotations

import math

import numpy as np

from ...graph.attrs import Bool, Dtype, Float, Int, Str
from .common import binary, broadcast, same_shape
from .registry import Unsupported, op

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
        "Neg": ("negative", "_npi_negative"), "Floor": ("floor", "_npi_floor"),
        "Ceil": ("ceil", "_npi_ceil"),
        "Sign": ("sign", "_npi_sign"), "Reciprocal": ("reciprocal", "_npi_reciprocal"),
        "Sin": ("sin", "_npi_sin"), "Cos": ("cos", "_npi_cos"), "Tan": ("tan", "_npi_tan"),
        "Asin": ("arcsin", "_npi_arcsin"), "Acos": ("arccos", "_npi_arccos"),
        "Atan": ("arctan", "_npi_arctan"), "Sinh": ("sinh", "_npi_sinh"),
        "Cosh": ("cosh", "_npi_cosh"), "Asinh": ("arcsinh", "_npi_arcsinh"),
        "Acosh": ("arccosh", "_npi_arccosh"), "Atanh": ("arctanh", "_npi_arctanh"),
}.items():
    _declare_unary(_onnx, _names)


def _toward_zero(g, data, offset):
    """``sign(x) * floor(|x| + offset)``: trunc (offset 0) and round half away from zero."""
    magnitude = g.node("Abs", [data], data.shape, data.dtype)
    if offset:
        magnitude = binary(g, "Add", magnitude, offset)
    floor = g.node("Floor", [magnitude], data.shape, data.dtype)
    return binary(g, "Mul", g.node("Sign", [data], data.shape, data.dtype), floor)


def _erfinv(g, x):
    """Giles' single-precision rational approximation (what mshadow's ``erfinv`` computes)."""
    one_minus = binary(g, "Sub", g.constant(1.0, x.dtype), x)
    one_plus = binary(g, "Add", x, 1.0)
    w = g.node("Neg", [g.node("Log", [binary(g, "Mul", one_minus, one_plus)], x.shape, x.dtype)],
               x.shape, x.dtype)

    def poly(t, coefficients):
        p = g.constant(coefficients[0], x.dtype)
        for c in coefficients[1:]:
            p = binary(g, "Add", binary(g, "Mul", p, t), c)
        return p
    small = poly(binary(g, "Sub", w, 2.5), [
        2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
        -0.00125372503, -0.00417768164, 0.246640727, 1.50140941])
    large = poly(binary(g, "Sub", g.node("Sqrt", [w], x.shape, x.dtype), 3.0), [
        -0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
        -0.0076224613, 0.00943887047, 1.00167406, 2.83297682])
    is_small = binary(g, "Less", w, 5.0, dtype=np.dtype(bool))
    p = g.node("Where", [is_small, small, large], x.shape, x.dtype)
    return binary(g, "Mul", p, x)


def _log_base(base):
    return lambda g, x: binary(g, "Div", g.node("Log", [x], x.shape, x.dtype), math.log(base))


# unary ops made of several ONNX nodes: names -> lowering(g, data)
_COMPOSED = {
    ("square", "_npi_square"): lambda g, x: binary(g, "Mul", x, x),
    ("rsqrt",): lambda g, x: g.node("Reciprocal", [g.node("Sqrt", [x], x.shape, x.dtype)],
                                    x.shape, x.dtype),
    ("rcbrt",): lambda g, x: g.node("Reciprocal", [_cbrt(g, x)], x.shape, x.dtype),
    ("cbrt", "_npi_cbrt"): lambda g, x: _cbrt(g, x),
    ("log1p", "_npi_log1p"): lambda g, x: g.node("Log", [binary(g, "Add", x, 1.0)], x.shape,
                                                 x.dtype),
    ("expm1", "_npi_expm1"): lambda g, x: binary(g, "Sub", g.node("Exp", [x], x.shape, x.dtype),
                                                 1.0),
    ("log2", "_npi_log2"): _log_base(2.0),
    ("log10", "_npi_log10"): _log_base(10.0),
    ("round",): lambda g, x: _toward_zero(g, x, 0.5),
    # mshadow's rint takes the floor at .5 (2.5 -> 2, -2.5 -> -3): ceil(x - 0.5)
    ("rint", "_npi_rint"): lambda g, x: g.node("Ceil", [binary(g, "Sub", x, 0.5)], x.shape,
                                               x.dtype),
    ("fix", "trunc", "_npi_fix", "_npi_trunc"): lambda g, x: _toward_zero(g, x, 0.0),
    ("erfinv", "_npx_erfinv"): _erfinv,
    ("logical_not",): lambda g, x: g.node("Cast", [binary(g, "Equal", x, 0.0, np.dtype(bool))],
                                          x.shape, x.dtype, to=onnx_dtype(x.dtype)),
    ("_npi_logical_not",): lambda g, x: binary(g, "Equal", x, 0, np.dtype(bool)),
}


def _cbrt(g, x):
    magnitude = g.node("Abs", [x], x.shape, x.dtype)
    root = binary(g, "Pow", magnitude, 1.0 / 3.0)
    return binary(g, "Mul", g.node("Sign", [x], x.shape, x.dtype), root)


def onnx_dtype(dtype):
    from onnx import helper
    return helper.np_dtype_to_tensor_dtype(np.dtype(dtype))


def _declare_composed(names, build):
    bool_out = names[0] == "_npi_logical_not"
    op(names[0], *names[1:], shape=same_shape,
       dtype=(lambda a, data: np.dtype(bool)) if bool_out else None)(
        lambda g, a, data: build(g, data))


for _names, _build in _COMPOSED.items():
    _declare_composed(_names, _build)


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
           "pow": ("_npi_power", "_power_scalar", "_rpower_scalar"),
           "gt": ("_npi_greater", "_npi_greater_scalar", None),
           "ge": ("_npi_greater_equal", "_npi_greater_equal_scalar", None),
           "lt": ("_npi_less", "_npi_less_scalar", None),
           "le": ("_npi_less_equal", "_npi_less_equal_scalar", None)},
}
# ``x > y`` and friends (Python reflects ``2 > x`` into ``x < 2``, so no reversed form)
ARITHMETIC[False].update({
    "gt": ("_greater", "_greater_scalar", None),
    "ge": ("_greater_equal", "_greater_equal_scalar", None),
    "lt": ("_lesser", "_lesser_scalar", None),
    "le": ("_lesser_equal", "_lesser_equal_scalar", None)})
# The 1.x array ops need equal shapes; where shapes differ the trace records the broadcast op
# (MXNet 1.x NDArray arithmetic broadcasts; its Symbol arithmetic would refuse).
BROADCAST_FORM = {"elemwise_add": "broadcast_add", "elemwise_sub": "broadcast_sub",
                  "elemwise_mul": "broadcast_mul", "elemwise_div": "broadcast_div",
                  "_power": "broadcast_power", "_greater": "broadcast_greater",
                  "_greater_equal": "broadcast_greater_equal", "_lesser": "broadcast_lesser",
                  "_lesser_equal": "broadcast_lesser_equal"}


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


# Comparisons and logic: ONNX op (None: not equal) -> spellings, each
# (1.x array op and aliases, broadcast op, 1.x scalar op and aliases, numpy op, numpy scalar op).
# The 1.x ops return 1.0/0.0 in the input's dtype, the numpy ops bool.
COMPARISONS = {
    "Equal": (("_equal", "_Equal"), "broadcast_equal", ("_equal_scalar", "_EqualScalar"),
              "_npi_equal", "_npi_equal_scalar"),
    None: (("_not_equal", "_Not_Equal"), "broadcast_not_equal",
           ("_not_equal_scalar", "_NotEqualScalar"), "_npi_not_equal", "_npi_not_equal_scalar"),
    "Greater": (("_greater", "_Greater"), "broadcast_greater",
                ("_greater_scalar", "_GreaterScalar"), "_npi_greater", "_npi_greater_scalar"),
    "GreaterOrEqual": (("_greater_equal", "_Greater_Equal"), "broadcast_greater_equal",
                       ("_greater_equal_scalar", "_GreaterEqualScalar"), "_npi_greater_equal",
                       "_npi_greater_equal_scalar"),
    "Less": (("_lesser", "_Lesser"), "broadcast_lesser", ("_lesser_scalar", "_LesserScalar"),
             "_npi_less", "_npi_less_scalar"),
    "LessOrEqual": (("_lesser_equal", "_Lesser_Equal"), "broadcast_lesser_equal",
                    ("_lesser_equal_scalar", "_LesserEqualScalar"), "_npi_less_equal",
                    "_npi_less_equal_scalar"),
    "And": (("_logical_and",), "broadcast_logical_and", ("_logical_and_scalar",),
            "_npi_logical_and", "_npi_logical_and_scalar"),
    "Or": (("_logical_or",), "broadcast_logical_or", ("_logical_or_scalar",),
           "_npi_logical_or", "_npi_logical_or_scalar"),
    "Xor": (("_logical_xor",), "broadcast_logical_xor", ("_logical_xor_scalar",),
            "_npi_logical_xor", "_npi_logical_xor_scalar"),
}
_BOOL = np.dtype(bool)


def _truth(g, x):
    return x if x.dtype == _BOOL else binary(g, "Equal", binary(g, "Equal", x, 0, _BOOL), False,
                                                _BOOL)


def compare(g, onnx_op, lhs, rhs, dtype):
    """``lhs <op> rhs`` (broadcasting) as ``dtype`` (bool, or 1/0 in a numeric dtype)."""
    if not hasattr(rhs, "name"):
        rhs = g.constant(rhs, dtype=lhs.dtype)
    if onnx_op in ("And", "Or", "Xor"):
        lhs, rhs = _truth(g, lhs), _truth(g, rhs)
    out = binary(g, onnx_op or "Equal", lhs, rhs, _BOOL)
    if onnx_op is None:
        out = g.node("Not", [out], out.shape, _BOOL)
    if np.dtype(dtype) == _BOOL:
        return out
    return g.node("Cast", [out], out.shape, dtype, to=onnx_dtype(dtype))


def _declare_compare(onnx_op, names, numpy_mode):
    @op(names[0], *names[1:], inputs=("lhs", "rhs"), uniform=False,
        shape=lambda a, lhs, rhs: broadcast(lhs, rhs),
        dtype=lambda a, lhs, rhs: _BOOL if numpy_mode else lhs)
    def lower(g, a, lhs, rhs):
        return compare(g, onnx_op, lhs, rhs, _BOOL if numpy_mode else lhs.dtype)


def _declare_compare_scalar(onnx_op, names, numpy_mode):
    @op(names[0], *names[1:], attrs={"scalar": Float(1.0), "is_int": Bool(False)},
        shape=same_shape, dtype=lambda a, data: _BOOL if numpy_mode else data)
    def lower(g, a, data):
        scalar = int(a.scalar) if np.issubdtype(data.dtype, np.integer) else a.scalar
        return compare(g, onnx_op, data, scalar, _BOOL if numpy_mode else data.dtype)


for _onnx, (_array, _bcast, _scalar, _np_array, _np_scalar) in COMPARISONS.items():
    _declare_compare(_onnx, _array, False)
    _declare_compare(_onnx, (_bcast,), False)
    _declare_compare(_onnx, (_np_array,), True)
    _declare_compare_scalar(_onnx, _scalar, False)
    _declare_compare_scalar(_onnx, (_np_scalar,), True)


def mod(g, lhs, rhs):
    """MXNet's mod: the sign of the divisor (Python's %), 0 where the divisor is 0."""
    if not hasattr(rhs, "name"):
        rhs = g.constant(rhs, dtype=lhs.dtype)
    shape = broadcast(lhs.shape, rhs.shape)
    zero = g.constant(0, lhs.dtype)
    is_zero = binary(g, "Equal", rhs, 0, _BOOL)
    safe = g.node("Where", [is_zero, g.constant(1, rhs.dtype), rhs], rhs.shape, rhs.dtype)
    r = g.node("Mod", [lhs, safe], shape, lhs.dtype, fmod=1)
    flip = g.node("And", [binary(g, "Equal", binary(g, "Equal", r, 0, _BOOL), False, _BOOL),
                          g.node("Xor", [binary(g, "Less", r, 0, _BOOL),
                                         binary(g, "Less", safe, 0, _BOOL)], shape, _BOOL)],
                  shape, _BOOL)
    r = g.node("Where", [flip, binary(g, "Add", r, safe), r], shape, lhs.dtype)
    return g.node("Where", [is_zero, zero, r], shape, lhs.dtype)


def hypot(g, lhs, rhs):
    if not hasattr(rhs, "name"):
        rhs = g.constant(rhs, dtype=lhs.dtype)
    total = binary(g, "Add", binary(g, "Mul", lhs, lhs), binary(g, "Mul", rhs, rhs))
    return g.node("Sqrt", [total], total.shape, total.dtype)


def _declare_function(function, names, scalar_names, rscalar_names):
    op(names[0], *names[1:], inputs=("lhs", "rhs"), uniform=False,
       shape=lambda a, lhs, rhs: broadcast(lhs, rhs))(lambda g, a, lhs, rhs: function(g, lhs, rhs))
    scalar_attrs = {"scalar": Float(1.0), "is_int": Bool(False)}
    op(scalar_names[0], *scalar_names[1:], attrs=scalar_attrs, shape=same_shape)(
        lambda g, a, data: function(g, data, a.scalar))
    if rscalar_names:
        op(rscalar_names[0], *rscalar_names[1:], attrs=scalar_attrs, shape=same_shape)(
            lambda g, a, data: function(g, g.constant(a.scalar, data.dtype), data))


_declare_function(mod, ("_mod", "_Mod", "broadcast_mod", "_npi_mod", "mod"),
                  ("_mod_scalar", "_ModScalar", "_npi_mod_scalar"),
                  ("_rmod_scalar", "_RModScalar", "_npi_rmod_scalar"))
_declare_function(hypot, ("_hypot", "_Hypot", "broadcast_hypot", "_npi_hypot", "hypot"),
                  ("_hypot_scalar", "_HypotScalar"), ())


def _where_shape(numpy_mode):
    def rule(a, condition, x, y):
        if numpy_mode:
            return broadcast(condition, x, y)
        if tuple(x) != tuple(y) or not (tuple(condition) == tuple(x) or (
                len(condition) == 1 and x and condition[0] == x[0])):
            raise Unsupported(f"condition {tuple(condition)} with x {tuple(x)}, y {tuple(y)}")
        return tuple(x)
    return rule


def where_nodes(g, condition, x, y, shape):
    if condition.ndim == 1 and len(shape) > 1 and condition.shape[0] == shape[0]:
        axes = list(range(1, len(shape)))       # 1.x: a vector condition picks whole rows
        condition = g.node("Unsqueeze", [condition, g.constant(axes, np.int64)],
                           condition.shape + (1,) * len(axes), condition.dtype)
    if condition.dtype != _BOOL:
        condition = g.node("Cast", [condition], condition.shape, _BOOL, to=onnx_dtype(_BOOL))
    return g.node("Where", [condition, x, y], shape, x.dtype)


for _names, _numpy in ((("where",), False), (("_npi_where",), True)):
    op(_names[0], *_names[1:], inputs=("condition", "x", "y"), uniform=False,
       shape=_where_shape(_numpy), dtype=lambda a, condition, x, y: x)(
        lambda g, a, condition, x, y, _numpy=_numpy: where_nodes(
            g, condition, x, y, _where_shape(_numpy)(a, condition.shape, x.shape, y.shape)))


@op("_npi_where_lscalar", inputs=("condition", "y"), uniform=False, attrs={"scalar": Float(0.0)},
    shape=lambda a, condition, y: broadcast(condition, y), dtype=lambda a, condition, y: y)
def where_lscalar(g, a, condition, y):
    return where_nodes(g, condition, g.constant(a.scalar, y.dtype), y,
                       broadcast(condition.shape, y.shape))


@op("_npi_where_rscalar", inputs=("condition", "x"), uniform=False, attrs={"scalar": Float(0.0)},
    shape=lambda a, condition, x: broadcast(condition, x), dtype=lambda a, condition, x: x)
def where_rscalar(g, a, condition, x):
    return where_nodes(g, condition, x, g.constant(a.scalar, x.dtype),
                       broadcast(condition.shape, x.shape))


def fill_like(g, data, value, dtype):
    """An array shaped like ``data`` (at run time) holding ``value``."""
    shape = g.node("Shape", [data], (data.ndim,), np.int64)
    return g.node("Expand", [g.constant(value, dtype), shape], data.shape, dtype)


op("zeros_like", shape=same_shape)(lambda g, a, data: fill_like(g, data, 0, data.dtype))
op("ones_like", shape=same_shape)(lambda g, a, data: fill_like(g, data, 1, data.dtype))


@op("_npi_full_like", "full_like",
    attrs={"fill_value": Float(required=True), "dtype": Dtype(None), "ctx": Str(None)},
    shape=same_shape, dtype=lambda a, data: a.dtype or data)
def full_like(g, a, data):
    return fill_like(g, data, a.fill_value, a.dtype or data.dtype)


@op("_npi_around", "around", attrs={"decimals": Int(0)}, shape=same_shape)
def around(g, a, data):
    """numpy's round: half to even, at ``decimals`` places (scaled by 10**decimals as numpy)."""
    if not a.decimals:
        return g.node("Round", [data], data.shape, data.dtype)
    scale = 10.0 ** a.decimals
    rounded = g.node("Round", [binary(g, "Mul", data, scale)], data.shape, data.dtype)
    return binary(g, "Div", rounded, scale)
