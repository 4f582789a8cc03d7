"""Which files to migrate: walk the given paths, honour --exclude globs and .gitignore files."""
from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import Iterable, Iterator

_ALWAYS_SKIPPED = {".git", ".hg", ".svn", "__pycache__", ".tox", ".nox", ".venv", "venv",
                   ".mypy_cache", ".pytest_cache", "node_modules", "build", "dist"}


class PathError(Exception):
    """A path given on the command line does not exist."""


class _GitIgnore:
    """The subset of .gitignore syntax that matters for source trees: globs, dirs/, !negation."""

    def __init__(self, directory: Path, lines: Iterable[str]):
        self.directory = directory
        self.patterns = []
        for line in lines:
            line = line.rstrip("\n").rstrip()
            if not line or line.startswith("#"):
                continue
            negated = line.startswith("!")
            line = line[1:] if negated else line
            directory_only = line.endswith("/")
            line = line.rstrip("/")
            anchored = "/" in line
            self.patterns.append((line.lstrip("/"), negated, directory_only, anchored))

    def ignores(self, path: Path, is_dir: bool) -> bool:
        relative = path.relative_to(self.directory).as_posix()
        ignored = False
        for pattern, negated, directory_only, anchored in self.patterns:
            if directory_only and not is_dir:
                continue
            target = relative if anchored else path.name
            if fnmatch.fnmatchcase(target, pattern):
                ignored = not negated
        return ignored


def _excluded(path: Path, excludes: list) -> bool:
    text = path.as_posix()
    return any(fnmatch.fnmatchcase(text, glob) or fnmatch.fnmatchcase(path.name, glob)
               or fnmatch.fnmatchcase(text, f"*/{glob}") for glob in excludes)


def python_files(paths: Iterable[str], excludes: Iterable[str] = ()) -> Iterator[Path]:
    """Every ``.py`` file under ``paths``, in a stable order.

    Files named explicitly are always taken. Inside directories: ``--exclude`` globs and
    ``.gitignore`` files are honoured, and symlinks pointing out of the tree are not followed.
    """
    excludes = list(excludes)
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise PathError(f"no such file or directory: {raw}")
        if path.is_file():
            yield path
            continue
        yield from _walk(path, path.resolve(), excludes, [], set())


def _walk(directory: Path, root: Path, excludes: list, ignores: list,
          seen: set) -> Iterator[Path]:
    real = directory.resolve()
    if real in seen:       # a symlink loop inside the tree
        return
    seen.add(real)
    gitignore = directory / ".gitignore"
    if gitignore.is_file():
        ignores = [*ignores, _GitIgnore(directory, gitignore.read_text(errors="replace")
                                        .splitlines())]
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.is_symlink() and not _inside(path, root):
            continue
        is_dir = entry.is_dir()
        if (is_dir and entry.name in _ALWAYS_SKIPPED) or _excluded(path, excludes) or \
                any(g.ignores(path, is_dir) for g in ignores):
            continue
        if is_dir:
            yield from _walk(path, root, excludes, ignores, seen)
        elif entry.name.endswith(".py") and entry.is_file():
            yield path


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
        return True
    except (ValueError, OSError):
        return False
