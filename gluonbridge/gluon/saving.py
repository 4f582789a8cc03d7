"""Saving and loading a Block's (or a ParameterDict's) Parameters through gluonbridge.checkpoint.

What is written mirrors the real MXNet of the block's naming mode:

* legacy (MXNet 1.9.1): ``save_parameters`` writes the 1.x binary list format keyed by structural
  key (``features.0.weight``); ``collect_params().save`` writes it keyed by full prefixed name
  (``resnetv10_conv0_weight``), minus ``strip_prefix``;
* structural (MXNet 2.0.0b1, numpy semantics): ``save_parameters`` writes an ``.npz`` archive
  keyed by structural key.

Loading accepts any array format gluonbridge reads (1.x binary, npz, npy, safetensors, ONNX
initializers) and either naming: structural keys, full prefixed names (legacy mode: matched
against ``collect_params()``, with the block's prefix restored or a different top-level prefix
such as ``model0_`` vs ``model1_`` stripped), ``arg:``/``aux:`` roles of ``export()`` files, or
any naming through an explicit name map. Every problem (missing, unexpected, ambiguous, shape or
dtype mismatch) is collected into one :class:`~gluonbridge.checkpoint.namemap.LoadReport` before
anything is raised, and nothing is assigned unless the whole load succeeds.
"""
from __future__ import annotations

import os

import numpy as np

from .. import checkpoint
from ..checkpoint.errors import CheckpointError
from ..checkpoint.namemap import LoadReport, NameMap, match_by_prefix, split_role


class ParameterLoadError(CheckpointError, AssertionError):
    """A checkpoint does not fit the Parameters it is loaded into (every problem listed).

    Also an ``AssertionError``, the type MXNet raises for a missing parameter."""


# -- saving --------------------------------------------------------------------------------

def _values(params: dict) -> dict:
    """key -> numpy array of every Parameter, failing like MXNet on uninitialized ones."""
    out = {}
    for key, param in params.items():
        if param._data is None:
            state = "was deferred (its shape is inferred at the first forward pass)" \
                if param._deferred_init else "has not been initialized"
            raise RuntimeError(f"Parameter '{param.name}' (key '{key}') {state}; initialize the "
                               "block and run one batch through it (or load parameters) before "
                               "saving.")
        out[key] = param._data
    return out


def save_block(block, filename, deduplicate: bool = False) -> None:
    """``Block.save_parameters``: structural keys, in the file format of the block's MXNet."""
    params = block.structural_params(deduplicate)
    file_format = "npz" if block._naming.semantics == "mx2" else "mxnet-binary"
    checkpoint.save(filename, _values(params), file_format, force=True)


def save_parameter_dict(params, filename, strip_prefix: str = "") -> None:
    """``ParameterDict.save``: full names minus ``strip_prefix``, 1.x binary format."""
    arrays = {}
    for name, param in params.items():
        if not name.startswith(strip_prefix):
            raise ValueError(
                f"Prefix '{strip_prefix}' is to be striped before saving, but Parameter's name "
                f"'{name}' does not start with '{strip_prefix}'. This may be due to your Block "
                "sharing parameters from other Blocks or you forgot to use 'with name_scope()' "
                "when creating child blocks.")
        arrays[name[len(strip_prefix):]] = _values({name: param})[name]
    checkpoint.save(filename, arrays, "mxnet-binary", force=True)


# -- loading -------------------------------------------------------------------------------

def read_named_arrays(filename) -> dict:
    """The arrays of any checkpoint file as ``{key: numpy array}``, roles (``arg:``) kept."""
    arrays = checkpoint.load(filename)
    if isinstance(arrays, list) and not arrays:    # MXNet writes no names for no arrays
        return {}
    if not isinstance(arrays, dict):
        raise CheckpointError(os.fspath(filename), None, "named arrays (a dict-form file)",
                              f"an unnamed list of {len(arrays)} arrays",
                              "load it with gluonbridge.checkpoint.load and name the arrays")
    return arrays


def _strip_roles(loaded: dict, report: LoadReport) -> dict:
    out = {}
    for key, value in loaded.items():
        name = split_role(key)[1]
        if name in out:
            report.ambiguous.append((name, [k for k in loaded if split_role(k)[1] == name]))
        out[name] = value
    return out


def _as_namemap(namemap) -> NameMap:
    if isinstance(namemap, NameMap):
        return namemap
    if isinstance(namemap, dict):
        from ..checkpoint.namemap import Entry
        return NameMap((Entry(legacy, structural) for legacy, structural in namemap.items()),
                       source="dict")
    return NameMap.from_json(namemap)


def _known_shape(param):
    """The shape if every dimension is known, else None (checked later, dimension by dimension)."""
    shape = param._shape
    return tuple(shape) if shape is not None and all(d > 0 for d in shape) else None


def _key_by_legacy_names(loaded: dict, full_names: dict, restore_prefix: str,
                         report: LoadReport) -> dict:
    """File keys (full names, maybe stripped of ``restore_prefix`` by ``save_params``, or under
    another top-level prefix such as ``model0_`` vs ``model1_``) -> this model's full names."""
    if all(k in full_names for k in loaded):
        return loaded
    if restore_prefix and all(restore_prefix + k in full_names for k in loaded):
        return {restore_prefix + k: v for k, v in loaded.items()}
    names, match_report = match_by_prefix([(k, v.shape) for k, v in loaded.items()],
                                          [(k, _known_shape(p)) for k, p in full_names.items()])
    if names is None:                  # unmatched keys stay as they are: reported unexpected
        report.ambiguous += match_report.ambiguous
        return loaded
    report.renamed += [(e.legacy, e.structural) for e in names.entries if e.legacy != e.structural]
    return {names.by_legacy[k].structural: v for k, v in loaded.items()}


def match_to_parameters(block, loaded: dict, namemap=None):
    """Pair file keys with the block's Parameters: ``({key: Parameter}, {key: array}, report)``.

    Keys are the block's structural keys, or (legacy mode, legacy-named file) its full names.
    """
    report = LoadReport()
    loaded = _strip_roles(loaded, report)
    by_key = block._collect_params_with_prefix()
    if namemap is not None:
        names = _as_namemap(namemap)
        renamed = {}
        for key, value in loaded.items():
            entry = names.by_legacy.get(key)
            target = entry.structural if entry is not None else key
            if target != key:
                report.renamed.append((key, target))
            renamed[target] = value
        return by_key, renamed, report
    if not loaded or all(k in by_key for k in loaded) or any("." in k for k in loaded) \
            or block._naming.semantics != "mx1":
        return by_key, loaded, report
    full_names = dict(block.collect_params().items())
    return full_names, _key_by_legacy_names(loaded, full_names, block._prefix, report), report


def _hint(block, report: LoadReport) -> str:
    if block._naming.semantics == "mx2" and report.unexpected \
            and not any("." in k for k in report.unexpected):
        return ("the file looks keyed by MXNet 1.x full names (e.g. "
                f"'{report.unexpected[0]}') and this model uses structural naming: pass "
                "namemap= (a name-map JSON written by compat.namemap or by "
                "`python -m gluonbridge.convert --model ...`), or convert the file first")
    return "check that the file belongs to this model (python -m gluonbridge.inspect FILE)"


def _check_fit(targets: dict, loaded: dict, report: LoadReport, cast_dtype: bool) -> list:
    """Fill ``report`` with what does not fit; return the dtype problems (MXNet asserts them)."""
    reached = {}
    for key, param in targets.items():
        reached.setdefault(id(param), []).append(key)
    for keys in reached.values():
        if not any(k in loaded for k in keys):
            report.missing.append(keys[0])
    report.unexpected += [k for k in loaded if k not in targets and k not in report.unexpected]
    dtype_problems = []
    for key, value in loaded.items():
        param = targets.get(key)
        if param is None:
            continue
        shape = param._shape
        if shape is not None and (len(shape) != value.ndim or any(
                d > 0 and d != v for d, v in zip(shape, value.shape))):
            report.shape_mismatch.append((key, value.shape, param.shape))
        if not cast_dtype and np.dtype(param.dtype) != value.dtype:
            dtype_problems.append(f"dtype mismatch: {key!r} is {value.dtype} in the file, the "
                                  f"Parameter is {np.dtype(param.dtype)} (pass cast_dtype=True)")
    return dtype_problems


def load_into(targets: dict, loaded: dict, report: LoadReport, source: str, hint,
              allow_missing: bool = False, ignore_extra: bool = False, cast_dtype: bool = False,
              dtype_source: str = "current") -> LoadReport:
    """Check everything, raise once listing every problem, then assign the arrays."""
    assert dtype_source in ("current", "saved"), \
        f"dtype_source must be 'current' or 'saved', got {dtype_source!r}"
    dtype_problems = _check_fit(targets, loaded, report, cast_dtype)
    problems = [f"ambiguous: {k!r} could be any of {c!r}" for k, c in report.ambiguous]
    problems += [f"shape mismatch: {k!r} is {tuple(a)} in the file, expected {tuple(b)}"
                 for k, a, b in report.shape_mismatch] + dtype_problems
    if not allow_missing:
        problems += [f"missing: {k!r} (pass allow_missing=True to skip it)" for k in report.missing]
    if not ignore_extra:
        problems += [f"unexpected: {k!r} (pass ignore_extra=True to skip it)"
                     for k in report.unexpected]
    if problems:
        raise ParameterLoadError(source, "keys", "every Parameter to match one array",
                                 f"{len(problems)} problem(s):\n  " + "\n  ".join(problems),
                                 hint(report))
    for key, value in loaded.items():
        param = targets.get(key)
        if param is not None:
            if cast_dtype:
                if dtype_source == "saved":
                    param._dtype = value.dtype
                value = value.astype(param.dtype, copy=False)
            param.set_data(np.array(value, copy=True))   # detach from the memory-mapped file
            param._deferred_init = ()
    return report


def load_block(block, filename, allow_missing=False, ignore_extra=False, cast_dtype=False,
               dtype_source="current", namemap=None) -> LoadReport:
    """``Block.load_parameters``: any format, either naming; returns the report."""
    targets, keyed, report = match_to_parameters(block, read_named_arrays(filename), namemap)
    return load_into(targets, keyed, report, os.fspath(filename), lambda r: _hint(block, r),
                     allow_missing, ignore_extra, cast_dtype, dtype_source)


def load_block_dict(block, param_dict: dict, allow_missing=False, ignore_extra=False,
                    cast_dtype=False, dtype_source="current", namemap=None) -> LoadReport:
    """``Block.load_dict``: a ``{key: array}`` dict, either naming; returns the report."""
    loaded = {k: np.asarray(v) for k, v in param_dict.items()}
    targets, keyed, report = match_to_parameters(block, loaded, namemap)
    return load_into(targets, keyed, report, "param_dict", lambda r: _hint(block, r),
                     allow_missing, ignore_extra, cast_dtype, dtype_source)


def load_parameter_dict(params, param_dict: dict, source: str, allow_missing=False,
                        ignore_extra=False, restore_prefix="", cast_dtype=False,
                        dtype_source="current") -> LoadReport:
    """``ParameterDict.load``/``load_dict``: full names (``restore_prefix`` prepended)."""
    for name in params.keys():
        assert name.startswith(restore_prefix), (
            f"restore_prefix is '{restore_prefix}' but Parameters name '{name}' does not start "
            f"with '{restore_prefix}'.")
    report = LoadReport()
    loaded = _strip_roles({k: np.asarray(v) for k, v in param_dict.items()}, report)
    keyed = {restore_prefix + k: v for k, v in loaded.items()}
    hint = "make sure source and target networks have the same prefix (restore_prefix=)"
    return load_into(dict(params.items()), keyed, report, source, lambda r: hint,
                     allow_missing, ignore_extra, cast_dtype, dtype_source)
