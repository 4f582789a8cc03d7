"""``mx.mod.Module``, the inference subset much deployed code still uses::

    sym, arg_params, aux_params = mx.model.load_checkpoint("model", 0)
    mod = mx.mod.Module(sym, data_names=["data"], label_names=None)
    mod.bind(data_shapes=[("data", (1, 3, 224, 224))], for_training=False)
    mod.set_params(arg_params, aux_params)
    mod.forward(mx.io.DataBatch([x]), is_train=False)
    prob = mod.get_outputs()[0]

The symbol runs as a :class:`~gluonbridge.gluon.SymbolBlock` (same lowering, same sessions);
label inputs of training heads are not needed. Training (``backward``, ``update``, ``fit``)
is not provided.
"""
from __future__ import annotations

import numpy as np

from .buffers import copies_together
from .translate import loading
from .translate.report import LoadReport
from .gluon import saving
from .io import DataDesc


class Module:
    def __init__(self, symbol, data_names=("data",), label_names=("softmax_label",),
                 logger=None, context=None, work_load_list=None, fixed_param_names=None,
                 state_names=None, group2ctxs=None, compression_params=None):
        self._symbol = symbol
        self._data_names = [data_names] if isinstance(data_names, str) else list(data_names)
        self._label_names = list(label_names or [])
        arguments = symbol.list_arguments()
        for name in self._data_names:
            if name not in arguments:
                raise ValueError(f"Module: data name {name!r} is not an argument of the "
                                 f"symbol; its arguments are {arguments}")
        self._block = None
        self._outputs = None
        self.binded = self.params_initialized = False
        self.for_training = False

    @property
    def data_names(self):
        return list(self._data_names)

    @property
    def output_names(self):
        return self._symbol.list_outputs()

    @property
    def symbol(self):
        return self._symbol

    def bind(self, data_shapes, label_shapes=None, for_training=True, inputs_need_grad=False,
             force_rebind=False, shared_module=None, grad_req="write"):
        """Record the data shapes; ``for_training=True`` is accepted but only inference runs."""
        from .gluon.symbol_block import SymbolBlock
        from .symbol import var
        if self.binded and not force_rebind:
            return
        descs = [d if isinstance(d, DataDesc) else DataDesc(*d) for d in data_shapes]
        names = [d.name for d in descs]
        if names != self._data_names:
            raise ValueError(f"Module.bind: data_shapes name {names}, the module's data_names "
                             f"are {self._data_names}")
        self._data_shapes = descs
        self._block = SymbolBlock(self._symbol, [var(n) for n in self._data_names])
        self.for_training = for_training
        self.binded = True

    def _require_bound(self, what):
        if not self.binded:
            raise RuntimeError(f"Module.{what}: call bind() first")

    def set_params(self, arg_params, aux_params, allow_missing=False, force_init=True,
                   allow_extra=False):
        """Assign parameters by name; every problem (missing, extra, shape) reported at once."""
        self._require_bound("set_params")
        loaded = {k: np.asarray(v) for k, v in (arg_params or {}).items()}
        loaded.update({k: np.asarray(v) for k, v in (aux_params or {}).items()})
        block = self._block
        labels = set(self._label_names) | block._labels
        loaded = {k: v for k, v in loaded.items() if k not in labels}
        targets = {k: p for k, p in block._by_name.items() if k not in labels}
        loading.load(targets, loaded, LoadReport(), "Module.set_params",
                     lambda r: "pass allow_missing=True / allow_extra=True to skip names",
                     saving.assign, allow_missing, allow_extra, cast_dtype=True,
                     dtype_source="saved", detach=copies_together)
        self.params_initialized = True

    def init_params(self, initializer=None, arg_params=None, aux_params=None,
                    allow_missing=False, force_init=False, allow_extra=False):
        """``set_params`` from the given dicts; Parameters they do not cover are filled by
        ``initializer`` (shapes inferred from the bound data shapes)."""
        self._require_bound("init_params")
        if self.params_initialized and not force_init:
            return
        if arg_params is not None or aux_params is not None:
            self.set_params(arg_params, aux_params, allow_missing or initializer is not None,
                            allow_extra=allow_extra)
        shapes = {d.name: d.shape for d in self._data_shapes}
        arg_shapes, _, aux_shapes = self._symbol.infer_shape(**shapes)
        by_name = dict(zip(self._symbol.list_arguments(), arg_shapes or []))
        by_name.update(zip(self._symbol.list_auxiliary_states(), aux_shapes or []))
        for name, param in self._block._by_name.items():
            if param._data is None and name not in self._block._labels:
                if name in by_name:
                    param._shape = tuple(by_name[name])
                param.initialize(initializer)
        self.params_initialized = True

    def get_params(self):
        """``(arg_params, aux_params)`` as NDArrays by name."""
        from .ndarray import NDArray
        aux = set(self._symbol.list_auxiliary_states())
        arg_params, aux_params = {}, {}
        for name, param in self._block._by_name.items():
            if param._data is not None:
                (aux_params if name in aux else arg_params)[name] = \
                    np.asarray(param._data).view(NDArray)
        return arg_params, aux_params

    def forward(self, data_batch, is_train=None):
        """Run the symbol on ``data_batch.data`` (one array per data name)."""
        self._require_bound("forward")
        if not self.params_initialized:
            raise RuntimeError("Module.forward: call set_params() or init_params() first")
        data = [np.asarray(d) for d in data_batch.data]
        if len(data) != len(self._data_names):
            raise ValueError(f"Module.forward: {len(data)} data arrays for data names "
                             f"{self._data_names}")
        outs = self._block(*data)
        self._outputs = outs if isinstance(outs, list) else [outs]

    def get_outputs(self, merge_multi_context=True):
        if self._outputs is None:
            raise RuntimeError("Module.get_outputs: call forward() first")
        return list(self._outputs)
