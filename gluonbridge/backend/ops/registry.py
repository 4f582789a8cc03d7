"""The op table: one :class:`Op` entry per MXNet operator, found under every spelling.

An entry declares, for one MXNet op:

* ``name`` (what MXNet writes into a ``-symbol.json``) and ``aliases``: the other spellings that
  are the same op (1.x ``F.*`` names, 2.x ``npx.*`` names, ``_npx_*``/``_npi_*`` registrations,
  older symbol-file names);
* ``inputs``: the input names in order (``("data", "weight", "bias")``; a variable feeding
  ``weight`` of node ``dense0_fwd`` is what MXNet calls ``dense0_weight``); trailing inputs may
  be absent (``no_bias``); ``"*data"`` for a variable number of inputs; ``aux``: the input names
  that are auxiliary states (``moving_mean``);
* ``attrs``: name -> :class:`~gluonbridge.graph.attrs.Attr` (parser and the *op's* default);
  attributes MXNet accepts that change nothing at inference are in :data:`IGNORED`;
* ``shape(a, *input_shapes) -> output shape`` (or a list, for several outputs) and
  ``weights(a, *input_shapes) -> {input name: shape}`` (the shapes parameter inputs must have,
  so a deferred Parameter completes when traced); ``dtype(a, *input_dtypes) -> output dtype``
  (default: the first input's; with ``uniform`` the parameter inputs must have that dtype too);
* the lowering: the decorated function ``lower(g, a, *inputs) -> Value`` emitting ONNX nodes
  through the builder ``g`` (:class:`gluonbridge.backend.lower.Builder`).

``a`` is an :class:`Attrs`: the parsed attributes by name. Shape rules and parsers reject what
cannot be lowered, so errors appear while tracing (naming the block) or before lowering starts.
"""
from __future__ import annotations

from typing import Callable, Dict, Optional

import numpy as np

from ...graph.attrs import Attr, AttrValueError
from ..errors import unsupported

OPS: Dict[str, "Op"] = {}   # every spelling -> its entry
MAX_PARSED = 1024   # distinct attribute sets remembered per op
IGNORED = frozenset({"cudnn_off", "cudnn_tune", "workspace", "layout_hint", "num_args"})


class Unsupported(Exception):
    """Raised by a shape rule for something the lowering cannot do; the caller turns it into
    a LoweringError naming the block or node and the op."""


class Attrs:
    """Parsed attributes: ``a.kernel``; ``a.raw`` holds the strings (or Python values) given."""

    def __init__(self, values, raw):
        self.__dict__.update(values)
        self.raw = raw

    def __repr__(self):
        return f"Attrs({self.raw})"


class Op:
    def __init__(self, name, aliases=(), inputs=("data",), aux=(), attrs=None, shape=None,
                 weights=None, dtype=None, uniform=True, num_outputs=1, at_trace=None,
                 lower=None):
        self.name, self.aliases = name, tuple(aliases)
        self._inputs, self.aux = inputs if inputs == "*data" else tuple(inputs), tuple(aux)
        self.attrs: Dict[str, Attr] = dict(attrs or {})
        self.shape, self.weights, self.dtype_rule = shape, weights, dtype
        self.uniform, self._num_outputs = uniform, num_outputs
        self.at_trace: Optional[Callable] = at_trace
        self.lower = lower
        self._parsed = {}    # attribute items -> (values, problems), see _parse

    def __repr__(self):
        return f"<Op {self.name}>"

    @property
    def variadic(self) -> bool:
        return self._inputs == "*data"

    def input_names(self, count=None):
        """The names of the inputs (``count`` of them for a variadic op)."""
        if self.variadic:
            return tuple(f"arg{i}" for i in range(count or 0))
        return self._inputs

    def num_outputs(self, raw) -> int:
        """All outputs of a node with attribute strings ``raw``, hidden ones included (what
        ``node_row_ptr`` counts; MXNet 1.9.1's CPU build)."""
        return self._num_outputs(raw) if callable(self._num_outputs) else self._num_outputs

    def aux_positions(self):
        return tuple(i for i, n in enumerate(self.input_names()) if n in self.aux)

    def parse(self, attrs, where) -> Attrs:
        """Parse a node's attributes (strings or Python values); unknown attributes and values
        the lowering does not support raise LoweringError naming ``where``, the op and the
        attribute."""
        values, problems = self._parse(attrs)
        if problems:
            raise unsupported(where, self.name, problems[0])
        return Attrs(values, dict(attrs))

    def attr_problems(self, attrs) -> list:
        """Every attribute of ``attrs`` the lowering does not support (unknown, unparsable or
        an unsupported value; required and missing), as details for :func:`unsupported`."""
        return self._parse(attrs)[1]

    def _parse(self, attrs):
        """``(values, problems)``; attribute strings seen before are parsed once (a graph
        repeats the same attributes on many nodes, and every stage parses them)."""
        key = tuple(attrs.items())
        try:
            values, problems = self._parsed[key]
        except (KeyError, TypeError):       # TypeError: unhashable Python values
            values, problems = self._parse_now(attrs)
            if all(isinstance(v, str) for v in attrs.values()):
                if len(self._parsed) >= MAX_PARSED:
                    self._parsed.clear()
                self._parsed[key] = values, problems
        return dict(values), list(problems)

    def _parse_now(self, attrs):
        values, problems = {}, []
        for key, value in attrs.items():
            if key.startswith("__") or key in IGNORED:
                continue
            spec = self.attrs.get(key)
            if spec is None:
                problems.append(f"attribute {key}={value!r}")
                continue
            try:
                values[key] = spec.parse(value)
            except AttrValueError:
                problems.append(f"{key}={value!r}")
        for key, spec in self.attrs.items():
            if key not in values and key not in attrs:
                if spec.required:
                    problems.append(f"a node without attribute {key!r}")
                values[key] = spec.default
        return values, problems

    def format_attrs(self, kwargs) -> Dict[str, str]:
        """Python keyword arguments as the attribute strings MXNet stores."""
        return {k: (self.attrs[k].format(v) if k in self.attrs else str(v))
                for k, v in kwargs.items()}

    def infer_parsed(self, a, shapes, dtypes, where):
        """``(input shapes, input dtypes, output shapes, output dtypes)`` from the known input
        shapes (None: a parameter of deferred shape)."""
        try:
            return self._infer(a, list(shapes), list(dtypes))
        except Unsupported as err:
            raise unsupported(where, self.name, str(err)) from None

    def _infer(self, a, shapes, dtypes):
        names = self.input_names(len(shapes))
        if self.weights is not None:
            for key, need in self.weights(a, *shapes).items():
                if key in names and names.index(key) < len(shapes):
                    shapes[names.index(key)] = tuple(int(d) for d in need)
        out = self.shape(a, *shapes)
        outs = out if isinstance(out, list) else [out]
        outs = [tuple(int(d) for d in s) for s in outs]
        data_dtype = np.dtype(dtypes[0]) if dtypes else np.dtype(np.float32)
        if self.dtype_rule is not None:
            out_dtype = self.dtype_rule(a, *dtypes)
            out_dtypes = out_dtype if isinstance(out_dtype, list) else [out_dtype] * len(outs)
        else:
            out_dtypes = [data_dtype] * len(outs)
        in_dtypes = [data_dtype] * len(dtypes) if self.uniform else list(dtypes)
        return shapes, in_dtypes, outs, [np.dtype(d) for d in out_dtypes]

    def infer(self, node, shapes, dtypes):
        """The rule :func:`gluonbridge.graph.infer.infer` calls for a graph node."""
        where = f"node '{node.name}'"
        return self.infer_parsed(self.parse(node.attrs, where), shapes, dtypes, where)


def op(name, *aliases, **spec):
    """Decorator declaring the entry whose lowering is the decorated function."""
    def decorate(lower):
        register(Op(name, aliases, lower=lower, **spec))
        return lower
    return decorate


def register(entry: Op) -> Op:
    for spelling in (entry.name,) + entry.aliases:
        if spelling in OPS and OPS[spelling] is not entry:
            raise ValueError(f"op spelling {spelling!r} registered twice")
        OPS[spelling] = entry
    return entry


def lookup(name: str, where: str) -> Op:
    entry = OPS.get(name)
    if entry is None:
        raise unsupported(where, name, "the op")
    return entry


def aux_positions(op_name: str):
    """Input positions of ``op_name`` that are auxiliary states (for variable roles)."""
    entry = OPS.get(op_name)
    return entry.aux_positions() if entry is not None else ()


def num_outputs(node) -> int:
    """Outputs of ``node``'s op, hidden ones included (BatchNorm: 3), for ``node_row_ptr``."""
    entry = OPS.get(node.op)
    return entry.num_outputs(node.attrs) if entry is not None else 1


def graph_rule(node):
    """``lookup`` for :func:`gluonbridge.graph.infer.infer`."""
    return lookup(node.op, f"node '{node.name}'")
