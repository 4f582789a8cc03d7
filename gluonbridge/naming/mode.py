"""Which naming policy is active: the registry of policies, the process-wide mode, overrides.

* At import, the mode is ``$GLUONBRIDGE_NAMING`` (``legacy`` when unset).
* :func:`use` picks it explicitly, but only before any Block is built: a model built half under one
  mode and half under another would name its parameters inconsistently.
* :func:`override` switches it inside a ``with`` block (for tests and tools that build the same
  model in both modes). The override is context-local (``contextvars``), as MXNet's naming state
  is thread-local: it holds in this thread (or asyncio task) only; other threads keep building
  under their own override or the process-wide mode.
* Third-party policies register through the entry-point group ``gluonbridge.naming_policies``
  (``name = "package.module:PolicyClass"``) or :func:`register`, and are chosen by the same name.
"""
from __future__ import annotations

import contextlib
import contextvars
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
        _factories.setdefault(ep.name, _entry_point_factory(ep))


def _entry_point_factory(ep) -> Callable[[], NamingPolicy]:
    """A factory that imports the entry point's class (or factory) on first use and calls it."""
    return lambda: ep.load()()


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
        policy = factory()
        if not isinstance(policy, NamingPolicy):
            raise TypeError(f"naming policy {name!r} must be a NamingPolicy, got {type(policy)!r}")
        _instances[name] = policy
    return _instances[name]


_process_policy: NamingPolicy = get_policy(os.environ.get(ENV_VAR, "legacy").strip() or "legacy")
_override: contextvars.ContextVar = contextvars.ContextVar("gluonbridge_naming_override",
                                                          default=None)
_blocks_built = False


def current() -> NamingPolicy:
    """The policy new Blocks and Parameters are built under (in this thread / context)."""
    return _override.get() or _process_policy


def note_block_built() -> None:
    """Called by Block construction: from now on :func:`use` may not switch modes."""
    global _blocks_built
    _blocks_built = True


def use(name: str) -> NamingPolicy:
    """Choose the naming mode for this process; only before any Block is built."""
    global _process_policy
    policy = get_policy(name)
    if policy is not _process_policy and _blocks_built:
        raise NamingModeError(
            f"cannot switch naming mode to {name!r}: Blocks were already built under "
            f"{_process_policy.name!r}. Call gluonbridge.naming.use() before building any Block, "
            f"set {ENV_VAR}={name} before starting Python, or build in "
            f"`with gluonbridge.naming.override({name!r}):`.")
    _process_policy = policy
    return policy


@contextlib.contextmanager
def override(name: str) -> Iterator[NamingPolicy]:
    """Build under ``name`` inside the ``with`` block (in this thread or asyncio task only),
    then restore the previous mode."""
    policy = get_policy(name)
    token = _override.set(policy)
    try:
        yield policy
    finally:
        _override.reset(token)
