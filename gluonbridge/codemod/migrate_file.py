"""Migrate one file: decode it exactly, run the rules, and write back atomically if it changed."""
from __future__ import annotations

import codecs
import io
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional

from gluonbridge.atomic import atomic_output


@dataclass
class FileResult:
    """What happened to one file; small and picklable so that worker processes can return it."""

    path: str
    status: str                       # "changed", "unchanged" or "failed"
    findings: list = field(default_factory=list)
    error: Optional[str] = None
    diff: Optional[str] = None


def read_source(path: Path) -> tuple:
    """(text, encoding, bom) with newlines untouched, so that re-encoding gives the same bytes."""
    data = path.read_bytes()
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    if encoding == "utf-8-sig":
        encoding = "utf-8"
    return data[len(bom):].decode(encoding), encoding, bom


def readable_sources(paths: Iterable[Path]) -> Iterator[str]:
    """The texts of ``paths`` for the project-wide pre-pass (which classes are Blocks);
    unreadable ones skipped (the migration reports them)."""
    for path in paths:
        try:
            yield read_source(path)[0]
        except (OSError, UnicodeDecodeError, SyntaxError):
            continue


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` atomically, keeping its permissions."""
    target = path.resolve()
    with atomic_output(target, force=True, permissions=target.stat().st_mode & 0o7777) as out:
        out.write(data)


def migrate_file(path: Path, options, write: bool, want_diff: bool) -> FileResult:
    """Run the codemod over ``path``; never raises for a bad file, reports it instead."""
    from gluonbridge.codemods.engine import MigrationError, may_need_change, migrate

    name = str(path)
    try:
        text, encoding, bom = read_source(path)
    except (OSError, UnicodeDecodeError, SyntaxError) as error:
        return FileResult(name, "failed", error=f"cannot read: {error}")
    if not may_need_change(text, options):
        return FileResult(name, "unchanged")
    try:
        outcome = migrate(text, options)
    except MigrationError as error:
        return FileResult(name, "failed", error=str(error))
    except RecursionError:
        return FileResult(name, "failed", error="too deeply nested for the codemod")
    if outcome.code == text:
        return FileResult(name, "unchanged", outcome.findings)
    diff = _unified_diff(name, text, outcome.code) if want_diff else None
    if write:
        try:
            write_atomically(path, bom + outcome.code.encode(encoding))
        except (OSError, UnicodeEncodeError) as error:
            return FileResult(name, "failed", outcome.findings, error=f"cannot write: {error}")
    return FileResult(name, "changed", outcome.findings, diff=diff)


def _unified_diff(name: str, before: str, after: str) -> str:
    import difflib
    return "".join(difflib.unified_diff(before.splitlines(keepends=True),
                                        after.splitlines(keepends=True),
                                        fromfile=f"a/{name.lstrip('/')}", tofile=f"b/{name.lstrip('/')}"))
