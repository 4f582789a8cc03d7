"""``gluon.SymbolBlock``: a block made of a symbol graph (``SymbolBlock.imports`` reads an
exported ``-symbol.json`` and its parameters).

As in MXNet, every variable of the graph that is not an input is a Parameter named as the
variable: legacy naming (1.9.1) keeps them in a ParameterDict with an empty prefix, keyed by that
name; structural naming (2.0.0b1) keys them by the name too. Arguments come first, then the
auxiliary states (``grad_req='null'``). The label inputs of training heads are Parameters too
(MXNet lists them) but are never required: the forward computation drops them
(:func:`~gluonbridge.backend.ops.heads.without_labels`).

Running is a HybridBlock's: the trace records the graph as it is, its shapes inferred over the
whole graph as the lowering infers a symbol file (``Tracer.add_graph``), so it goes through the
same lowering and cached sessions as any block; several outputs come back as a list.
"""
from __future__ import annotations

import os

from ..backend.lower import check_supported
from ..backend.trace import current_trace
from ..buffers import copies_together
from ..graph import Graph
from ..naming.policy import BlockNaming
from ..translate import loading
from ..translate.report import LoadReport
from . import saving
from .block import HybridBlock
from .parameter import Parameter, ParameterDict


class SymbolBlock(HybridBlock):
    """``SymbolBlock(outputs, inputs, params=None)``: outputs and inputs are
    :class:`gluonbridge.symbol.Symbol` (or lists of them); ``params`` shares existing
    Parameters by name."""

    def __init__(self, outputs, inputs, params=None):
        from ..backend.ops.heads import label_variables
        from ..symbol import Group, Symbol
        super().__init__()
        outputs = Group(outputs) if isinstance(outputs, (list, tuple)) else outputs
        inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        for symbol in inputs:
            if not isinstance(symbol, Symbol) or len(symbol) != 1 \
                    or symbol._outputs[0][0].op != "null":
                raise AssertionError(f"Input symbols must be variable, but {symbol} is an "
                                     "output of operators")
        self._input_names = [s.name for s in inputs]
        graph = outputs._graph()
        check_supported(graph)
        self._graph_full = graph
        self._multiple = len(graph.heads) > 1
        self._labels = label_variables(graph) - set(self._input_names)
        arguments = [n.name for n in graph.nodes if n.is_variable and n.role != "aux"]
        auxiliary = [n.name for n in graph.nodes if n.is_variable and n.role == "aux"]
        legacy = self._naming.api.has_prefixes
        if legacy:   # MXNet 1.x: an empty prefix and a ParameterDict sharing ``params``
            self.__dict__.update(_names=BlockNaming(), _params=ParameterDict("", params))
        shared = dict(params.items()) if params is not None and not legacy else {}
        for names, grad_req in ((arguments, "write"), (auxiliary, "null")):
            for name in names:
                if name in self._input_names:
                    continue
                if legacy:
                    param = self._params.get(name, grad_req=grad_req, allow_deferred_init=True)
                else:
                    param = shared.get(name) or Parameter(name, grad_req=grad_req,
                                                          allow_deferred_init=True)
                    param._var_name = name
                self._reg_params[name] = param
        if legacy:
            keys = list(self._reg_params)
            common = os.path.commonprefix(keys) if len(keys) > 1 else ""
            self._reg_params = {k[len(common):]: v for k, v in self._reg_params.items()}
            self._by_name = dict(self._params.items())
        else:
            self._by_name = dict(self._reg_params)

    @staticmethod
    def imports(symbol_file, input_names, param_file=None, ctx=None, allow_missing=False,
                ignore_extra=False):
        """Import ``symbol_file`` (any generation) with ``input_names`` fed at run time and
        the parameters of ``param_file`` (any format gluonbridge reads; ``arg:``/``aux:``
        keys); every unsupported op or attribute is reported at once, before loading."""
        from .. import symbol
        if isinstance(input_names, str):
            input_names = [input_names]
        block = SymbolBlock(symbol.load(symbol_file), [symbol.var(n) for n in input_names])
        if param_file is not None:
            block._load_file(param_file, allow_missing, ignore_extra)
        return block

    def _load_file(self, param_file, allow_missing, ignore_extra):
        report = LoadReport()
        loaded = loading.strip_roles(saving.read_named_arrays(param_file), report)
        targets = {k: p for k, p in self._by_name.items()
                   if k not in self._labels or k in loaded}
        return loading.load(targets, loaded, report, os.fspath(param_file),
                            lambda r: "check that the parameters belong to this symbol file",
                            saving.assign, allow_missing, ignore_extra, cast_dtype=True,
                            dtype_source="saved", detach=copies_together)

    def _call_impl(self, *args):
        tracer = current_trace()
        if tracer is None:
            return self._execute(args)
        with tracer.block_scope(self):
            return self._replay(tracer, args)

    def _replay(self, tracer, args):
        """Record the graph in the trace, inputs bound to ``args`` in order."""
        if len(args) != len(self._input_names):
            raise ValueError(f"SymbolBlock takes {len(self._input_names)} input(s) "
                             f"({', '.join(self._input_names)}), got {len(args)}")
        outs = tracer.add_graph(self._graph_for_run(), dict(zip(self._input_names, args)),
                                self._by_name)
        return outs if self._multiple else outs[0]

    def _graph_for_run(self) -> Graph:
        graph = self.__dict__.get("_graph_run")
        if graph is None:
            from ..backend.ops.heads import without_labels
            copy = Graph(list(self._graph_full.nodes), list(self._graph_full.heads),
                         dict(self._graph_full.attrs))
            copy.nodes = [type(n)(n.op, n.name, dict(n.attrs), list(n.inputs), n.role)
                          for n in copy.nodes]
            graph = self.__dict__["_graph_run"] = without_labels(copy, self._input_names)
        return graph

    def __repr__(self):
        outputs = len(self._graph_full.heads)
        return (f"SymbolBlock(\n{self._graph_full.nodes[self._graph_full.heads[0].node].name} : "
                f"{len(self._input_names)} -> {outputs}\n)")
