"""Layer constructors, reprs, shapes and MXNet's error types/messages, against both oracles.

Complements tests/test_naming_cases.py (the shared corpus) with every nn layer the issue lists and
the error paths of the naming API. Same machinery: each program runs in a fresh oracle process and
a fresh gluonbridge process, and the descriptions must be equal.
"""
import json
from textwrap import dedent

import pytest

from tests.oracle.harness import describe_snippet, to_gluonbridge

ALL_LAYERS = """
from mxnet import gluon
from mxnet.gluon import nn
models = [
    nn.Conv1D(8, 3, in_channels=4), nn.Conv2D(8, 3, groups=2, in_channels=4),
    nn.Conv2D(8, 3, layout='NHWC', in_channels=4), nn.Conv3D(8, (1, 2, 3), in_channels=4),
    nn.Conv1DTranspose(8, 3, in_channels=4), nn.Conv2DTranspose(8, 3, groups=2, in_channels=4),
    nn.Conv2DTranspose(8, 3, layout='NHWC', in_channels=4),
    nn.Conv3DTranspose(8, 3, in_channels=4, output_padding=1, strides=2),
    nn.Conv2D(8, 3, use_bias=False, padding=1, dilation=2, activation='relu'),
    nn.MaxPool1D(), nn.MaxPool2D(layout='NHWC'), nn.MaxPool3D(3, 2, 1, ceil_mode=True),
    nn.AvgPool1D(), nn.AvgPool2D(3, 2, 1, ceil_mode=True), nn.AvgPool3D(count_include_pad=False),
    nn.GlobalMaxPool1D(), nn.GlobalMaxPool2D(), nn.GlobalMaxPool3D(),
    nn.GlobalAvgPool1D(), nn.GlobalAvgPool2D(), nn.GlobalAvgPool3D(),
    nn.Dense(3, in_units=2, use_bias=False, flatten=False), nn.Dense(4, activation='sigmoid'),
    nn.Dropout(0.3), nn.Dropout(0.3, axes=(1,)), nn.Flatten(), nn.Activation('softrelu'),
    nn.LeakyReLU(0.1), nn.PReLU(in_channels=3), nn.ELU(), nn.SELU(), nn.GELU(), nn.Swish(),
    nn.BatchNorm(in_channels=3, scale=False), nn.BatchNorm(center=False, axis=3),
    nn.LayerNorm(in_channels=5), nn.InstanceNorm(), nn.Embedding(10, 3),
    nn.Lambda('relu'), nn.HybridLambda('tanh'),
]
extra = {'repr': [repr(m) for m in models]}
"""

NAMING_ERRORS_MX1 = """
import mxnet as mx
from mxnet import gluon
from mxnet.gluon import nn
def failure(f):
    try:
        f()
    except Exception as e:
        return [type(e).__name__, str(e)]
d = nn.Dense(2, in_units=5)
p = gluon.ParameterDict('p_')
w = p.get('weight', shape=(2, 0))
p.get('weight', shape=(2, 5))
extra = {
    'merged_shape': list(w.shape),
    'shape_clash': failure(lambda: p.get('weight', shape=(2, 6))),
    'grad_req_clash': failure(lambda: p.get('weight', grad_req='null')),
    'no_constant': failure(lambda: p.get_constant('nope')),
    'constant': repr(p.get_constant('c', [[1, 2], [3, 4]])),
    'not_hybrid': failure(lambda: nn.HybridSequential().add(nn.Sequential())),
    'override': failure(lambda: setattr(d, 'weight', d.params.get('other'))),
    'param_repr': repr(gluon.Parameter('raw', shape=(3,))),
    'pdict_repr': repr(p),
}
with mx.name.Prefix('pre_'):
    a = nn.Dense(2)
b = nn.Dense(2)
with mx.name.NameManager():
    c = nn.Dense(2)
e = nn.Dense(2)
seq = nn.HybridSequential(prefix='s_')
with seq.name_scope():
    seq.add(nn.Dense(1), nn.Dense(2), nn.Dense(3), nn.Dense(4))
piece = seq[1:3]
twelve = nn.HybridSequential()
with twelve.name_scope():
    twelve.add(*[nn.Dense(2) for _ in range(12)])
same = nn.HybridSequential()
with same.name_scope():
    same.add(nn.Dense(3), nn.Dense(3))
again = nn.HybridSequential(params=same.params)
with again.name_scope():
    again.add(nn.Dense(3), nn.Dense(3))
both = nn.HybridSequential()
both.add(same, again)
extra['select_1'] = list(twelve.collect_params('hybridsequential0_dense1').keys())
models = [d, a, b, c, e, seq, piece, twelve, both]
"""

NAMING_ERRORS_MX2 = """
from mxnet import gluon
from mxnet.gluon import nn
import warnings
def failure(f):
    try:
        f()
    except Exception as e:
        return [type(e).__name__, str(e)]
d = nn.Dense(2, in_units=5)
seq = nn.HybridSequential()
seq.add(nn.Dense(1), nn.Dense(2), nn.Dense(3), nn.Dense(4))
piece = seq[1:3]
twelve = nn.HybridSequential()
twelve.add(*[nn.Dense(2) for _ in range(12)])
small = nn.HybridSequential()
small.add(nn.Dense(5), nn.BatchNorm())
big = nn.HybridSequential()
big.add(nn.Dense(5), nn.Dense(5), nn.Dense(5), nn.BatchNorm())
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    returned_self = big.share_parameters(small.collect_params()) is big
    big.share_parameters({'nothere.weight': small[0].weight})
c = nn.Dense(3)
c.w = gluon.Parameter('w', shape=(1,))
c.w = gluon.Parameter('newone', shape=(1,))
extra = {
    'seq_prefix': failure(lambda: nn.HybridSequential(prefix='x')),
    'plain_seq_params': failure(lambda: nn.Sequential(params={})),
    'block_prefix': failure(lambda: gluon.Block(prefix='x')),
    'not_hybrid': failure(lambda: nn.HybridSequential().add(nn.Sequential())),
    'share_list': failure(lambda: big.share_parameters([1])),
    'returned_self': returned_self,
    'warnings': sorted(str(w.message) for w in caught),  # MXNet walks a set: order varies
    'tied': [big[0].weight is small[0].weight, big[3].gamma is small[1].gamma],
    'param_repr': repr(gluon.Parameter('raw', shape=(3,))),
    'constant_repr': repr(gluon.Constant([[1, 2], [3, 4]])),
    'default_name': gluon.Parameter().name,
    'reassigned': [[k, p.name] for k, p in c.collect_params().items()],
    'select': {pat: list(twelve.collect_params(pat).keys())
               for pat in ['1', '1\\\\.', '0Xweight', '.*bias$', 'weight']},
}
models = [d, seq, piece, twelve, small, big, c]
"""

PROGRAMS = {
    "all_layers": {"mx1": ALL_LAYERS, "mx2": ALL_LAYERS},
    "naming_api_and_errors": {"mx1": NAMING_ERRORS_MX1, "mx2": NAMING_ERRORS_MX2},
}


@pytest.mark.oracle
@pytest.mark.parametrize("version", ["mx1", "mx2"])
@pytest.mark.parametrize("program", sorted(PROGRAMS))
def test_layers_and_errors_like_mxnet(program, version, mx1, mx2, gb_legacy, gb_structural):
    source = dedent(PROGRAMS[program][version])
    oracle, ours = (mx1, gb_legacy) if version == "mx1" else (mx2, gb_structural)
    expected = oracle.run(describe_snippet(source, version))
    assert "error" not in expected, expected["error"]
    got = ours.run(describe_snippet(to_gluonbridge(source), version))
    expected = json.loads(json.dumps(expected).replace("mxnet.", "gluonbridge."))
    for field in ("extra", "models"):
        if isinstance(expected.get(field), dict):
            for key in expected[field]:
                assert got[field].get(key) == expected[field][key], f"{field}[{key!r}]"
    assert got == expected
