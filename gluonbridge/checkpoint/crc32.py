"""The CRC-32 (the ZIP / zlib one) of large payloads: computing it fast, joining pieces' values.

:func:`fast` is ISA-L's CRC-32 where ``isal`` is installed (``pip install gluonbridge[fast]``;
on x86-64 with carry-less multiply about 9x as fast as zlib's, measured 0.05 against 0.42 s per
GiB), else :func:`zlib.crc32`; both compute the same values. The two halves of a buffer checksummed on two threads (:mod:`.direct_output`) are joined with
:func:`combine`. CRC-32 is linear over GF(2): for byte strings A and B,
``crc(A + B) = crc(A) * x^(8 len B) mod P  xor  crc(B)`` (zlib's ``crc32_combine``, which
Python does not expose). Polynomials are kept in zlib's bit-reflected form: bit 31 is x^0.
"""
from __future__ import annotations

import functools
import zlib

POLYNOMIAL = 0xEDB88320         # P without its x^32 term, reflected
ONE = 1 << 31                   # the polynomial 1 (x^0), reflected


def _multiply(a: int, b: int) -> int:
    """a * b mod P."""
    product = 0
    while a:
        if a & ONE:
            product ^= b
        a = (a << 1) & 0xFFFFFFFF
        b = (b >> 1) ^ POLYNOMIAL if b & 1 else b >> 1
    return product


@functools.lru_cache(maxsize=None)
def fast():
    """``crc32(data, value)``: ISA-L's if installed, else zlib's (imported on first use)."""
    try:
        from isal.isal_zlib import crc32
    except ImportError:
        return zlib.crc32
    return crc32


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
