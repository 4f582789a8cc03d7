"""P9: per-gate recurrent parameter reads (MANUAL): warned, never rewritten."""
from tests.codemod.helpers import assert_unchanged, warnings


def test_r1_warns_on_per_gate_reads_by_name():
    source = '''\
        w = net.collect_params()['lstm0_l0_i2h_weight'].data()
        b = params['r1_h2h_bias']
        p = layer.l0_h2r_weight
        names = ["model_gru0_l2_i2h_weight"]
    '''
    found = warnings(source, "P9")
    assert [(f.rule, f.line) for f in found] == [("P9", 1), ("P9", 2), ("P9", 3), ("P9", 4)]
    assert all(f.severity == "warning" and "rnn_param" in f.message for f in found)
    assert_unchanged(source, "P9")


def test_r1_leaves_other_names_alone():
    source = '''\
        w = net.collect_params()['dense0_weight']
        cell = rnn.LSTMCell(8, prefix='l0_')
        x = self.i2h_weight
        s = 'i2h_weight'
        flat = net.lstm.rnn_param
    '''
    assert warnings(source, "P9") == []
