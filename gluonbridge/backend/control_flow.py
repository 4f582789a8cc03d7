"""MXNet's control-flow functions called as ``F.contrib.*`` inside a trace.

``foreach(body, data, init_states)`` loops ``body(data[i], states) -> (outputs, states)`` over
the first axis of ``data`` (an array or a list of arrays), stacking each output along a new first
axis. The trace unrolls it, as MXNet's NDArray ``foreach`` runs it: the number of steps is the
traced length (reading it marks the trace as shape-dependent, so another length traces again),
and the graph holds one copy of the body's ops per step instead of MXNet's ``_foreach`` subgraph
node."""
from __future__ import annotations

from .nest import flatten, unflatten


def _steps(tracer, value, count):
    """``value[0] ... value[count - 1]`` along the first axis."""
    if count == 1:
        return [tracer.call("squeeze", (value,), {"axis": 0}, hint="squeeze")]
    return tracer.call("SliceChannel", (value,), {"num_outputs": count, "axis": 0,
                                                   "squeeze_axis": True}, hint="split")


def foreach(tracer, body, data, init_states):
    many = isinstance(data, (list, tuple))
    items = list(data) if many else [data]
    count = items[0].shape[0]
    if count == 0 or any(d.shape[0] != count for d in items):
        raise ValueError(f"foreach: the data's first axes {[d.shape[0] for d in items]} must "
                         "be one positive length")
    per_item = [_steps(tracer, d, count) for d in items]
    states, per_step, spec = init_states, [], None
    for i in range(count):
        elements = [steps[i] for steps in per_item]
        outputs, states = body(elements if many else elements[0], states)
        leaves, spec = flatten(outputs)
        per_step.append(leaves)
    stacked = [tracer.call("stack", tuple(column), {"axis": 0}, hint="stack")
               for column in zip(*per_step)]
    return unflatten(spec, stacked), states


# (namespace, name) -> function(tracer, *args, **kwargs)
FUNCTIONS = {("contrib", "foreach"): foreach}
