"""A disk cache of onnxruntime's optimized models: a block's first call in a later process loads
the graph onnxruntime optimized before (fusions done, weights folded and laid out) instead of
optimizing again (resnet50_v1: 0.02 s instead of 0.3-1.5 s; see the README's Benchmarks
section).

    $XDG_CACHE_HOME/gluonbridge/onnxruntime/<key>/model.onnx    (default ~/.cache/gluonbridge/...)
    $XDG_CACHE_HOME/gluonbridge/onnxruntime/<key>/weights.bin   its initializers (external data)
    GLUONBRIDGE_SESSION_CACHE=0                                  # off
    GLUONBRIDGE_QUICK_START=0        # a large graph's first call waits for the optimized session

The weights sit in their own file, which onnxruntime memory-maps when it loads the entry: a hit
neither reads nor copies them (the pages come from the page cache as the first call touches
them). The key is a BLAKE3 hash of everything the optimized model depends on (:func:`key`): the
lowered graph with every initializer's bytes, onnxruntime's version, the optimization options
and the CPU (onnxruntime's layout transformations depend on its vector width). A hit needs
neither the ModelProto nor the onnx package (whose import alone costs 0.7 s or more). An entry
is a directory written atomically (:func:`gluonbridge.atomic.atomic_directory`: concurrent
writers each write their own temporary directory, one wins, a reader sees a complete entry or
none); an entry onnxruntime cannot load (truncated, corrupt) is rebuilt and replaced. Beyond
:data:`MAX_BYTES` the least recently used entries are removed. Graphs under :data:`MIN_NODES`
nodes are not cached: they build in milliseconds.

A miss does not wait for the entry, nor for onnxruntime's full optimization: a large graph's
first session is built with :data:`QUICK_LEVEL` only (resnet50_v1: ~50 ms instead of
200-500 ms; no layout transformation, so it runs ~1.3x slower), and once its first run has
returned (so the two do not compete for the cores and the memory), a thread builds the fully
optimized session, which writes the entry on the way and then takes over (the memory of a
second session meanwhile; one thread works through every model's, one at a time); the
process's end waits for the entries (:func:`wait`). With the cache off the same happens without
the entry. The two sessions' kernels differ: the first call's outputs may differ from later
calls' in the last bits.
"""
from __future__ import annotations

import collections
import contextlib
import os
import shutil
import threading
import time
import weakref
from pathlib import Path

import blake3
import numpy as np

from . import cpu

FORMAT = 3                  # bump when what an entry holds changes (2: a directory; 3: BLAKE3 keys)
MAX_BYTES = 2 << 30         # the cache's size bound (2 GiB)
MIN_NODES = 50
STALE_TEMPORARY_S = 3600    # a writer's temporary file older than this was left by a crash
PROVIDERS = ["CPUExecutionProvider"]
QUICK_LEVEL = "ORT_ENABLE_BASIC"    # a large graph's first session (see session())
MODEL, WEIGHTS = "model.onnx", "weights.bin"     # an entry's files


def directory():
    """The cache directory, or None when GLUONBRIDGE_SESSION_CACHE=0."""
    if os.environ.get("GLUONBRIDGE_SESSION_CACHE", "1") == "0":
        return None
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root) / "gluonbridge" / "onnxruntime"


def entry(lowered):
    """The cache entry (a directory's path) for a :class:`.lower.Lowered` graph, or None: the
    cache is off, or the graph is smaller than :data:`MIN_NODES`."""
    folder = directory()
    if folder is None or len(lowered.nodes) < MIN_NODES:
        return None
    return folder / key(lowered)


def quick_start(lowered) -> bool:
    """Whether ``lowered``'s session starts quick (see :func:`session`): a graph of
    :data:`MIN_NODES` nodes or more, unless GLUONBRIDGE_QUICK_START=0 (every call then gets
    the fully optimized session's bits, the first one too)."""
    return (len(lowered.nodes) >= MIN_NODES
            and os.environ.get("GLUONBRIDGE_QUICK_START", "1") != "0")


def key(lowered) -> str:
    """A BLAKE3 hash of everything onnxruntime's optimized model of ``lowered`` depends on: its
    nodes, inputs, outputs, opset and initializers (bytes included), onnxruntime's version and
    optimization options, and the CPU."""
    import onnxruntime
    digest = blake3.blake3()
    options = onnxruntime.SessionOptions().graph_optimization_level
    for part in (FORMAT, onnxruntime.__version__, options, PROVIDERS, cpu.description(), lowered.name,
                 lowered.opset, lowered.inputs, lowered.outputs):
        digest.update(repr(part).encode() + b"\0")
    for op, inputs, outputs, attrs in lowered.nodes:
        digest.update(repr((op, inputs, outputs, sorted(attrs))).encode())
        for name in sorted(attrs):
            _update(digest, attrs[name])
    for name, array in lowered.initializers.items():
        digest.update(repr(name).encode())
        _update(digest, array)
    return digest.hexdigest()


def _update(digest, value):
    """Feed an attribute or initializer value to ``digest`` exactly (arrays by their bytes, not
    their repr, which elides)."""
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.ascontiguousarray(value)
        digest.update(f"array {array.dtype.str} {array.shape}\0".encode())
        digest.update(array.reshape(-1).view(np.uint8))     # any dtype, bfloat16 included
    elif isinstance(value, (list, tuple)):
        digest.update(f"list {len(value)}\0".encode())
        for item in value:
            _update(digest, item)
    elif hasattr(value, "SerializeToString"):               # an onnx tensor or graph
        data = value.SerializeToString()
        digest.update(f"proto {type(value).__name__} {len(data)}\0".encode() + data)
    else:
        digest.update(f"{type(value).__name__} {value!r}\0".encode())


def session(build, make_options, path=None, quick_start=False):
    """A :class:`Session` of the graph ``build() -> (model bytes, external weights)`` gives,
    loaded from the cache entry ``path`` when it holds a model that loads (``build`` is not
    called then). Else made from ``build()``: fully optimized at once, or, with
    ``quick_start``, first with :data:`QUICK_LEVEL` only; then, once the first run has
    returned (:meth:`Session.run`), a fully optimized session made on a thread of its own
    writes the entry ``path`` (None: no entry) and takes over. ``make_options()`` gives fresh
    SessionOptions (threads set)."""
    import onnxruntime as ort
    if path is not None:
        loaded = _load(path, make_options)
        if loaded is not None:
            return Session(loaded)
    data, weights = build()
    keep = [ort.OrtValue.ortvalue_from_numpy(a) for a in weights.values()]

    def options(level=None):
        fresh = make_options()
        if level is not None:
            fresh.graph_optimization_level = getattr(ort.GraphOptimizationLevel, level)
        if keep:
            fresh.add_external_initializers(list(weights), keep)
        return fresh
    level = QUICK_LEVEL if quick_start else None
    made = Session(ort.InferenceSession(data, options(level), providers=PROVIDERS), keep)
    if quick_start or path is not None:
        made.after_first_run(lambda: _optimize_in_background(made, path, data, options))
    return made


class Session:
    """An onnxruntime session, which a faster one of the same graph may replace while it is in
    use (:func:`session`'s quick start): ``run`` goes to whichever is current."""

    def __init__(self, current, keep=()):
        self.current = current
        self.keep = keep            # OrtValues the sessions may point into: held while they live
        self.input_names = [i.name for i in current.get_inputs()]
        self.optimization = None    # what the optimizer thread needs, while queued
        self._pending = {}

    def after_first_run(self, start):
        """Call ``start()`` once, when the first run has returned."""
        self._pending["start"] = start

    def run(self, feeds):
        """The outputs for ``feeds`` (input name -> array)."""
        try:
            return self.current.run(None, feeds)
        finally:
            start = self._pending.pop("start", None)     # once, whichever thread runs first
            if start is not None:
                start()


def _load(path, make_options):
    """The session of a cached optimized model, or None (no entry, or one that fails to load)."""
    import onnxruntime as ort
    model = path / MODEL
    if not model.exists():
        return None
    options = make_options()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL  # done before
    try:
        session = ort.InferenceSession(str(model), options, providers=PROVIDERS)
    except Exception:   # truncated, corrupt, removed meanwhile: onnxruntime's errors vary
        return None
    with contextlib.suppress(OSError):
        os.utime(path)   # recently used: pruned last
    return session


_jobs = collections.deque()     # weak references to Sessions waiting for their optimized session
_optimizer = None               # the thread working through _jobs, one at a time
_lock = threading.Lock()


def _forget_threads_in_child():
    """A forked child has none of its parent's threads (and maybe a lock held by one)."""
    global _optimizer, _lock
    _jobs.clear()
    _optimizer = None
    _lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_threads_in_child)


def _optimize_in_background(target, path, data, options):
    """Queue ``target`` for its fully optimized session, which writes the entry ``path``
    (None: no entry) and becomes ``target``'s current session. One thread works through the
    queue, so a process building many models holds at most one extra session at a time; a
    Session dropped while it waits (its executor replaced, its block gone) is skipped. The
    thread is not a daemon: the process's end waits for the entries to be written (sessions
    that write no entry are skipped then: no one would run them)."""
    global _optimizer
    target.optimization = (path, data, options)
    with _lock:
        _jobs.append(weakref.ref(target))
        if _optimizer is None:
            _optimizer = threading.Thread(target=_work_through_jobs,
                                          name="gluonbridge session optimizer")
            _optimizer.start()


def _work_through_jobs():
    """The optimizer thread: optimize the queued Sessions still alive, one by one."""
    global _optimizer
    while True:
        with _lock:
            if not _jobs:
                _optimizer = None
                return
            target = _jobs.popleft()()
        if target is None:
            continue
        path, data, options = target.optimization
        target.optimization = None
        if path is not None or threading.main_thread().is_alive():
            _optimize(target, path, data, options)


def _optimize(target, path, data, options):
    """Make ``target``'s fully optimized session, writing the entry ``path`` unless None."""
    import onnxruntime as ort
    try:
        optimized = _write(path, data, options) if path is not None else None
        if optimized is None:
            optimized = ort.InferenceSession(data, options(), providers=PROVIDERS)
        target.current = optimized
    except Exception:   # onnxruntime failing to optimize: the quick session stays
        pass


def busy() -> bool:
    """Whether a session is being optimized, or waits to be."""
    with _lock:
        return _optimizer is not None


def wait() -> None:
    """Wait until every session this process queued is optimized (or skipped), and every
    entry written (or given up)."""
    while True:
        with _lock:
            thread = _optimizer
        if thread is None:
            return
        thread.join()


def _write(path, data, options):
    """A fully optimized session made from ``data`` and ``options()``, onnxruntime writing
    its optimized model and the model's weights into the cache entry ``path`` meanwhile; None
    when the entry cannot be written (read-only or full cache, onnxruntime failing to write)."""
    import onnxruntime as ort
    from ..atomic import atomic_directory
    options = options()
    # onnxruntime warns that a layout-optimized model only suits this CPU: the key holds it
    options.log_severity_level = 3
    options.add_session_config_entry(
        "session.optimized_model_external_initializers_file_name", WEIGHTS)
    options.add_session_config_entry(
        "session.optimized_model_external_initializers_min_size_in_bytes", "1024")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_directory(path) as temporary:
            options.optimized_model_filepath = os.path.join(temporary, MODEL)
            made = ort.InferenceSession(data, options, providers=PROVIDERS)
    except Exception:   # OSError, or onnxruntime failing to write: no entry
        return None
    with contextlib.suppress(OSError):
        prune(path.parent)
    return made


def prune(folder, max_bytes=MAX_BYTES):
    """Remove the least recently used entries beyond ``max_bytes`` in all, and temporary
    directories left by crashed writers (and files of earlier cache formats). Entries removed
    meanwhile by another process are skipped."""
    entries, now = [], time.time()
    for item in folder.iterdir():
        with contextlib.suppress(OSError):
            stat = item.stat()
            if item.is_dir() and not item.name.startswith("."):
                size = sum(f.stat().st_size for f in item.iterdir())
                entries.append((stat.st_mtime, size, item))
            elif item.is_file() and not item.name.startswith("."):
                entries.append((0, stat.st_size, item))     # format 1: a file; never hit
            elif ".gb-" in item.name and now - stat.st_mtime > STALE_TEMPORARY_S:
                _remove(item)
    total = sum(size for _, size, _ in entries)
    for _, size, item in sorted(entries):
        if total <= max_bytes:
            break
        _remove(item)
        total -= size


def _remove(item):
    """Remove a file or a directory tree; gone meanwhile is fine."""
    if item.is_dir():
        shutil.rmtree(item, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            item.unlink()
