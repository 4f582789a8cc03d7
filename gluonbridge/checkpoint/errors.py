"""The ``CheckpointError`` family: every problem with a checkpoint file is one of these.

Each message names the file, where in it the problem is (a byte offset, a ZIP member, a key),
what was expected and what was found, and where possible how to fix it::

    model.params: byte 32: expected ndim between 0 and 64, found -1 (the file is corrupt or
    not an MXNet NDArray list file)

The parts of the location are also attributes, for programs (and tests) that act on them:
``path`` (the file, or ``"<memory>"``), ``offset`` (the byte offset from the start of the file,
or None), ``key`` (the array's key, where known) and ``member`` (the ZIP member of an ``.npz``).

The CLIs print ``str(error)`` as one line and exit with status 1.
"""
from __future__ import annotations


class CheckpointError(Exception):
    """A checkpoint file could not be read, written or translated."""

    def __init__(self, path, where: str | None, expected: str, found: str, hint: str = "", *,
                 offset: int | None = None, key: str | None = None, member: str | None = None):
        self.path = str(path) if path is not None else "<memory>"
        self.where = where
        self.expected = expected
        self.found = found
        self.hint = hint
        self.offset = offset
        self.key = key
        self.member = member
        place = ", ".join(p for p in (where, None if offset is None else f"byte {offset}") if p)
        location = f"{self.path}: {place}" if place else self.path
        message = f"{location}: expected {expected}, found {found}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


def one_line(error: Exception) -> str:
    """The line the CLIs print for a user error: ``str(error)``, except that an OSError about a
    file reads ``missing.params: no such file or directory`` instead of Python's
    ``[Errno 2] No such file or directory: 'missing.params'``."""
    if isinstance(error, OSError) and error.filename is not None and error.strerror:
        return f"{error.filename}: {error.strerror[0].lower()}{error.strerror[1:]}"
    return str(error)


class DuplicateKey(Exception):
    """Raised by :func:`unique_keys`; the readers turn it into a :class:`CorruptHeaderError`."""


def unique_keys(pairs) -> dict:
    """``object_pairs_hook`` for ``json``: a JSON object as a dict, refusing a key that appears
    twice (``json`` silently keeps the last value)."""
    result = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKey(key)
        result[key] = value
    return result


class UnknownFormatError(CheckpointError):
    """The file is not in any format gluonbridge knows (or not the one asked for)."""


class TruncatedError(CheckpointError):
    """The file ends before a field or payload it declares."""


class CorruptHeaderError(CheckpointError):
    """A header field holds an impossible value: magic, count, ndim, dim, length, type flag."""


class UnsupportedError(CheckpointError):
    """The file is well formed but holds something gluonbridge refuses on purpose (pickled
    objects, big-endian or complex dtypes, a dtype the target format cannot store)."""


class CorruptDataError(CheckpointError):
    """The payload contradicts its header: CRC mismatch, bad sparse indices, size mismatch."""


class ZipBombError(CheckpointError):
    """A ZIP member would decompress beyond the limits set for an archive of its size."""


class NameMapError(CheckpointError):
    """Keys could not be translated; the message lists every missing, unexpected, ambiguous
    and shape-mismatched entry at once (see :class:`gluonbridge.translate.LoadReport`)."""


class ModelError(CheckpointError):
    """``--model pkg.module:factory`` could not be imported, failed, or gave no legacy model."""


class OutputExistsError(CheckpointError):
    """The output file exists and overwriting was not asked for."""
