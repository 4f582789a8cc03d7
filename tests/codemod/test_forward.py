"""F1–F5 and B3 (opt-in group "forward"): hybrid_forward(self, F, …) -> forward(self, …)."""
from tests.codemod.helpers import assert_rewrites, assert_unchanged, warnings

FORWARD = ("B3", "F2", "F3", "F4", "F1")


def test_f1_renames_when_f_is_unused():
    assert_rewrites('''\
        class Net(HybridBlock):
            def hybrid_forward(self, F, x):
                return self.output(self.features(x))
        ''', '''\
        class Net(HybridBlock):
            def forward(self, x):
                return self.output(self.features(x))
        ''', "F1")


def test_f2_maps_mechanical_ops_and_adds_the_import():
    # MXNet 1.9.1 model_zoo/vision/mobilenet.py and resnet.py
    assert_rewrites('''\
        import numpy as onp
        class RELU6(HybridBlock):
            def hybrid_forward(self, F, x):
                act = F.npx.activation if is_np_array() else F.Activation
                y = F.concat(x, x, dim=2)
                return F.elemwise_add(F.clip(x, 0, 6, name="relu6"), F.concat(x, y))
        ''', '''\
        import numpy as onp
        from mxnet import np, npx
        class RELU6(HybridBlock):
            def forward(self, x):
                act = npx.activation if is_np_array() else npx.activation
                y = np.concatenate([x, x], axis=2)
                return (np.clip(x, 0, 6) + np.concatenate([x, y], axis=1))
        ''', *FORWARD)


def test_f2_uses_mx_np_when_np_is_numpy():
    assert_rewrites('''\
        import mxnet as mx
        import numpy as np
        class A(HybridBlock):
            def hybrid_forward(self, F, x):
                return F.relu(x)
        ''', '''\
        import mxnet as mx
        import numpy as np
        class A(HybridBlock):
            def forward(self, x):
                return mx.npx.relu(x)
        ''', *FORWARD)


def test_f2_uses_gluonbridge_np_in_a_module_that_imports_gluonbridge():
    assert_rewrites('''\
        import gluonbridge as mx
        import numpy as np
        class A(mx.gluon.HybridBlock):
            def hybrid_forward(self, F, x):
                return F.relu(x)
        ''', '''\
        import gluonbridge as mx
        import numpy as np
        class A(mx.gluon.HybridBlock):
            def forward(self, x):
                return mx.npx.relu(x)
        ''', *FORWARD)
    assert_rewrites('''\
        from gluonbridge import gluon
        class A(gluon.HybridBlock):
            def hybrid_forward(self, F, x):
                return F.relu(x)
        ''', '''\
        from gluonbridge import gluon
        from gluonbridge import npx
        class A(gluon.HybridBlock):
            def forward(self, x):
                return npx.relu(x)
        ''', *FORWARD)


def test_f3_injected_parameters_are_read_from_self():
    # gluonts sndense.py:92, gluoncv yolo3.py:137
    source = '''\
        class SN(HybridBlock):
            def __init__(self):
                super().__init__()
                self._weight = Parameter("weight", shape=(2, 2))
            def hybrid_forward(self, F, x, _weight):
                """Doc."""
                return F.dot(x, _weight)
        '''
    assert_unchanged(source, "F3", unsafe=False)
    assert_rewrites(source, '''\
        class SN(HybridBlock):
            def __init__(self):
                super().__init__()
                self._weight = Parameter("weight", shape=(2, 2))
            def hybrid_forward(self, F, x):
                """Doc."""
                _weight = self._weight.data(x.device)
                return F.dot(x, _weight)
        ''', "F3", unsafe=True)


def test_f4_other_uses_of_f_warn_and_block_the_rename():
    # gluonts lstnet/_network.py:155, helpers taking F
    source = '''\
        class A(HybridBlock):
            def hybrid_forward(self, F, x):
                if F is mx.ndarray:
                    pass
                return self._fn(F, F.reshape(x, (-1, 0)))
        '''
    assert_unchanged(source, *FORWARD)
    assert [(w.rule, w.line) for w in warnings(source, *FORWARD) if w.rule == "F4"] == [
        ("F4", 3), ("F4", 5), ("F4", 5)]


def test_b3_warns_once_per_file():
    source = '''\
        class A(HybridBlock):
            def hybrid_forward(self, F, x):
                return x
        class B(HybridBlock):
            def hybrid_forward(self, F, x):
                return x
        '''
    assert [w.rule for w in warnings(source, "B3")] == ["B3"]


def test_forward_rules_leave_plain_forward_alone():
    assert_unchanged("class A(Block):\n    def forward(self, x):\n        return F.relu(x)\n", *FORWARD)


def test_f5_deferred_shapes_need_infer_shape_in_forward_blocks():
    source = """\
        from mxnet.gluon import nn
        class Net(nn.HybridBlock):
            def __init__(self, units):
                super().__init__()
                self.w = self.params.get('w', shape=(units, 0))

            def hybrid_forward(self, F, x, w):
                return F.FullyConnected(x, w, no_bias=True, num_hidden=3)
        """
    assert [w.line for w in warnings(source, "F5")] == [7]
    with_infer_shape = source.replace(
        "    def hybrid_forward", "    def infer_shape(self, x, *args):\n"
        "                self.w.shape = (self.w.shape[0], x.shape[1])\n\n"
        "            def hybrid_forward")
    assert warnings(with_infer_shape, "F5") == []
