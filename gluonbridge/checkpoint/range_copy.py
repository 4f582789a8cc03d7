"""Copying a byte range of one file into another, with its CRC-32 if asked, on two threads.

The range is cut into pieces. This thread and a helper take pieces in turn; for each, they read
cache-sized blocks with ``pread``, checksum a block while it is in the core's cache and
``pwrite`` it to its place in the output. Reading, ``zlib.crc32`` and writing all release the
GIL, so the two threads keep both cores busy, and the per-piece CRC-32s are joined with
:func:`.crc32.combine`. Measured on 512 MiB (page cache warm, on a loaded 2-core VM): 0.68
CPU-s with the checksum, where ``copy_file_range`` (a kernel copy) plus a separate checksum pass
took 0.84; 0.42 without it, where ``copy_file_range`` took 0.44-0.54 on one core.

Reads use ``pread``, not a memory map: an input that shrinks meanwhile raises OSError instead
of killing the process with SIGBUS.
"""
from __future__ import annotations

import os
import threading
import zlib

from .crc32 import combine

PIECE = 4 << 20                 # work unit: small enough that the two threads finish together
BLOCK = 256 << 10               # read buffer: stays in the core's cache for zlib.crc32
PARALLEL_MIN = 1 << 20          # below this a second thread costs more than it saves


def copy_range(src: int, offset: int, nbytes: int, dst: int, position: int,
               crc: int | None = None, progress=None) -> int | None:
    """Copy ``nbytes`` bytes at ``offset`` of the open file ``src`` to ``position`` of the open
    file ``dst`` (the file offset of neither moves). With ``crc`` (a starting CRC-32), return the
    CRC-32 continued over the bytes; else None. ``progress(n)`` is called as pieces land."""
    first = nbytes % PIECE or min(PIECE, nbytes)   # the odd size first: the rest are joined
    pieces = [(0, first)] + [(start, PIECE)         # with one cached factor
                             for start in range(first, nbytes, PIECE)]
    crcs = [crc or 0] + [0] * (len(pieces) - 1)    # the first piece continues from ``crc``
    queue = iter(range(len(pieces)))     # shared: next() on it is atomic under the GIL
    stop = threading.Event()
    lock = threading.Lock()
    errors = []

    def work():
        buffer = memoryview(bytearray(min(BLOCK, nbytes) or 1))
        try:
            for index in queue:
                if stop.is_set():
                    return
                start, length = pieces[index]
                value, done = crcs[index], 0
                while done < length:
                    got = os.preadv(src, [buffer[:min(len(buffer), length - done)]],
                                    offset + start + done)
                    if not got:
                        raise OSError(f"the input shrank while being read (byte "
                                      f"{offset + start + done})")
                    if crc is not None:
                        value = zlib.crc32(buffer[:got], value)
                    _write_all(dst, buffer[:got], position + start + done)
                    done += got
                crcs[index] = value
                if progress:
                    with lock:
                        progress(length)
        except BaseException as err:     # re-raised in the calling thread
            stop.set()
            errors.append(err)

    helper = None
    if nbytes >= PARALLEL_MIN:
        helper = threading.Thread(target=work, name="gluonbridge-copy", daemon=True)
        helper.start()
    work()
    if helper is not None:
        helper.join()
    if errors:
        raise errors[0]
    if crc is None:
        return None
    value = crcs[0]
    for piece_crc in crcs[1:]:
        value = combine(value, piece_crc, PIECE)
    return value


def _write_all(fd: int, block, position: int) -> None:
    while block:
        written = os.pwrite(fd, block, position)
        block = block[written:]
        position += written
