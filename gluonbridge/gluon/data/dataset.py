"""Mirrors ``mxnet.gluon.data.dataset``: indexable datasets and their lazy views (transform,
filter, shard, take, sample)."""
import numpy as np

from ...base import without_mxnet

__all__ = ["Dataset", "SimpleDataset", "ArrayDataset", "RecordFileDataset"]


class Dataset:
    """Base class: ``__getitem__`` and ``__len__``."""

    def __getitem__(self, idx):
        raise NotImplementedError

    def __len__(self):
        raise NotImplementedError

    def filter(self, fn):
        """The samples for which ``fn(sample)`` is true."""
        from .sampler import FilterSampler
        return _SampledDataset(self, FilterSampler(fn, self))

    def shard(self, num_shards, index):
        """Shard ``index`` of ``num_shards`` contiguous shards (the first ones one longer)."""
        if not (index < num_shards):
            raise AssertionError(f"Shard index of out bound: {index} out of {num_shards}")
        if not (num_shards > 0):
            raise AssertionError("Number of shards must be greater than 0")
        if not (index >= 0):
            raise AssertionError("Index must be non-negative")
        size, rest = divmod(len(self), num_shards)
        start = size * index + min(index, rest)
        from .sampler import SequentialSampler
        return _SampledDataset(self, SequentialSampler(size + (index < rest), start))

    def take(self, count):
        """The first ``count`` samples (all if None or too many)."""
        from .sampler import SequentialSampler
        count = len(self) if count is None or count > len(self) else count
        return _SampledDataset(self, SequentialSampler(count))

    def sample(self, sampler):
        """The samples at the indices ``sampler`` yields."""
        from .sampler import Sampler
        if not isinstance(sampler, Sampler):
            raise TypeError(f"Invalid sampler type: {type(sampler)}. Expected gluon.data.Sampler "
                            "instead.")
        return _SampledDataset(self, sampler)

    def transform(self, fn, lazy=True):
        """``fn`` applied to every sample (tuples are unpacked into arguments)."""
        transformed = _LazyTransformDataset(self, fn)
        return transformed if lazy else SimpleDataset(list(transformed))

    def transform_first(self, fn, lazy=True):
        """``fn`` applied to the first element of every sample."""
        return self.transform(_TransformFirst(fn), lazy)


class SimpleDataset(Dataset):
    """A dataset over any indexable sequence."""

    def __init__(self, data):
        self._data = data

    def __len__(self):
        return len(self._data)

    def __getitem__(self, idx):
        return self._data[idx]


class _LazyTransformDataset(Dataset):
    def __init__(self, data, fn):
        self._data, self._fn = data, fn

    def __len__(self):
        return len(self._data)

    def __getitem__(self, idx):
        item = self._data[idx]
        return self._fn(*item) if isinstance(item, tuple) else self._fn(item)


class _TransformFirst:
    def __init__(self, fn):
        self._fn = fn

    def __call__(self, x, *args):
        return (self._fn(x),) + args if args else self._fn(x)


class _SampledDataset(Dataset):
    def __init__(self, dataset, sampler):
        self._dataset, self._sampler = dataset, sampler
        self._indices = list(iter(sampler))

    def __len__(self):
        return len(self._sampler)

    def __getitem__(self, idx):
        return self._dataset[self._indices[idx]]


class ArrayDataset(Dataset):
    """Samples from several equally long arrays or lists, zipped (one array: its elements)."""

    def __init__(self, *args):
        if not (len(args) > 0):
            raise AssertionError("Needs at least 1 arrays")
        self._length = len(args[0])
        self._data = []
        for i, data in enumerate(args):
            if not (len(data) == self._length):
                raise AssertionError(
                    f"All arrays must have the same length; array[0] has length {self._length} "
                    f"while array[{i + 1}] has {len(data)}.")
            if isinstance(data, np.ndarray) and data.ndim == 1:
                data = np.asarray(data)   # elements become numpy scalars, as in MXNet
            self._data.append(data)

    def __getitem__(self, idx):
        if len(self._data) == 1:
            return self._data[0][idx]
        return tuple(data[idx] for data in self._data)

    def __len__(self):
        return self._length


class RecordFileDataset(Dataset):
    """RecordIO files need MXNet's reader: constructing one raises."""

    def __init__(self, filename):
        raise without_mxnet(f"RecordFileDataset({filename!r})",
                            "convert the records to image files or numpy arrays")
