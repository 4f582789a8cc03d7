"""The tensor / elementwise / shape / index ops against MXNet 1.9.1, one tiny graph per case.

In one oracle process, every case's graph is built with ``mx.sym`` (the numpy-mode cases after
``npx.set_np()`` with ``mx.sym.np``/``mx.sym.npx``), bound to generated inputs and run; the
symbol JSON, the inputs and every output (values, shape, dtype) come back. gluonbridge reads the
same JSON into its graph IR, lowers it and runs it on both backends: the outputs must have
MXNet's shapes and dtypes and its values within 1e-5 of each output's max abs (exactly for
integer and bool outputs). Inputs are named ``a``, ``b``, ``c`` in the case's expression.

``gen`` of an input: ``n`` normal, ``h`` halves in [-3, 3] (rounding ties), ``p`` positive,
``i<k>`` ints in [0, k), ``s<k>`` ints in [-k, k], ``nan`` normal with NaNs.
"""
import numpy as np
import pytest

from gluonbridge.backend.errors import LoweringError
from gluonbridge.backend.lower import to_onnx
from gluonbridge.backend.ops import aux_positions
from gluonbridge.backend.runtime import make_session
from gluonbridge.graph import json_io

from tests import backends

F32, I32 = "float32", "int32"

# (label, expression over a/b/c, inputs [(shape, dtype, gen)], numpy mode)
CASES = [
    # -- elementwise, broadcasting, dtypes --
    ("broadcast_add ranks", "mx.sym.broadcast_add(a, b)", [((2, 1, 3), F32, "n"), ((4, 3), F32, "n")]),
    ("broadcast_div int", "mx.sym.broadcast_div(a, b)", [((2, 3), I32, "s9"), ((1, 3), I32, "p")]),
    ("elemwise_div int", "mx.sym.elemwise_div(a, b)", [((2, 3), I32, "s9"), ((2, 3), I32, "p")]),
    ("broadcast_mod float", "mx.sym.broadcast_mod(a, b)", [((3, 4), F32, "h"), ((3, 4), F32, "s3")]),
    ("broadcast_mod int", "mx.sym.broadcast_mod(a, b)", [((3, 4), I32, "s9"), ((3, 4), I32, "s3")]),
    ("_mod_scalar", "a % 2.5", [((2, 5), F32, "h")]),
    ("_rmod_scalar", "7.0 % a", [((2, 5), F32, "s3")]),
    ("broadcast_hypot", "mx.sym.broadcast_hypot(a, b)", [((2, 3), F32, "n"), ((1, 3), F32, "n")]),
    ("_power_scalar", "a ** 2", [((2, 3), F32, "n")]),
    ("_rpower_scalar", "2 ** a", [((2, 3), F32, "n")]),
    ("_rminus_scalar", "3 - a", [((2, 3), I32, "s9")]),
    ("_rdiv_scalar", "3.0 / a", [((2, 3), F32, "p")]),
    ("_maximum_scalar int", "mx.sym.maximum(a, 2)", [((2, 3), I32, "s9")]),
    ("_minimum", "mx.sym._internal._minimum(a, b)", [((2, 3), F32, "n"), ((2, 3), F32, "n")]),
    ("broadcast_maximum", "mx.sym.broadcast_maximum(a, b)", [((2, 3), F32, "n"), ((2, 1), F32, "n")]),
    # -- comparisons and logic: 1.x returns the input dtype --
    ("broadcast_greater int", "mx.sym.broadcast_greater(a, b)", [((2, 3), I32, "s3"), ((1, 3), I32, "s3")]),
    ("broadcast_equal", "mx.sym.broadcast_equal(a, b)", [((2, 3), F32, "s3"), ((2, 1), F32, "s3")]),
    ("broadcast_not_equal", "mx.sym.broadcast_not_equal(a, b)", [((2, 3), F32, "s3"), ((2, 3), F32, "s3")]),
    ("broadcast_lesser_equal", "mx.sym.broadcast_lesser_equal(a, b)", [((4,), F32, "s3"), ((4,), F32, "s3")]),
    ("_equal", "a == b", [((2, 3), F32, "s3"), ((2, 3), F32, "s3")]),
    ("_greater_equal_scalar int", "a >= 1.5", [((2, 4), I32, "s3")]),
    ("_lesser_scalar", "a < 0.5", [((2, 4), F32, "h")]),
    ("_not_equal_scalar", "a != 0", [((2, 4), F32, "s3")]),
    ("logical_not", "mx.sym.logical_not(a)", [((2, 4), F32, "s3")]),
    ("broadcast_logical_and", "mx.sym.broadcast_logical_and(a, b)", [((2, 4), F32, "s3"), ((1, 4), F32, "s3")]),
    ("broadcast_logical_or", "mx.sym.broadcast_logical_or(a, b)", [((2, 4), I32, "s3"), ((2, 4), I32, "s3")]),
    ("broadcast_logical_xor", "mx.sym.broadcast_logical_xor(a, b)", [((2, 4), F32, "s3"), ((2, 4), F32, "s3")]),
    ("where", "mx.sym.where(a, b, c)", [((2, 3), F32, "s3"), ((2, 3), F32, "n"), ((2, 3), F32, "n")]),
    ("where vector", "mx.sym.where(a, b, c)", [((2,), F32, "s3"), ((2, 3), F32, "n"), ((2, 3), F32, "n")]),
    # -- unary --
    ("round ties", "mx.sym.round(a)", [((3, 5), F32, "h")]),
    ("rint ties", "mx.sym.rint(a)", [((3, 5), F32, "h")]),
    ("fix", "mx.sym.fix(a)", [((3, 5), F32, "h")]),
    ("trunc", "mx.sym.trunc(a)", [((3, 5), F32, "h")]),
    ("floor ceil", "mx.sym.floor(a) + mx.sym.ceil(a)", [((3, 5), F32, "h")]),
    ("sign", "mx.sym.sign(a)", [((3, 5), F32, "h")]),
    ("square int", "mx.sym.square(a)", [((3, 5), I32, "s9")]),
    ("abs int", "mx.sym.abs(a)", [((3, 5), I32, "s9")]),
    ("negative int", "mx.sym.negative(a)", [((3, 5), I32, "s9")]),
    ("cbrt", "mx.sym.cbrt(a)", [((3, 5), F32, "n")]),
    ("rsqrt", "mx.sym.rsqrt(a)", [((3, 5), F32, "p")]),
    ("rcbrt", "mx.sym.rcbrt(a)", [((3, 5), F32, "p")]),
    ("reciprocal", "mx.sym.reciprocal(a)", [((3, 5), F32, "p")]),
    ("log2 log10", "mx.sym.log2(a) + mx.sym.log10(a)", [((3, 5), F32, "p")]),
    ("log1p expm1", "mx.sym.log1p(a) + mx.sym.expm1(a)", [((3, 5), F32, "p")]),
    ("trig", "mx.sym.sin(a) + mx.sym.cos(a) + mx.sym.tan(a) + mx.sym.arctan(a)", [((3, 5), F32, "n")]),
    ("hyperbolic", "mx.sym.sinh(a) + mx.sym.cosh(a) + mx.sym.arcsinh(a)", [((3, 5), F32, "n")]),
    ("erfinv", "mx.sym.erfinv(mx.sym.tanh(a))", [((3, 5), F32, "n")]),
    ("clip int", "mx.sym.clip(a, -2, 3)", [((3, 5), I32, "s9")]),
    ("Cast to int", "mx.sym.Cast(a, dtype='int32')", [((3, 5), F32, "h")]),
    ("BlockGrad copy", "mx.sym.BlockGrad(a) + mx.sym._internal._copy(a)", [((3, 5), F32, "n")]),
    # -- creation --
    ("_zeros int", "mx.sym.zeros((2, 3), dtype='int32') + a", [((2, 3), I32, "s3")]),
    ("_ones", "mx.sym.ones((2, 3)) + a", [((2, 3), F32, "n")]),
    ("_full", "mx.sym.full((2, 3), 2.5) * a", [((2, 3), F32, "n")]),
    ("_arange repeat", "mx.sym.arange(2, 11, 3, repeat=2) + a", [((6,), F32, "n")]),
    ("_arange negative step", "mx.sym.arange(5, -1, -1.5) + a", [((4,), F32, "n")]),
    ("_arange int", "mx.sym.arange(4, dtype='int32') + a", [((4,), I32, "s3")]),
    ("ones_like int", "mx.sym.ones_like(a) + mx.sym.zeros_like(a)", [((2, 3), I32, "s3")]),
    ("arange_like repeat", "mx.sym.contrib.arange_like(a, start=1, step=2, repeat=3)", [((2, 3), F32, "n")]),
    ("shape_array size_array", "[mx.sym.shape_array(a), mx.sym.size_array(a)]", [((2, 3, 4), F32, "n")]),
    # -- reductions --
    ("sum int negative axis", "mx.sym.sum(a, axis=-1)", [((2, 3, 4), I32, "s9")]),
    ("sum all", "mx.sym.sum(a)", [((2, 3), F32, "n")]),
    ("mean keepdims", "mx.sym.mean(a, axis=(0, 2), keepdims=True)", [((2, 3, 4), F32, "n")]),
    ("max exclude", "mx.sym.max(a, axis=1, exclude=True)", [((2, 3, 4), F32, "n")]),
    ("min int", "mx.sym.min(a, axis=0)", [((2, 3, 4), I32, "s9")]),
    ("prod", "mx.sym.prod(a, axis=1)", [((2, 3, 4), F32, "n")]),
    ("nansum", "mx.sym.nansum(a, axis=1)", [((2, 5), F32, "nan")]),
    ("nanprod", "mx.sym.nanprod(a, axis=1)", [((2, 5), F32, "nan")]),
    ("norm all", "mx.sym.norm(a)", [((2, 3), F32, "n")]),
    ("norm ord 1", "mx.sym.norm(a, ord=1, axis=-1, keepdims=True)", [((2, 3), F32, "n")]),
    ("argmax flat", "mx.sym.argmax(a)", [((2, 3), F32, "n")]),
    ("argmin keepdims", "mx.sym.argmin(a, axis=-1, keepdims=True)", [((2, 3), F32, "n")]),
    ("argmax int", "mx.sym.argmax(a, axis=0)", [((4, 3), I32, "i99")]),
    # -- shapes --
    ("transpose", "mx.sym.transpose(a, axes=(1, 0, 2))", [((2, 3, 4), F32, "n")]),
    ("expand_dims squeeze", "mx.sym.squeeze(mx.sym.expand_dims(a, axis=-1))", [((2, 1, 3), F32, "n")]),
    ("Reshape -4", "mx.sym.Reshape(a, shape=(-4, -1, 2, -2))", [((4, 3, 2), F32, "n")]),
    ("Reshape reverse", "mx.sym.Reshape(a, shape=(-1, 0), reverse=True)", [((2, 3, 4), F32, "n")]),
    ("Reshape -3 -2", "mx.sym.Reshape(a, shape=(-3, -2))", [((2, 3, 4, 5), F32, "n")]),
    ("reshape_like", "mx.sym.reshape_like(a, b)", [((2, 6), F32, "n"), ((3, 4), F32, "n")]),
    ("reshape_like ranges", "mx.sym.reshape_like(a, b, lhs_begin=1, lhs_end=2, rhs_begin=0, rhs_end=2)",
     [((2, 6), F32, "n"), ((3, 2, 7), F32, "n")]),
    ("tile longer reps", "mx.sym.tile(a, reps=(2, 1, 3))", [((2, 3), F32, "n")]),
    ("tile shorter reps", "mx.sym.tile(a, reps=(2,))", [((2, 3), F32, "n")]),
    ("repeat axis", "mx.sym.repeat(a, repeats=3, axis=-1)", [((2, 3), F32, "n")]),
    ("repeat flat", "mx.sym.repeat(a, repeats=2)", [((2, 3), I32, "s9")]),
    ("stack", "mx.sym.stack(a, b, axis=-1)", [((2, 3), F32, "n"), ((2, 3), F32, "n")]),
    ("reverse", "mx.sym.reverse(a, axis=(0, 2))", [((2, 3, 4), F32, "n")]),
    ("flip", "mx.sym.flip(a, axis=1)", [((2, 3), F32, "n")]),
    ("np flip", "mx.sym.np.flip(a, axis=(0, 1))", [((2, 3), F32, "n")], True),
    ("broadcast_to zero code", "mx.sym.broadcast_to(a, shape=(0, 3, 4))", [((2, 1, 4), F32, "n")]),
    ("broadcast_axis", "mx.sym.broadcast_axis(a, axis=(0, 2), size=(2, 3))", [((1, 3, 1), F32, "n")]),
    ("broadcast_like", "mx.sym.broadcast_like(a, b)", [((1, 3), F32, "n"), ((4, 3), F32, "n")]),
    ("broadcast_like axes", "mx.sym.broadcast_like(a, b, lhs_axes=(0,), rhs_axes=(-1,))",
     [((1, 3), F32, "n"), ((2, 5), F32, "n")]),
    ("slice None and step", "mx.sym.slice(a, begin=(None, 3), end=(None, None), step=(-1, -2))",
     [((3, 6), F32, "n")]),
    ("slice negative", "mx.sym.slice(a, begin=(-2, 1), end=(None, -1))", [((3, 6), F32, "n")]),
    ("slice_axis end None", "mx.sym.slice_axis(a, axis=-1, begin=-3, end=None)", [((3, 6), F32, "n")]),
    ("slice_like axes", "mx.sym.slice_like(a, b, axes=(-1,))", [((3, 6), F32, "n"), ((2, 4), F32, "n")]),
    ("slice_like", "mx.sym.slice_like(a, b)", [((3, 6), F32, "n"), ((2, 4), F32, "n")]),
    ("SliceChannel squeeze", "mx.sym.SliceChannel(a, num_outputs=3, axis=-1, squeeze_axis=True)",
     [((2, 3), F32, "n")]),
    ("split", "mx.sym.split(a, num_outputs=2, axis=0)", [((4, 3), F32, "n")]),
    ("split_v2 indices", "mx.sym.split_v2(a, (1, 3), axis=1)", [((2, 5), F32, "n")]),
    ("Crop center", "mx.sym.Crop(a, h_w=(2, 3), center_crop=True)", [((1, 2, 5, 6), F32, "n")]),
    ("Crop like", "mx.sym.Crop(a, b, offset=(1, 2))", [((1, 2, 5, 6), F32, "n"), ((1, 1, 3, 3), F32, "n")]),
    ("Pad constant", "mx.sym.Pad(a, mode='constant', pad_width=(0, 0, 0, 0, 1, 2, 2, 1), constant_value=1.5)",
     [((1, 2, 3, 3), F32, "n")]),
    ("Pad edge", "mx.sym.Pad(a, mode='edge', pad_width=(0, 0, 0, 0, 2, 1, 1, 2))", [((1, 2, 3, 3), F32, "n")]),
    ("Pad reflect", "mx.sym.Pad(a, mode='reflect', pad_width=(0, 0, 0, 0, 2, 1, 1, 2))", [((1, 2, 3, 3), F32, "n")]),
    ("space_to_depth", "mx.sym.space_to_depth(a, 2)", [((1, 2, 4, 6), F32, "n")]),
    ("depth_to_space", "mx.sym.depth_to_space(a, 2)", [((1, 8, 2, 3), F32, "n")]),
    # -- index --
    ("take clip", "mx.sym.take(a, b)", [((4, 3), F32, "n"), ((2, 3), F32, "s9")]),
    ("take wrap axis", "mx.sym.take(a, b, axis=-1, mode='wrap')", [((2, 4), F32, "n"), ((5,), F32, "s9")]),
    ("pick clip", "mx.sym.pick(a, b, axis=1)", [((3, 4), F32, "n"), ((3,), F32, "s9")]),
    ("pick wrap keepdims", "mx.sym.pick(a, b, axis=0, mode='wrap', keepdims=True)",
     [((3, 4), F32, "n"), ((4,), F32, "s9")]),
    ("gather_nd", "mx.sym.gather_nd(a, b)", [((3, 4, 2), F32, "n"), ((2, 5), F32, "i3")]),
    ("one_hot out of range", "mx.sym.one_hot(a, 4, on_value=2, off_value=-1, dtype='int32')",
     [((2, 3), F32, "s5")]),
    ("topk both ascending", "mx.sym.topk(a, k=2, ret_typ='both', is_ascend=True)", [((3, 5), F32, "n")]),
    ("topk mask axis 0", "mx.sym.topk(a, k=2, axis=0, ret_typ='mask')", [((3, 5), F32, "n")]),
    ("topk flat", "mx.sym.topk(a, k=3, axis=None, ret_typ='value')", [((3, 5), F32, "n")]),
    ("topk indices int", "mx.sym.topk(a, k=2, dtype='int32')", [((3, 5), F32, "n")]),
    ("sort descending", "mx.sym.sort(a, axis=0, is_ascend=False)", [((3, 5), F32, "n")]),
    ("argsort int", "mx.sym.argsort(a, dtype='int32')", [((3, 5), F32, "n")]),
    ("SequenceMask axis 1", "mx.sym.SequenceMask(a, b, use_sequence_length=True, axis=1, value=-1)",
     [((3, 4, 2), F32, "n"), ((3,), F32, "i5")]),
    ("SequenceLast axis 1", "mx.sym.SequenceLast(a, b, use_sequence_length=True, axis=1)",
     [((3, 4, 2), F32, "n"), ((3,), F32, "p4")]),
    ("SequenceLast plain", "mx.sym.SequenceLast(a)", [((4, 3, 2), F32, "n")]),
    ("SequenceReverse", "mx.sym.SequenceReverse(a, b, use_sequence_length=True)",
     [((4, 3, 2), F32, "n"), ((3,), F32, "p4")]),
    ("SequenceReverse plain", "mx.sym.SequenceReverse(a)", [((4, 3, 2), F32, "n")]),
    # -- products --
    ("dot transposes", "mx.sym.dot(a, b, transpose_a=True, transpose_b=True)", [((3, 2), F32, "n"), ((4, 3), F32, "n")]),
    ("dot nd", "mx.sym.dot(a, b)", [((2, 3, 4), F32, "n"), ((4, 5), F32, "n")]),
    ("dot vectors", "mx.sym.dot(a, b)", [((4,), F32, "n"), ((4,), F32, "n")]),
    ("batch_dot transposes", "mx.sym.batch_dot(a, b, transpose_a=True, transpose_b=True)",
     [((2, 3, 4), F32, "n"), ((2, 5, 3), F32, "n")]),
    ("linalg_gemm2", "mx.sym.linalg.gemm2(a, b, transpose_b=True, alpha=2.0)", [((2, 3, 4), F32, "n"), ((2, 5, 4), F32, "n")]),
    ("div_sqrt_dim", "mx.sym.contrib.div_sqrt_dim(a)", [((2, 9), F32, "n")]),
    # interleaved attention (GluonNLP's BERT / Transformer cells): 2 heads of 3 features;
    # length 4, batch 3 (queries of length 5 for encoder-decoder)
    ("interleaved selfatt_qk", "mx.sym.contrib.interleaved_matmul_selfatt_qk(a, heads=2)",
     [((4, 3, 18), F32, "n")]),
    ("interleaved selfatt_valatt",
     "mx.sym.contrib.interleaved_matmul_selfatt_valatt(a, b, heads=2)",
     [((4, 3, 18), F32, "n"), ((6, 4, 4), F32, "n")]),
    ("interleaved encdec_qk", "mx.sym.contrib.interleaved_matmul_encdec_qk(a, b, heads=2)",
     [((5, 3, 6), F32, "n"), ((4, 3, 12), F32, "n")]),
    ("interleaved encdec_valatt",
     "mx.sym.contrib.interleaved_matmul_encdec_valatt(a, b, heads=2)",
     [((4, 3, 12), F32, "n"), ((6, 5, 4), F32, "n")]),
    # -- numpy mode (npx.set_np): bool comparisons, 0-d and empty arrays --
    ("np greater scalar bool", "mx.sym.np.greater(a, 0.5)", [((2, 3), F32, "h")], True),
    ("np equal bool", "mx.sym.np.equal(a, b)", [((2, 3), F32, "s3"), ((3,), F32, "s3")], True),
    ("np where bool", "mx.sym.np.where(mx.sym.np.less(a, 0), a, b)", [((2, 3), F32, "n"), ((1, 3), F32, "n")], True),
    ("np sum all 0-d", "mx.sym.np.sum(a)", [((2, 3), F32, "n")], True),
    ("np mean dtype", "mx.sym.np.mean(a, axis=1, dtype='float64')", [((2, 3), F32, "n")], True),
    ("np max 0-d input", "mx.sym.np.max(a) + mx.sym.np.exp(a)", [((), F32, "n")], True),
    ("np empty", "mx.sym.np.sum(a * 2, axis=1)", [((0, 3), F32, "n")], True),
    ("np negative", "mx.sym.np.negative(a)", [((2, 3), F32, "n")], True),
    ("np zeros", "mx.sym.np.zeros((2, 3)) + a", [((2, 3), F32, "n")], True),
    ("np full_like", "mx.sym.np.full_like(a, 3.5)", [((2, 3), F32, "n")], True),
    ("np arange", "mx.sym.np.arange(1, 7, 2) + a", [((3,), F32, "n")], True),
    ("np stack", "mx.sym.np.stack([a, b], axis=-1)", [((2, 3), F32, "n"), ((2, 3), F32, "n")], True),
    ("np matmul", "mx.sym.np.matmul(a, b)", [((2, 2, 3), F32, "n"), ((3, 4), F32, "n")], True),
    ("npx reshape codes", "mx.sym.npx.reshape(a, (-2, -3, -1))", [((2, 1, 3, 4), F32, "n")], True),
    ("np argmax", "mx.sym.np.argmax(a, axis=1)", [((2, 3), F32, "n")], True),
    ("np repeat", "mx.sym.np.repeat(a, 2, axis=0)", [((2, 3), F32, "n")], True),
    ("np tile", "mx.sym.np.tile(a, (2, 1))", [((2, 3), F32, "n")], True),
    ("np logical_not", "mx.sym.np.logical_not(a)", [((2, 3), F32, "s3")], True),
    ("np around ties", "mx.sym.np.around(a)", [((3, 5), F32, "h")], True),
    ("np around decimals", "mx.sym.np.around(a, 1)", [((3, 5), F32, "n")], True),
]

ORACLE_RUN = """
import numpy as np
import mxnet as mx
rng = np.random.RandomState(0)

def make(shape, dtype, gen):
    if gen == 'n':
        x = rng.normal(size=shape)
    elif gen == 'h':
        x = rng.randint(-6, 7, size=shape) / 2.0
    elif gen.startswith('p'):
        x = rng.randint(1, int(gen[1:] or 5) + 1, size=shape) if dtype.startswith('int') or gen[1:] \\
            else rng.uniform(0.2, 3, size=shape)
    elif gen.startswith('i'):
        x = rng.randint(0, int(gen[1:]), size=shape)
    elif gen.startswith('s'):
        x = rng.randint(-int(gen[1:]), int(gen[1:]) + 1, size=shape)
    elif gen == 'nan':
        x = rng.normal(size=shape)
        x[rng.uniform(size=shape) < 0.3] = np.nan
    return np.asarray(x, dtype=dtype)

def listed(x):
    x = np.asarray(x)
    return {'shape': list(x.shape), 'dtype': x.dtype.name,
            'data': [None if v != v else v for v in x.ravel().tolist()]}

result = []
numpy_now = False
for case in CASES:
    label, expr, specs = case[:3]
    numpy_mode = len(case) > 3 and case[3]
    if numpy_mode and not numpy_now:
        mx.npx.set_np()
        numpy_now = True
    names = 'abc'[:len(specs)]
    arrays = [make(shape, dtype, gen) for shape, dtype, gen in specs]
    syms = {n: mx.sym.var(n) for n in names}
    if numpy_mode:
        syms = {n: s.as_np_ndarray() for n, s in syms.items()}
    try:
        out = eval(expr, {'mx': mx}, syms)
        if isinstance(out, list):
            out = mx.sym.Group(out)
        array = mx.np.array if numpy_mode else mx.nd.array
        ex = out.bind(mx.cpu(), {n: array(x, dtype=x.dtype) for n, x in zip(names, arrays)})
        outs = [o.asnumpy() for o in ex.forward()]
        result.append({'json': out.tojson(), 'inputs': [listed(x) for x in arrays],
                       'names': list(names), 'outputs': [listed(o) for o in outs]})
    except Exception as err:
        result.append({'error': str(err).strip().splitlines()[-1]})
"""


@pytest.fixture(scope="module")
def mxnet_cases(mx1):
    return mx1.run(f"CASES = {CASES!r}\n" + ORACLE_RUN)


def _array(entry):
    data = [np.nan if v is None else v for v in entry["data"]]
    return np.asarray(data, dtype=entry["dtype"]).reshape(entry["shape"])


def run_graph(text, names, inputs, backend_name):
    graph = json_io.loads(text, aux_positions, names)
    shapes = {n: (x.shape, x.dtype) for n, x in zip(names, inputs)}
    return make_session(to_onnx(graph, shapes, {}), backend_name)(inputs)


# Known backend differences: (case, backend) -> why (strict xfails).
KNOWN_BACKEND = {("norm ord 1", "openvino"): "OpenVINO 2026.4 ignores ReduceL1's axes attribute "
                                             "(opsets < 18) and reduces over every axis"}


@pytest.mark.oracle
@pytest.mark.parametrize("backend_name", backends.params())
@pytest.mark.parametrize("index", range(len(CASES)), ids=[c[0] for c in CASES])
def test_op_equals_mxnet(index, backend_name, mxnet_cases, request):
    if (CASES[index][0], backend_name) in KNOWN_BACKEND:
        request.applymarker(pytest.mark.xfail(reason=KNOWN_BACKEND[CASES[index][0], backend_name],
                                              strict=True))
    case = mxnet_cases[index]
    assert "error" not in case, f"MXNet refused the case: {case.get('error')}"
    inputs = [_array(x) for x in case["inputs"]]
    got = run_graph(case["json"], case["names"], inputs, backend_name)
    assert len(got) == len(case["outputs"])
    for k, (actual, entry) in enumerate(zip(got, case["outputs"])):
        want = _array(entry)
        actual = np.asarray(actual)
        assert actual.shape == want.shape, f"output {k}: shape {actual.shape} != {want.shape}"
        assert actual.dtype == want.dtype, f"output {k}: dtype {actual.dtype} != {want.dtype}"
        if want.dtype.kind in "biu":
            np.testing.assert_array_equal(actual, want, err_msg=f"output {k}")
            continue
        assert np.array_equal(np.isnan(actual), np.isnan(want)), f"output {k}: NaN positions"
        if want.size:
            scale = max(float(np.nanmax(np.abs(want))), 1e-30)
            err = float(np.nanmax(np.abs(actual.astype(np.float64) - want)))
            assert err <= 1e-5 * scale, f"output {k}: max error {err} (scale {scale})"


# Graphs the static lowering cannot express: a LoweringError naming the op and attribute.
REFUSED = [
    ("_arange", {"start": "0", "infer_range": "True"}, "infer_range=True"),
    ("SliceChannel", {"num_outputs": "4", "axis": "1"}, "num_outputs=4"),
    ("broadcast_to", {"shape": "(2, 5)"}, "shape='(2, 5)'"),
    ("SequenceReverse", {"axis": "1"}, "axis=1"),
    ("take", {"mode": "bogus"}, "mode='bogus'"),
    ("topk", {"k": "9"}, "k=9"),
    ("reverse", {"axis": "-1"}, "axis=(-1,)"),   # as MXNet 1.9.1 does
]


@pytest.mark.parametrize("op_name, attrs, detail", REFUSED, ids=[r[0] for r in REFUSED])
def test_unsupported_attribute_raises_lowering_error(op_name, attrs, detail):
    import json
    from gluonbridge.backend.ops import OPS
    takes_data = bool(OPS[op_name].input_names())
    nodes = [{"op": "null", "name": "x", "inputs": []}] if takes_data else []
    nodes.append({"op": op_name, "name": "node0", "attrs": attrs,
                  "inputs": [[0, 0, 0]] if takes_data else []})
    text = json.dumps({"nodes": nodes, "arg_nodes": [0] if takes_data else [],
                       "heads": [[len(nodes) - 1, 0, 0]], "attrs": {"mxnet_version": ["int", 10901]}})
    names = ["x"] if takes_data else []
    inputs = [np.ones((2, 3), np.float32)] if takes_data else []
    with pytest.raises(LoweringError, match=f"op {op_name}: .*{detail}".replace("(", r"\(")
                       .replace(")", r"\)")):
        run_graph(text, names, inputs, "onnxruntime")


def test_zero_dimension_nothing_infers_is_refused_naming_the_node():
    """A 0 in ``_zeros``' shape is MXNet's "infer from the consumers"; with no consumer that
    fixes it, the graph is refused naming the node (not run with a guessed size)."""
    import json
    from gluonbridge.graph.infer import ShapeError
    text = json.dumps({"nodes": [{"op": "_zeros", "name": "node0", "attrs": {"shape": "(0, 3)"},
                                  "inputs": []}],
                       "arg_nodes": [], "heads": [[0, 0, 0]],
                       "attrs": {"mxnet_version": ["int", 10901]}})
    with pytest.raises(ShapeError, match="node 'node0': a shape with a 0"):
        run_graph(text, [], [], "onnxruntime")
