"""Mirrors ``mxnet.gluon.data.DataLoader`` in a single process: batches are assembled in the
caller's thread whatever ``num_workers`` says (accepted for compatibility), with MXNet's batching
rules (arrays stacked, tuples batched element-wise, anything else through ``numpy.asarray``)."""
from multiprocessing.reduction import ForkingPickler  # noqa: F401 (imported from here by libraries)

import numpy as np

from ...base import without_mxnet
from ...device import check_runnable
from ...ndarray import NDArray
from . import sampler as _sampler

__all__ = ["DataLoader", "default_batchify_fn"]



def default_batchify_fn(data):
    """Stack a list of samples into a batch; a list of tuples gives a list of batches."""
    if isinstance(data[0], tuple):
        return [default_batchify_fn(list(column)) for column in zip(*data)]
    return np.asarray(data).view(NDArray)


default_mp_batchify_fn = default_batchify_fn


def _as_in_context(data, ctx):
    """``data`` (arrays, or lists/tuples of them) on ``ctx``: the CPU only, where it already is
    (lists and tuples come back as lists, as in MXNet)."""
    check_runnable(ctx, "DataLoader batches")
    if isinstance(data, (list, tuple)):
        return [_as_in_context(d, ctx) for d in data]
    return data


class DataLoader:
    """Batches of a Dataset: ``batch_size`` with ``shuffle``/``sampler``/``last_batch``
    (``keep``, ``discard``, ``rollover``), or a ``batch_sampler``; ``batchify_fn`` assembles a
    batch. ``num_workers``, ``pin_memory``, ``prefetch``, ``thread_pool`` and ``timeout`` are
    accepted and ignored (one process)."""

    def __init__(self, dataset, batch_size=None, shuffle=False, sampler=None, last_batch=None,
                 batch_sampler=None, batchify_fn=None, num_workers=0, pin_memory=False,
                 pin_device_id=0, prefetch=None, thread_pool=False, timeout=120):
        if not (timeout > 0):
            raise AssertionError(f"timeout must be positive, given {timeout}")
        self._dataset = dataset
        if batch_sampler is None:
            if batch_size is None:
                raise ValueError("batch_size must be specified unless batch_sampler is specified")
            if sampler is None:
                sampler = _sampler.RandomSampler(len(dataset)) if shuffle else \
                    _sampler.SequentialSampler(len(dataset))
            elif shuffle:
                raise ValueError("shuffle must not be specified if sampler is specified")
            batch_sampler = _sampler.BatchSampler(sampler, batch_size, last_batch or "keep")
        elif batch_size is not None or shuffle or sampler is not None or last_batch is not None:
            raise ValueError("batch_size, shuffle, sampler and last_batch must not be specified "
                             "if batch_sampler is specified.")
        self._batch_sampler = batch_sampler
        self._num_workers = 0   # subclasses (GluonCV's) then take their single-process path
        self._worker_pool = None
        self._batchify_fn = batchify_fn or default_batchify_fn

    def __iter__(self):
        for batch in self._batch_sampler:
            yield self._batchify_fn([self._dataset[idx] for idx in batch])

    def __len__(self):
        return len(self._batch_sampler)


class _MultiWorkerIter:
    """MXNet's worker-pool iterator, here so library subclasses import; gluonbridge's DataLoader
    never uses worker processes (``_num_workers`` is always 0), and constructing one raises."""

    def __init__(self, *args, **kwargs):
        raise without_mxnet("multi-process data loading (_MultiWorkerIter)",
                            "gluonbridge's DataLoader loads in one process: use num_workers=0")
