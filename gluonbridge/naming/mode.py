"""Which naming policy is active: the registry of policies, the process-wide mode, test overrides.

* At import, the mode is ``$GLUONBRIDGE_NAMING`` (``legacy`` when unset).
* :func:`use` picks it explicitly, but only before any Block is built: a model built half under one
  mode and half under another would name its parameters inconsistently.
* :func:`override` switches it inside a ``with`` block (for tests and tools that build the same
  model in both modes, one after the other).
* Third-party policies register through the entry-point group ``gluonbridge.naming_policies``
  (``name = "package.module:PolicyClass"``) or :func:`register`, and are chosen by the same name.
"""
from __future__ import annotations

import contextlib
import os
import threading
from typing import Callable, Dict, Iterator

from .legacy import LegacyNaming
from .policy import NamingModeError, NamingPolicy
from .structural import StructuralNaming

ENTRY_POINT_GROUP = "gluonbridge.naming_policies"
ENV_VAR = "GLUONBRIDGE_NAMING"

_factories: Dict[str, Callable[[], NamingPolicy]] = {
    "legacy": LegacyNaming,
    "structural": StructuralNaming,
}
_instances: Dict[str, NamingPolicy] = {}
_entry_points_loaded = False
_lock = threading.Lock()


def register(name: str, factory: Callable[[], NamingPolicy]) -> None:
    """Make a policy selectable as ``name`` (a class or zero-argument factory)."""
    with _lock:
        _factories[name] = factory
        _instances.pop(name, None)


def _load_entry_points() -> None:
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    from importlib.metadata import entry_points

    try:
        found = entry_points(group=ENTRY_POINT_GROUP)
    except TypeError:  # Python < 3.10
        found = entry_points().get(ENTRY_POINT_GROUP, [])
    for ep in found:
        _factories.setdefault(ep.name, ep.load)


def available() -> list:
    """Names of every policy that can be selected."""
    if not _entry_points_loaded:
        _load_entry_points()
    return sorted(_factories)


def get_policy(name: str) -> NamingPolicy:
    """The policy registered as ``name`` (one instance per name)."""
    if name not in _instances:
        if name not in _factories:
            _load_entry_points()
        if name not in _factories:
            raise ValueError(f"unknown naming mode {name!r}: choose one of {', '.join(available())} "
                             f"(set {ENV_VAR}, or register a policy under the entry-point group "
                             f"{ENTRY_POINT_GROUP!r})")
        factory = _factories[name]
        policy = factory.load()() if hasattr(factory, "load") else factory()
        if not isinstance(policy, NamingPolicy):
            raise TypeError(f"naming policy {name!r} must be a NamingPolicy, got {type(policy)!r}")
        _instances[name] = policy
    return _instances[name]


_active: NamingPolicy = get_policy(os.environ.get(ENV_VAR, "legacy").strip() or "legacy")
_blocks_built = False


def current() -> NamingPolicy:
    """The policy new Blocks and Parameters are built under."""
    return _active


def note_block_built() -> None:
    """Called by Block construction: from now on :func:`use` may not switch modes."""
    global _blocks_built
    _blocks_built = True


def use(name: str) -> NamingPolicy:
    """Choose the naming mode for this process; only before any Block is built."""
    global _active
    policy = get_policy(name)
    if policy is not _active and _blocks_built:
        raise NamingModeError(
            f"cannot switch naming mode to {name!r}: Blocks were already built under "
            f"{_active.name!r}. Call gluonbridge.naming.use() before building any Block, set "
            f"{ENV_VAR}={name} before starting Python, or build in "
            f"`with gluonbridge.naming.override({name!r}):`.")
    _active = policy
    return policy


@contextlib.contextmanager
def override(name: str) -> Iterator[NamingPolicy]:
    """Build under ``name`` inside the ``with`` block, then restore the previous mode."""
    global _active
    previous, _active = _active, get_policy(name)
    try:
        yield _active
    finally:
        _active = previous
