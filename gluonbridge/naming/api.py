"""Which MXNet API the Block system mirrors: one immutable value per version, behaviour as fields.

A naming policy carries one (``policy.api``): :data:`MX1` under legacy naming, :data:`MX2` under
structural naming. ``gluonbridge.compat`` describes a real MXNet installation with the same type
(:func:`for_version`). Code asks a field (``api.has_prefixes``), never compares version strings.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MXNetApi:
    """The behaviour that differs between MXNet 1.x and 2.x Gluon, as gluonbridge mirrors it."""

    #: ``"mx1"`` or ``"mx2"``; for messages and for :attr:`NamingPolicy.semantics`
    name: str
    #: the major version, 1 or 2
    major: int
    #: Blocks have ``prefix``/``name``/``name_scope``/``params=``/``save_params``, ParameterDict
    #: exists, Parameters carry full (renamable, required) names, layers create children in
    #: their own scope with ``prefix=``; in 2.x none of it exists and ``share_parameters`` does
    has_prefixes: bool
    #: a Block holds its children through weak references (2.x)
    weak_children: bool
    #: how an unknown dimension shows in ``Parameter.shape``: 0 (1.x) or -1 (2.x)
    unknown_dim: int
    #: dtypes reported as numpy scalar types (``numpy.float32``, 1.x NDArray) rather than as
    #: ``numpy.dtype`` objects (2.x ``mx.np``)
    scalar_type_dtypes: bool
    #: what ``save_parameters`` writes: ``"mxnet-binary"`` (1.x) or ``"npz"`` (2.x)
    checkpoint_format: str
    #: arrays follow NumPy semantics (``npx.is_np_array()``): 2.x
    numpy_arrays: bool
    #: a fresh convolution's weight shape leaves the input channels unknown even when
    #: ``in_channels`` is given (2.0.0b1), rather than filling them in (1.x)
    conv_shape_ignores_in_channels: bool
    #: transposed convolutions print ``out -> in`` (2.x) rather than ``in -> out``
    transposed_conv_repr_reversed: bool
    #: recurrent layers keep one flat ``rnn_param`` (2.x) rather than per-gate Parameters
    #: (``l0_i2h_weight``, 1.x)
    fused_rnn_param: bool

    def dtype(self, array_dtype):
        """How a Parameter or Constant made from an array of ``array_dtype`` reports its dtype."""
        import numpy as np      # not at import: the converter's start-up stays numpy-free
        dtype = np.dtype(array_dtype)
        return dtype.type if self.scalar_type_dtypes else dtype

    def __repr__(self) -> str:
        return f"<MXNetApi {self.name}>"


MX1 = MXNetApi(name="mx1", major=1, has_prefixes=True, weak_children=False, unknown_dim=0,
               scalar_type_dtypes=True, checkpoint_format="mxnet-binary", numpy_arrays=False,
               conv_shape_ignores_in_channels=False, transposed_conv_repr_reversed=False,
               fused_rnn_param=False)
MX2 = MXNetApi(name="mx2", major=2, has_prefixes=False, weak_children=True, unknown_dim=-1,
               scalar_type_dtypes=False, checkpoint_format="npz", numpy_arrays=True,
               conv_shape_ignores_in_channels=True, transposed_conv_repr_reversed=True,
               fused_rnn_param=True)


def for_version(version: str) -> MXNetApi:
    """The API of an MXNet release (``mxnet.__version__``, e.g. ``'1.9.1'``, ``'2.0.0b1'``)."""
    major = str(version).split(".", 1)[0]
    if major == "1":
        return MX1
    if major == "2":
        return MX2
    raise ValueError(f"MXNet {version!r}: gluonbridge knows the 1.x and 2.x Gluon APIs only")
