"""Atomic output: write to a temporary file (or directory) in the target's directory, fsync,
then rename.

A crash (even SIGKILL) at any point leaves either no file or the complete old file under the
target name, never a partial one; at worst a ``.<name>.gb-tmp-*`` file or directory (or a
``.<name>.gb-old-*`` directory being removed) remains beside it.
"""
from __future__ import annotations

import contextlib
import functools
import os
import secrets
import shutil
import sys
import threading

#: How often the writeback thread asks the kernel to start writing what has been written.
WRITEBACK_INTERVAL_S = 0.02
SYNC_FILE_RANGE_WRITE = 2       # <linux/fs.h>: start writeback of the range, do not wait
_TEMPORARY_NAME_ATTEMPTS = 100  # as tempfile.mkstemp tries


@contextlib.contextmanager
def atomic_output(path, force: bool = False, permissions: int | None = None):
    """Yield a raw (unbuffered) binary file; on success it replaces ``path`` atomically.

    Without ``force`` an existing ``path`` is refused with :class:`OutputExistsError`.
    ``permissions`` (e.g. the mode of the file being replaced) defaults to what ``open()``
    gives a new file: 0o666 minus the umask, which the system applies as the file is created
    (the process umask is never read or changed: that would race with other threads).
    """
    from .checkpoint.errors import OutputExistsError   # lazy: checkpoint imports this module
    path = os.fspath(path)
    if os.path.exists(path) and not force:
        raise OutputExistsError(path, None, "no existing file", "one",
                                "pass --force (force=True) to overwrite it")
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = _create_temporary(directory, os.path.basename(path))
    try:
        with os.fdopen(fd, "wb", buffering=0) as out:
            if permissions is not None:
                os.chmod(tmp, permissions)      # os.fchmod is POSIX-only (Windows: from 3.13)
            with _writeback(out.fileno()):
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
    _fsync_directory(directory)


@contextlib.contextmanager
def atomic_directory(path):
    """Yield the name of a new empty temporary directory beside ``path``, for a library that
    writes files by name (onnxruntime's optimized model and its weights); on success every file
    in it is fsynced and it replaces ``path`` as a whole, an existing one included (moved aside,
    then removed). Of concurrent writers, one wins and the others' directories are removed:
    a reader finds either a complete directory or none."""
    path = os.fspath(path)
    parent = os.path.dirname(os.path.abspath(path))
    name = os.path.basename(path)
    tmp = _create_temporary_directory(parent, name)
    try:
        yield tmp
        for item in os.listdir(tmp):
            fd = os.open(os.path.join(tmp, item), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_directory(tmp)
        if os.path.exists(path):
            old = os.path.join(parent, f".{name}.gb-old-{secrets.token_hex(4)}")
            with contextlib.suppress(OSError):     # gone meanwhile: another writer moved it
                os.rename(path, old)
                shutil.rmtree(old, ignore_errors=True)
        try:
            os.rename(tmp, path)
        except OSError:                 # a concurrent writer's complete directory is there
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _fsync_directory(parent)


def _fsync_directory(directory: str) -> None:
    """Make a rename in ``directory`` durable (where directories can be opened)."""
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _create_temporary(directory: str, name: str) -> tuple:
    """(fd, path) of a new file ``.<name>.gb-tmp-<random>`` in ``directory``, created as
    ``open()`` creates files (mode 0o666 minus the umask), exclusively; not inherited by
    child processes (as every ``os.open`` file)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)   # Windows: bytes as they are
    for _ in range(_TEMPORARY_NAME_ATTEMPTS):
        tmp = os.path.join(directory, f".{name}.gb-tmp-{secrets.token_hex(4)}")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{directory}: no free name for a temporary .{name}.gb-tmp-* file")


def _create_temporary_directory(directory: str, name: str) -> str:
    """The path of a new empty directory ``.<name>.gb-tmp-<random>`` in ``directory``."""
    for _ in range(_TEMPORARY_NAME_ATTEMPTS):
        tmp = os.path.join(directory, f".{name}.gb-tmp-{secrets.token_hex(4)}")
        try:
            os.mkdir(tmp)
            return tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{directory}: no free name for a temporary .{name}.gb-tmp-* "
                          "directory")


@contextlib.contextmanager
def _writeback(fd: int):
    """While the body writes, keep the kernel writing the file's dirty pages to disk (Linux
    ``sync_file_range(SYNC_FILE_RANGE_WRITE)``, which starts writeback and does not wait), so
    that the closing fsync finds little left to do: a durable write then costs about what the
    copy costs, instead of the copy plus a whole-file flush. Elsewhere: nothing."""
    start = _sync_file_range()
    if start is None:
        yield
        return
    stop = threading.Event()

    def loop():
        done = 0
        while not stop.wait(WRITEBACK_INTERVAL_S):
            written = os.fstat(fd).st_size     # writers append, or pwrite pieces in order
            if written > done:
                start(fd, done, written - done, SYNC_FILE_RANGE_WRITE)
                done = written

    worker = threading.Thread(target=loop, name="gluonbridge-writeback", daemon=True)
    worker.start()
    try:
        yield
    finally:
        stop.set()
        worker.join()


@functools.lru_cache(maxsize=None)
def _sync_file_range():
    """libc's ``sync_file_range`` through ctypes (not in :mod:`os`), or None off Linux."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes
        function = ctypes.CDLL(None, use_errno=True).sync_file_range
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
    return function
