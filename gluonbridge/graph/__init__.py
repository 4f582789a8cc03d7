"""MXNet programs as data: the graph of MXNet ops that a trace records and a ``-symbol.json``
holds (:mod:`.ir`), their attributes as MXNet prints them (:mod:`.attrs`), reading and writing
the JSON (:mod:`.json_io`) and shape inference (:mod:`.infer`, with the op table's rules).

This package knows no op: the op table lives in :mod:`gluonbridge.backend.ops` and is passed in
where a rule is needed, so the graph never imports the backend.
"""
from .ir import ARG, AUX, INPUT, Entry, Graph, Node

__all__ = ["ARG", "AUX", "INPUT", "Entry", "Graph", "Node"]
