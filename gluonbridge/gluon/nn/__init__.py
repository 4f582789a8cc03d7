"""Neural-network layers (mirrors ``mxnet.gluon.nn``)."""
from ..block import Block, HybridBlock
from .activations import ELU, GELU, SELU, Activation, LeakyReLU, PReLU, Swish
from .basic_layers import (BatchNorm, Concatenate, Dense, Dropout, Embedding, Flatten,
                           HybridConcatenate, HybridLambda, HybridSequential, Identity, InstanceNorm,
                           Lambda,
                           LayerNorm, Sequential)
from .conv_layers import (AvgPool1D, AvgPool2D, AvgPool3D, Conv1D, Conv1DTranspose, Conv2D,
                          Conv2DTranspose, Conv3D, Conv3DTranspose, GlobalAvgPool1D,
                          GlobalAvgPool2D, GlobalAvgPool3D, GlobalMaxPool1D, GlobalMaxPool2D,
                          GlobalMaxPool3D, MaxPool1D, MaxPool2D, MaxPool3D)
from .deformable_layers import DeformableConvolution, ModulatedDeformableConvolution
