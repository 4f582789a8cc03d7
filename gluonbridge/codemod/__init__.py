"""``python -m gluonbridge.codemod``: migrate MXNet Gluon 1.x sources to 2.x in place.

A thin command line over the rules in ``gluonbridge.codemods`` (the repository's top-level
``codemods/`` folder): this package walks files, runs jobs, shows progress, writes or diffs the
results, reports and picks the exit code.
Nothing here imports libcst until files are actually migrated.
"""
