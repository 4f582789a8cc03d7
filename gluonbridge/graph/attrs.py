"""Operator attributes as MXNet keeps them: strings, written the way MXNet prints Python values.

MXNet turns every keyword argument of an op call into ``str(value)`` (``symbol/register.py``:
``c_str_array([str(v) for v in vals])``; a ``dtype`` argument becomes ``np.dtype(v).name``), and a
``-symbol.json`` holds those strings. :func:`format_value` does the same; the parsers below read an
attribute back from such a string *or* from the Python value, one parser per attribute type.
"""
from __future__ import annotations

import ast
import re

import numpy as np

_INT = re.compile(r"-?[0-9]+")


class AttrValueError(ValueError):
    """An attribute value that does not parse as its type (the caller adds node context)."""


def format_value(value) -> str:
    """``value`` as MXNet stores it in a node's ``attrs``."""
    if isinstance(value, type) or isinstance(value, np.dtype):
        return np.dtype(value).name
    return str(value)


def _literal(text):
    """``ast.literal_eval`` of ``text``, without it for the common forms (``3``, ``(3, 3)``,
    ``[1, 2]``): a graph holds thousands of these."""
    s = text.strip()
    if _INT.fullmatch(s):
        return int(s)
    if len(s) > 2 and s[0] + s[-1] in ("()", "[]") and (s[0] == "[" or "," in s):
        items = s[1:-1].split(",")
        if items[-1].strip() == "" and len(items) > 1:
            items.pop()    # a trailing comma: "(3,)"
        if all(_INT.fullmatch(i.strip()) for i in items):
            values = [int(i) for i in items]
            return values if s[0] == "[" else tuple(values)
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, SyntaxError) as err:
        raise AttrValueError(f"{text!r} is not a value") from err


class Attr:
    """One attribute of an op: its parser and its default (the *op*'s default, which is what
    a symbol file without the attribute means). ``required`` attributes have no default."""

    kind = "value"

    def __init__(self, default=None, required=False, choices=None):
        self.default, self.required, self.choices = default, required, choices

    def parse(self, value):
        """The typed value from an attribute string or a Python value."""
        if value is None or (isinstance(value, str) and value.strip() == "None"):
            return None
        parsed = self.convert(value)
        if self.choices is not None and parsed not in self.choices:
            raise AttrValueError(f"{parsed!r}")
        return parsed

    def convert(self, value):
        return value

    def format(self, value) -> str:
        return format_value(value)


class Int(Attr):
    kind = "int"

    def convert(self, value):
        if isinstance(value, str):
            value = _literal(value)
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise AttrValueError(f"{value!r} is not an int")
        return int(value)


class Float(Attr):
    kind = "float"

    def convert(self, value):
        try:
            return float(value)
        except (TypeError, ValueError) as err:
            raise AttrValueError(f"{value!r} is not a float") from err


class Bool(Attr):
    kind = "bool"
    _WORDS = {"true": True, "1": True, "false": False, "0": False}

    def convert(self, value):
        if isinstance(value, str):
            if value.strip().lower() not in self._WORDS:
                raise AttrValueError(f"{value!r} is not a boolean")
            return self._WORDS[value.strip().lower()]
        return bool(value)


class Ints(Attr):
    """A tuple of ints (``kernel``, ``stride``, ``shape``, ``axes``): ``"(3, 3)"``, ``"[3,3]"``,
    ``"3"`` (one value) or the Python int/tuple/list."""
    kind = "tuple"

    def convert(self, value):
        if isinstance(value, str):
            value = _literal(value) if value.strip() else ()
        if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
            return (int(value),)
        if not isinstance(value, (tuple, list)) or not all(
                isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value):
            raise AttrValueError(f"{value!r} is not a tuple of ints")
        return tuple(int(v) for v in value)


class IntOrInts(Ints):
    """An axis attribute that is one int or a tuple (``axis`` of reductions): kept as given."""

    def convert(self, value):
        if isinstance(value, str):
            value = _literal(value) if value.strip() else ()
        if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
            return int(value)
        return super().convert(value)


class Dtype(Attr):
    kind = "dtype"

    def convert(self, value):
        try:
            return np.dtype(value.strip() if isinstance(value, str) else value)
        except TypeError as err:
            raise AttrValueError(f"{value!r} is not a dtype") from err

    def format(self, value) -> str:
        return np.dtype(value).name


class Str(Attr):
    """A string, or one of ``choices`` (an enum)."""
    kind = "str"

    def convert(self, value):
        return str(value)
