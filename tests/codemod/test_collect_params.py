"""D1–D6, N9–N11, S1–S5, S7: collect_params() helpers, selections, saving and loading."""
import textwrap

import pytest

from gluonbridge.codemods.base import Options
from gluonbridge.codemods.engine import migrate
from tests.codemod.helpers import assert_rewrites, assert_unchanged, rewrite, warnings


def test_d1_to_d4_move_helpers_to_the_block():
    # gluoncv icnet.py:59 (setattr lr_mult), model zoo getters (reset_ctx)
    assert_rewrites('''\
        net.collect_params().initialize(mx.init.Xavier(), ctx=ctx)
        self.conv_sub1.collect_params().setattr('lr_mult', lr_mult)
        net.collect_params().reset_ctx(ctx)
        net.collect_params().zero_grad()
        ''', '''\
        net.initialize(mx.init.Xavier(), ctx=ctx)
        self.conv_sub1.setattr('lr_mult', lr_mult)
        net.reset_device(ctx)
        net.zero_grad()
        ''', "D1", "D2", "D3", "D4")


def test_d_rules_leave_selections_and_trainer_alone():
    source = "trainer = Trainer(net.collect_params(), 'sgd')\nnet.collect_params('.*bias').setattr('lr_mult', 2)\n"
    assert_rewrites(source, source, "D1", "D2", "D3", "D4")


def test_d5_structural_selection_becomes_a_loop():
    assert_rewrites('''\
        def f(net):
            net.collect_params('.*beta|.*gamma|.*bias').setattr('wd_mult', 0.0)
            net.collect_params('.*weight').initialize(mx.init.Normal())
        ''', '''\
        def f(net):
            for _param in net.collect_params('.*beta|.*gamma|.*bias').values():
                setattr(_param, 'wd_mult', 0.0)
            for _param in net.collect_params('.*weight').values():
                _param.initialize(default_init=mx.init.Normal())
        ''', "D5")


def test_n11_name_dependent_selections_are_errors_and_n10_ones_are_quiet():
    # gluoncv faster_rcnn.py:486, predefined_models.py:54
    source = '''\
        self.net.collect_params('.*batchnorm.*').setattr('dtype', 'float32')
        net.collect_params(train_patterns).setattr('grad_req', 'null')
        net.collect_params('.*weight|.*bias').setattr('lr_mult', 1)
        '''
    found = warnings(source, "N11")
    assert [(w.line, w.column, w.severity) for w in found] == [(1, 1, "error"), (2, 1, "error")]
    assert "'.*batchnorm.*'" in found[0].message
    assert_unchanged(source, "N11")
    assert rewrite(source, "D5").splitlines()[:2] == textwrap.dedent(source).splitlines()[:2]


def test_n9_reads_of_prefixed_names_warn():
    # gluonts model_iteration_averaging.py:111, gluonnlp bert.py:119
    source = '''\
        w = model.collect_params()[name]
        ks = net.collect_params().keys()
        ret = {k: v for k, v in self._reg_params.items()}
        '''
    assert [w.line for w in warnings(source, "N9")] == [1, 2, 3]
    assert_unchanged(source, "N9")


def test_s1_to_s3_go_through_the_block_with_unsafe():
    # gluoncv quantized.py:112
    source = '''\
        net.collect_params().save(f)
        sym_net.collect_params().load(param_prefix, ctx)
        net.collect_params().load_dict(d, ctx=ctx)
        '''
    assert_unchanged(source, "S1", "S2", "S3", unsafe=False)
    assert [w.rule for w in warnings(source, "S1", "S2", "S3")] == ["S1", "S2", "S3"]
    assert_rewrites(source, '''\
        net.save_parameters(f)
        sym_net.load_parameters(param_prefix, device=ctx)
        net.load_dict(d, device=ctx)
        ''', "S1", "S2", "S3", unsafe=True)


def test_s2_restore_prefix_is_manual():
    # gluoncv alpha_pose/utils.py:31
    source = "self.collect_params().load(filename, ctx, allow_missing, ignore_extra, self.prefix)\n"
    assert_unchanged(source, "S2", unsafe=True)
    assert [w.severity for w in warnings(source, "S2", unsafe=True)] == ["warning"]


def test_s4_deprecated_names_and_s7_trainer_states():
    source = "net.load_params(param_file)\nnet.save_params(f)\ntrainer.load_states(f)\n"
    assert_rewrites(source, source.replace("_params(", "_parameters("), "S4", unsafe=True)
    assert [w.rule for w in warnings(source, "S4", "S7")] == ["S4", "S4", "S7"]
    assert_unchanged("net.save_parameters(f)\nnet.load_parameters(f, ctx=ctx)\n", "S1", "S2", "S4")


@pytest.mark.parametrize("target", ["mx2", "dual"])
def test_n10_s5_d6_unchanged_constructs_pass_every_rule_untouched(target):
    source = ("import mxnet as mx\nfrom mxnet import gluon\n"
              "selected = net.collect_params('.*weight|.*bias|.*gamma')\n"        # N10
              "net.load_parameters(f, ctx=ctx)\n"                                # S5
              "trainer = gluon.Trainer(net.collect_params(), 'sgd')\n")          # D6
    outcome = migrate(source, Options(unsafe=True, target=target))   # default groups
    assert outcome.code == source and outcome.findings == []
