"""Structural keys as MXNet's ``save_parameters`` writes them (the same in 1.x and 2.x)."""
from __future__ import annotations

from typing import Dict, Iterable, Tuple


def deduplicate(items: Iterable[Tuple[str, object]]) -> Dict[str, object]:
    """One entry per distinct object, as ``save_parameters(deduplicate=True)`` writes them.

    The key kept is the *last* key that reaches the object; the entry stands where the object
    first appears (MXNet inverts the key->param dict twice, so later keys overwrite earlier ones
    while dict insertion order keeps the first position).
    """
    last_key = {}
    order = []
    for key, obj in items:
        if id(obj) not in last_key:
            order.append(obj)
        last_key[id(obj)] = key
    return {last_key[id(obj)]: obj for obj in order}
