"""B2 (contrib classes moved to nn) and B4 (ctx -> device, opt-in)."""
from tests.codemod.helpers import assert_rewrites, assert_unchanged, run, warnings


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


def test_b2_contrib_cnn_deformable_convolutions():
    # GluonCV's DCN ResNet / Deformable ConvNets imports and attribute chains
    assert_rewrites('''\
        from mxnet.gluon.contrib.cnn import DeformableConvolution
        from mxnet.gluon.contrib.cnn import ModulatedDeformableConvolution as MDC
        from ..contrib.cnn import DeformableConvolution, ModulatedDeformableConvolution
        a = DeformableConvolution(64, kernel_size=(3, 3), padding=(1, 1))
        b = MDC(64, kernel_size=(3, 3), num_deformable_group=2)
        c = gluon.contrib.cnn.DeformableConvolution(64)
        d = mx.gluon.contrib.cnn.ModulatedDeformableConvolution(64, (3, 3))
        ''', '''\
        from mxnet.gluon.nn import DeformableConvolution
        from mxnet.gluon.nn import ModulatedDeformableConvolution as MDC
        from ..nn import DeformableConvolution, ModulatedDeformableConvolution
        a = DeformableConvolution(64, kernel_size=(3, 3), padding=(1, 1))
        b = MDC(64, kernel_size=(3, 3), num_deformable_group=2)
        c = gluon.nn.DeformableConvolution(64)
        d = mx.gluon.nn.ModulatedDeformableConvolution(64, (3, 3))
        ''', "B2")
    changes = [f.message for f in run("c = gluon.contrib.cnn.DeformableConvolution(4)\n", "B2")[1]]
    assert changes == ["`contrib.cnn.DeformableConvolution` is `nn.DeformableConvolution` in 2.x"]


def test_b2_contrib_cnn_unmoved_names_only_warn():
    source = "from mxnet.gluon.contrib.cnn import DeformableConvolution, conv_layers\n"
    assert_unchanged(source, "B2")
    assert [w.message for w in warnings(source, "B2")] == [
        "import from `contrib.cnn` mixes moved and unmoved names; split it by hand"]
    assert_unchanged("from mxnet.gluon.contrib import cnn\nx = cnn.conv_layers\n"
                     "from mxnet.gluon.mycontrib.cnn import DeformableConvolution\n", "B2")


def test_b2_then_n4_drop_the_prefix_of_deformable_layers():
    assert_rewrites('''\
        c = gluon.contrib.cnn.ModulatedDeformableConvolution(4, prefix='dcn_')
        d = gluon.contrib.cnn.DeformableConvolution(4, prefix='dcn_')
        ''', '''\
        c = gluon.nn.ModulatedDeformableConvolution(4)
        d = gluon.nn.DeformableConvolution(4)
        ''', "B2", "N4")


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
