"""Loading a file's arrays into a model's Parameters: pair keys, check the fit, then assign.

Works on a :class:`~gluonbridge.naming.ParameterTable` and ``{key: numpy array}``; the caller
says how an array is put into a Parameter (``assign``), so gluonbridge Blocks and real MXNet
blocks (``compat``) load through the same code. File keys may be structural keys, MXNet 1.x full
names (matched against the table's full names under the 1.x API, with the model's prefix restored
or another top-level prefix such as ``model0_`` vs ``model1_`` stripped), ``arg:``/``aux:`` roles
of ``export()`` files, or any naming through an explicit name map. Every problem (missing,
unexpected, ambiguous, shape or dtype mismatch) is collected into one :class:`LoadReport` and
raised once as :class:`ParameterLoadError` before anything is assigned.
"""
from __future__ import annotations

import numpy as np

from ..checkpoint.errors import CheckpointError
from ..checkpoint.namemap import Entry, NameMap
from . import rnn_loading
from .matching import match_by_prefix
from .report import LoadReport, split_role

DTYPE_SOURCES = ("current", "saved")


class ParameterLoadError(CheckpointError, AssertionError):
    """A checkpoint does not fit the Parameters it is loaded into (every problem listed).

    Also an ``AssertionError``, the type MXNet raises for a missing parameter."""


def as_namemap(namemap) -> NameMap:
    """A NameMap from a NameMap, a ``{legacy: structural}`` dict or a name-map JSON path."""
    if isinstance(namemap, NameMap):
        return namemap
    if isinstance(namemap, dict):
        return NameMap((Entry(legacy, structural) for legacy, structural in namemap.items()),
                       source="dict")
    return NameMap.from_json(namemap)


def strip_roles(loaded: dict, report: LoadReport) -> dict:
    """The arrays keyed without ``arg:``/``aux:``; a name under both roles is ambiguous."""
    out = {}
    for key, value in loaded.items():
        name = split_role(key)[1]
        if name in out:
            report.ambiguous.append((name, [k for k in loaded if split_role(k)[1] == name]))
        out[name] = value
    return out


def _known_shape(param):
    """The shape if every dimension is known, else None (checked later, dimension by dimension)."""
    shape = param.shape
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


def match(table, loaded: dict, namemap=None):
    """Pair file keys with the table's Parameters: ``({key: Parameter}, {key: array}, report)``.

    Keys are the structural keys, or (1.x API, a file keyed by full names) the full names.
    Recurrent weights are fused or split to the model's layout (:mod:`.rnn_loading`).
    """
    report = LoadReport()
    loaded = strip_roles(loaded, report)
    by_key = table.by_key
    if namemap is not None:
        names = as_namemap(namemap)
        renamed = {}
        for key, value in loaded.items():
            entry = names.by_legacy.get(key)
            target = entry.structural if entry is not None else key
            if target != key:
                report.renamed.append((key, target))
            renamed[target] = value
        return by_key, rnn_loading.adapt(by_key, renamed, report), report
    loaded = rnn_loading.adapt(by_key, loaded, report)
    if not loaded or all(k in by_key for k in loaded) or any("." in k for k in loaded) \
            or not table.api.has_prefixes:
        return by_key, loaded, report
    full_names = table.by_name
    return full_names, _key_by_legacy_names(loaded, full_names, table.prefix, report), report


def hint(api, report: LoadReport) -> str:
    """What to do about a failed load into a model of ``api``."""
    if not api.has_prefixes and report.unexpected \
            and not any("." in k for k in report.unexpected):
        return ("the file looks keyed by MXNet 1.x full names (e.g. "
                f"'{report.unexpected[0]}'), which a model of the MXNet 2 API does not have: "
                "pass namemap= (a name-map JSON written by compat.namemap under MXNet 1.x or "
                "gluonbridge's legacy naming, or by `python -m gluonbridge.convert --model ...`), "
                "or convert the file first")
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
        shape = param.shape
        if shape is not None and (len(shape) != value.ndim or any(
                d > 0 and d != v for d, v in zip(shape, value.shape))):
            report.shape_mismatch.append((key, value.shape, param.shape))
        if not cast_dtype and np.dtype(param.dtype) != value.dtype:
            dtype_problems.append(f"dtype mismatch: {key!r} is {value.dtype} in the file, the "
                                  f"Parameter is {np.dtype(param.dtype)} (pass cast_dtype=True)")
    return dtype_problems


def load(targets: dict, loaded: dict, report: LoadReport, source: str, hint_text, assign,
         allow_missing: bool = False, ignore_extra: bool = False, cast_dtype: bool = False,
         dtype_source: str = "current", detach=None) -> LoadReport:
    """Check everything, raise once listing every problem, then ``assign(param, array,
    adopt_dtype)`` each array (``adopt_dtype``: the Parameter takes the file's dtype).

    ``hint_text(report)`` says what to do when something does not fit; ``detach(arrays) ->
    arrays``, when given, first turns the arrays to assign into copies all at once."""
    if dtype_source not in DTYPE_SOURCES:
        raise AssertionError(f"dtype_source must be 'current' or 'saved', got {dtype_source!r}")
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
                                 hint_text(report))
    adopt = cast_dtype and dtype_source == "saved"
    chosen = [(targets[key], value) for key, value in loaded.items() if key in targets]
    if cast_dtype and not adopt:
        chosen = [(param, value.astype(param.dtype, copy=False)) for param, value in chosen]
    if detach is not None and chosen:
        chosen = list(zip([param for param, _ in chosen], detach([v for _, v in chosen])))
    for param, value in chosen:
        assign(param, value, adopt)
    return report
