"""``--target dual``: 1.x constructs become ``compat`` calls (the spec's "dual" column), so the
code keeps its 1.x names and behaviour on 1.x and gets the 2.x ones on 2.x."""
from tests.codemod.helpers import assert_rewrites, rewrite, run, warnings

HEAD = "from mxnet import gluon\nfrom mxnet.gluon import nn\n"
WITH_COMPAT = HEAD + "from gluonbridge import compat\n"


def dual(before, after, *rule_ids, unsafe=False):
    assert_rewrites(HEAD + before, WITH_COMPAT + after, *rule_ids, unsafe=unsafe, target="dual")


def test_n1_n2_keep_the_scope_through_compat_and_move_no_comment():
    dual("""\
class Net(nn.HybridBlock):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():  # header comment
            self.features = nn.HybridSequential()
            with self.features.name_scope():
                self.features.add(nn.Dense(3))
            # footer comment
""", """\
class Net(nn.HybridBlock):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with compat.name_scope(self):  # header comment
            self.features = nn.HybridSequential()
            with compat.name_scope(self.features):
                self.features.add(nn.Dense(3))
            # footer comment
""", "N1", "N2")


def test_n3_multi_item_keeps_the_other_items_and_as_targets_stay_manual():
    dual("with a.name_scope(), open(f):\n    pass\n",
         "with compat.name_scope(a), open(f):\n    pass\n", "N3")
    source = HEAD + "with a.name_scope() as scope:\n    pass\nb.name_scope()\n"
    assert rewrite(source, "N3", target="dual") == source
    assert [w.rule for w in warnings(source, "N3", target="dual")] == ["N3", "N3"]


def test_n4_prefix_becomes_compat_prefix_kw_keeping_comments_and_layout():
    dual("""\
a = nn.Dense(3, prefix='fc_')
b = nn.HybridSequential(prefix='stage%d_' % i)
c = nn.Conv2D(
    8, 3,
    prefix=f'conv{i}_',  # the name
)
""", """\
a = nn.Dense(3, **compat.prefix_kw('fc_'))
b = nn.HybridSequential(**compat.prefix_kw('stage%d_' % i))
c = nn.Conv2D(
    8, 3,
    **compat.prefix_kw(f'conv{i}_'),  # the name
)
""", "N4")


def test_n4_unknown_callee_and_old_prefix_reads_are_unsafe_non_blocks_untouched():
    source = HEAD + "x = block(3, prefix='')\ny = nn.Dense(3, prefix=self.old.prefix)\n" \
                    "import tempfile\nt = tempfile.TemporaryDirectory(prefix='x')\n"
    assert rewrite(source, "N4", target="dual") == source
    assert len(warnings(source, "N4", target="dual")) == 2
    code = rewrite(source, "N4", unsafe=True, target="dual")
    assert "block(3, **compat.prefix_kw(''))" in code
    assert "nn.Dense(3, **compat.prefix_kw(self.old.prefix))" in code
    assert "TemporaryDirectory(prefix='x')" in code


def test_n5_n6_keep_prefix_parameters_which_dual_code_still_reads():
    source = HEAD + """\
def _make(channels, prefix):
    return nn.Dense(channels, prefix=prefix)
class B(nn.HybridBlock):
    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
x = _make(3, 'a_')
"""
    code = rewrite(source, "N4", "N5", "N6", "B1", unsafe=True, target="dual")
    assert "def _make(channels, prefix):" in code and "x = _make(3, 'a_')" in code
    assert "def __init__(self, prefix=None, params=None):" in code
    assert "super().__init__(**compat.prefix_kw(prefix), **compat.params_kw(params))" in code


def test_n8_prefix_reads_warn_with_the_dual_hint():
    [warning] = warnings(HEAD + "log(self.prefix)\n", "N8", target="dual")
    assert "getattr(blk, 'prefix', '')" in warning.message


def test_b1_passes_prefix_and_params_on_through_compat():
    dual("""\
class A(nn.HybridBlock):
    def __init__(self, **kwargs):
        super(A, self).__init__(kwargs.get('prefix', None), kwargs.get('params', None))
class S(gluon.SymbolBlock):
    def __init__(self, outputs, inputs, prefix=None, params=None):
        super().__init__(outputs, inputs, prefix=prefix, params=params)
""", """\
class A(nn.HybridBlock):
    def __init__(self, **kwargs):
        super(A, self).__init__(**compat.prefix_kw(kwargs.get('prefix', None)), **compat.params_kw(kwargs.get('params', None)))
class S(gluon.SymbolBlock):
    def __init__(self, outputs, inputs, prefix=None, params=None):
        super().__init__(outputs, inputs, **compat.prefix_kw(prefix), params=params)
""", "B1")


def test_b1_positional_argument_after_the_prefix_is_manual():
    source = HEAD + ("class Base(nn.HybridBlock):\n    pass\n"
                     "class A(Base):\n    def __init__(self, **kw):\n"
                     "        super().__init__(kw.get('prefix'), other)\n")
    assert rewrite(source, "B1", target="dual") == source
    assert [w.rule for w in warnings(source, "B1", target="dual")] == ["B1"]


def test_b2_contrib_containers_become_compat_aliases():
    assert_rewrites(
        "from mxnet import gluon\nfrom mxnet.gluon.contrib.nn import HybridConcurrent, Identity\n"
        "a = HybridConcurrent(axis=1)\nb = gluon.contrib.nn.Identity()\n",
        "from mxnet import gluon\nfrom gluonbridge.compat import HybridConcatenate, Identity\n"
        "from gluonbridge import compat\n"
        "a = HybridConcatenate(axis=1)\nb = compat.Identity()\n", "B2", target="dual")
    source = HEAD + "c = gluon.contrib.nn.Concurrent()\n"
    assert rewrite(source, "B2", target="dual") == source
    assert "no `compat` alias" in warnings(source, "B2", target="dual")[0].message


def test_b2_deformable_convolutions_become_compat_aliases():
    assert_rewrites(
        "from mxnet import gluon\nfrom mxnet.gluon.contrib.cnn import DeformableConvolution\n"
        "from mxnet.gluon.contrib.cnn import ModulatedDeformableConvolution as MDC\n"
        "a = DeformableConvolution(8, kernel_size=(3, 3), prefix='dcn_')\n"
        "b = gluon.contrib.cnn.ModulatedDeformableConvolution(8, prefix='mdcn_')\nc = MDC(8)\n",
        "from mxnet import gluon\nfrom gluonbridge.compat import DeformableConvolution\n"
        "from gluonbridge.compat import ModulatedDeformableConvolution as MDC\n"
        "from gluonbridge import compat\n"
        "a = DeformableConvolution(8, kernel_size=(3, 3), **compat.prefix_kw('dcn_'))\n"
        "b = compat.ModulatedDeformableConvolution(8, **compat.prefix_kw('mdcn_'))\nc = MDC(8)\n",
        "B2", "N4", target="dual")
    # a name compat has no alias for keeps the whole import as it is
    source = HEAD + "from mxnet.gluon.contrib.cnn import DeformableConvolution, conv_layers\n"
    assert rewrite(source, "B2", target="dual") == source
    assert [w.rule for w in warnings(source, "B2", target="dual")] == ["B2"]


def test_b4_keeps_ctx_in_dual_code():
    source = HEAD + "import mxnet as mx\nnet.initialize(ctx=mx.context.cpu())\n"
    assert rewrite(source, "B4", target="dual") == source


def test_p1_p2_p5_p3_create_parameters_through_compat():
    dual("""\
class A(nn.HybridBlock):
    def __init__(self):
        super().__init__()
        self.w = self.params.get('w', shape=(2,))
        self._weight = self.params.get('weight', shape=(2,))
        self.anchor = self.params.get('anchor_%d' % i, shape=(2,))
        self.c = self.params.get_constant('c', [1, 2])
""", """\
class A(nn.HybridBlock):
    def __init__(self):
        super().__init__()
        self.w = compat.new_param(self, 'w', shape=(2,))
        self._weight = compat.new_param(self, 'weight', shape=(2,))
        self.anchor = compat.new_param(self, 'anchor_%d' % i, shape=(2,))
        self.c = compat.new_const(self, 'c', [1, 2])
""", "P1", "P2", "P5", "P3")


def test_p6_sharing_through_compat_share_and_params_kw():
    dual("d = nn.Dense(8, params=other.params)\n",
         "d = compat.share(nn.Dense(8, **compat.params_kw(other.params)), other.params)\n",
         "P6", unsafe=True)
    source = HEAD + "d = nn.Dense(8, params=other.params)\n"
    assert rewrite(source, "P6", target="dual") == source


def test_d1_to_d5_helpers():
    dual("""\
net.collect_params().initialize(init, ctx=ctx)
net.collect_params().setattr('grad_req', 'null')
net.collect_params().reset_ctx(ctx)
net.collect_params().zero_grad()
net.collect_params('.*bias').setattr('lr_mult', 0)
""", """\
net.initialize(init, ctx=ctx)
compat.set_param_attr(net, 'grad_req', 'null')
compat.reset_ctx(net, ctx)
compat.zero_grad(net)
for _param in net.collect_params('.*bias').values():
    setattr(_param, 'lr_mult', 0)
""", "D1", "D2", "D3", "D4", "D5")


def test_s1_to_s4_keep_ctx_and_load_through_compat():
    dual("""\
net.collect_params().save(f)
net.collect_params().load(f, ctx)
net.collect_params().load_dict(d, ctx=ctx, allow_missing=True)
net.save_params(f)
""", """\
net.save_parameters(f)
compat.load_parameters(net, f, ctx)
compat.load_dict(net, d, ctx=ctx, allow_missing=True)
net.save_parameters(f)
""", "S1", "S2", "S3", "S4", unsafe=True)


def test_s6_notes_every_save_in_dual_code_only():
    source = HEAD + "net.save_parameters(f)\n"
    assert [w.rule for w in warnings(source, "S6", target="dual")] == ["S6"]
    assert warnings(source, "S6") == []


FORWARD = """\
class Net(nn.HybridBlock):
    def __init__(self):
        super().__init__()
        self.scale = self.params.get('scale', shape=(1,))

    # the forward pass
    def hybrid_forward(self, F, x, scale):  # pylint: disable=arguments-differ
        # scale the activations
        return F.broadcast_mul(F.relu(x), scale)
"""


def test_f1_writes_a_version_conditional_class_body():
    assert_rewrites(HEAD + FORWARD, WITH_COMPAT + "from mxnet import npx\n" + """\
class Net(nn.HybridBlock):
    def __init__(self):
        super().__init__()
        self.scale = self.params.get('scale', shape=(1,))

    # the forward pass
    if compat.IS_MX2:
        def forward(self, x):  # pylint: disable=arguments-differ
            scale = self.scale.data(x.device)
            # scale the activations
            return (npx.relu(x) * scale)
    else:
        def hybrid_forward(self, F, x, scale):  # pylint: disable=arguments-differ
            # scale the activations
            return F.broadcast_mul(F.relu(x), scale)
""", "F1", "F2", "F3", unsafe=True, target="dual")


def test_f1_keeps_hybrid_forward_whole_when_f_is_still_needed():
    source = HEAD + FORWARD.replace("F.relu(x)", "self.helper(F, x)")
    code, findings = run(source, "F1", "F2", "F3", "F4", unsafe=True, target="dual")
    assert code == source
    assert "F4" in {f.rule for f in findings}
    assert not [f for f in findings if f.severity == "change" or "review" in f.message]



def test_dual_output_keeps_crlf_tabs_and_bom_of_the_file(tmp_path):
    from gluonbridge.codemod.cli import main
    before = (b"\xef\xbb\xbffrom mxnet.gluon import nn\r\nclass N(nn.HybridBlock):\r\n"
              b"\tdef __init__(self):\r\n\t\tsuper().__init__()\r\n"
              b"\t\twith self.name_scope():  # scope\r\n\t\t\tself.d = nn.Dense(2, prefix='d_')\r\n")
    path = tmp_path / "net.py"
    path.write_bytes(before)
    assert main([str(path), "--target", "dual", "--no-progress", "--jobs", "1"]) == 0
    assert path.read_bytes() == (
        b"\xef\xbb\xbffrom mxnet.gluon import nn\r\nfrom gluonbridge import compat\r\n"
        b"class N(nn.HybridBlock):\r\n"
        b"\tdef __init__(self):\r\n\t\tsuper().__init__()\r\n"
        b"\t\twith compat.name_scope(self):  # scope\r\n"
        b"\t\t\tself.d = nn.Dense(2, **compat.prefix_kw('d_'))\r\n")
