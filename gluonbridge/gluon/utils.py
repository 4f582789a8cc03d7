"""Mirrors ``mxnet.gluon.utils``: data-parallel splitting, gradient-norm clipping, file checks
and hook handles — plus the repr indentation the Gluon-compatible classes share."""
import hashlib
import os
import weakref

import numpy as np

from ..device import check_runnable


def indent(text: str, num_spaces: int) -> str:
    """Indent every line but the first by ``num_spaces`` (how MXNet nests reprs)."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    return "\n".join([lines[0]] + [" " * num_spaces + line for line in lines[1:]])


def split_data(data, num_slice, batch_axis=0, even_split=True):
    """``num_slice`` slices of ``data`` along ``batch_axis`` (the first ones one longer when
    uneven); ValueError when ``even_split`` and the size does not divide."""
    size = data.shape[batch_axis]
    if even_split and size % num_slice != 0:
        raise ValueError(
            f"data with shape {data.shape} cannot be evenly split into {num_slice} slices along "
            f"axis {batch_axis}. Use a batch size that's multiple of {num_slice} or set "
            "even_split=False to allow uneven partitioning of data.")
    step, extra = divmod(size, num_slice)
    bounds = np.cumsum([0] + [step + 1] * extra + [step] * (num_slice - extra))
    index = [slice(None)] * data.ndim
    slices = []
    for start, stop in zip(bounds[:-1], bounds[1:]):
        index[batch_axis] = slice(int(start), int(stop))
        slices.append(data[tuple(index)])
    return slices


def split_and_load(data, ctx_list, batch_axis=0, even_split=True):
    """One slice of ``data`` per context in ``ctx_list`` (CPU contexts only: a GPU context
    raises)."""
    from ..ndarray import NDArray, array
    check_runnable(ctx_list, "split_and_load")
    data = data if isinstance(data, NDArray) else array(data)
    if len(ctx_list) == 1:
        return [data]
    return split_data(data, len(ctx_list), batch_axis, even_split)


def clip_global_norm(arrays, max_norm, check_isfinite=True):
    """Scale ``arrays`` in place so their joint 2-norm is at most ``max_norm``; returns the norm
    before scaling (a float, or a (1,)-shaped array when ``check_isfinite`` is False)."""
    import warnings
    if not (len(arrays) > 0):
        raise AssertionError()
    total = np.sqrt(sum(np.dot(a.reshape(-1), a.reshape(-1)) for a in arrays)).astype(
        arrays[0].dtype)
    if check_isfinite and not np.isfinite(total):
        warnings.warn(UserWarning("nan or inf is detected. Clipping results will be undefined."),
                      stacklevel=2)
    scale = min(max_norm / (total + 1e-8), 1.0)
    for a in arrays:
        a *= np.asarray(scale, dtype=a.dtype)
    return float(total) if check_isfinite else np.reshape(total, (1,))


def check_sha1(filename, sha1_hash):
    """Whether the file's SHA-1 starts with ``sha1_hash`` (MXNet compares prefixes of at most
    the given length)."""
    sha1 = hashlib.sha1()
    with open(filename, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            sha1.update(chunk)
    digest = sha1.hexdigest()
    length = min(len(digest), len(sha1_hash))
    return digest[:length] == sha1_hash[:length]


def download(url, path=None, overwrite=False, sha1_hash=None, retries=5, verify_ssl=True):
    """Refuses: gluonbridge never downloads. Fetch ``url`` yourself and pass the local file."""
    raise OSError(f"gluonbridge does not download files (offline by design): fetch {url} "
                  f"yourself{' to ' + str(path) if path else ''} and load it from disk")


def replace_file(src, dst):
    """Move ``src`` over ``dst`` atomically (``os.replace``)."""
    os.replace(src, dst)


_DEFAULT_REPO = "https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/"


def _get_repo_url():
    """The base URL of the Gluon model and dataset repository (``$MXNET_GLUON_REPO`` or MXNet's
    default), ending in '/'; libraries build file URLs from it (gluonbridge never fetches them)."""
    url = os.environ.get("MXNET_GLUON_REPO", _DEFAULT_REPO)
    return url if url.endswith("/") else url + "/"


def _get_repo_file_url(namespace, filename):
    """The repository URL of ``namespace/filename``."""
    return f"{_get_repo_url()}{namespace}/{filename}"


class HookHandle:
    """Returned by ``register_forward_hook``/``register_forward_pre_hook``: ``detach()`` (or
    leaving its ``with`` block) removes the hook."""

    def __init__(self):
        self._hooks_dict_ref = None
        self._id = None

    def attach(self, hooks_dict, hook):
        if self._hooks_dict_ref:
            raise AssertionError("The same handle cannot be attached twice.")
        self._id = id(hook)
        hooks_dict[self._id] = hook
        self._hooks_dict_ref = weakref.ref(hooks_dict)

    def detach(self):
        hooks = self._hooks_dict_ref() if self._hooks_dict_ref else None
        if hooks is not None and self._id in hooks:
            del hooks[self._id]

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.detach()
