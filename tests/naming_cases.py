"""The visible naming cases (copied from shared/corpus/naming/cases_src.py).

Each snippet must bind `models` (a list of Blocks) and may bind `extra` (a JSON-able dict).
`source` is MXNet 1.x code; `source_mx2` is the MXNet 2.x equivalent when `source` is not valid 2.x.
tests/test_naming_cases.py runs every snippet in the real MXNet oracles and in gluonbridge (with
`mxnet` replaced by `gluonbridge`) and compares what they describe. tests/data/naming_cases.json
holds the answers stored when the corpus was made; the test also checks the live oracle still
gives them.
"""
from textwrap import dedent


def D(text):
    return dedent(text).lstrip("\n")


CASES = [
dict(
    id="dense_toplevel",
    description="A single Dense created outside any name_scope: prefix from the global counter, hint 'dense'.",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        d = nn.Dense(10)
        models = [d]
        extra = {'weight_repr': repr(d.weight)}
    """),
),
dict(
    id="toplevel_counters_per_hint",
    description="Top-level counters are kept per hint: dense and conv count independently.",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        a = nn.Dense(4)
        b = nn.Dense(4)
        c = nn.Conv2D(8, 3)
        e = nn.Dense(2, in_units=3)
        f = nn.Conv2D(8, 3, in_channels=3)
        models = [a, b, c, e, f]
    """),
),
dict(
    id="layer_aliases",
    description="Hints used by built-in layers: conv, pool, activation type, lower-cased class name otherwise.",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        models = [
            nn.Conv2D(4, 3), nn.MaxPool2D(), nn.MaxPool2D(pool_size=3),
            nn.Activation('relu'), nn.Activation('relu'), nn.Activation('tanh'),
            nn.Dropout(0.5), nn.Flatten(), nn.BatchNorm(), nn.LayerNorm(),
            nn.Embedding(100, 8), nn.HybridSequential(), nn.Sequential(),
        ]
    """),
),
dict(
    id="hybridsequential_name_scope",
    description="Classic HybridSequential whose children are created inside its name_scope.",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        net = nn.HybridSequential()
        with net.name_scope():
            net.add(nn.Conv2D(16, 3), nn.BatchNorm(), nn.Activation('relu'), nn.MaxPool2D(),
                    nn.Flatten(), nn.Dense(32, activation='relu'), nn.Dropout(0.5), nn.Dense(10))
        models = [net]
    """),
    source_mx2=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        net = nn.HybridSequential()
        net.add(nn.Conv2D(16, 3), nn.BatchNorm(), nn.Activation('relu'), nn.MaxPool2D(),
                nn.Flatten(), nn.Dense(32, activation='relu'), nn.Dropout(0.5), nn.Dense(10))
        models = [net]
    """),
),
dict(
    id="sequential_children_outside_scope",
    description="Children created outside the container's name_scope keep top-level names; structural keys are still 0,1.",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        net = nn.Sequential()
        net.add(nn.Dense(8), nn.Dense(4))
        models = [net]
    """),
),
dict(
    id="empty_prefix_toplevel_sequential",
    description="HybridSequential(prefix=''): its name_scope is a no-op, children get global names.",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        net = nn.HybridSequential(prefix='')
        with net.name_scope():
            net.add(nn.Dense(8), nn.BatchNorm(), nn.Dense(4))
        other = nn.Dense(2)
        models = [net, other]
    """),
    source_mx2=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        net = nn.HybridSequential()
        net.add(nn.Dense(8), nn.BatchNorm(), nn.Dense(4))
        other = nn.Dense(2)
        models = [net, other]
    """),
),
dict(
    id="explicit_prefix_toplevel",
    description="Explicit top-level prefixes are used verbatim (no '_' added) and do not advance counters.",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        a = nn.Dense(4, prefix='fc_')
        b = nn.Dense(4, prefix='fc')
        c = nn.Dense(4)
        body = nn.HybridSequential(prefix='body_')
        with body.name_scope():
            body.add(nn.Dense(3))
        models = [a, b, c, body]
    """),
    source_mx2=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        a = nn.Dense(4)
        b = nn.Dense(4)
        c = nn.Dense(4)
        body = nn.HybridSequential()
        body.add(nn.Dense(3))
        errors = {}
        for label, make in [('dense_prefix', lambda: nn.Dense(4, prefix='fc_')),
                            ('seq_prefix', lambda: nn.HybridSequential(prefix='')),
                            ('dense_params', lambda: nn.Dense(4, params=a.collect_params()))]:
            try:
                make()
                errors[label] = None
            except Exception as e:
                errors[label] = [type(e).__name__, str(e)]
        models = [a, b, c, body]
        extra = {'errors': errors, 'has_name_scope': hasattr(a, 'name_scope'),
                 'has_prefix': hasattr(a, 'prefix'), 'has_name': hasattr(a, 'name')}
    """),
),
dict(
    id="explicit_prefix_in_scope",
    description="Inside a name_scope an explicit prefix is appended to the parent prefix and does not consume the counter.",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        net = nn.HybridSequential(prefix='net_')
        with net.name_scope():
            net.add(nn.Dense(4, prefix='fc_'))
            net.add(nn.Dense(4))
            net.add(nn.Dense(4, prefix='out'))
            net.add(nn.Dense(4))
        models = [net]
    """),
    source_mx2=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        net = nn.HybridSequential()
        net.add(nn.Dense(4), nn.Dense(4), nn.Dense(4), nn.Dense(4))
        models = [net]
    """),
),
dict(
    id="custom_block_name_scope",
    description="Custom HybridBlock using name_scope: hint is the lower-cased class name; keys are attribute names.",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        class LeNetLike(gluon.HybridBlock):
            def __init__(self, **kwargs):
                super(LeNetLike, self).__init__(**kwargs)
                with self.name_scope():
                    self.conv = nn.Conv2D(6, kernel_size=5)
                    self.bn = nn.BatchNorm()
                    self.pool = nn.MaxPool2D()
                    self.fc1 = nn.Dense(120, activation='relu')
                    self.fc2 = nn.Dense(10)
            def hybrid_forward(self, F, x):
                return self.fc2(self.fc1(self.pool(self.bn(self.conv(x)))))
        net = LeNetLike()
        models = [net]
        extra = {'repr': repr(net)}
    """),
    source_mx2=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        class LeNetLike(gluon.HybridBlock):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2D(6, kernel_size=5)
                self.bn = nn.BatchNorm()
                self.pool = nn.MaxPool2D()
                self.fc1 = nn.Dense(120, activation='relu')
                self.fc2 = nn.Dense(10)
            def forward(self, x):
                return self.fc2(self.fc1(self.pool(self.bn(self.conv(x)))))
        net = LeNetLike()
        models = [net]
        extra = {'repr': repr(net)}
    """),
),
dict(
    id="custom_block_without_name_scope",
    description="Children created in __init__ without name_scope get top-level names (global counters), two instances.",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        class Net(gluon.HybridBlock):
            def __init__(self, **kwargs):
                super(Net, self).__init__(**kwargs)
                self.hidden = nn.Dense(16)
                self.out = nn.Dense(2)
            def hybrid_forward(self, F, x):
                return self.out(self.hidden(x))
        models = [Net(), Net()]
    """),
    source_mx2=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        class Net(gluon.HybridBlock):
            def __init__(self):
                super().__init__()
                self.hidden = nn.Dense(16)
                self.out = nn.Dense(2)
            def forward(self, x):
                return self.out(self.hidden(x))
        models = [Net(), Net()]
    """),
),
dict(
    id="dense_with_activation_child",
    description="Dense(activation=...) creates an Activation child with explicit prefix '<act>_' inside the Dense scope.",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        net = nn.HybridSequential()
        with net.name_scope():
            net.add(nn.Dense(8, activation='relu'), nn.Dense(8, activation='tanh'), nn.Activation('relu'))
        solo = nn.Dense(3, activation='sigmoid')
        models = [net, solo]
    """),
    source_mx2=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        net = nn.HybridSequential()
        net.add(nn.Dense(8, activation='relu'), nn.Dense(8, activation='tanh'), nn.Activation('relu'))
        solo = nn.Dense(3, activation='sigmoid')
        models = [net, solo]
    """),
),
dict(
    id="batchnorm_aux_params",
    description="BatchNorm has four Parameters; running_mean/running_var have grad_req 'null' (aux states).",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        bn = nn.BatchNorm(in_channels=8)
        bn2 = nn.BatchNorm(scale=False, center=False)
        models = [bn, bn2]
    """),
),
dict(
    id="custom_params_get",
    description="Parameters created with params.get: name = params prefix + given name; structural key = attribute name.",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        class Scale(gluon.HybridBlock):
            def __init__(self, units, **kwargs):
                super(Scale, self).__init__(**kwargs)
                with self.name_scope():
                    self.weight = self.params.get('weight', shape=(units, units))
                    self.alpha = self.params.get('scale', shape=(1,), init='ones')
                    self.bias = self.params.get('bias', shape=(units,), grad_req='null')
            def hybrid_forward(self, F, x, weight, alpha, bias):
                return x
        models = [Scale(3), Scale(4, prefix='sc_')]
    """),
    source_mx2=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        class Scale(gluon.HybridBlock):
            def __init__(self, units):
                super().__init__()
                self.weight = gluon.Parameter('weight', shape=(units, units))
                self.alpha = gluon.Parameter('scale', shape=(1,), init='ones')
                self.bias = gluon.Parameter('bias', shape=(units,), grad_req='null')
            def forward(self, x):
                return x
        models = [Scale(3), Scale(4)]
    """),
),
dict(
    id="unregistered_and_raw_parameters",
    description="1.x: params.get without attribute -> in collect_params but not structural; a raw gluon.Parameter attribute -> structural only, unprefixed name.",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        class Odd(gluon.HybridBlock):
            def __init__(self, **kwargs):
                super(Odd, self).__init__(**kwargs)
                with self.name_scope():
                    self.params.get('hidden', shape=(2,))
                    self.raw = gluon.Parameter('raw', shape=(3,))
                    self.kept = self.params.get('kept', shape=(4,))
                    self.fc = nn.Dense(2)
            def hybrid_forward(self, F, x, raw, kept):
                return x
        m = Odd()
        models = [m]
        extra = {'own_params_keys': list(m.params.keys()), 'reg_params': sorted(m._reg_params.keys())}
    """),
    source_mx2=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        class Odd(gluon.HybridBlock):
            def __init__(self):
                super().__init__()
                self.raw = gluon.Parameter('raw', shape=(3,))
                self.kept = gluon.Parameter('kept', shape=(4,))
                self.fc = nn.Dense(2)
            def forward(self, x):
                return x
        m = Odd()
        models = [m]
        extra = {'own_params_keys': list(m.params.keys())}
    """),
),
dict(
    id="share_dense_params",
    description="params= sharing: the new block gets its own prefix but reuses the Parameters (names of the source).",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        d1 = nn.Dense(4, in_units=3)
        d2 = nn.Dense(4, in_units=3, params=d1.params)
        d3 = nn.Dense(4, in_units=3, params=d1.collect_params())
        models = [d1, d2, d3]
        extra = {'d2_shares': d2.weight is d1.weight and d2.bias is d1.bias,
                 'd3_shares': d3.weight is d1.weight and d3.bias is d1.bias,
                 'd2_params_prefix': d2.params.prefix}
    """),
    source_mx2=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        d1 = nn.Dense(4, in_units=3)
        d2 = nn.Dense(4, in_units=3)
        d2.share_parameters(d1.collect_params())
        d3 = nn.Dense(4, in_units=3)
        d3.weight = d1.weight
        d3.bias = d1.bias
        models = [d1, d2, d3]
        extra = {'d2_shares': d2.weight is d1.weight and d2.bias is d1.bias,
                 'd3_shares': d3.weight is d1.weight and d3.bias is d1.bias}
    """),
),
dict(
    id="share_whole_network",
    description="Sharing a whole network: params=n1.collect_params() makes every child resolve to n1's names.",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        def make(params=None):
            net = nn.HybridSequential(params=params)
            with net.name_scope():
                net.add(nn.Dense(5), nn.BatchNorm(), nn.Dense(2))
            return net
        n1 = make()
        n2 = make(params=n1.collect_params())
        models = [n1, n2]
        extra = {'all_shared': all(a is b for a, b in zip(n1.collect_params().values(), n2.collect_params().values()))}
    """),
    source_mx2=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        def make():
            net = nn.HybridSequential()
            net.add(nn.Dense(5), nn.BatchNorm(), nn.Dense(2))
            return net
        n1 = make()
        n2 = make().share_parameters(n1.collect_params())
        models = [n1, n2]
        extra = {'all_shared': all(a is b for a, b in zip(n1.collect_params().values(), n2.collect_params().values()))}
    """),
),
dict(
    id="shared_layer_in_sequential_save",
    description="A layer sharing another's params inside one net: structural keys list both; deduplicated save keeps the LAST key.",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        net = nn.HybridSequential()
        with net.name_scope():
            first = nn.Dense(8, in_units=4)
            shared = nn.Dense(8, in_units=8)
            net.add(first, shared, nn.Dense(8, in_units=8, params=shared.params), nn.Dense(2, in_units=8))
        models = [net]
    """),
    source_mx2=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        net = nn.HybridSequential()
        first = nn.Dense(8, in_units=4)
        shared = nn.Dense(8, in_units=8)
        tied = nn.Dense(8, in_units=8)
        tied.share_parameters(shared.collect_params())
        net.add(first, shared, tied, nn.Dense(2, in_units=8))
        models = [net]
    """),
    save=True,
),
dict(
    id="collect_params_select",
    description="collect_params(select): regex applied with re.match; 1.x against full Parameter names, 2.x against structural keys.",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        net = nn.HybridSequential()
        with net.name_scope():
            net.add(nn.Dense(4), nn.BatchNorm(), nn.Dense(2))
        sel = lambda pat: list(net.collect_params(pat).keys())
        models = [net]
        extra = {
            '.*weight': sel('.*weight'),
            'weight': sel('weight'),
            'hybridsequential0_dense1': sel('hybridsequential0_dense1'),
            '.*running_': sel('.*running_'),
            '.*gamma|.*beta': sel('.*gamma|.*beta'),
            'dense0_weight': sel('dense0_weight'),
            '0.weight': sel('0.weight'),
        }
    """),
    source_mx2=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        net = nn.HybridSequential()
        net.add(nn.Dense(4), nn.BatchNorm(), nn.Dense(2))
        sel = lambda pat: list(net.collect_params(pat).keys())
        models = [net]
        extra = {
            '.*weight': sel('.*weight'),
            'weight': sel('weight'),
            '2': sel('2'),
            '.*running_': sel('.*running_'),
            '.*gamma|.*beta': sel('.*gamma|.*beta'),
            '0.weight': sel('0.weight'),
            '0Xweight': sel('0Xweight'),
        }
    """),
),
dict(
    id="two_instances_custom",
    description="Two instances of the same custom model: top-level counter advances, child counters restart per instance.",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        class Tower(gluon.HybridBlock):
            def __init__(self, **kwargs):
                super(Tower, self).__init__(**kwargs)
                with self.name_scope():
                    self.body = nn.HybridSequential()
                    with self.body.name_scope():
                        self.body.add(nn.Conv2D(8, 3), nn.BatchNorm(), nn.Conv2D(8, 3))
                    self.head = nn.Dense(4)
            def hybrid_forward(self, F, x):
                return self.head(self.body(x))
        models = [Tower(), Tower()]
    """),
    source_mx2=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        class Tower(gluon.HybridBlock):
            def __init__(self):
                super().__init__()
                self.body = nn.HybridSequential()
                self.body.add(nn.Conv2D(8, 3), nn.BatchNorm(), nn.Conv2D(8, 3))
                self.head = nn.Dense(4)
            def forward(self, x):
                return self.head(self.body(x))
        models = [Tower(), Tower()]
    """),
),
dict(
    id="nested_custom_blocks",
    description="Nested custom blocks, one child with an explicit prefix.",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        class Inner(gluon.HybridBlock):
            def __init__(self, **kwargs):
                super(Inner, self).__init__(**kwargs)
                with self.name_scope():
                    self.conv = nn.Conv2D(4, 3)
                    self.bn = nn.BatchNorm()
            def hybrid_forward(self, F, x):
                return self.bn(self.conv(x))
        class Outer(gluon.HybridBlock):
            def __init__(self, **kwargs):
                super(Outer, self).__init__(**kwargs)
                with self.name_scope():
                    self.a = Inner()
                    self.b = Inner(prefix='special_')
                    self.c = Inner()
            def hybrid_forward(self, F, x):
                return self.c(self.b(self.a(x)))
        models = [Outer()]
    """),
    source_mx2=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        class Inner(gluon.HybridBlock):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2D(4, 3)
                self.bn = nn.BatchNorm()
            def forward(self, x):
                return self.bn(self.conv(x))
        class Outer(gluon.HybridBlock):
            def __init__(self):
                super().__init__()
                self.a = Inner()
                self.b = Inner()
                self.c = Inner()
            def forward(self, x):
                return self.c(self.b(self.a(x)))
        models = [Outer()]
    """),
),
dict(
    id="name_scope_reentry",
    description="Re-entering the same name_scope continues that block's counters.",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        net = nn.HybridSequential(prefix='net_')
        with net.name_scope():
            net.add(nn.Dense(2), nn.Dense(3))
        net.add(nn.Dense(9))
        with net.name_scope():
            net.add(nn.Dense(4), nn.BatchNorm())
        models = [net]
    """),
    source_mx2=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        net = nn.HybridSequential()
        net.add(nn.Dense(2), nn.Dense(3))
        net.add(nn.Dense(9))
        net.add(nn.Dense(4), nn.BatchNorm())
        models = [net]
    """),
),
dict(
    id="reassign_child_inside_scope",
    description="Replacing an attribute child inside the parent's name_scope: new child continues the parent's counter; key position kept.",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        class Net(gluon.HybridBlock):
            def __init__(self, **kwargs):
                super(Net, self).__init__(**kwargs)
                with self.name_scope():
                    self.features = nn.HybridSequential(prefix='')
                    with self.features.name_scope():
                        self.features.add(nn.Dense(16), nn.Dense(16))
                    self.output = nn.Dense(10)
            def hybrid_forward(self, F, x):
                return self.output(self.features(x))
        net = Net()
        with net.name_scope():
            net.output = nn.Dense(5)
        models = [net]
    """),
    source_mx2=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        class Net(gluon.HybridBlock):
            def __init__(self):
                super().__init__()
                self.features = nn.HybridSequential()
                self.features.add(nn.Dense(16), nn.Dense(16))
                self.output = nn.Dense(10)
            def forward(self, x):
                return self.output(self.features(x))
        net = Net()
        net.output = nn.Dense(5)
        models = [net]
    """),
),
dict(
    id="reassign_child_outside_scope",
    description="Replacing an attribute child outside any name_scope: new child gets a top-level name; type change is rejected.",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        class Net(gluon.HybridBlock):
            def __init__(self, **kwargs):
                super(Net, self).__init__(**kwargs)
                with self.name_scope():
                    self.features = nn.HybridSequential(prefix='')
                    with self.features.name_scope():
                        self.features.add(nn.Dense(16), nn.Dense(16))
                    self.output = nn.Dense(10)
            def hybrid_forward(self, F, x):
                return self.output(self.features(x))
        net = Net()
        net.output = nn.Dense(5)
        try:
            net.output = nn.Conv2D(3, 3)
            type_change = None
        except Exception as e:
            type_change = [type(e).__name__, str(e)]
        models = [net]
        extra = {'type_change': type_change}
    """),
    source_mx2=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        class Net(gluon.HybridBlock):
            def __init__(self):
                super().__init__()
                self.features = nn.HybridSequential()
                self.features.add(nn.Dense(16), nn.Dense(16))
                self.output = nn.Dense(10)
            def forward(self, x):
                return self.output(self.features(x))
        net = Net()
        net.output = nn.Dense(5)
        try:
            net.output = nn.Conv2D(3, 3)
            type_change = None
        except Exception as e:
            type_change = [type(e).__name__, str(e)]
        models = [net]
        extra = {'type_change': type_change}
    """),
),
dict(
    id="cross_scope_creation",
    description="The innermost entered name_scope wins, even if it belongs to an unrelated block.",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        a = nn.HybridSequential(prefix='a_')
        b = nn.HybridSequential(prefix='b_')
        with a.name_scope():
            with b.name_scope():
                x = nn.Dense(2)
            y = nn.Dense(2)
            z = nn.Dense(2)
        a.add(x, y)
        b.add(z)
        models = [a, b]
    """),
    source_mx2=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        a = nn.HybridSequential()
        b = nn.HybridSequential()
        x = nn.Dense(2)
        y = nn.Dense(2)
        z = nn.Dense(2)
        a.add(x, y)
        b.add(z)
        models = [a, b]
    """),
),
dict(
    id="name_vs_prefix",
    description="Block.name is the prefix with one trailing '_' removed (if present).",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        models = [nn.Dense(2, prefix='fc__'), nn.Dense(2, prefix='_'), nn.Dense(2, prefix='a_b'),
                  nn.Dense(2, prefix='x'), nn.Dense(2, prefix=''), nn.Dense(2)]
    """),
    source_mx2=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        models = [nn.Dense(2), nn.Dense(2), nn.Dense(2), nn.Dense(2), nn.Dense(2), nn.Dense(2)]
    """),
),
dict(
    id="thread_local_counters",
    description="1.x top-level counters are thread-local: a new thread starts again at 0.",
    source=D("""
        import threading
        from mxnet import gluon
        from mxnet.gluon import nn
        main_a = nn.Dense(2)
        made = []
        def work():
            made.append(nn.Dense(2))
            made.append(nn.Dense(2))
        t = threading.Thread(target=work)
        t.start(); t.join()
        main_b = nn.Dense(2)
        models = [main_a, made[0], made[1], main_b]
    """),
),
dict(
    id="zoo_squeezenet1_1",
    description="Model zoo SqueezeNet 1.1 (nested HybridSequential(prefix='') fire modules).",
    source=D("""
        from mxnet import gluon
        models = [gluon.model_zoo.vision.squeezenet1_1()]
    """),
),
dict(
    id="zoo_vgg11",
    description="Model zoo VGG-11 without batch norm; a second instance advances the top-level counter.",
    source=D("""
        from mxnet import gluon
        models = [gluon.model_zoo.vision.vgg11(), gluon.model_zoo.vision.vgg11()]
    """),
),
dict(
    id="save_export_load",
    description="save_parameters keys, export arg:/aux: names, and a structural-key mismatch on load.",
    source=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        net = nn.HybridSequential()
        with net.name_scope():
            net.add(nn.Dense(4, in_units=3), nn.BatchNorm(in_channels=4), nn.Dense(2, in_units=4))
        other = nn.HybridSequential()
        with other.name_scope():
            other.add(nn.Dense(4, in_units=3), nn.Dense(2, in_units=4))
        models = [net, other]
    """),
    source_mx2=D("""
        from mxnet import gluon
        from mxnet.gluon import nn
        net = nn.HybridSequential()
        net.add(nn.Dense(4, in_units=3), nn.BatchNorm(in_channels=4), nn.Dense(2, in_units=4))
        other = nn.HybridSequential()
        other.add(nn.Dense(4, in_units=3), nn.Dense(2, in_units=4))
        models = [net, other]
    """),
    save=True,
    export=dict(model=0, input_shape=[2, 3]),
    load=[[0, 1], [1, 0]],
),
]
