"""Loading recurrent weights across layouts: a file's per-gate arrays (1.x full names or the
``_unfused`` keys 1.9.1's ``save_parameters`` writes) fused into a model's ``rnn_param``
(structural naming), or a file's ``rnn_param`` split into a model's per-gate Parameters (legacy
naming). :func:`adapt` rewrites the file's arrays before keys are matched; what it cannot place
is left as it is, for the usual missing/unexpected report."""
from __future__ import annotations


from .rnn_weights import (RNNLayout, find_rnn_groups, fuse, layout_from_arrays, layout_from_shapes,
                          split)

_FUSED = "rnn_param"


def _is_fused(key):
    return key == _FUSED or key.endswith("." + _FUSED)


def adapt(by_key: dict, loaded: dict, report) -> dict:
    """``loaded`` with per-gate groups fused where the model (``by_key``: key -> Parameter)
    has an ``rnn_param`` for them, and ``rnn_param`` arrays split where it has per-gate
    Parameters instead; each translation is listed in ``report.renamed``."""
    out = dict(loaded)
    fused_targets = [k for k in by_key if _is_fused(k)]
    if fused_targets:
        groups, _ = find_rnn_groups(loaded)
        for group in groups:
            target = group.fused_key
            if target not in by_key and group.style == "full_name" and len(groups) == 1 \
                    and len(fused_targets) == 1:
                target = fused_targets[0]   # one layer each side: nothing else it could be
            if target not in by_key or target in loaded:
                continue
            arrays = {local: loaded[key] for local, key in group.keys.items()}
            out[target] = fuse(arrays, layout_from_arrays(arrays))
            for key in group.keys.values():
                del out[key]
            report.renamed.append((f"{group.prefix}[{len(group.keys)} per-gate arrays]", target))
    for key in [k for k in out if _is_fused(k) and k not in by_key]:
        path = key[:-len(_FUSED)]
        groups, _ = find_rnn_groups([k for k in by_key if k.startswith(path + "_unfused.")])
        group = next((g for g in groups if g.prefix == path), None)
        if group is None:
            continue
        params = {local: by_key[k] for local, k in group.keys.items()}
        for local, array in split(out.pop(key), _layout_of(params)).items():
            out[group.keys[local]] = array
        report.renamed.append((key, f"{path}_unfused.[{len(group.keys)} per-gate keys]"))
    return out


def _layout_of(params: dict) -> RNNLayout:
    """The layout of per-gate Parameters whose first input size may still be unknown (read
    later from the flat array's size)."""
    return layout_from_shapes({local: param.shape for local, param in params.items()})


__all__ = ["adapt"]


def fuse_checkpoint(checkpoint, report):
    """A :class:`~gluonbridge.checkpoint.tensor.Checkpoint` with every group of 1.9.1
    ``_unfused`` per-gate keys replaced by its layer's ``rnn_param`` (the key the structural
    model has; the group's keys say where the layer sits). Full-name groups
    (``lstm0_l0_i2h_weight``) do not say which structural key they become: they are left for
    ``--model``/``--namemap``, and listed in ``report.unexpected``'s hint by the caller."""
    from dataclasses import replace

    from ..checkpoint.tensor import tensor_from_array
    from .report import split_role
    by_name = {split_role(t.key or "")[1]: t for t in checkpoint.tensors}
    groups, _ = find_rnn_groups(by_name)
    groups = [g for g in groups if g.fused_key is not None and g.fused_key not in by_name]
    if not groups:
        return checkpoint
    grouped = {key: g for g in groups for key in g.keys.values()}
    tensors, done = [], set()
    for tensor in checkpoint.tensors:
        group = grouped.get(split_role(tensor.key or "")[1])
        if group is None:
            tensors.append(tensor)
            continue
        if id(group) in done:
            continue
        done.add(id(group))
        arrays = {local: by_name[key].to_numpy() for local, key in group.keys.items()}
        tensors.append(tensor_from_array(group.fused_key, fuse(arrays,
                                                               layout_from_arrays(arrays))))
        report.renamed.append((f"{group.prefix}_unfused.[{len(group.keys)} per-gate keys]",
                               group.fused_key))
    return replace(checkpoint, tensors=tensors)
