"""gluonbridge.atomic: the output appears whole under its name or not at all."""
import os
import threading
import time

import pytest

from gluonbridge.atomic import atomic_directory, atomic_output
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


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield 0o022
    os.umask(old)


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_mode_is_what_a_plain_open_gives(tmp_path, umask):
    old = os.umask(umask)
    try:
        with open(tmp_path / "plain", "wb"):
            pass
        with atomic_output(tmp_path / "atomic") as out:
            out.write(b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "atomic").stat().st_mode == (tmp_path / "plain").stat().st_mode


def test_given_permissions_are_kept_whatever_the_umask(tmp_path, umask_022):
    with atomic_output(tmp_path / "out", permissions=0o666) as out:
        out.write(b"x")
    assert (tmp_path / "out").stat().st_mode & 0o7777 == 0o666


def test_files_created_meanwhile_by_other_threads_see_the_umask(tmp_path, umask_022,
                                                               monkeypatch):
    """The process umask is never changed, not even briefly: it is process-wide, so another
    thread creating a file in that moment would get the wrong mode. (Any umask change is held
    for 10 ms here, so that the other thread surely sees it.)"""
    real_umask = os.umask

    def slow_umask(mask):
        old = real_umask(mask)
        time.sleep(0.01)
        return old

    monkeypatch.setattr(os, "umask", slow_umask)
    stop = threading.Event()
    modes = set()

    def create_files():
        while not stop.is_set():
            path = tmp_path / "other"
            with open(path, "wb"):
                pass
            modes.add(path.stat().st_mode & 0o777)
            path.unlink()

    creator = threading.Thread(target=create_files)
    creator.start()
    try:
        for i in range(20):
            with atomic_output(tmp_path / "out", force=True) as out:
                out.write(b"x")
    finally:
        stop.set()
        creator.join()
    assert modes == {0o644}


def test_a_directory_written_by_name_replaces_the_target_or_leaves_nothing(tmp_path):
    target = tmp_path / "entry"
    target.mkdir()
    (target / "model").write_bytes(b"old")
    with atomic_directory(target) as name:
        assert os.path.dirname(name) == str(tmp_path) and os.listdir(name) == []
        for part in ("model", "weights"):     # as a library writing files by name
            with open(os.path.join(name, part), "wb") as out:
                out.write(b"new " + part.encode())
        assert (target / "model").read_bytes() == b"old"
    assert sorted(os.listdir(target)) == ["model", "weights"]
    assert (target / "weights").read_bytes() == b"new weights"
    assert [p.name for p in tmp_path.iterdir()] == ["entry"]
    with pytest.raises(RuntimeError):
        with atomic_directory(target) as name:
            with open(os.path.join(name, "model"), "wb") as out:
                out.write(b"partial")
            raise RuntimeError("crash")
    assert (target / "model").read_bytes() == b"new model"
    assert [p.name for p in tmp_path.iterdir()] == ["entry"]


def test_nested_directory_writers_each_leave_a_whole_entry(tmp_path):
    target = tmp_path / "entry"
    with atomic_directory(target) as first:
        with atomic_directory(target) as second:
            for name, text in ((second, b"second"), (first, b"first")):
                for part in ("model", "weights"):
                    with open(os.path.join(name, part), "wb") as out:
                        out.write(text)
        # the second finished first: its entry is there whole; the first then replaces it
        assert {(target / p).read_bytes() for p in ("model", "weights")} == {b"second"}
    assert {(target / p).read_bytes() for p in ("model", "weights")} == {b"first"}
    assert [p.name for p in tmp_path.iterdir()] == ["entry"]
