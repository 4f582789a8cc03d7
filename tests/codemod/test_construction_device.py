"""B2 (contrib containers) and B4 (ctx -> device, opt-in)."""
from tests.codemod.helpers import assert_rewrites, assert_unchanged, warnings


def test_b2_contrib_imports_and_attribute_chains():
    # MXNet 1.9.1 model_zoo/vision/densenet.py imports; gluoncv HybridConcurrent uses
    assert_rewrites('''\
        from ...contrib.nn import HybridConcurrent, Identity
        from mxnet.gluon.contrib.nn import Concurrent
        out = HybridConcurrent(axis=1)
        out.add(Identity())
        c = gluon.contrib.nn.HybridConcurrent(axis=1)
        d = Concurrent()
        ''', '''\
        from ...nn import HybridConcatenate, Identity
        from mxnet.gluon.nn import Concatenate
        out = HybridConcatenate(axis=1)
        out.add(Identity())
        c = gluon.nn.HybridConcatenate(axis=1)
        d = Concatenate()
        ''', "B2")


def test_b2_aliases_kept_and_unmoved_names_only_warn():
    assert_rewrites("from mxnet.gluon.contrib.nn import HybridConcurrent as HC\nx = HC()\n",
                    "from mxnet.gluon.nn import HybridConcatenate as HC\nx = HC()\n", "B2")
    source = "from mxnet.gluon.contrib.nn import HybridConcurrent, SyncBatchNorm\n"
    assert_unchanged(source, "B2")
    assert [w.rule for w in warnings(source, "B2")] == ["B2"]
    assert_unchanged("from mxnet.gluon.contrib import nn\n", "B2")


def test_b4_context_module_and_ctx_keywords():
    assert_rewrites('''\
        from mxnet.context import cpu
        c = mx.context.gpu(0)
        net.initialize(ctx=ctx)
        net.load_parameters(f, ctx=ctx)
        x = mx.nd.array([1], ctx=ctx)
        ''', '''\
        from mxnet.device import cpu
        c = mx.device.gpu(0)
        net.initialize(device=ctx)
        net.load_parameters(f, device=ctx)
        x = mx.nd.array([1], device=ctx)
        ''', "B4")


def test_b4_noops():
    assert_unchanged("f(ctx=ctx)\nfrom .context import x\nself.context = 1\n", "B4")
