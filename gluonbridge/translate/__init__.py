"""Translation between MXNet 1.x full names and structural keys, on plain data.

* :mod:`.report` — :class:`LoadReport`, every problem of a translation or a load, and the
  ``arg:``/``aux:`` key roles;
* :mod:`.model` — name maps read off a model's :class:`~gluonbridge.naming.ParameterTable` (the one
  builder the converter's ``--model`` and ``compat.namemap`` share);
* :mod:`.matching` — name maps without a model (prefix stripping, symbol graphs) and renaming a
  checkpoint through a name map;
* :mod:`.loading` — pairing a file's keys with a model's Parameters and checking the fit before
  anything is assigned;
* :mod:`.rnn_weights` — recurrent weights between 1.x's per-gate arrays and 2.x's fused
  ``rnn_param``; :mod:`.rnn_loading` — fusing or splitting them while a model loads a file;
  :mod:`.rnn_namemap` — recurrent layers as name maps' fused entries, and splitting against a
  target file.

Nothing here imports the Gluon layer: models are seen through their ParameterTable.
"""
from .report import LoadReport, split_role

__all__ = ["LoadReport", "split_role"]
