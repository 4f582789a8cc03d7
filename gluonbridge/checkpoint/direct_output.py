"""Writing a checkpoint through page-aligned buffers, straight to the disk (``O_DIRECT``).

A conversion writes gigabytes that :func:`~gluonbridge.atomic.atomic_output` then fsyncs. Written
the ordinary way, each byte is first copied into a newly allocated page-cache page, which the
fsync (or the writeback ahead of it) then sends to the disk; on the project's VM that page-cache
traffic, not the disk, cost most of the time: 1 GiB took 2-5 s to ``cp`` + ``sync`` and
0.5-2.5 CPU-s in the kernel to write, where ``dd oflag=direct`` wrote it in 0.9-1.2 s with
0.2 CPU-s.

:class:`DirectOutput` fills :data:`BUFFER`-sized page-aligned buffers: payload ranges are read
with ``preadv`` straight into them, headers copied in. Where a CRC-32 is wanted (npz members;
:func:`.crc32.fast`), a helper thread reads and checksums the second half of each buffer's
piece while the filling thread does the first, block by block while the block is in the core's
cache, and the two CRC-32s are joined (:func:`.crc32.combine`). A writer thread writes each
full buffer at its place with ``O_DIRECT`` (disk-block-aligned offsets and sizes, no page
cache) while the next buffers fill; the last, partial buffer's tail goes through the page
cache. Where ``O_DIRECT`` is refused (not Linux, tmpfs before 6.6, some network and FUSE file
systems, a start that is not block-aligned, a device with blocks above :data:`ALIGN`) the same
pipeline writes through the page cache. The durability is the caller's, unchanged: the file is fsynced before it is
renamed into place.
"""
from __future__ import annotations

import contextlib
import errno
import io
import mmap
import os
import queue
import threading

from .crc32 import combine, fast

BUFFER = 8 << 20                # one O_DIRECT write; a multiple of ALIGN
BUFFERS = 3                     # one being written, the others filling
READ_BLOCK = 256 << 10          # read, then checksummed while in the core's cache
ALIGN = 4096                    # offsets and sizes of O_DIRECT writes (disk block, page)
MIN_BYTES = 16 << 20            # smaller outputs are written directly to the file
O_DIRECT = getattr(os, "O_DIRECT", 0)
POSITIONAL_IO = hasattr(os, "preadv") and hasattr(os, "pwrite")     # not on Windows


@contextlib.contextmanager
def direct_output(out, nbytes: int):
    """``out`` wrapped in a :class:`DirectOutput` if it is a raw file opened for writing at
    positions (not appending) and about ``nbytes`` will be written, else ``out`` itself. On
    leaving, everything is written (not fsynced) and ``out`` stands at the end of the data."""
    if nbytes < MIN_BYTES or not POSITIONAL_IO or not isinstance(out, io.FileIO) \
            or not out.seekable() or "a" in out.mode:
        yield out
        return
    stream = DirectOutput(out.fileno(), out.tell())
    try:
        yield stream
        stream.flush()
    finally:
        stream.stop()
    out.seek(stream.position)


class DirectOutput:
    """A sequential writer to the open file ``fd`` from byte ``position`` on; see the module."""

    def __init__(self, fd: int, position: int):
        self.fd, self.position = fd, position
        self._flags = _fcntl_flags(fd)
        self._direct = bool(O_DIRECT) and self._flags is not None and position % ALIGN == 0 \
            and _set_flags(fd, self._flags | O_DIRECT)
        self._free, self._full = queue.Queue(), queue.Queue()
        for _ in range(BUFFERS):
            self._free.put(memoryview(mmap.mmap(-1, BUFFER)))   # page-aligned
        self._buffer, self._filled, self._start = None, 0, position
        self._error, self._helper = None, None
        self._writer = threading.Thread(target=self._write_buffers, daemon=True,
                                        name="gluonbridge-direct-write")
        self._writer.start()

    def write(self, data) -> int:
        """Append ``data`` (bytes-like)."""
        data = memoryview(data).cast("B")
        done = 0
        while done < len(data):
            buffer = self._current()
            count = min(len(data) - done, BUFFER - self._filled)
            buffer[self._filled:self._filled + count] = data[done:done + count]
            self._advance(count)
            done += count
        return done

    def copy_range(self, src: int, offset: int, nbytes: int, crc: int | None = None,
                   progress=None) -> int | None:
        """Append ``nbytes`` bytes at ``offset`` of the open file ``src``. With ``crc`` (a
        starting CRC-32) return the CRC-32 continued over them; else None."""
        done = 0
        while done < nbytes:
            buffer = self._current()
            count = min(nbytes - done, BUFFER - self._filled)
            crc = self._fill(src, offset + done, buffer[self._filled:self._filled + count], crc)
            self._advance(count)
            done += count
            if progress:
                progress(count)
        return crc

    def _fill(self, src: int, offset: int, target, crc: int | None) -> int | None:
        """Read ``target``'s bytes from ``offset`` of ``src``; with ``crc``, the second half
        is read and checksummed on the helper thread meanwhile and the CRC-32s joined."""
        half = len(target) // 2 // READ_BLOCK * READ_BLOCK
        if crc is None or not half:
            return _read_into(src, offset, target, crc)
        if self._helper is None:
            self._helper = _Helper()
        self._helper.start(src, offset + half, target[half:])
        try:
            crc = _read_into(src, offset, target[:half], crc)
        finally:
            second = self._helper.result()
        return combine(crc, second, len(target) - half)

    def flush(self) -> None:
        """Write what is buffered and wait until everything is written; errors are raised."""
        if self._filled:
            self._submit(direct=False)
        self._full.put(None)
        self._writer.join()
        self._raise_if_failed()

    def stop(self) -> None:
        """End the writer thread (if :meth:`flush` did not) and restore the file's flags."""
        if self._writer.is_alive():
            self._error = self._error or OSError("stopped")
            self._full.put(None)
            self._writer.join()
        if self._helper is not None:
            self._helper.stop()
        if self._flags is not None:
            _set_flags(self.fd, self._flags)

    def _current(self):
        if self._buffer is None:
            self._buffer = self._free.get()
            self._raise_if_failed()
        return self._buffer

    def _advance(self, count: int) -> None:
        self._filled += count
        self.position += count
        if self._filled == BUFFER:
            self._submit(direct=True)

    def _submit(self, direct: bool) -> None:
        self._full.put((self._buffer, self._start, self._filled, direct))
        self._start += self._filled
        self._buffer, self._filled = None, 0

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise self._error

    def _write_buffers(self) -> None:
        """The writer thread: write full buffers in order; after an error, only hand them
        back (the error is raised in the filling thread)."""
        for buffer, position, length, direct in iter(self._full.get, None):
            try:
                if self._error is None:
                    self._write(buffer[:length], position, direct)
            except BaseException as err:     # raised in the filling thread
                self._error = err
            self._free.put(buffer)

    def _write(self, block, position: int, direct: bool) -> None:
        if self._direct and not direct:     # the last buffer: its aligned part direct, the
            cut = len(block) - len(block) % ALIGN         # rest through the page cache
            self._write_all(block[:cut], position)
            block, position = block[cut:], position + cut
            self._direct = not _set_flags(self.fd, self._flags)
        self._write_all(block, position)

    def _write_all(self, block, position: int) -> None:
        while block:
            try:
                written = os.pwrite(self.fd, block, position)
            except OSError as err:
                # EINVAL: the file system wants another alignment after all; continue cached
                if not (self._direct and err.errno == errno.EINVAL
                        and _set_flags(self.fd, self._flags)):
                    raise
                self._direct = False
                continue
            block, position = block[written:], position + written


class _Helper:
    """A thread that reads and checksums one piece at a time for :meth:`DirectOutput._fill`."""

    def __init__(self):
        self._jobs, self._results = queue.Queue(), queue.Queue()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name="gluonbridge-checksum")
        self._thread.start()

    def start(self, src: int, offset: int, target) -> None:
        self._jobs.put((src, offset, target))

    def result(self) -> int:
        value = self._results.get()
        if isinstance(value, BaseException):
            raise value
        return value

    def stop(self) -> None:
        self._jobs.put(None)
        self._thread.join()

    def _run(self) -> None:
        for src, offset, target in iter(self._jobs.get, None):
            try:
                self._results.put(_read_into(src, offset, target, 0))
            except BaseException as err:     # raised in the filling thread
                self._results.put(err)


def _read_into(src: int, offset: int, target, crc: int | None) -> int | None:
    """Fill ``target`` from ``offset`` of ``src`` in READ_BLOCK reads, each checksummed (with
    ``crc``) while it is in the core's cache; the CRC-32 continued, or None."""
    done, checksum = 0, fast()
    while done < len(target):
        block = target[done:done + READ_BLOCK]
        got = os.preadv(src, [block], offset + done)
        if not got:
            raise OSError(f"the input shrank while being read (byte {offset + done})")
        if crc is not None:
            crc = checksum(block[:got], crc)
        done += got
    return crc


def _fcntl_flags(fd: int) -> int | None:
    try:
        import fcntl
        return fcntl.fcntl(fd, fcntl.F_GETFL)
    except (ImportError, OSError):
        return None


def _set_flags(fd: int, flags: int) -> bool:
    """Set the file status flags of ``fd`` (``O_DIRECT`` among them); False if refused."""
    import fcntl
    try:
        fcntl.fcntl(fd, fcntl.F_SETFL, flags)
    except OSError:
        return False
    return True
