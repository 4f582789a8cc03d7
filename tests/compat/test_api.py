"""Every compat helper on MXNet 1.9.1, MXNet 2.0.0b1 and gluonbridge (legacy, structural).

One dual-version model (written the way ``codemods --target dual`` writes code) is built with
compat on every side and compared with the same model written in that version's own API, run in
the same process: names, keys, shapes, what ``initialize`` reaches, what sharing shares. The
gluonbridge sides must also equal the oracle their naming mode mirrors. Then every side saves
(compat, native, and on 1.x ``collect_params().save`` plus ``compat.namemap``) and every side
loads every file, through compat and, for compat's files, through its own ``load_parameters``.
"""
import concurrent.futures

import pytest

from gluonbridge.codemods.construction import COMPAT_ALIASES, MOVED_TO_NN
from tests.compat.conftest import MIRRORS, SIDES

pytestmark = pytest.mark.oracle

COMMON = r'''
import contextlib, hashlib, zlib
import numpy as np
from gluonbridge import compat
from gluonbridge.compat import gluon, mx, nn

ON_MX = compat.BACKEND == 'mxnet'
ARRAY = (mx.np.array if compat.IS_MX2 else mx.nd.array) if ON_MX else np.asarray
TO_NUMPY = lambda a: a.asnumpy() if hasattr(a, 'asnumpy') else np.asarray(a)


def fresh():
    """Fresh top-level name counters (1.x), so every model built here is 'net0_'."""
    return contextlib.nullcontext() if compat.IS_MX2 else mx.name.NameManager()


class Net(gluon.HybridBlock):       # dual code, as codemods --target dual writes it
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with compat.name_scope(self):
            self.body = nn.HybridSequential(**compat.prefix_kw('body_'))
            with compat.name_scope(self.body):
                self.body.add(nn.Dense(4, in_units=3), nn.Dense(2, in_units=4))
            self.branch = compat.HybridConcatenate(axis=1)
            with compat.name_scope(self.branch):
                self.branch.add(compat.Identity(), nn.Dense(3, in_units=2))
            self.scale = compat.new_param(self, 'scale', shape=(2,))
            self.offset = compat.new_const(self, 'offset', [1.0, 2.0])

    if compat.IS_MX2:     # no one forward definition serves both versions
        def forward(self, x):
            return self.branch(self.body(x) * self.scale.data() + self.offset.data())
    else:
        def hybrid_forward(self, F, x, scale, offset):
            return self.branch(F.broadcast_add(F.broadcast_mul(self.body(x), scale), offset))


def output(net):
    y = net(ARRAY(np.linspace(-1, 1, 6, dtype='float32').reshape(2, 3)))
    return TO_NUMPY(y).tolist()


def build_shared_compat(shared):
    return compat.share(Net(**compat.params_kw(shared)), shared)


def describe(net):
    keys = net._collect_params_with_prefix()
    return {'keys': [[k, list(p.shape), p.grad_req, type(p).__name__] for k, p in keys.items()],
            'collected': [[k, p.name] for k, p in net.collect_params().items()],
            'prefix': getattr(net, 'prefix', None)}


def initialized(net):
    out = []
    for key, p in net._collect_params_with_prefix().items():
        try:
            p.data()
            out.append(key)
        except Exception:
            pass
    return out


def seed(net):
    """The same values on every side: drawn per structural key."""
    for key, p in net._collect_params_with_prefix().items():
        if type(p).__name__ != 'Constant':
            rng = np.random.RandomState(zlib.crc32(key.encode()))
            p.set_data(ARRAY(rng.uniform(-1, 1, p.shape).astype('float32')))


def digests(net):
    return {k: hashlib.sha256(np.ascontiguousarray(TO_NUMPY(p.data()), '<f4').tobytes())
            .hexdigest()[:16] for k, p in net._collect_params_with_prefix().items()}


def run_model(cls, build_shared):
    with fresh():
        net = cls()
        net.initialize()
        other = cls()
        shared_net = build_shared(other.collect_params())
    mine, theirs = shared_net._collect_params_with_prefix(), other._collect_params_with_prefix()
    return {'model': describe(net), 'initialized': initialized(net),
            'shared': sorted(k for k, p in mine.items() if theirs.get(k) is p),
            'shared_model': describe(shared_net)}
'''

NATIVE = {
    "mx1": r'''
class Net(gluon.HybridBlock):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.body = nn.HybridSequential(prefix='body_')
            with self.body.name_scope():
                self.body.add(nn.Dense(4, in_units=3), nn.Dense(2, in_units=4))
            self.branch = gluon.contrib.nn.HybridConcurrent(axis=1)
            with self.branch.name_scope():
                self.branch.add(gluon.contrib.nn.Identity(), nn.Dense(3, in_units=2))
            self.scale = self.params.get('scale', shape=(2,))
            # a list fails in 1.9.1 when the constant comes from params= (compat converts)
            self.offset = self.params.get_constant('offset', np.array([1.0, 2.0], 'float32'))

build_shared = lambda shared: Net(params=shared)
''',
    "mx2": r'''
class Net(gluon.HybridBlock):
    def __init__(self):
        super().__init__()
        self.body = nn.HybridSequential()
        self.body.add(nn.Dense(4, in_units=3), nn.Dense(2, in_units=4))
        self.branch = nn.HybridConcatenate(axis=1)
        self.branch.add(nn.Identity(), nn.Dense(3, in_units=2))
        self.scale = gluon.Parameter('scale', shape=(2,))
        self.offset = gluon.Constant([1.0, 2.0])

build_shared = lambda shared: Net().share_parameters(shared)
''',
}

MODELS = r'''
native = {}
exec(NATIVE_SOURCE, globals(), native)
result = {'backend': compat.BACKEND, 'is_mx2': compat.IS_MX2,
          'compat': run_model(Net, build_shared_compat),
          'native': run_model(native['Net'], native['build_shared'])}
'''

HELPERS = r'''
def train_step(dense):
    x = ARRAY(np.ones((2, 3), 'float32'))
    with mx.autograd.record():
        y = dense(x).sum()
    y.backward()

def grad_sums(dense):
    return [float(np.abs(TO_NUMPY(p.grad())).sum()) for p in dense.collect_params().values()]

def devices(dense):
    return [str(d) for p in dense.collect_params().values()
            for d in (p.list_device() if compat.IS_MX2 else p.list_ctx())]

def exercise(zero_grad, reset_ctx, set_attr):
    dense = nn.Dense(2, in_units=3)
    dense.initialize()
    out = {}
    if ON_MX:
        train_step(dense)
        out['before'] = [s > 0 for s in grad_sums(dense)]
    zero_grad(dense)
    reset_ctx(dense, mx.cpu(0) if ON_MX else None)
    set_attr(dense, 'lr_mult', 0.5)
    if ON_MX:
        out['after'], out['devices'] = grad_sums(dense), devices(dense)
    out['lr_mult'] = [p.lr_mult for p in dense.collect_params().values()]
    return out

holder = (lambda d: d) if compat.IS_MX2 else (lambda d: d.collect_params())
result = {'compat': exercise(compat.zero_grad, compat.reset_ctx, compat.set_param_attr)}
if ON_MX:
    result['native'] = exercise(
        lambda d: holder(d).zero_grad(),
        lambda d, c: (d.reset_device(c) if compat.IS_MX2 else d.collect_params().reset_ctx(c)),
        lambda d, k, v: holder(d).setattr(k, v))
'''


def _run_all(sides, snippet_for):
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futures = {side: pool.submit(sides[side].run, snippet_for(side)) for side in SIDES}
        return {side: f.result() for side, f in futures.items()}


def _native_source(side):
    return NATIVE[MIRRORS.get(side, side)]


@pytest.fixture(scope="module")
def models(sides):
    return _run_all(sides, lambda side: f"NATIVE_SOURCE = {_native_source(side)!r}\n"
                    + COMMON + MODELS)


def test_backend_detected(models):
    for side, got in models.items():
        assert got["backend"] == ("mxnet" if side in ("mx1", "mx2") else "gluonbridge"), side
        assert got["is_mx2"] == (MIRRORS.get(side, side) == "mx2"), side


@pytest.mark.parametrize("side", SIDES)
def test_dual_model_equals_the_versions_own_code(models, side):
    """Names, keys, shapes, grad_req, initialize() reach and sharing as the native code has
    them on that version (on 1.x: name_scope, prefix=, params.get, get_constant, params=)."""
    assert models[side]["compat"] == models[side]["native"]


@pytest.mark.parametrize("side", sorted(MIRRORS))
def test_gluonbridge_compat_equals_its_oracle(models, side):
    assert models[side]["compat"] == models[MIRRORS[side]]["compat"]


def test_sharing_and_new_param_really_work(models):
    """The trap the helpers exist for: on 1.x a bare Parameter is not initialized and
    sharing needs name_scope; compat's model has every key initialized and every key shared."""
    for side, got in models.items():
        keys = [k for k, *_ in got["compat"]["model"]["keys"]]
        assert got["compat"]["initialized"] == keys, side
        assert got["compat"]["shared"] == sorted(keys), side


@pytest.mark.parametrize("side", SIDES)
def test_gradient_device_and_attribute_helpers(sides, side):
    got = sides[side].run(COMMON + HELPERS)
    assert got["compat"]["lr_mult"] == [0.5, 0.5]
    if side in ("mx1", "mx2"):
        assert got["compat"] == got["native"] and all(got["compat"]["before"])
        assert not any(got["compat"]["after"])


ALIASES = r'''
from gluonbridge import compat
from gluonbridge.compat import gluon

def lookup(path):
    obj = gluon
    for part in path.split('.'):
        obj = getattr(obj, part)
    return obj

result = {new: getattr(compat, new) is lookup(path) for new, path in PATHS.items()}
'''


@pytest.mark.parametrize("side", SIDES)
def test_class_aliases_are_the_versions_own_classes(sides, side):
    """Every alias B2 writes for dual code (``compat.DeformableConvolution``) is the class of
    the codemod's table on that version: ``gluon.contrib.<module>.<1.x name>`` on 1.x,
    ``gluon.nn.<2.x name>`` on 2.x (a missing one fails the lookup)."""
    mx2 = MIRRORS.get(side, side) == "mx2"
    paths = {new: f"nn.{new}" if mx2 else f"{module}.{old}"
             for module, renames in MOVED_TO_NN.items() for old, new in renames.items()
             if new in COMPAT_ALIASES}
    got = sides[side].run(f"PATHS = {paths!r}\n" + ALIASES)
    assert got == dict.fromkeys(COMPAT_ALIASES, True)
