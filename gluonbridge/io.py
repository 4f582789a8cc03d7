"""``mx.io``: the batch and descriptor types the classic Module API takes, and the base class
of data iterators."""
from __future__ import annotations

from collections import namedtuple

import numpy as np


class DataDesc(namedtuple("DataDesc", ["name", "shape"])):
    """``DataDesc(name, shape, dtype=float32, layout='NCHW')``: one input's name and shape."""

    def __new__(cls, name, shape, dtype=np.float32, layout="NCHW"):
        desc = super().__new__(cls, name, tuple(shape))
        desc.dtype, desc.layout = dtype, layout
        return desc

    def __repr__(self):
        return f"DataDesc[{self.name},{self.shape},{self.dtype},{self.layout}]"


class DataBatch:
    """One batch: ``data`` (a list of arrays, one per data input), ``label`` (ignored at
    inference), and the descriptors MXNet carries along."""

    def __init__(self, data, label=None, pad=None, index=None, bucket_key=None,
                 provide_data=None, provide_label=None):
        if data is not None and not isinstance(data, (list, tuple)):
            raise TypeError("DataBatch: data must be a list of arrays (one per input)")
        self.data, self.label, self.pad, self.index = data, label, pad, index
        self.bucket_key = bucket_key
        self.provide_data, self.provide_label = provide_data, provide_label

    def __str__(self):
        shapes = [getattr(d, "shape", None) for d in self.data or []]
        return f"DataBatch: data shapes: {shapes}"


class DataIter:
    """The base class of MXNet's data iterators, for libraries that subclass it: ``next()``
    asks ``iter_next()`` to advance, then assembles a DataBatch from ``getdata()``,
    ``getlabel()``, ``getpad()`` and ``getindex()``, which subclasses override (the base ones
    give None, as MXNet's do); ``reset()`` does nothing."""

    def __init__(self, batch_size=0):
        self.batch_size = batch_size

    def __iter__(self):
        return self

    def __next__(self):
        return self.next()

    def next(self):
        if not self.iter_next():
            raise StopIteration
        return DataBatch(data=self.getdata(), label=self.getlabel(), pad=self.getpad(),
                         index=self.getindex())

    def reset(self):
        return None

    def iter_next(self):
        return None

    def getdata(self):
        return None

    def getlabel(self):
        return None

    def getindex(self):
        return None

    def getpad(self):
        return None
