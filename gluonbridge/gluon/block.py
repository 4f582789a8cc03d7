"""Block and HybridBlock: the one owner of the child tree and of the parameter views.

Mirrors ``mxnet.gluon.Block`` of MXNet 1.9.1 (legacy naming) or 2.0.0b1 (structural naming),
whichever policy is active when a block is constructed. Blocks never build names themselves: they
ask their policy (``gluonbridge.naming``). The two views of the parameters:

* ``collect_params(select)`` — legacy: a ParameterDict keyed by full name; structural: a dict keyed
  by structural key.
* ``_collect_params_with_prefix()`` — structural key -> Parameter in both modes (what
  ``save_parameters`` writes), one entry per path.
"""
from __future__ import annotations

import contextlib
import functools
import re
import warnings
import weakref
from collections import OrderedDict

from .. import naming
from ..backend.symbol import ParamRef
from ..backend.trace import as_input_array, current_trace
from ..naming import mode as _mode
from ..naming.policy import NamingModeError
from ..naming.table import ParameterTable
from . import saving
from .parameter import Parameter, ParameterDict
from .utils import HookHandle, indent

_NO_PREFIX_HINT = ("structural naming mirrors MXNet 2, where blocks have no prefix, name or "
                   "name_scope; parameters are keyed by collect_params() structural keys")
_NO_SHARE_HINT = ("legacy naming mirrors MXNet 1.x, which shares parameters with params= at "
                  "construction; share_parameters() is MXNet 2 API")

_RESET_HINT = ("legacy naming mirrors MXNet 1.x, whose blocks have no reset_ctx: use "
               "block.collect_params().reset_ctx(ctx)")

# Containers the Block system itself keeps; none can hold an unregistered Block.
_INTERNAL_CONTAINERS = frozenset(
    ["_children", "_reg_params", "_forward_hooks", "_forward_pre_hooks", "_kwargs", "_layers",
     "_executors"])


class _ModeAttribute:
    """An attribute that exists under one MXNet API only (the one whose ``has_prefixes`` is
    ``prefixes``): reading it under the other raises AttributeError (so ``hasattr`` answers as
    the real MXNet does), with a hint."""

    def __init__(self, prefixes: bool, hint: str, getter):
        self.prefixes = prefixes
        self.hint = hint
        self.getter = getter
        self.__doc__ = getter.__doc__

    def __set_name__(self, owner, name):
        self.attr = name

    def __get__(self, block, owner=None):
        if block is None:
            return self
        if block._naming.api.has_prefixes != self.prefixes:
            raise AttributeError(f"'{type(block).__name__}' object has no attribute "
                                 f"'{self.attr}' ({self.hint})")
        return self.getter(block)


def _only_mx1(getter):
    return _ModeAttribute(True, _NO_PREFIX_HINT, getter)


def _only_mx2(getter):
    return _ModeAttribute(False, _NO_SHARE_HINT, getter)


class Block:
    """Base class of all layers and models: ``Block(prefix=None, params=None)``.

    Under structural naming ``prefix``/``params`` raise TypeError, as MXNet 2's ``Block()`` does.
    Children assigned as attributes (or through :meth:`register_child`) and Parameters assigned as
    attributes are registered, keyed by the attribute name.
    """

    def __init__(self, prefix=None, params=None):
        self._init_block(prefix, params, "Block")

    def _init_block(self, prefix, params, owner):
        policy = naming.current()
        state = self.__dict__
        state["_naming"] = policy
        state["_children"] = OrderedDict()
        state["_reg_params"] = {}
        state["_forward_hooks"] = OrderedDict()
        state["_forward_pre_hooks"] = OrderedDict()
        state["_executors"] = {}
        names = state["_names"] = policy.init_block(self._alias(), prefix, params, owner)
        if names.scope is not None:
            names.scope.block = self
        state["_params"] = ParameterDict(names.params_prefix, names.shared) \
            if policy.api.has_prefixes else self._reg_params
        _mode.note_block_built()

    def __repr__(self):
        modstr = "\n".join(f"  ({key}): {indent(repr(block), 2)}"
                           for key, block in self.__dict__.items() if isinstance(block, Block))
        return f"{type(self).__name__}(\n{modstr}\n)"

    def __setattr__(self, name, value):
        """Registers Blocks and Parameters assigned as attributes."""
        existing = self.__dict__.get(name)  # Blocks and Parameters only ever live here
        if existing is None and not isinstance(value, (Block, Parameter)):
            object.__setattr__(self, name, value)       # the common case: plain attributes
            return
        if existing is not None:
            if isinstance(existing, (Parameter, Block)) and not isinstance(value, type(existing)):
                raise TypeError(f"Changing attribute type for {name} from {type(existing)} to "
                                f"{type(value)}is not allowed.")
        if isinstance(value, Block):
            self.register_child(value, name)
        elif isinstance(value, Parameter):
            self._check_same_policy(value)
            if self._naming.api.has_prefixes and name in self._reg_params:
                raise AssertionError(
                    "Overriding Parameter attribute %s is not allowed. If you want to share "
                    "parameters between blocks, please set 'params' at Block construction instead.")
            self._reg_params[name] = value
        object.__setattr__(self, name, value)

    def _check_same_policy(self, other):
        if other._naming is not self._naming:
            raise NamingModeError(
                f"cannot attach a {type(other).__name__} built under {other._naming.name!r} naming "
                f"to a {type(self).__name__} built under {self._naming.name!r} naming: a model "
                "must be built under one naming mode. Build it entirely inside one "
                "`with gluonbridge.naming.override(...)` block, or pick the mode once with "
                "GLUONBRIDGE_NAMING / gluonbridge.naming.use() before building any Block.")

    def _child_items(self):
        """(name, child Block) in registration order; weak references resolved."""
        if self._naming.api.weak_children:
            return [(name, ref()) for name, ref in self._children.items()]
        return list(self._children.items())

    def _check_container_with_block(self):
        """Warn about Blocks kept in list/tuple/dict attributes: they are not registered."""
        containers = [(k, v) for k, v in self.__dict__.items()
                      if isinstance(v, (list, tuple, dict)) and k not in _INTERNAL_CONTAINERS
                      and not k.startswith("__")]
        if not containers:
            return
        children = {id(child) for _, child in self._child_items()}

        def has_unregistered_block(data):
            if isinstance(data, (list, tuple)):
                return any(has_unregistered_block(e) for e in data)
            if isinstance(data, dict):
                return any(has_unregistered_block(v) for v in data.values())
            return isinstance(data, Block) and id(data) not in children

        for k, v in containers:
            if has_unregistered_block(v):
                warnings.warn(
                    f'"{type(self).__name__}.{k}" is an unregistered container with Blocks. '
                    "Note that Blocks inside the list, tuple or dict will not be registered "
                    "automatically. Make sure to register them using register_child() or "
                    "switching to nn.Sequential/nn.HybridSequential instead. ", stacklevel=3)

    def _own_scope(self):
        """The scope built-in layers create their children in: this block's name_scope under
        legacy naming (as MXNet 1.x layers do), nothing under structural naming."""
        return self._names.scope or contextlib.nullcontext()

    def _new_param(self, local_name, **kwargs):
        """A built-in layer's Parameter: ``params.get`` (named after the prefix) under the 1.x
        API, a Parameter under its local name under the 2.x API."""
        if self._naming.api.has_prefixes:
            return self.params.get(local_name, **kwargs)
        return Parameter(local_name, **kwargs)

    def _alias(self):
        """The hint legacy naming numbers this block by (``dense`` -> ``dense0_``)."""
        return type(self).__name__.lower()

    @_only_mx1
    def prefix(self):
        """Prefix of this block (legacy naming only)."""
        return self._names.prefix

    @_only_mx1
    def name(self):
        """The prefix without one trailing '_' (legacy naming only)."""
        return self._names.name

    @_only_mx1
    def name_scope(self):
        """``with block.name_scope():`` names blocks created inside under this block (legacy)."""
        return lambda: self._names.scope

    @property
    def params(self):
        """This block's own parameters: a ParameterDict (legacy) or attribute -> Parameter."""
        return self._params

    def collect_params(self, select=None):
        """This block's and all descendants' Parameters; ``select`` is a regex (``re.match``)
        on the full name (legacy) or the structural key (structural)."""
        entries = self._naming.collect_params(self, select)
        if not self._naming.api.has_prefixes:
            return entries
        ret = ParameterDict(self.params.prefix)
        ret._params.update(entries)
        return ret

    def _overrides_collect_params(self) -> bool:
        """Does this block's class define its own ``collect_params`` (the policy asks it then)?"""
        return type(self).collect_params is not Block.collect_params

    def parameter_table(self) -> ParameterTable:
        """This model's Parameters as one plain value: structural key -> Parameter, full name ->
        Parameter (1.x API), the prefix and the API (what tracing, loading, name maps and
        compat read)."""
        api = self._naming.api
        by_name = dict(self.collect_params().items()) if api.has_prefixes else {}
        return ParameterTable(self._collect_params_with_prefix(), by_name, self._names.prefix,
                              api, self._naming)

    def _collect_params_with_prefix(self, prefix="", select=None):
        """Structural key -> Parameter, every path (what ``save_parameters`` writes)."""
        if prefix:
            prefix += "."
        pattern = re.compile(select) if select is not None else None
        ret = {prefix + key: p for key, p in self._reg_params.items()
               if pattern is None or pattern.match(prefix + key)}
        for name, child in self._child_items():
            # without select, children get only the prefix, as MXNet 1.9.1 calls them: library
            # blocks overriding this method with 1.9.1's signature (prefix='') keep working
            ret.update(child._collect_params_with_prefix(prefix + name) if select is None
                       else child._collect_params_with_prefix(prefix + name, select))
        return ret

    def structural_params(self, deduplicate=False):
        """The key -> Parameter mapping ``save_parameters(deduplicate=...)`` writes: every path,
        or one entry per distinct Parameter under the last key that reaches it."""
        params = self._collect_params_with_prefix()
        return naming.deduplicate(params.items()) if deduplicate else params

    def register_child(self, block, name=None):
        """Register ``block`` as a child under ``name`` (default: the next index, ``'0'``, ...)."""
        self._check_same_policy(block)
        if name is None:
            name = str(len(self._children))
        self._children[name] = weakref.ref(block) if self._naming.api.weak_children else block

    @_only_mx2
    def share_parameters(self):
        """Tie this block's Parameters to ``shared`` (a collect_params() dict) by structural key."""
        return self._share_parameters

    def _share_parameters(self, shared):
        if shared is None:
            return self
        if not isinstance(shared, dict):
            raise ValueError(f"'shared' should be in type of Dict. Get type {type(shared)}!")
        unused = set(shared)
        self._tie_parameters(shared, unused, "")
        for key in unused:
            warnings.warn(f"Parameter name {key} is not in the current model!")
        return self

    def _tie_parameters(self, shared, unused, prefix):
        if prefix:
            prefix += "."
        for name in list(self._reg_params):
            key = prefix + name
            if shared.get(key) is not None:
                setattr(self, name, shared[key])
                unused.discard(key)
        for name, child in self._child_items():
            child._tie_parameters(shared, unused, prefix + name)

    def register_forward_pre_hook(self, hook):
        """Call ``hook(block, args)`` before every forward; returns a handle to ``detach()``."""
        handle = HookHandle()
        handle.attach(self._forward_pre_hooks, hook)
        return handle

    def register_forward_hook(self, hook):
        """Call ``hook(block, args, out)`` after every forward; returns a handle to
        ``detach()``."""
        handle = HookHandle()
        handle.attach(self._forward_hooks, hook)
        return handle

    def apply(self, fn):
        """Call ``fn`` on every descendant, then on this block; returns self."""
        for _, child in self._child_items():
            child.apply(fn)
        fn(self)
        return self

    def hybridize(self, active=True, **kwargs):
        for _, child in self._child_items():
            child.hybridize(active, **kwargs)

    def initialize(self, init=None, ctx=None, verbose=False, force_reinit=False):
        """Initialize every Parameter now, or at the first forward pass where shapes are still
        unknown (``init`` is the default for Parameters without their own initializer)."""
        seen = set()
        for param in self.collect_params().values():
            if id(param) not in seen:
                seen.add(id(param))
                param.initialize(None, ctx, init, force_reinit)

    def cast(self, dtype):
        """Cast every Parameter to ``dtype``."""
        for param in self.collect_params().values():
            param.cast(dtype)

    @functools.partial(_ModeAttribute, False, _RESET_HINT)
    def reset_ctx(self):
        """Move every Parameter to ``ctx`` (MXNet 2; in 1.x: ``collect_params().reset_ctx``)."""
        return self._reset_device

    @functools.partial(_ModeAttribute, False, _RESET_HINT)
    def reset_device(self):
        """Move every Parameter to ``device`` (the CPU: a GPU raises)."""
        return self._reset_device

    def _reset_device(self, ctx):
        for param in self.collect_params().values():
            param.reset_ctx(ctx)

    # -- checkpoints (see saving.py) -------------------------------------------------------
    def save_parameters(self, filename, deduplicate=False):
        """Write the Parameters keyed by structural key, as this mode's MXNet does: the 1.x
        binary format (legacy) or ``.npz`` (structural). ``deduplicate`` writes a shared
        Parameter once."""
        saving.save_block(self, filename, deduplicate)

    def load_parameters(self, filename, ctx=None, allow_missing=False, ignore_extra=False,
                        cast_dtype=False, dtype_source="current", *, device=None, namemap=None):
        """Load a checkpoint in any format (1.x ``.params``, ``.npz``, safetensors, ONNX) and
        either naming (structural keys, or 1.x full names; ``namemap`` maps other names).
        Every problem is listed in one :class:`~gluonbridge.gluon.saving.ParameterLoadError`;
        returns the :class:`~gluonbridge.translate.LoadReport`."""
        return saving.load_block(self, filename, allow_missing, ignore_extra, cast_dtype,
                                 dtype_source, namemap)

    def load_dict(self, param_dict, device=None, allow_missing=False, ignore_extra=False,
                  cast_dtype=False, dtype_source="current", *, namemap=None):
        """Load ``{key: array}`` the way :meth:`load_parameters` loads a file."""
        return saving.load_block_dict(self, param_dict, allow_missing, ignore_extra, cast_dtype,
                                      dtype_source, namemap)

    @_only_mx1
    def save_params(self):
        """[Deprecated in MXNet 1.x] ``collect_params().save(f, strip_prefix=self.prefix)``."""
        def save_params(filename):
            warnings.warn("save_params is deprecated. Please use save_parameters.")
            self.collect_params().save(filename, strip_prefix=self.prefix)
        return save_params

    @_only_mx1
    def load_params(self):
        """[Deprecated in MXNet 1.x] :meth:`load_parameters`."""
        def load_params(filename, ctx=None, allow_missing=False, ignore_extra=False):
            warnings.warn("load_params is deprecated. Please use load_parameters.")
            return self.load_parameters(filename, ctx, allow_missing, ignore_extra)
        return load_params

    def __call__(self, *args):
        for hook in self._forward_pre_hooks.values():
            hook(self, args)
        out = self._call_impl(*args)
        for hook in self._forward_hooks.values():
            hook(self, args, out)
        return out

    def _call_impl(self, *args):
        return self.forward(*args)

    def forward(self, *args):
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")


class HybridBlock(Block):
    """A Block whose children are all HybridBlocks (so the whole tree can be lowered to a graph)."""

    def __init__(self, prefix=None, params=None):
        self._init_block(prefix, params, "HybridBlock")
        self._active = False

    def register_child(self, block, name=None):
        if not isinstance(block, HybridBlock):
            raise ValueError(
                f"Children of HybridBlock must also be HybridBlock, but {block} has type "
                f"{type(block)}. If you are using Sequential, please try HybridSequential instead.")
        super().register_child(block, name)
        self._clear_cached_op()

    def _clear_cached_op(self):
        """Forget traced graphs and sessions (the structure changed)."""
        from .export import forget_recording
        self.__dict__.get("_executors", {}).clear()
        forget_recording(self)

    def hybridize(self, active=True, **kwargs):
        from .export import forget_recording
        self._active = active
        forget_recording(self)
        super().hybridize(active, **kwargs)

    def _call_impl(self, *args):
        """As MXNet 1.x calls ``forward``: a subclass's own ``forward`` around its
        ``hybrid_forward`` (GluonNLP's TransformerOneStepDecoder) runs, and its
        ``super().forward(...)`` lands in :meth:`forward`; the trace of the block's own call
        records that hybrid part."""
        if self.__dict__.get("_tracing_own_call") or not self._wraps_hybrid_forward():
            return HybridBlock.forward(self, *args)
        return self.forward(*args)

    def _wraps_hybrid_forward(self):
        """Whether ``forward`` is defined where ``hybrid_forward`` is, or below it."""
        if not hasattr(self, "hybrid_forward"):
            return False
        mro = type(self).__mro__
        owner = next(k for k in mro if "forward" in k.__dict__)
        hybrid_owner = next(k for k in mro if "hybrid_forward" in k.__dict__)
        return owner is not HybridBlock and issubclass(owner, hybrid_owner)

    def forward(self, *args):
        """Inside a trace: record this block's ops (``hybrid_forward(F, x, **params)`` in the
        1.x style, else the subclass's ``forward(x)``). On arrays: run the traced ONNX graph of
        this signature, tracing it on first use."""
        tracer = current_trace()
        if tracer is None:
            return self._execute(args)
        with tracer.block_scope(self):
            if hasattr(self, "hybrid_forward"):
                tracer.declare_variables(self._reg_params.values())
                params = {name: ParamRef(p) for name, p in self._reg_params.items()}
                return self.hybrid_forward(tracer.namespace, *args, **params)
            if type(self).forward is HybridBlock.forward:
                raise NotImplementedError(f"{type(self).__name__} does not define forward()")
            return self.forward(*args)

    def _execute(self, args):
        """Run on arrays; nested lists/tuples of arrays (recurrent states) are flattened into
        the graph's inputs and the result rebuilt with the structure the block returned."""
        from ..backend import nest, runtime
        leaves, spec = nest.flatten(tuple(args))
        arrays = [as_input_array(a) for a in leaves]
        self.__dict__["_tracing_own_call"] = True   # the trace records _call_impl: no 2nd hooks
        try:
            executor = runtime.executor_for(self, self._executors, arrays, runtime.current(),
                                            spec)
        finally:
            self.__dict__["_tracing_own_call"] = False
        if self._active:
            from .export import record
            record(self, executor.graph)
        return executor.run(arrays)

    def export(self, path, epoch=0, remove_amp_cast=True):
        """Write ``path-symbol.json`` and ``path-%04d.params`` of the last traced signature, as
        this mode's MXNet does (see :mod:`gluonbridge.gluon.export`)."""
        from .export import export
        return export(self, path, epoch, remove_amp_cast)

    def export_onnx(self, path, *example_inputs):
        """Write this block as an ONNX model: traced on ``example_inputs`` if given, else the
        last signature it ran on. Weights are initializers named by the naming mode."""
        from ..backend.runtime import Executor
        from ..atomic import atomic_output
        if example_inputs:
            arrays = [as_input_array(a) for a in example_inputs]
            model = Executor(self, arrays, None, session=False).model
        elif self._executors:
            model = list(self._executors.values())[-1].model
        else:
            raise ValueError(f"{type(self).__name__}.export_onnx: the block has not run yet; "
                             "pass example inputs: export_onnx(path, x)")
        with atomic_output(path, force=True) as fh:
            fh.write(model.SerializeToString())
        return path
