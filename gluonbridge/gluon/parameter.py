"""Parameter, Constant and (MXNet 1.x) ParameterDict, named by the active naming policy.

A Parameter remembers the policy it was created under. Under legacy naming its ``name`` is the
full prefixed name (``dense0_weight``) and can be reassigned, as in MXNet 1.x; under structural
naming it is the local name (``weight``), read-only, and the graph variable is named from a uuid,
as in MXNet 2.x.
"""
from __future__ import annotations

import uuid
import warnings
from collections import OrderedDict

import numpy as np

from .. import naming
from ..ndarray import NDArray
from .utils import indent

mx_real_t = np.float32
_VALID_STYPES = ("default", "row_sparse", "csr")
_REQUIRED = object()


class DeferredInitializationError(RuntimeError):
    """A Parameter's shape is not known yet (it is inferred at the first forward pass)."""


class ParameterData(NDArray):
    """What ``Parameter.data()`` returns: an NDArray over the Parameter's memory. A write into
    it (``p.data()[:] = x``, ``p.data()[0] += 1``, also through a view of it) marks the
    Parameter changed, so graphs traced with the old values are traced again."""

    _owner = None

    def __array_finalize__(self, obj):
        owner = getattr(obj, "_owner", None)
        if owner is not None and np.may_share_memory(self, obj):
            self._owner = owner

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        if self._owner is not None:
            self._owner._version += 1


class Parameter:
    """A named tensor of a Block: ``Parameter(name, grad_req='write', shape=None, ...)``.

    MXNet 1.x requires ``name``; MXNet 2.x defaults it to ``'weight'``. Data (``set_data``/
    ``data``) is held as a numpy array once loaded or initialized.
    """

    def __init__(self, name=_REQUIRED, grad_req="write", shape=None, dtype=mx_real_t,
                 lr_mult=1.0, wd_mult=1.0, init=None, allow_deferred_init=False,
                 differentiable=True, stype="default", grad_stype="default"):
        self._naming = naming.current()
        if name is _REQUIRED:
            if self._naming.api.has_prefixes:
                raise TypeError(f"{type(self).__name__}.__init__() missing 1 required positional "
                                "argument: 'name'")
            name = "weight"
        self._uuid_value = None
        self._var_name = None
        self._data = None
        self._version = 0          # bumped whenever the data changes (executors re-trace)
        self._deferred_init = ()
        self._differentiable = differentiable
        self._allow_deferred_init = allow_deferred_init
        self._grad_req = None
        if isinstance(shape, int):
            shape = (shape,)
        self._shape = shape
        self._name = name
        self._dtype = dtype
        self.lr_mult = lr_mult
        self.wd_mult = wd_mult
        self.grad_req = grad_req
        self.init = init
        if grad_stype not in _VALID_STYPES:
            raise AssertionError(f"grad_stype for Parameter '{name}' must be one of 'default', "
                                 f"'row_sparse', or 'csr', but got '{grad_stype}'")
        if stype not in _VALID_STYPES:
            raise AssertionError(f"stype for Parameter '{name}' must be one of 'default', "
                                 f"'row_sparse', or 'csr', but got '{stype}'")
        self._grad_stype = grad_stype
        self._stype = stype

    def __repr__(self):
        kind = type(self).__name__ if isinstance(self, Constant) else "Parameter"
        if self._naming.api.has_prefixes:
            return f"{kind} {self.name} (shape={self.shape}, dtype={self.dtype})"
        return f"{kind} (shape={self.shape}, dtype={self.dtype})"

    @property
    def name(self):
        """Full prefixed name under legacy naming; the local name under structural naming."""
        return self._name

    @name.setter
    def name(self, value):
        if not self._naming.api.has_prefixes:
            raise AttributeError("property 'name' of 'Parameter' object has no setter "
                                 "(structural naming, as in MXNet 2: names are fixed)")
        self._name = value

    @property
    def grad_req(self):
        return self._grad_req

    @grad_req.setter
    def grad_req(self, req):
        if req not in ("write", "add", "null"):
            raise AssertionError(f"grad_req must be one of 'write', 'add', or 'null', but got "
                                 f"'{req}'")
        self._grad_req = req if self._differentiable else "null"

    @property
    def dtype(self):
        return self._dtype

    @dtype.setter
    def dtype(self, dtype):
        self.cast(dtype)

    def cast(self, dtype):
        """Cast the data (if any) to ``dtype``."""
        self._dtype = dtype
        if self._data is not None:
            self._set(self._data.astype(dtype))

    @property
    def shape(self):
        """The shape; an unknown dimension shows as 0 (legacy) or -1 (structural)."""
        if self._shape is None:
            return None
        unknown = self._naming.api.unknown_dim
        if unknown == 0:
            return self._shape
        return tuple(unknown if d == 0 else d for d in self._shape)

    @shape.setter
    def shape(self, new_shape):
        if self._shape is None:
            self._shape = new_shape
            return
        if not (len(self._shape) == len(new_shape)
                and all(j in (-1, 0, i) for i, j in zip(new_shape, self._shape))):
            raise AssertionError(f"Expected shape {new_shape} is incompatible with given shape "
                                 f"{self._shape}.")
        self._shape = new_shape

    @property
    def _uuid(self) -> str:
        """A uuid4 string, as MXNet 2 gives every Parameter (made on first use)."""
        if self._uuid_value is None:
            self._uuid_value = str(uuid.uuid4())
        return self._uuid_value

    @property
    def variable_name(self) -> str:
        """The graph variable name (symbol JSON / ONNX initializer) under this Parameter's policy."""
        if self._var_name is None:
            self._var_name = self._naming.variable_name(self)
        return self._var_name

    # -- data ----------------------------------------------------------------------------
    def initialize(self, init=None, ctx=None, default_init=None, force_reinit=False):
        """Fill the data now, or at the first forward pass when the shape is not yet known.

        ``init`` (or the Parameter's own ``init``) is used as given; otherwise ``default_init``
        (default Uniform) fills weights and names ending in bias/beta/gamma/running_* get their
        usual zeros/ones.
        """
        if self._data is not None and not force_reinit:
            warnings.warn(f"Parameter '{self.name}' is already initialized, ignoring. Set "
                          "force_reinit=True to re-initialize.", stacklevel=2)
            return
        self._data = None
        from ..initializer import RNNFused
        if isinstance(self.init, RNNFused):     # as MXNet 2: it applies the global initializer
            self.init.set_initializer(init if init else default_init)
            init = self.init
        self._deferred_init = (init, default_init)
        if self._shape is not None and all(d > 0 for d in self._shape):
            self._finish_deferred_init()
        elif not self._allow_deferred_init:
            raise ValueError(f"Cannot initialize Parameter '{self.name}' because it has invalid "
                             f"shape: {self.shape}.")

    def _finish_deferred_init(self):
        from .. import initializer
        init, default_init = self._deferred_init
        own = init if init is not None else self.init
        arr = np.zeros(self._shape, dtype=self._dtype)
        if own is not None:
            initializer.create(own)._init_weight(self.name, arr)
        else:
            initializer.create(default_init or initializer.Uniform())(self.name, arr)
        self._deferred_init = ()
        self._set(arr)

    def _complete_shape(self, shape):
        """Fill the unknown dimensions from ``shape`` (what an op needs), then make sure data
        exists: finish deferred initialization, or explain what is missing."""
        if self._shape is None or any(d <= 0 for d in self._shape):
            self.shape = tuple(shape)
        elif tuple(self._shape) != tuple(shape):
            raise AssertionError(f"expected shape {tuple(shape)}, but the Parameter has shape "
                                 f"{tuple(self._shape)}")
        if self._data is None:
            if not self._deferred_init:
                raise DeferredInitializationError(
                    f"Parameter '{self.name}' has not been initialized. Call "
                    "block.initialize() or load_parameters() before running the block.")
            self._finish_deferred_init()

    # -- the public interface the backend and the translation layer read ---------------
    @property
    def version(self) -> int:
        """A counter bumped whenever the data changes (traced graphs bound to it go stale)."""
        return self._version

    @property
    def raw_shape(self):
        """The shape with unknown dimensions as 0 whatever the naming mode (None if unset)."""
        return None if self._shape is None else tuple(self._shape)

    def complete_shape(self, shape):
        """Fill the unknown dimensions from ``shape`` and make sure data exists (deferred
        initialization finished); the public name of what ops call when they bind a weight."""
        self._complete_shape(shape)

    def array(self):
        """The numpy array held (no trace involved); DeferredInitializationError if none."""
        if self._data is None:
            raise DeferredInitializationError(
                f"Parameter '{self.name}' has not been initialized or loaded yet")
        return self._data

    def _set(self, array):
        self._data = array
        self._version += 1

    def set_data(self, data):
        """Set the value (any array-like); fixes unknown dimensions of the shape."""
        data = np.asarray(data)
        if self._shape is not None:
            self.shape = tuple(data.shape)
        else:
            self._shape = tuple(data.shape)
        self._set(data)

    def data(self, ctx=None):
        """The value as an NDArray sharing the Parameter's memory (as in MXNet, writing into
        it, ``p.data()[:] = x``, changes the Parameter); inside a trace, the symbolic value
        the op graph refers to."""
        from ..backend.trace import current_trace
        if current_trace() is not None:
            from ..backend.symbol import ParamRef
            return ParamRef(self)
        data = self.array().view(ParameterData)
        data._owner = self
        return data

    def list_data(self):
        return [self.data()]

    def reset_ctx(self, ctx):
        """Move the data to ``ctx``: a no-op on the CPU (the only device gluonbridge computes
        on); a GPU context raises. ValueError before initialization, as in MXNet."""
        from ..device import check_runnable
        check_runnable(ctx, f"Parameter '{self.name}'.reset_ctx")
        if self._data is None and not self._deferred_init:
            word = "device" if self._naming.api.numpy_arrays else "context"
            raise ValueError(f"Cannot reset {word} for Parameter '{self.name}' because it has "
                             "not been initialized.")

    reset_device = reset_ctx


class Constant(Parameter):
    """An immutable Parameter: ``Constant(name, value)`` (MXNet 1.x) or ``Constant(value)`` (2.x)."""

    def __init__(self, *args):
        api = naming.current().api
        if api.has_prefixes:
            if len(args) != 2:
                raise TypeError("Constant.__init__() takes 'name' and 'value' "
                                f"(MXNet 1.x signature), got {len(args)} arguments")
            name, value = args
        else:
            if len(args) != 1:
                raise TypeError("Constant.__init__() takes 'value' only (MXNet 2.x signature), "
                                f"got {len(args)} arguments")
            name, value = "const", args[0]
        # MXNet 1.9.1 and 2.0.0b1 keep the dtype of an NDArray value; anything else (numpy
        # arrays of any dtype, lists) becomes float32
        from ..ndarray import NDArray
        value = np.asarray(value, dtype=value.dtype if isinstance(value, NDArray) else mx_real_t)
        self.value = value
        # MXNet 1.x reports NDArray dtypes as numpy scalar types, 2.x as numpy dtypes
        super().__init__(name, grad_req="null", shape=value.shape, dtype=api.dtype(value.dtype),
                         init=f"Constant_{name}_{id(self)}")
        self._set(value)

    def initialize(self, init=None, ctx=None, default_init=None, force_reinit=False):
        """A Constant's value is its data: initializing changes nothing."""

    @property
    def grad_req(self):
        return "null"

    @grad_req.setter
    def grad_req(self, req):
        pass


class ParameterDict:
    """MXNet 1.x's dictionary of Parameters: names are ``prefix + name``; ``shared`` is looked up
    (one level deep) before a new Parameter is created."""

    def __init__(self, prefix="", shared=None):
        self._prefix = prefix
        self._params = OrderedDict()
        self._shared = shared

    def __repr__(self):
        name = self._prefix + " " if self._prefix else ""
        content = "\n".join(indent(f"  {v}", 2) for v in self.values())
        return f"{name}(\n{content}\n)"

    def __getitem__(self, key):
        return self._params[key]

    def __iter__(self):
        return iter(self._params)

    def __len__(self):
        return len(self._params)

    def __contains__(self, key):
        return key in self._params

    def items(self):
        return self._params.items()

    def keys(self):
        return self._params.keys()

    def values(self):
        return self._params.values()

    @property
    def prefix(self):
        """Prepended to the name of every Parameter created with :meth:`get`."""
        return self._prefix

    def _get_impl(self, name):
        if name in self._params:
            return self._params[name]
        if self._shared is not None and name in self._shared._params:
            self._params[name] = self._shared._params[name]
            return self._shared._params[name]
        return None

    def get(self, name, **kwargs):
        """The Parameter ``prefix + name``: from this dict, else from ``shared``, else new.

        Keyword arguments must agree with an existing Parameter's attributes; unknown (0/-1)
        dimensions of ``shape`` merge with known ones.
        """
        name = self.prefix + name
        param = self._get_impl(name)
        if param is None:
            param = Parameter(name, **kwargs)
            self._params[name] = param
            return param
        for k, v in kwargs.items():
            if hasattr(param, k) and getattr(param, k) is not None:
                existing = getattr(param, k)
                if k == "shape" and len(v) == len(existing):
                    merged = _merge_shapes(v, existing)
                    if merged is not None:
                        param._shape = merged
                        continue
                elif k == "dtype" and np.dtype(v) == np.dtype(existing):
                    continue
                if not (v is None or v == existing):
                    raise AssertionError(
                        f"Cannot retrieve Parameter '{name}' because desired attribute does not "
                        f"match with stored for attribute '{k}': desired '{v}' vs stored "
                        f"'{existing}'.")
            else:
                setattr(param, k, v)
        return param

    def get_constant(self, name, value=None):
        """The Constant ``prefix + name``: existing, or new from ``value``."""
        name = self.prefix + name
        param = self._get_impl(name)
        if param is None:
            if value is None:
                raise KeyError(f"No constant named '{name}'. Please specify value if you want to "
                               "create a new constant.")
            param = Constant(name, value)
            self._params[name] = param
        elif value is not None:
            if not isinstance(param, Constant):
                raise AssertionError(f"Parameter '{name}' already exists but it is not a "
                                     "constant.")
            value = np.asarray(value)
            if not (param.shape == value.shape and (param.value == value).all()):
                raise AssertionError(f"Constant '{name}' already exists but it's value doesn't "
                                     "match new value")
        return param

    def update(self, other):
        """Copy every Parameter of ``other`` in; a different Parameter under a taken name fails."""
        for k, v in other.items():
            if k in self._params and self._params[k] is not v:
                raise AssertionError(
                    "Cannot update self with other because they have different Parameters with "
                    f"the same name '{k}'")
        for k, v in other.items():
            self._params[k] = v

    def initialize(self, init=None, ctx=None, verbose=False, force_reinit=False):
        """Initialize every Parameter (``init`` is the default for those without their own)."""
        for param in self.values():
            param.initialize(None, ctx, init, force_reinit)

    def reset_ctx(self, ctx):
        """``reset_ctx(ctx)`` on every Parameter (the CPU only: a GPU raises)."""
        for param in self.values():
            param.reset_ctx(ctx)

    def setattr(self, name, value):
        """Set an attribute on every Parameter (e.g. ``setattr('grad_req', 'null')``)."""
        for param in self.values():
            setattr(param, name, value)

    def save(self, filename, strip_prefix=""):
        """Write every Parameter to ``filename`` (MXNet 1.x binary) keyed by full name minus
        ``strip_prefix``."""
        from .saving import save_parameter_dict
        save_parameter_dict(self, filename, strip_prefix)

    def load(self, filename, ctx=None, allow_missing=False, ignore_extra=False,
             restore_prefix="", cast_dtype=False, dtype_source="current"):
        """Load ``filename`` (any format gluonbridge reads) by full name, ``restore_prefix``
        prepended to the file's keys; returns the load report."""
        from .saving import load_parameter_dict, read_named_arrays
        return load_parameter_dict(self, read_named_arrays(filename), str(filename),
                                   allow_missing, ignore_extra, restore_prefix, cast_dtype,
                                   dtype_source)

    def load_dict(self, param_dict, ctx=None, allow_missing=False, ignore_extra=False,
                  restore_prefix="", filename=None, cast_dtype=False, dtype_source="current"):
        """Load ``{full name: array}`` (``arg:``/``aux:`` roles allowed); returns the report."""
        from .saving import load_parameter_dict
        return load_parameter_dict(self, param_dict, filename or "param_dict", allow_missing,
                                   ignore_extra, restore_prefix, cast_dtype, dtype_source)


def _merge_shapes(desired, stored):
    """The shape both agree on (unknown 0/-1 dimensions filled from the other), or None."""
    merged = []
    for d1, d2 in zip(desired, stored):
        if d1 != d2 and d1 > 0 and d2 > 0:
            return None
        merged.append(d2 if d1 in (0, -1) and d1 != d2 else d1)
    return tuple(merged)
