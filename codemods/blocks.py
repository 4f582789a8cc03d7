"""Is a callee a Gluon Block? Known MXNet 1.x classes, plus the project's own Block subclasses."""
from __future__ import annotations

import re
from typing import Iterable, Optional

import libcst as cst

from .syntax import dotted

#: Gluon 1.x Block classes a user may construct (mxnet.gluon.{nn,rnn,contrib.nn,contrib.cnn,
#: model_zoo}).
GLUON_BLOCKS = frozenset("""
Block HybridBlock SymbolBlock Sequential HybridSequential Concurrent HybridConcurrent Identity
Concatenate HybridConcatenate
Dense Dropout BatchNorm SyncBatchNorm InstanceNorm LayerNorm GroupNorm Embedding Flatten Lambda
HybridLambda Activation LeakyReLU PReLU ELU SELU GELU Swish SiLU
Conv1D Conv2D Conv3D Conv1DTranspose Conv2DTranspose Conv3DTranspose
DeformableConvolution ModulatedDeformableConvolution
MaxPool1D MaxPool2D MaxPool3D AvgPool1D AvgPool2D AvgPool3D GlobalMaxPool1D GlobalMaxPool2D
GlobalMaxPool3D GlobalAvgPool1D GlobalAvgPool2D GlobalAvgPool3D ReflectionPad2D
RNN LSTM GRU RNNCell LSTMCell GRUCell SequentialRNNCell HybridSequentialRNNCell DropoutCell
ZoneoutCell ResidualCell BidirectionalCell RecurrentCell HybridRecurrentCell ModifierCell
Conv1DRNNCell Conv2DRNNCell Conv1DLSTMCell Conv2DLSTMCell Conv1DGRUCell Conv2DGRUCell
VariationalDropoutCell LSTMPCell PixelShuffle1D PixelShuffle2D PixelShuffle3D SparseEmbedding
Loss L1Loss L2Loss SoftmaxCrossEntropyLoss SigmoidBinaryCrossEntropyLoss KLDivLoss CTCLoss
HuberLoss HingeLoss SquaredHingeLoss LogisticLoss TripletLoss PoissonNLLLoss CosineEmbeddingLoss
""".split())

#: Names of namespaces under which capitalised attributes are Gluon Blocks (``nn.Dense``;
#: ``compat.HybridConcatenate``, an alias B2 writes for dual-version code).
GLUON_NAMESPACES = frozenset({"nn", "rnn", "gluon", "contrib", "model_zoo", "vision", "loss",
                              "compat"})

_CLASS = re.compile(r"^[ \t]*class[ \t]+(\w+)[ \t]*\(([^)]*)\)", re.MULTILINE)


def project_block_classes(sources: Iterable[str]) -> frozenset:
    """Classes, in any of ``sources``, whose bases reach a Gluon Block (by simple name)."""
    bases: dict = {}
    for source in sources:
        if "class" not in source:
            continue
        for name, base_list in _CLASS.findall(source):
            simple = {b.strip().split(".")[-1] for b in base_list.split(",") if b.strip()}
            bases.setdefault(name, set()).update(simple)
    blocks = set()
    changed = True
    while changed:
        changed = False
        for name, parents in bases.items():
            if name not in blocks and parents & (GLUON_BLOCKS | blocks):
                blocks.add(name)
                changed = True
    return frozenset(blocks)


def block_verdict(func: cst.BaseExpression, block_classes: frozenset,
                  imports: dict) -> Optional[bool]:
    """True: a Gluon Block; False: certainly not one; None: cannot tell (e.g. a class in a variable)."""
    name = dotted(func)
    if name is None:
        return None
    parts = name.split(".")
    last = parts[-1]
    if len(parts) == 1:
        if last in block_classes:
            return True
        if _foreign(imports.get(last)):
            return False
        return True if last in GLUON_BLOCKS else None
    if _foreign(imports.get(parts[0])) and parts[0] not in GLUON_NAMESPACES:
        return False
    if last in block_classes:
        return True
    if last in GLUON_BLOCKS and (set(parts[:-1]) & GLUON_NAMESPACES or parts[0] in ("mx", "mxnet")):
        return True
    return None


def _foreign(source: Optional[str]) -> bool:
    """Does an import path come from outside MXNet and outside the project (``tempfile``)?"""
    return (source is not None and not source.startswith(".")
            and "mxnet" not in source and "gluon" not in source)
