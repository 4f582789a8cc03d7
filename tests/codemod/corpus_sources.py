"""The released sources of GluonCV, GluonNLP and GluonTS: the codemod's real-code corpus.

Fetched once with ``pip download --no-deps`` into a cache directory (``GLUONBRIDGE_CORPUS_CACHE``,
default ``~/.cache/gluonbridge/corpus``) and unpacked wherever a test or benchmark wants them.
"""
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

PACKAGES = ("gluoncv==0.10.5.post0", "gluonnlp==0.10.0", "gluonts==0.17.0")


def cache_dir() -> Path:
    return Path(os.environ.get("GLUONBRIDGE_CORPUS_CACHE",
                               Path.home() / ".cache" / "gluonbridge" / "corpus"))


def download(packages=PACKAGES) -> list:
    """The packages' archives (by default the three above), downloaded on first use (raises
    CalledProcessError when pip fails)."""
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    archives = []
    for requirement in packages:
        name, version = requirement.split("==")
        found = sorted(cache.glob(f"{name}-{version}*"))
        if not found:
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps",
                            "-d", str(cache), requirement],
                           check=True, capture_output=True)
            found = sorted(cache.glob(f"{name}-{version}*"))
        archives.append(found[0])
    return archives


def unpack(archives: list, root: Path) -> None:
    """Each archive's files under ``root/<package name>``."""
    for archive in archives:
        target = root / archive.name.split("-")[0]
        if archive.suffix in (".whl", ".zip"):
            zipfile.ZipFile(archive).extractall(target)
        else:
            with tarfile.open(archive) as tar:
                tar.extractall(target, filter="data")
