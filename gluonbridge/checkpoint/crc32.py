"""CRC-32 (the ZIP / zlib one) of a file range, computed in pieces on two threads.

``zlib.crc32`` runs at about 2 GiB/s on one core here, slower than copying the bytes, so an
``.npz`` writer that checksums every member would be bound by it. It releases the GIL on large
buffers, though, so pieces of a range can be checksummed in parallel and joined with
:func:`combine`. CRC-32 is linear over GF(2): for byte strings A and B,
``crc(A + B) = crc(A) * x^(8 len B) mod P  xor  crc(B)`` (zlib's ``crc32_combine``, which
Python does not expose). Polynomials are kept in zlib's bit-reflected form: bit 31 is x^0.
"""
from __future__ import annotations

import functools
import os
import threading
import zlib

POLYNOMIAL = 0xEDB88320         # P without its x^32 term, reflected
ONE = 1 << 31                   # the polynomial 1 (x^0), reflected
PIECE = 4 << 20                 # work unit: small enough that two threads finish together
READ = 256 << 10                # read buffer: stays in the core's cache for zlib.crc32
PARALLEL_MIN = 1 << 20          # below this a second thread costs more than it saves


def _multiply(a: int, b: int) -> int:
    """a * b mod P."""
    product = 0
    while a:
        if a & ONE:
            product ^= b
        a = (a << 1) & 0xFFFFFFFF
        b = (b >> 1) ^ POLYNOMIAL if b & 1 else b >> 1
    return product


@functools.lru_cache(maxsize=64)
def _shift(nbytes: int) -> int:
    """x^(8 nbytes) mod P: the factor that moves a CRC past ``nbytes`` more bytes."""
    result, power = ONE, ONE >> 8            # x^0, x^8
    while nbytes:
        if nbytes & 1:
            result = _multiply(result, power)
        power = _multiply(power, power)
        nbytes >>= 1
    return result


def combine(crc1: int, crc2: int, length2: int) -> int:
    """The CRC-32 of A + B from ``crc1`` = crc(A), ``crc2`` = crc(B) and ``length2`` = len(B)."""
    return _multiply(_shift(length2), crc1) ^ crc2


def range_crc32(fd: int, offset: int, nbytes: int, value: int = 0, lead=None) -> int:
    """The CRC-32 of ``nbytes`` bytes at ``offset`` of the open file ``fd``, continued from
    ``value``.

    A helper thread checksums the range piece by piece while this thread runs ``lead()`` (the
    caller's copy of the same bytes, say); then this thread takes pieces too. The file is read
    with ``pread`` (a file that shrinks meanwhile raises OSError, it cannot crash the process
    the way a memory-mapped read would).
    """
    first = nbytes % PIECE or min(PIECE, nbytes)    # the odd size first: the rest are joined
    pieces = [(offset, first)] + [(start, PIECE)     # with one cached factor, _shift(PIECE)
                                  for start in range(offset + first, offset + nbytes, PIECE)]
    crcs = [value] + [0] * (len(pieces) - 1)       # the first piece continues from ``value``
    queue = iter(range(len(pieces)))      # shared: next() on it is atomic under the GIL
    stop = threading.Event()
    errors = []

    def work():
        buffer = memoryview(bytearray(min(READ, nbytes) or 1))
        try:
            for index in queue:
                if stop.is_set():
                    return
                start, length = pieces[index]
                crc, done = crcs[index], 0
                while done < length:
                    got = os.preadv(fd, [buffer[:min(len(buffer), length - done)]], start + done)
                    if not got:
                        raise OSError(f"file shrank while being read (byte {start + done})")
                    crc = zlib.crc32(buffer[:got], crc)
                    done += got
                crcs[index] = crc
        except BaseException as err:     # re-raised in the calling thread
            stop.set()
            errors.append(err)

    helper = None
    if nbytes >= PARALLEL_MIN:
        helper = threading.Thread(target=work, name="gluonbridge-crc32", daemon=True)
        helper.start()
    try:
        if lead is not None:
            lead()
    except BaseException:
        stop.set()
        if helper is not None:
            helper.join()
        raise
    work()
    if helper is not None:
        helper.join()
    if errors:
        raise errors[0]
    value = crcs[0]
    for crc in crcs[1:]:
        value = combine(value, crc, PIECE)
    return value
