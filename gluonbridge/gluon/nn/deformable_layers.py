"""Deformable convolution layers: ``gluon.contrib.cnn`` of MXNet 1.9.1, ``gluon.nn`` of 2.0.0b1
(:mod:`gluonbridge.gluon.contrib.cnn` exposes them under the 1.x name).

A layer holds the convolution computing its offsets (``offset_weight``, ``offset_bias``; run with
``num_group=groups``) and the deformable convolution's ``deformable_conv_weight`` and
``deformable_conv_bias``; v2 (modulated) splits the offset convolution's output into the offsets
and a mask, ``2 * sigmoid``. The shapes before the first forward pass follow the MXNet mirrored:

* 1.9.1 infers the offset weight as a Convolution with ``in_channels`` would (refusing channel
  counts ``groups`` does not divide, as it does), but leaves ``deformable_conv_weight``
  ``[channels, 0, kh, kw]`` whatever ``in_channels`` and the layout — a list, which its
  exports print as one;
* 2.0.0b1 leaves the input-channel dimension of both weights unknown and gives them
  ``channels // groups * groups`` output channels.

2.0.0b1's ModulatedDeformableConvolution cannot run (its forward calls ``npx.slice_axis``, which
2.0.0b1 lacks): gluonbridge computes it as 1.9.1 does in both modes, and a structural-mode export
refuses its ``slice_axis`` node (there is no 2.0.0b1 graph to reproduce).
"""
from __future__ import annotations

from numbers import Number

from ...base import MXNetError
from ..block import HybridBlock
from .activations import activation_child
from .conv_layers import conv_repr


def _given(value, n):
    """A number repeated ``n`` times; a tuple or list kept as given (MXNet keeps a list)."""
    return (value,) * n if isinstance(value, Number) else value


class _DeformableBase(HybridBlock):
    """What both layers share: the arguments, the two op keyword sets, the parameters and
    the repr's form."""

    def _init_layer(self, channels, kernel_size, strides, padding, dilation, groups,
                    num_deformable_group, layout, use_bias, in_channels, activation,
                    weight_initializer, bias_initializer, offset_weight_initializer,
                    offset_bias_initializer, offset_use_bias, op_name, adj, offset_taps,
                    kwargs):
        super().__init__(**kwargs)
        with self._own_scope():
            self._channels = channels
            self._in_channels = in_channels
            if layout not in ("NCHW", "NHWC"):
                raise AssertionError("Only supports 'NCHW' and 'NHWC' layout for now")
            kernel_size = _given(kernel_size, 2)
            n = len(kernel_size)
            strides, padding, dilation = (_given(v, n) for v in (strides, padding, dilation))
            self._op_name = op_name
            offset_channels = offset_taps * kernel_size[0] * kernel_size[1] * num_deformable_group
            self._kwargs_offset = {
                "kernel": kernel_size, "stride": strides, "dilate": dilation, "pad": padding,
                "num_filter": offset_channels, "num_group": groups,
                "no_bias": not offset_use_bias, "layout": layout}
            self._kwargs_deformable_conv = {
                "kernel": kernel_size, "stride": strides, "dilate": dilation, "pad": padding,
                "num_filter": channels, "num_group": groups,
                "num_deformable_group": num_deformable_group, "no_bias": not use_bias,
                "layout": layout}
            if adj:
                self._kwargs_offset["adj"] = adj
                self._kwargs_deformable_conv["adj"] = adj
            offset_shape = self._offset_weight_shape(in_channels)
            offset = [("offset_weight", offset_shape, offset_weight_initializer)]
            if offset_use_bias:
                offset.append(("offset_bias", (offset_channels,), offset_bias_initializer))
            deformable = [("deformable_conv_weight", self._deformable_weight_shape(),
                           weight_initializer)]
            if use_bias:
                deformable.append(("deformable_conv_bias", (channels,), bias_initializer))
            for name, shape, init in self._parameter_order(offset, deformable):
                setattr(self, name, self._new_param(name, shape=shape, init=init,
                                                    allow_deferred_init=True))
            if not offset_use_bias:
                self.offset_bias = None
            if not use_bias:
                self.deformable_conv_bias = None
            self.act = activation_child(self, activation)

    @staticmethod
    def _parameter_order(offset, deformable):
        return offset + deformable

    def _mx2_weight_shape(self, filters):
        """2.0.0b1's ``pre_infer_weight``: input channels unknown, the filters rounded down to
        a multiple of ``groups``."""
        layout, kernel = self._kwargs_offset["layout"], self._kwargs_offset["kernel"]
        groups = self._kwargs_offset["num_group"]
        shape = [0] * (len(kernel) + 2)
        shape[layout.find("N")] = filters // groups
        shape[layout.find("H")], shape[layout.find("W")] = kernel[0], kernel[1]
        shape[0] *= groups
        return tuple(shape)

    def _offset_weight_shape(self, in_channels):
        """The offset convolution's weight: as 1.9.1's Convolution infers it from
        ``in_channels`` (0 when unknown), or as 2.0.0b1 pre-infers it."""
        k = self._kwargs_offset
        if not self._naming.api.has_prefixes:
            return self._mx2_weight_shape(k["num_filter"])
        groups, filters = k["num_group"], k["num_filter"]
        where = f"Error in operator {self.prefix}convolution0"
        if in_channels % groups:
            raise MXNetError(f"{where}: input num_filter must divide group size (in_channels="
                             f"{in_channels}, groups={groups})")
        if filters % groups:
            raise MXNetError(f"{where}: output num_filter must divide group size (the "
                             f"{filters} offset channels, groups={groups})")
        layout = k["layout"]
        shape = [0] * (len(k["kernel"]) + 2)
        for axis, size in zip("HW", k["kernel"]):
            shape[layout.find(axis)] = size
        shape[layout.find("N")], shape[layout.find("C")] = filters, in_channels // groups
        return tuple(shape)

    def _deformable_weight_shape(self):
        kernel = self._kwargs_deformable_conv["kernel"]
        if not self._naming.api.has_prefixes:
            return self._mx2_weight_shape(self._channels)
        return [self._channels, 0, kernel[0], kernel[1]]

    def _offset(self, F, x, offset_weight, offset_bias):
        return F.Convolution(x, offset_weight, offset_bias, cudnn_off=True,
                             **self._kwargs_offset)

    def _activate(self, out):
        return self.act(out) if self.act else out


class DeformableConvolution(_DeformableBase):
    """2-D deformable convolution v1 (Dai et al., 2017): ``channels`` outputs sampled at the
    kernel taps moved by offsets that a convolution of the input computes (hint
    ``deformable_conv``). The arguments and defaults are MXNet's."""

    def __init__(self, channels, kernel_size=(1, 1), strides=(1, 1), padding=(0, 0),
                 dilation=(1, 1), groups=1, num_deformable_group=1, layout="NCHW",
                 use_bias=True, in_channels=0, activation=None, weight_initializer=None,
                 bias_initializer="zeros", offset_weight_initializer="zeros",
                 offset_bias_initializer="zeros", offset_use_bias=True,
                 op_name="DeformableConvolution", adj=None, **kwargs):
        self._init_layer(channels, kernel_size, strides, padding, dilation, groups,
                         num_deformable_group, layout, use_bias, in_channels, activation,
                         weight_initializer, bias_initializer, offset_weight_initializer,
                         offset_bias_initializer, offset_use_bias, op_name, adj, 2, kwargs)

    def _alias(self):
        return "deformable_conv"

    def hybrid_forward(self, F, x, offset_weight, deformable_conv_weight, offset_bias=None,
                       deformable_conv_bias=None):
        offset = self._offset(F, x, offset_weight, offset_bias)
        out = F.contrib.DeformableConvolution(
            data=x, offset=offset, weight=deformable_conv_weight, bias=deformable_conv_bias,
            name="fwd", **self._kwargs_deformable_conv)
        return self._activate(out)

    def __repr__(self):
        return conv_repr(self, self._kwargs_deformable_conv, self.deformable_conv_weight.shape,
                         self.deformable_conv_bias is not None)


class ModulatedDeformableConvolution(_DeformableBase):
    """2-D deformable convolution v2 (Zhu et al., 2018): v1 with each sample weighted by a
    mask, ``2 * sigmoid`` of the offset convolution's last third (hint
    ``modulated_deformable_conv``). Its parameters are made deformable-first, as in MXNet; it
    has MXNet's default Block repr."""

    def __init__(self, channels, kernel_size=(1, 1), strides=(1, 1), padding=(0, 0),
                 dilation=(1, 1), groups=1, num_deformable_group=1, layout="NCHW",
                 use_bias=True, in_channels=0, activation=None, weight_initializer=None,
                 bias_initializer="zeros", offset_weight_initializer="zeros",
                 offset_bias_initializer="zeros", offset_use_bias=True,
                 op_name="ModulatedDeformableConvolution", adj=None, **kwargs):
        self._init_layer(channels, kernel_size, strides, padding, dilation, groups,
                         num_deformable_group, layout, use_bias, in_channels, activation,
                         weight_initializer, bias_initializer, offset_weight_initializer,
                         offset_bias_initializer, offset_use_bias, op_name, adj, 3, kwargs)
        kernel = self._kwargs_offset["kernel"]
        self.offset_split_index = num_deformable_group * 2 * kernel[0] * kernel[1]

    @staticmethod
    def _parameter_order(offset, deformable):
        return deformable + offset

    def _alias(self):
        return "modulated_deformable_conv"

    def hybrid_forward(self, F, x, offset_weight, deformable_conv_weight, offset_bias=None,
                       deformable_conv_bias=None):
        offset = self._offset(F, x, offset_weight, offset_bias)
        offset_t = F.slice_axis(offset, axis=1, begin=0, end=self.offset_split_index)
        mask = F.slice_axis(offset, axis=1, begin=self.offset_split_index, end=None)
        mask = F.sigmoid(mask) * 2
        out = F.contrib.ModulatedDeformableConvolution(
            data=x, offset=offset_t, mask=mask, weight=deformable_conv_weight,
            bias=deformable_conv_bias, name="fwd", **self._kwargs_deformable_conv)
        return self._activate(out)
