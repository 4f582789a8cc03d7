"""Rules that migrate MXNet Gluon 1.x code to 2.x, one small libcst transformer per rule id.

``codemods.registry.RULES`` is the table of every rule (id, level, message, group);
``codemods.engine.migrate`` runs the enabled ones over a module's source. The command line
lives in ``gluonbridge.codemod``; ``codemods.command`` wraps the same for libcst's tool.
"""
