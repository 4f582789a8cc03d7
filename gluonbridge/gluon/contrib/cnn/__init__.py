"""``mxnet.gluon.contrib.cnn`` of MXNet 1.x: the deformable convolution layers (MXNet 2.0.0b1
has them in ``gluon.nn``, where gluonbridge defines them)."""
from ...nn.deformable_layers import DeformableConvolution, ModulatedDeformableConvolution

__all__ = ["DeformableConvolution", "ModulatedDeformableConvolution"]
