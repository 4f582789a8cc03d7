"""This machine's CPU: its flags (Linux ``/proc/cpuinfo``), for the lowerings that reproduce
what MXNet's CPU kernels compute differently by instruction set, and for cache keys."""
from __future__ import annotations

import contextlib
import functools
import platform


@functools.lru_cache(maxsize=None)
def flags_line() -> str:
    """The ``flags`` line of the first CPU ('' where there is none)."""
    with contextlib.suppress(OSError):
        with open("/proc/cpuinfo") as info:
            return next((line for line in info if line.startswith("flags")), "").strip()
    return ""


def description() -> str:
    """The machine and its CPU flags, as one string."""
    return f"{platform.machine()} {flags_line()}"


def has_vnni() -> bool:
    """AVX-512 VNNI: oneDNN's int8 kernels (MXNet 1.9.1's) then sum u8 x s8 products exactly
    in int32 and do not halve the weights of an s8 source."""
    return "avx512_vnni" in flags_line().split()
