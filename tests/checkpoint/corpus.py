"""The checkpoint sample corpus (written by real MXNet 1.9.1 / 2.0.0b1) and its manifest.

Every expected value in the checkpoint tests comes from here or from an oracle run. The tests
use the copy in tests/data/checkpoints; set GLUONBRIDGE_CHECKPOINT_CORPUS to another directory
made by its generate.py (e.g. ``generate.py --variant heldout --out DIR``) to run them on that.
"""
import hashlib
import json
import os
from pathlib import Path

DATA = Path(os.environ.get("GLUONBRIDGE_CHECKPOINT_CORPUS")
            or Path(__file__).resolve().parents[1] / "data" / "checkpoints")
MANIFEST = json.loads((DATA / "MANIFEST.json").read_text())
FILES = {entry["file"]: entry for entry in MANIFEST["files"]}
MALFORMED = {entry["file"]: entry for entry in MANIFEST["malformed"]}
MXNET_PRODUCERS = ("mxnet 1.9.1", "mxnet 2.0.0beta1")
MX1_EXPORT = FILES["mx1_export-symbol.json"]["pair"]     # the export() params of each version
MX2_EXPORT = FILES["mx2_export-symbol.json"]["pair"]


def path(name: str) -> Path:
    return DATA / name


def files(fmt: str, written_by_mxnet: bool = False):
    return [name for name, e in FILES.items() if e["format"] == fmt
            and (not written_by_mxnet or e["producer"] in MXNET_PRODUCERS)]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
