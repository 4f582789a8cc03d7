"""A corpus of real MXNet graphs with expected outputs, made by the oracles (issue 10, "Checks").

table.py     the cases (pure data): how each graph is made, its inputs at two batch sizes, the
             ops it must contain, its tolerance
sym_graphs.py / blocks.py
             the graph builders, run inside the oracle virtualenvs (they take the mxnet module)
write.py     in an oracle: model-symbol.json + model-0000.params as MXNet writes them, inputs.npz,
             case.json
expect.py    in MXNet 1.9.1: expected.npz from gluon.SymbolBlock.imports on those same files
run.py       from the test interpreter: shards both steps over oracle processes

The old-generation JSON fixtures live in tests/data/graphs/. Tests get the corpus through the
``graph_corpus`` fixture (tests/graphs/conftest.py), cached per content hash of this package.
By hand: ``PYTHONPATH=. python -m tests.oracle.graph_corpus.run OUT [--slow] [CASE ...]``.
"""
