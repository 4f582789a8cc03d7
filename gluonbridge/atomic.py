"""Atomic output: write to a temporary file in the target's directory, fsync, then rename.

A crash (even SIGKILL) at any point leaves either no file or the complete old file under the
target name, never a partial one; at worst a ``.<name>.gb-tmp-*`` file remains beside it.
"""
from __future__ import annotations

import contextlib
import os
import tempfile



@contextlib.contextmanager
def atomic_output(path, force: bool = False, permissions: int | None = None):
    """Yield a raw (unbuffered) binary file; on success it replaces ``path`` atomically.

    Without ``force`` an existing ``path`` is refused with :class:`OutputExistsError`.
    ``permissions`` (e.g. the mode of the file being replaced) defaults to 0o666 minus umask.
    """
    from .checkpoint.errors import OutputExistsError   # lazy: checkpoint imports this module
    path = os.fspath(path)
    if os.path.exists(path) and not force:
        raise OutputExistsError(path, None, "no existing file", "one",
                                "pass --force (force=True) to overwrite it")
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.gb-tmp-", dir=directory)
    if permissions is None:
        umask = os.umask(0)
        os.umask(umask)
        permissions = 0o666 & ~umask
    os.fchmod(fd, permissions)
    try:
        with os.fdopen(fd, "wb", buffering=0) as out:
            yield out
            os.fsync(out.fileno())
        if not force and os.path.exists(path):
            raise OutputExistsError(path, None, "no existing file", "one (created meanwhile)",
                                    "pass --force (force=True) to overwrite it")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
