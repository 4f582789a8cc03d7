"""N4–N8 and B1: prefix arguments, the helpers that carried them, and prefix reads."""
import textwrap

from tests.codemod.helpers import assert_rewrites, assert_unchanged, rewrite, warnings


def test_n4_drops_literal_and_formatted_prefixes_on_gluon_blocks():
    assert_rewrites('''\
        from mxnet.gluon import nn
        a = nn.Dense(10, prefix='fc_')
        b = nn.HybridSequential(prefix='stage%d_' % i)
        c = nn.Dense(
            units,
            prefix=f"mlp_{layer_no:#02d}'_",
        )
        ''', '''\
        from mxnet.gluon import nn
        a = nn.Dense(10)
        b = nn.HybridSequential()
        c = nn.Dense(
            units,
        )
        ''', "N4")


def test_n4_keeps_a_comment_on_the_dropped_argument_line():
    assert_rewrites('''\
        x = nn.Dense(10,
                     prefix='fc_',  # the classifier
                     in_units=5)
        ''', '''\
        x = nn.Dense(10,  # the classifier
                     in_units=5)
        ''', "N4")


def test_n4_project_block_subclass_is_a_block():
    assert_rewrites('''\
        class Tower(HybridBlock):
            pass
        t = Tower(3, prefix='t_')
        ''', '''\
        class Tower(HybridBlock):
            pass
        t = Tower(3)
        ''', "N4")


def test_n4_non_blocks_are_left_alone_silently():
    source = '''\
        import tempfile
        with tempfile.TemporaryDirectory(prefix='gb') as d:
            pass
        '''
    assert_unchanged(source, "N4")
    assert warnings(source, "N4") == []


def test_n4_unknown_callee_or_call_value_is_unsafe():
    # gluoncv cifarresnet.py: a class passed in a variable; gluoncv rcnn.py:206: prefix reuse
    source = '''\
        layer.add(block(channels, prefix=''))
        self.cls = nn.Dense(3, prefix=self.cls.prefix)
        '''
    assert_unchanged(source, "N4", unsafe=False)
    assert [w.line for w in warnings(source, "N4")] == [1, 2]
    assert_rewrites(source, '''\
        layer.add(block(channels))
        self.cls = nn.Dense(3)
        ''', "N4", unsafe=True)


def test_n5_removes_newly_unused_private_helper_parameter_and_arguments():
    # gluoncv densenet.py:31 and MXNet 1.9.1 inception.py `_make_A(pool_features, prefix)`
    before = '''\
        def _make_A(pool_features, prefix):
            out = HybridConcurrent(axis=1, prefix=prefix)
            return out
        def build():
            return [_make_A(32, 'A1_'), _make_A(64, prefix='A2_')]
        '''
    safe_only = rewrite(before, "N4", "N5")
    assert "def _make_A(pool_features, prefix):" in safe_only and "'A1_'" in safe_only
    assert "HybridConcurrent(axis=1)" in safe_only
    assert any(w.rule == "N5" and "unused" in w.message for w in warnings(before, "N4", "N5"))
    assert_rewrites(before, '''\
        def _make_A(pool_features):
            out = HybridConcurrent(axis=1)
            return out
        def build():
            return [_make_A(32), _make_A(64)]
        ''', "N4", "N5", unsafe=True)


def test_n5_private_method_called_through_self():
    assert_rewrites('''\
        class Net(HybridBlock):
            def _make_layer(self, channels, stage_index):
                return nn.HybridSequential(prefix='stage%d_' % stage_index)
            def build(self):
                return self._make_layer(64, i + 1)
        ''', '''\
        class Net(HybridBlock):
            def _make_layer(self, channels):
                return nn.HybridSequential()
            def build(self):
                return self._make_layer(64)
        ''', "N4", "N5", unsafe=True)


def test_n5_public_or_escaping_helpers_only_warn():
    source = '''\
        def make(prefix):
            return nn.Dense(1, prefix=prefix)
        '''
    assert rewrite(source, "N4", "N5", unsafe=True) == "def make(prefix):\n    return nn.Dense(1)\n"
    assert [w.rule for w in warnings(source, "N4", "N5", unsafe=True) if w.rule == "N5"] == ["N5"]


def test_n5_noop_for_parameters_unused_before_the_migration():
    assert_unchanged("def _f(a, unused):\n    return nn.Dense(a, prefix='x')\n", "N5")


def test_n6_block_init_prefix_params_signature():
    # gluonnlp attention_cell.py:332
    before = '''\
        class _NormalizedScoreProj(HybridBlock):
            def __init__(self, in_units, prefix=None, params=None):
                super(_NormalizedScoreProj, self).__init__(prefix=prefix, params=params)
        '''
    assert_rewrites(before, '''\
        class _NormalizedScoreProj(HybridBlock):
            def __init__(self, in_units, prefix=None, params=None):
                super(_NormalizedScoreProj, self).__init__()
        ''', "B1", "N6", unsafe=False)
    assert_rewrites(before, '''\
        class _NormalizedScoreProj(HybridBlock):
            def __init__(self, in_units):
                super(_NormalizedScoreProj, self).__init__()
        ''', "B1", "N6", unsafe=True)


def test_b1_positional_kwargs_lookups_and_symbolblock():
    # gluoncv darknet.py:82; SymbolBlock keeps params= in 2.x
    assert_rewrites('''\
        class DarknetV3(HybridBlock):
            def __init__(self, **kwargs):
                super(DarknetV3, self).__init__(kwargs.get('prefix', None), kwargs.get('params', None))
        class S(SymbolBlock):
            def __init__(self, o, i, params=None, prefix=None):
                super().__init__(o, i, params=params, prefix=prefix)
        class NotABlock(object):
            def __init__(self, prefix):
                super().__init__(prefix=prefix)
        ''', '''\
        class DarknetV3(HybridBlock):
            def __init__(self, **kwargs):
                super(DarknetV3, self).__init__()
        class S(SymbolBlock):
            def __init__(self, o, i, params=None, prefix=None):
                super().__init__(o, i, params=params)
        class NotABlock(object):
            def __init__(self, prefix):
                super().__init__(prefix=prefix)
        ''', "B1")


def test_b1_keeps_positional_arguments_of_user_base_classes():
    assert_unchanged('''\
        class Base(HybridBlock):
            pass
        class Child(Base):
            def __init__(self, units, **kwargs):
                super().__init__(units, **kwargs)
        ''', "B1")


def test_n7_kwargs_lookups_warn():
    # gluoncv quantized.py:90
    source = "kw.update({'prefix': sym_prefix})\np = kwargs['prefix']\nq = kwargs.get('params')\n"
    assert_unchanged(source, "N7")
    assert [w.line for w in warnings(source, "N7")] == [1, 2, 3]


def test_n8_prefix_reads_warn():
    # gluoncv ssd.py:321
    source = "prefix = self.class_predictors[i].prefix\nname = 'x'\n"
    assert_unchanged(source, "N8")
    assert [(w.rule, w.line, w.column) for w in warnings(source, "N8")] == [("N8", 1, 10)]


def test_n5_call_sites_before_the_definition_and_two_classes_with_the_same_helper():
    # MXNet 1.9.1 resnet.py: ResNetV1/ResNetV2 both call self._make_layer(…, i+1, in_channels=…)
    # from __init__, above the definition
    method = '''\
        class {name}(HybridBlock):
            def __init__(self):
                self.f = self._make_layer(block, 2, i+1, in_channels=3)
            def _make_layer(self, block, layers, stage_index, in_channels=0):
                return nn.HybridSequential(prefix='stage%d_' % stage_index)
        '''
    expected = '''\
        class {name}(HybridBlock):
            def __init__(self):
                self.f = self._make_layer(block, 2, in_channels=3)
            def _make_layer(self, block, layers, in_channels=0):
                return nn.HybridSequential()
        '''
    def both(template):
        return "".join(textwrap.dedent(template).format(name=name) for name in ("V1", "V2"))
    assert_rewrites(both(method), both(expected), "N4", "N5", unsafe=True)
