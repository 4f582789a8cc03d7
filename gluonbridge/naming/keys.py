"""Keys and names derived from a model's Parameters, the same in 1.x and 2.x."""
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


def unique_names(named: Iterable[Tuple[str, object]]) -> Dict[int, str]:
    """id(object) -> name from (name, object) pairs: one per distinct object (its first name),
    with a ``__<n>`` suffix where two distinct objects share a name (possible with raw
    Parameters)."""
    names, taken = {}, set()
    for name, obj in named:
        if id(obj) in names:
            continue
        unique, n = name, 1
        while unique in taken:
            unique, n = f"{name}__{n}", n + 1
        taken.add(unique)
        names[id(obj)] = unique
    return names
