"""A hypothesis strategy for random Gluon model-building programs, in MXNet 1.x and 2.x form.

A drawn :class:`Program` builds one to three model trees from nested HybridSequentials, custom
blocks (whose hints collide with built-in ones: ``ReLU``, ``Conv``, ``Block2D``), built-in layers,
parameters made with ``params.get``/``Parameter`` (registered, unregistered, raw), implicit,
explicit and empty prefixes, children created inside or outside ``name_scope``, ``params=``
sharing (``share_parameters`` in 2.x) and attribute reassignment. ``source_mx1`` is the MXNet 1.x
program, ``source_mx2`` the same model in MXNet 2 style (no prefixes or scopes). Both bind
``models``. Replace ``mxnet`` by ``gluonbridge`` to run them on gluonbridge.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from hypothesis import strategies as st

LEAVES = {
    "nn.Dense": ["3", "4, in_units=2", "2, activation='relu'", "5, use_bias=False"],
    "nn.Conv2D": ["4, 3", "8, 1, in_channels=2", "4, 3, activation='tanh'", "6, 3, groups=2"],
    "nn.Conv1D": ["4, 3, in_channels=2"],
    "nn.Conv2DTranspose": ["4, 3, in_channels=2"],
    "nn.BatchNorm": ["", "in_channels=4", "scale=False"],
    "nn.Activation": ["'relu'", "'tanh'"],
    "nn.MaxPool2D": [""],
    "nn.AvgPool2D": ["3, 2, 1"],
    "nn.Dropout": ["0.5"],
    "nn.Flatten": [""],
    "nn.LayerNorm": [""],
    "nn.Embedding": ["10, 4"],
    "nn.PReLU": [""],
}
CUSTOM_CLASSES = ("Cell", "ReLU", "Conv", "Block2D")
CHILD_ATTRS = ("a", "b", "c", "body", "head", "out")
PARAM_ATTRS = ("w", "v", "scale")
PARAM_LOCAL_NAMES = ("weight", "w", "hidden", "gamma")

_PREAMBLE = {
    "mx1": ["from mxnet import gluon", "from mxnet.gluon import nn"] + [
        line for cls in CUSTOM_CLASSES for line in (
            f"class {cls}(gluon.HybridBlock):",
            "    def __init__(self, **kwargs):",
            f"        super({cls}, self).__init__(**kwargs)")],
    "mx2": ["from mxnet import gluon", "from mxnet.gluon import nn"] + [
        line for cls in CUSTOM_CLASSES for line in (
            f"class {cls}(gluon.HybridBlock):",
            "    def __init__(self):",
            "        super().__init__()")],
}


@dataclass
class ParamSpec:
    attr: str
    local_name: str
    shape: Tuple[int, ...]
    kind: str  # 'registered' (params.get + attribute), 'unregistered' (1.x only), 'raw' (Parameter)


@dataclass
class Node:
    cls: str
    args: str = ""
    prefix: Optional[str] = None          # legacy only: None | '' | explicit
    scope: bool = True                    # legacy only: build children inside name_scope
    children: List[Tuple[Optional[str], "Node"]] = field(default_factory=list)
    params: List[ParamSpec] = field(default_factory=list)
    share_pick: Optional[int] = None      # leaves: share with an earlier identical leaf
    reassign: Optional[Tuple[int, bool]] = None  # (child index, inside scope)

    @property
    def is_leaf(self):
        return self.cls in LEAVES


@dataclass
class Program:
    roots: List[Node]
    source_mx1: str
    source_mx2: str


prefixes = st.sampled_from([None, None, None, None, "", "p_", "q"])


@st.composite
def leaves(draw):
    cls = draw(st.sampled_from(sorted(LEAVES)))
    return Node(cls, draw(st.sampled_from(LEAVES[cls])), prefix=draw(prefixes),
                share_pick=draw(st.none() | st.integers(0, 3)))


@st.composite
def param_specs(draw):
    attrs = draw(st.lists(st.sampled_from(PARAM_ATTRS), unique=True, max_size=2))
    return [ParamSpec(a, draw(st.sampled_from(PARAM_LOCAL_NAMES)),
                      draw(st.sampled_from([(2,), (3, 2)])),
                      draw(st.sampled_from(["registered", "registered", "unregistered", "raw"])))
            for a in attrs]


def containers(children):
    @st.composite
    def build(draw):
        custom = draw(st.booleans())
        kids = draw(st.lists(children, max_size=4))
        node = Node(draw(st.sampled_from(CUSTOM_CLASSES)) if custom else "nn.HybridSequential",
                    prefix=draw(prefixes), scope=draw(st.booleans()))
        if custom:
            attrs = draw(st.lists(st.sampled_from(CHILD_ATTRS), unique=True,
                                  min_size=len(kids), max_size=len(kids)))
            node.children = list(zip(attrs, kids))
            node.params = draw(param_specs())
            dense = [i for i, k in enumerate(kids) if k.cls == "nn.Dense"]
            if dense and draw(st.booleans()):
                node.reassign = (draw(st.sampled_from(dense)), draw(st.booleans()))
        else:
            node.children = [(None, k) for k in kids]
        return node
    return build()


trees = st.recursive(leaves(), containers, max_leaves=12)


class _Renderer:
    def __init__(self, version):
        self.version = version
        self.lines = list(_PREAMBLE[version])
        self.count = 0
        self.leaves_seen = []  # (var, cls, args)

    def new_var(self):
        self.count += 1
        return f"v{self.count}"

    def render(self, node, pad=""):
        var, mx1 = self.new_var(), self.version == "mx1"
        args = [node.args] if node.args else []
        source = None
        if node.is_leaf:
            same = [v for v, c, a in self.leaves_seen if (c, a) == (node.cls, node.args)]
            if node.share_pick is not None and same:
                source = same[node.share_pick % len(same)]
            self.leaves_seen.append((var, node.cls, node.args))
        if mx1 and node.prefix is not None:
            args.append(f"prefix={node.prefix!r}")
        if mx1 and source:
            args.append(f"params={source}.params")
        self.lines.append(f"{pad}{var} = {node.cls}({', '.join(args)})")
        if source and not mx1:
            self.lines.append(f"{pad}{var}.share_parameters({source}.collect_params())")
        body = pad
        if mx1 and node.scope and (node.children or node.params):
            self.lines.append(f"{pad}with {var}.name_scope():")
            body = pad + "    "
        for p in node.params:
            if p.kind == "raw" or not mx1:
                self.lines.append(f"{body}{var}.{p.attr} = gluon.Parameter({p.local_name!r}, "
                                  f"shape={p.shape})")
            elif p.kind == "registered":
                self.lines.append(f"{body}{var}.{p.attr} = {var}.params.get({p.local_name!r}, "
                                  f"shape={p.shape})")
            else:
                self.lines.append(f"{body}{var}.params.get({p.local_name!r}, shape={p.shape})")
        for attr, child in node.children:
            child_var = self.render(child, body)
            self.lines.append(f"{body}{var}.add({child_var})" if attr is None
                              else f"{body}{var}.{attr} = {child_var}")
        if node.reassign:
            index, in_scope = node.reassign
            attr, child = node.children[index]
            stmt = f"{var}.{attr} = {child.cls}({child.args})"
            if mx1 and in_scope:
                self.lines += [f"{pad}with {var}.name_scope():", f"{pad}    {stmt}"]
            else:
                self.lines.append(pad + stmt)
        return var


def render(roots, version):
    """The program that builds ``roots`` in MXNet ``version`` ('mx1' or 'mx2') style."""
    renderer = _Renderer(version)
    names = [renderer.render(root) for root in roots]
    renderer.lines.append(f"models = [{', '.join(names)}]")
    return "\n".join(renderer.lines) + "\n"


@st.composite
def programs(draw):
    roots = draw(st.lists(trees, min_size=1, max_size=3))
    return Program(roots, render(roots, "mx1"), render(roots, "mx2"))
