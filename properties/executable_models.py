"""A hypothesis strategy for random *runnable* models built from the nn layers.

A drawn :class:`ModelSpec` is data: a tree of layers whose shapes fit the input it declares (an
image batch ``(N, C, H, W)`` or a feature batch ``(N, F)``). :func:`build` turns it into a Block
under the active naming mode — HybridSequentials (nested), custom blocks holding attribute
children and a residual add, concatenations — so the same spec gives the same model in both
modes, each named its own way.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Tuple

from hypothesis import strategies as st

from gluonbridge import gluon
from gluonbridge.gluon import nn

IMAGE_LAYERS = [
    "nn.Conv2D({c}, 3, padding=1)", "nn.Conv2D({c}, 1, use_bias=False)",
    "nn.Conv2D({c}, 3, padding=1, activation='relu')", "nn.BatchNorm()",
    "nn.BatchNorm(scale=False)", "nn.Activation('relu')", "nn.Activation('tanh')",
    "nn.LeakyReLU(0.1)", "nn.PReLU()", "nn.MaxPool2D(3, 1, 1, ceil_mode=True)",
    "nn.AvgPool2D(3, 1, 1)", "nn.Dropout(0.5)", "nn.InstanceNorm()", "nn.Swish()",
]
VECTOR_LAYERS = [
    "nn.Dense({u})", "nn.Dense({u}, activation='sigmoid')", "nn.Dense({u}, use_bias=False)",
    "nn.BatchNorm()", "nn.LayerNorm()", "nn.ELU()", "nn.SELU()", "nn.GELU()",
    "nn.Activation('softrelu')", "nn.Dropout(0.2)",
]


@dataclass
class Layer:
    expr: str              # an nn constructor expression


@dataclass
class Residual:
    """A custom block: ``body`` (attribute child) applied and added to its input."""
    body: List[object]


@dataclass
class Concat:
    """Two branches on the same input, concatenated along the channel axis."""
    left: List[object]
    right: List[object]


@dataclass
class ModelSpec:
    input_shape: Tuple[int, ...]
    body: List[object]     # Layer | Residual | Concat | list (a nested HybridSequential)


def _items(kind, depth):
    """Items that keep the channel/feature count (so residuals and nesting always fit)."""
    layers = IMAGE_LAYERS if kind == "image" else VECTOR_LAYERS
    width = "{c}" if kind == "image" else "{u}"
    leaf = st.sampled_from(layers).map(lambda e: Layer(e.replace(width, "W")))
    if depth == 0:
        return leaf
    inner = st.lists(_items(kind, depth - 1), min_size=1, max_size=3)
    options = [leaf, leaf, inner, inner.map(Residual)]
    if kind == "image":
        options.append(st.tuples(inner, inner).map(lambda lr: Concat(*lr)))
    return st.one_of(options)


@st.composite
def model_specs(draw):
    kind = draw(st.sampled_from(["image", "vector"]))
    width = draw(st.integers(2, 4))
    shape = (2, width, 6, 6) if kind == "image" else (3, width)
    body = draw(st.lists(_items(kind, 2), min_size=1, max_size=4))
    return ModelSpec(shape, _fix_width(body, width))


def _fix_width(items, width):
    """Substitute the channel/feature count W; a Concat doubles it, so a 1x1 conv restores it."""
    out = []
    for item in items:
        if isinstance(item, Layer):
            out.append(Layer(item.expr.replace("W", str(width))))
        elif isinstance(item, Residual):
            out.append(Residual(_fix_width(item.body, width)))
        elif isinstance(item, Concat):
            out.append(Concat(_fix_width(item.left, width), _fix_width(item.right, width)))
            out.append(Layer(f"nn.Conv2D({width}, 1)"))
        else:
            out.append(_fix_width(item, width))
    return out


class ResidualBlock(gluon.HybridBlock):
    """``x + body(x)``, its body an attribute child (structural key ``body.<i>...``)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self._own_scope():
            self.body = nn.HybridSequential()

    def hybrid_forward(self, F, x):
        return x + self.body(x)


def _scoped(block):
    return block.name_scope() if block._naming.api.has_prefixes else _Nothing()


class _Nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _fill(container, items):
    with _scoped(container):
        for item in items:
            container.add(_make(item))


def _make(item):
    if isinstance(item, Layer):
        return eval(item.expr)
    if isinstance(item, Residual):
        block = ResidualBlock()
        _fill(block.body, item.body)
        return block
    if isinstance(item, Concat):
        cat = nn.HybridConcatenate(axis=1)
        with _scoped(cat):
            for branch in (item.left, item.right):
                seq = nn.HybridSequential()
                _fill(seq, branch)
                cat.add(seq)
        return cat
    seq = nn.HybridSequential()
    _fill(seq, item)
    return seq


def build(spec: ModelSpec):
    """The model of ``spec`` under the active naming mode."""
    net = nn.HybridSequential()
    _fill(net, spec.body)
    return net
