"""N1–N3: name_scope blocks (inputs from the spec's examples and the corpus' tricky snippets)."""
from tests.codemod.helpers import assert_rewrites, assert_unchanged, warnings


def test_n1_unwraps_self_name_scope_keeping_comment_above():
    # gluonts n_beats/_network.py:134
    assert_rewrites('''\
        class B(HybridBlock):
            def __init__(self):
                super().__init__()
                # Only fc_stack defined concretely in this class
                with self.name_scope():
                    self.fc_stack = mx.gluon.nn.HybridSequential()
                    # inner comment
                    self.out = nn.Dense(2,
                                        in_units=3)
                self.x = 1
        ''', '''\
        class B(HybridBlock):
            def __init__(self):
                super().__init__()
                # Only fc_stack defined concretely in this class
                self.fc_stack = mx.gluon.nn.HybridSequential()
                # inner comment
                self.out = nn.Dense(2,
                                    in_units=3)
                self.x = 1
        ''', "N1")


def test_n1_comment_before_first_statement_and_nested_scope():
    # gluoncv icnet.py:59: N2 handles the inner `self.conv_sub1.name_scope()`
    assert_rewrites('''\
        def f(self):
            with self.name_scope():
                # large resolution branch
                self.conv_sub1 = nn.HybridSequential()
                with self.conv_sub1.name_scope():
                    self.conv_sub1.add(x)
        ''', '''\
        def f(self):
            # large resolution branch
            self.conv_sub1 = nn.HybridSequential()
            self.conv_sub1.add(x)
        ''', "N1", "N2")


def test_n1_header_and_footer_comments_need_unsafe():
    source = '''\
        def f(self):
            with self.name_scope():  # header
                self.a = 1
                # footer
            self.b = 2
        '''
    assert_unchanged(source, "N1", unsafe=False)
    [warning] = warnings(source, "N1")
    assert (warning.rule, warning.line, warning.column) == ("N1", 2, 5)
    assert "--unsafe" in warning.message
    assert_rewrites(source, '''\
        def f(self):
            # header
            self.a = 1
            # footer
            self.b = 2
        ''', "N1", unsafe=True)


def test_n1_footer_at_end_of_function_moves_to_enclosing_footer():
    assert_rewrites('''\
        def f(self):
            with self.name_scope():
                self.a = 1
                # footer
        x = 1
        ''', '''\
        def f(self):
            self.a = 1
            # footer
        x = 1
        ''', "N1", unsafe=True)


def test_n1_backslash_continuation_moves_left_with_its_statement():
    # gluoncv mobilenetv3.py:108 has backslash continuations in name_scope bodies
    assert_rewrites('''\
        def f(self):
            with self.name_scope():
                self.a = x + \\
                    y
        ''', '''\
        def f(self):
            self.a = x + \\
                y
        ''', "N1")


def test_n1_tabs_and_single_line_body():
    assert_rewrites("def f(self):\n\twith self.name_scope():\n\t\tself.a = 1\n\tx = 2\n",
                    "def f(self):\n\tself.a = 1\n\tx = 2\n", "N1")
    assert_rewrites("with self.name_scope(): self.a = 1\n", "self.a = 1\n", "N1")


def test_n1_noops():
    assert_unchanged("with self.other():\n    pass\n", "N1")
    assert_unchanged("with self.name_scope() as s:\n    pass\n", "N1")
    assert_unchanged("with self.name_scope(), open(f):\n    pass\n", "N1")
    assert_unchanged("with out.name_scope():\n    pass\n", "N1")   # N2's job


def test_n2_unwraps_local_receiver():
    # gluoncv densenet.py:31
    assert_rewrites('''\
        def _make_dense_block(num_layers, stage_index):
            out = nn.HybridSequential()
            with out.name_scope():
                for _ in range(num_layers):
                    out.add(_make_dense_layer())
            return out
        ''', '''\
        def _make_dense_block(num_layers, stage_index):
            out = nn.HybridSequential()
            for _ in range(num_layers):
                out.add(_make_dense_layer())
            return out
        ''', "N2")


def test_n2_noop_on_self():
    assert_unchanged("with self.name_scope():\n    pass\n", "N2")


def test_n3_drops_name_scope_item_and_warns_for_as_and_bare_calls():
    assert_rewrites("with self.name_scope(), open(f) as g:\n    pass\n",
                    "with open(f) as g:\n    pass\n", "N3")
    source = "with self.name_scope() as scope:\n    pass\nself.name_scope()\n"
    assert_unchanged(source, "N3")
    assert [(w.rule, w.line) for w in warnings(source, "N3")] == [("N3", 1), ("N3", 3)]
