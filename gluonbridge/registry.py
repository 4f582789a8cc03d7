"""Mirrors ``mxnet.registry``: name -> class registries with ``register``/``alias``/``create``
helpers, as optimizers, initializers and metrics use them."""
_REGISTRY = {}


def _table(base_class):
    return _REGISTRY.setdefault(base_class, {})


def get_registry(base_class):
    """A copy of the name -> class table of ``base_class``."""
    return dict(_table(base_class))


def get_register_func(base_class, nickname):
    """A decorator registering subclasses of ``base_class`` under their lower-cased name."""
    def register(klass, name=None):
        if not issubclass(klass, base_class):
            raise TypeError(f"Can only register subclass of {base_class.__name__}")
        _table(base_class)[(name or klass.__name__).lower()] = klass
        return klass
    register.__doc__ = f"Register a {nickname} under its lower-cased class name."
    return register


def get_alias_func(base_class, nickname):
    """A decorator factory ``alias(*names)`` adding extra names for a registered class."""
    def alias(*aliases):
        def decorate(klass):
            for name in aliases:
                get_register_func(base_class, nickname)(klass, name)
            return klass
        return decorate
    return alias


def get_create_func(base_class, nickname):
    """``create(name_or_instance, *args, **kwargs)``: an instance by registered name."""
    def create(*args, **kwargs):
        if not args:
            raise ValueError(f"{nickname} must be specified")
        name, args = args[0], args[1:]
        if isinstance(name, base_class):
            if args or kwargs:
                raise ValueError(f"{nickname} is already an instance; additional arguments are "
                                 "invalid")
            return name
        if not isinstance(name, str):
            raise TypeError(f"{nickname} must be of string type, got {type(name).__name__}")
        table = _table(base_class)
        if name.lower() not in table:
            raise ValueError(f"Cannot find {nickname} {name}. Registered: {sorted(table)}")
        return table[name.lower()](*args, **kwargs)
    return create
