"""gluonbridge.atomic: the output appears whole under its name or not at all."""
import os
import threading

import pytest

from gluonbridge.atomic import atomic_output
from gluonbridge.checkpoint.errors import OutputExistsError


def _writeback_threads():
    return [t for t in threading.enumerate() if t.name == "gluonbridge-writeback"]


def test_complete_file_replaces_target_and_no_temporary_is_left(tmp_path):
    target = tmp_path / "out.bin"
    payload = os.urandom(3 << 20)
    with atomic_output(target) as out:
        for start in range(0, len(payload), 1 << 20):
            out.write(payload[start:start + (1 << 20)])
        assert not target.exists()
    assert target.read_bytes() == payload
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]
    assert not _writeback_threads()


def test_failure_mid_write_leaves_nothing(tmp_path):
    target = tmp_path / "out.bin"
    with pytest.raises(RuntimeError):
        with atomic_output(target) as out:
            out.write(b"partial")
            raise RuntimeError("crash")
    assert list(tmp_path.iterdir()) == []
    assert not _writeback_threads()


def test_existing_file_needs_force(tmp_path):
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    with pytest.raises(OutputExistsError):
        with atomic_output(target) as out:
            out.write(b"new")
    assert target.read_bytes() == b"old"
    with atomic_output(target, force=True) as out:
        out.write(b"new")
    assert target.read_bytes() == b"new"
