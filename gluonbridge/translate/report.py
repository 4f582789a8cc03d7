"""The report of a translation or a load, and the roles MXNet puts in front of keys."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..checkpoint.errors import NameMapError

ROLES = ("arg:", "aux:")


def split_role(key: str):
    """``'arg:w'`` -> ``('arg:', 'w')``; keys without a role (``export()`` files have them) give
    ``('', key)``."""
    for role in ROLES:
        if key.startswith(role):
            return role, key[len(role):]
    return "", key


@dataclass
class LoadReport:
    """Every problem found while translating or loading, collected before failing (as
    PyTorch's ``load_state_dict`` does)."""
    missing: list = field(default_factory=list)          # expected keys the file lacks
    unexpected: list = field(default_factory=list)       # file keys nothing expects
    ambiguous: list = field(default_factory=list)        # (name, [candidates])
    shape_mismatch: list = field(default_factory=list)   # (key, shape in file, expected shape)
    renamed: list = field(default_factory=list)          # (old key, new key)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unexpected or self.ambiguous or self.shape_mismatch)

    def problems(self) -> list:
        lines = [f"missing: {k!r}" for k in self.missing]
        lines += [f"unexpected: {k!r}" for k in self.unexpected]
        lines += [f"ambiguous: {k!r} could be any of {c!r}" for k, c in self.ambiguous]
        lines += [f"shape mismatch: {k!r} is {tuple(a)} in the file, expected {tuple(b)}"
                  for k, a, b in self.shape_mismatch]
        return lines

    def summary(self) -> str:
        return (f"{len(self.renamed)} renamed, {len(self.missing)} missing, "
                f"{len(self.unexpected)} unexpected, {len(self.ambiguous)} ambiguous, "
                f"{len(self.shape_mismatch)} shape mismatches")

    def raise_if_errors(self, path=None) -> None:
        """One :class:`~gluonbridge.checkpoint.errors.NameMapError` listing every problem."""
        if not self.ok:
            raise NameMapError(path, "keys", "every key to translate one to one",
                               self.summary() + ":\n  " + "\n  ".join(self.problems()),
                               "check that the name map / target belongs to this model")
