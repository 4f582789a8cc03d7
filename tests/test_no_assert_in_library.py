"""User input is validated with explicit raises, never ``assert`` (which ``python -O`` strips):
no assert statement anywhere in the installed packages."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("gluonbridge", "codemods", "compat")


def test_library_code_has_no_assert_statements():
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            found += [f"{path.relative_to(ROOT)}:{node.lineno}" for node in ast.walk(tree)
                      if isinstance(node, ast.Assert)]
    assert not found, "assert statements vanish under python -O; raise instead: " + ", ".join(found)
