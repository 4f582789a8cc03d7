"""Properties of the codemod on generated Gluon-1.x-like modules.

Sources are assembled from the shapes real code has (see the corpus survey): name_scope blocks
(nested, with comments above, inside, as header or footer), layers with ``prefix=`` in one- or
multi-line calls, ``params.get`` creations, ``collect_params()`` chains and hybrid_forward
bodies with ``F`` ops. Whatever the mix: the result compiles, a second run changes nothing,
every comment survives, and with ``--unsafe`` no ``name_scope`` block is left.
"""
import collections

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gluonbridge.codemods.base import Options
from gluonbridge.codemods.engine import comments, migrate

COMMENTS = st.sampled_from(["# layers", "# TODO: tune", "# pylint: disable=x", "# ñ comment"])
PREFIXES = st.sampled_from(["''", "'fc_'", "'stage%d_' % i", "f'mlp_{i}_'", "prefix", "p + 'x_'"])
LAYERS = st.sampled_from(["nn.Dense(10{kw})", "nn.Conv2D(8, 3{kw})", "nn.HybridSequential({kw0})",
                          "nn.BatchNorm({kw0})"])


@st.composite
def layer_statement(draw, target):
    layer = draw(LAYERS)
    prefix = draw(st.one_of(st.none(), PREFIXES))
    keyword = f"prefix={prefix}" if prefix else ""
    text = layer.format(kw=f", {keyword}" if keyword else "", kw0=keyword)
    if keyword and draw(st.booleans()):         # multi-line call, maybe a comment on the kwarg
        comment = f"  {draw(COMMENTS)}" if draw(st.booleans()) else ""
        head, _, _ = text.partition(keyword)
        trailing = "," if draw(st.booleans()) else ""
        text = f"{head.rstrip(', ')}{',' if not head.endswith('(') else ''}{comment}\n" \
               f"    {keyword}{trailing})" if not head.endswith("(") else \
               f"{head}{comment}\n    {keyword}{trailing})"
    return f"{target} = {text}"


@st.composite
def block_body(draw, receiver, depth):
    lines = []
    for index in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            lines.append(draw(COMMENTS))
        choice = draw(st.integers(0, 5 if depth < 2 else 3))
        if choice <= 1:
            lines.extend(draw(layer_statement(f"self.l{depth}{index}")).splitlines())
        elif choice == 2:
            lines.append(f"self.w{index} = self.params.get('w{index}', shape=(2,))")
        elif choice == 3:
            lines.append(f"self.l{depth}{index}.collect_params().setattr('lr_mult', 2)")
        else:
            header = f"  {draw(COMMENTS)}" if draw(st.integers(0, 3)) == 0 else ""
            inner = draw(block_body(f"self.l{depth}{index}", depth + 1))
            lines.append(f"self.l{depth}{index} = nn.HybridSequential()")
            lines.append(f"with self.l{depth}{index}.name_scope():{header}")
            lines.extend("    " + line for line in inner)
            if draw(st.integers(0, 3)) == 0:
                lines.append("    " + draw(COMMENTS))      # footer comment
    return lines


@st.composite
def gluon_module(draw):
    body = draw(block_body("self", 1))
    init = ["def __init__(self, prefix=None, params=None, **kwargs):",
            "    super(Net, self).__init__(prefix=prefix, params=params)",
            "    with self.name_scope():"] + ["        " + line for line in body]
    forward = ["def hybrid_forward(self, F, x):",
               "    " + draw(st.sampled_from(["return F.relu(x)", "return F.concat(x, x, dim=1)",
                                              "return self.l10(x)", "return F.reshape(x, (0, -1))"]))]
    lines = ["from mxnet.gluon import nn", "", "", "class Net(nn.HybridBlock):"]
    lines += ["    " + line for line in init + [""] + forward]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines) + newline


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ALL = frozenset({"naming", "forward", "device"})


@SETTINGS
@given(gluon_module(), st.booleans())
def test_migration_compiles_is_idempotent_and_keeps_comments(source, unsafe):
    compile(source, "generated", "exec")
    options = Options(unsafe=unsafe, groups=ALL)
    once = migrate(source, options).code
    compile(once, "migrated", "exec")
    assert migrate(once, options).code == once
    assert collections.Counter(comments(once)) == collections.Counter(comments(source))


@SETTINGS
@given(gluon_module())
def test_unsafe_naming_migration_leaves_no_name_scope(source):
    once = migrate(source, Options(unsafe=True)).code
    assert "name_scope" not in once
    assert "prefix=" not in once.replace("prefix=None", "")


@SETTINGS
@given(gluon_module(), st.booleans())
def test_dual_migration_compiles_is_idempotent_and_keeps_the_scopes(source, unsafe):
    options = Options(unsafe=unsafe, groups=ALL, target="dual")
    once = migrate(source, options).code
    compile(once, "migrated", "exec")
    assert migrate(once, options).code == once
    assert not collections.Counter(comments(source)) - collections.Counter(comments(once))
    assert once.count("compat.name_scope(") == source.count(".name_scope()")
    assert "prefix=" not in once.replace("prefix=None", "")
