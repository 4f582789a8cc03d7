"""Mirrors ``mxnet.gluon.data``: datasets, samplers, a single-process DataLoader and the
numpy-implementable ``vision.transforms``."""
from . import vision  # noqa: F401
from .dataloader import DataLoader  # noqa: F401
from .dataset import ArrayDataset, Dataset, RecordFileDataset, SimpleDataset  # noqa: F401
from .sampler import (BatchSampler, FilterSampler, RandomSampler, Sampler,  # noqa: F401
                      SequentialSampler)
