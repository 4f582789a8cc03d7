"""P1–P8: creating, sharing and looking up Parameters."""
from tests.codemod.helpers import assert_rewrites, assert_unchanged, warnings


def test_p1_params_get_becomes_parameter_using_existing_gluon_binding():
    assert_rewrites('''\
        from mxnet import gluon
        class B(gluon.HybridBlock):
            def __init__(self):
                super().__init__()
                self.g = self.params.get('g', shape=(1,), init=mx.init.One())
        ''', '''\
        from mxnet import gluon
        class B(gluon.HybridBlock):
            def __init__(self):
                super().__init__()
                self.g = gluon.Parameter('g', shape=(1,), init=mx.init.One())
        ''', "P1")


def test_p1_adds_an_import_when_nothing_binds_gluon():
    assert_rewrites('''\
        """Doc."""
        from mxnet.gluon import HybridBlock
        self.w = self.params.get('w', shape=(3,))
        ''', '''\
        """Doc."""
        from mxnet.gluon import HybridBlock
        from mxnet.gluon import Parameter
        self.w = Parameter('w', shape=(3,))
        ''', "P1")


def test_p1_spells_parameter_through_gluonbridge_in_a_module_that_imports_it():
    # the README's example model: MXNet 1.x code whose only change is `from gluonbridge import`
    assert_rewrites('''\
        from gluonbridge import gluon
        self.w = self.params.get('w', shape=(3,))
        ''', '''\
        from gluonbridge import gluon
        self.w = gluon.Parameter('w', shape=(3,))
        ''', "P1")
    assert_rewrites('''\
        from gluonbridge.gluon import nn
        self.w = self.params.get('w', shape=(3,))
        ''', '''\
        from gluonbridge.gluon import nn
        from gluonbridge.gluon import Parameter
        self.w = Parameter('w', shape=(3,))
        ''', "P1")


def test_p2_attribute_differs_from_name_and_p5_computed_name():
    # gluonts sndense.py:64; gluoncv yolo3.py:75-like computed names
    source = '''\
        import mxnet as mx
        self._weight = self.params.get("weight", shape=(units, in_units))
        self.anchor = self.params.get('anchor_%d' % i, shape=(2,))
        '''
    expected = '''\
        import mxnet as mx
        self._weight = mx.gluon.Parameter("weight", shape=(units, in_units))
        self.anchor = mx.gluon.Parameter('anchor_%d' % i, shape=(2,))
        '''
    assert_unchanged(source, "P1")
    assert_rewrites(source, expected.replace("mx.gluon.Parameter('anchor", "self.params.get('anchor"), "P2")
    assert_rewrites(source, expected, "P2", "P5")


def test_p3_get_constant_becomes_constant_of_the_value():
    # gluoncv yolo3.py:75
    assert_rewrites('''\
        import mxnet as mx
        self.anchors = self.params.get_constant('anchor_%d'%(index), anchors)
        self.offsets = self.params.get_constant('offsets', value=offsets)
        ''', '''\
        import mxnet as mx
        self.anchors = mx.gluon.Constant(anchors)
        self.offsets = mx.gluon.Constant(offsets)
        ''', "P3")


def test_p4_lookups_and_unbound_creations_warn():
    # gluoncv resnetv1b_pruned.py:34
    source = "layer.params.get(param_name)._shape = param_val.shape\nps.append(self.params.get('w'))\n"
    assert_unchanged(source, "P1", "P4")
    assert [w.rule for w in warnings(source, "P1", "P4")] == ["P4", "P4"]


def test_p6_params_none_is_dropped_safely_sharing_needs_unsafe():
    # gluonnlp transformer.py:922, gluonts deepstate _estimator.py:409
    source = '''\
        a = nn.Dense(8, params=None)
        b = nn.Dense(8, params=other.collect_params())
        s = SymbolBlock(outputs, inputs, params=params)
        q = QuantileReg(params=params)
        '''
    assert_rewrites(source, source.replace(", params=None", ""), "P6")
    assert [(w.line, w.severity) for w in warnings(source, "P6")] == [(2, "warning"), (4, "info")]
    assert_rewrites(source, source.replace(", params=None", "").replace(
        "nn.Dense(8, params=other.collect_params())",
        "nn.Dense(8).share_parameters(other.collect_params())"), "P6", unsafe=True)


def test_p7_parameter_dict_and_p8_deferred_shapes_warn():
    # gluonnlp language_model.py:115
    source = '''\
        shared_params = ParameterDict(shared_params.prefix)
        self.w = Parameter('w', shape=(units, 0), allow_deferred_init=True)
        '''
    assert_unchanged(source, "P7", "P8")
    assert [(w.rule, w.line) for w in warnings(source, "P7", "P8")] == [("P7", 1), ("P8", 2)]
    assert warnings("p = Parameter('w', allow_deferred_init=False)\n", "P8") == []


def test_p4_also_reports_creations_when_their_rewrite_is_switched_off():
    source = "self.w = self.params.get('w', shape=(2,))\n"
    assert warnings(source, "P1", "P2", "P5", "P4") == []
    assert [w.rule for w in warnings(source, "P4")] == ["P4"]
