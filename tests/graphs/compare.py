"""Comparing a graph's outputs with the corpus' expected outputs (issue 10's tolerance).

An output matches when ``max|actual - expected| <= rel * max|expected|`` (``rel`` relative to the
output's largest magnitude; an all-zero output must match exactly), with the same shape, and NaN
or infinity exactly where MXNet has them.
"""
from __future__ import annotations

import numpy as np


def _mismatch(actual, expected, rel) -> str | None:
    actual = np.asarray(actual)
    expected = np.asarray(expected)
    if actual.shape != expected.shape:
        return f"shape {actual.shape} != expected {expected.shape}"
    if expected.size == 0:
        return None
    a = actual.astype(np.float64)
    e = expected.astype(np.float64)
    special = ~np.isfinite(e)
    if not np.array_equal(np.isnan(a), np.isnan(e)) or not np.array_equal(
            np.where(special & ~np.isnan(e), e, 0), np.where(special & ~np.isnan(e), a, 0)):
        pos = np.unravel_index(np.argmax((np.isnan(a) != np.isnan(e)) | (special != ~np.isfinite(a))),
                               e.shape)
        return f"non-finite values differ, first at {tuple(map(int, pos))}: {a[pos]} vs {e[pos]}"
    err = np.abs(np.where(special, 0.0, a) - np.where(special, 0.0, e))
    scale = float(np.max(np.abs(np.where(special, 0.0, e))))
    worst = float(err.max())
    if worst <= rel * scale:
        return None
    pos = tuple(int(i) for i in np.unravel_index(np.argmax(err), e.shape))
    return (f"max abs error {worst:.3g} > {rel:g} * max|expected| {scale:.3g} "
            f"at {pos}: got {a[pos]!r}, expected {e[pos]!r}")


def assert_close(actual_list, expected_list, rel: float = 1e-5, case: str = "?") -> None:
    """Every output of ``actual_list`` within ``rel`` of ``expected_list``; one AssertionError
    naming the case, each bad output's index, its max error and where it is."""
    actual_list = list(actual_list)
    expected_list = list(expected_list)
    if len(actual_list) != len(expected_list):
        raise AssertionError(f"case {case}: {len(actual_list)} outputs, expected "
                             f"{len(expected_list)}")
    problems = [f"output {k}: {msg}" for k, (a, e) in enumerate(zip(actual_list, expected_list))
                if (msg := _mismatch(a, e, rel)) is not None]
    if problems:
        raise AssertionError(f"case {case}: " + "; ".join(problems))
