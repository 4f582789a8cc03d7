"""Rules that migrate MXNet Gluon 1.x code to 2.x, one small libcst transformer per rule id.

Installed as ``gluonbridge.codemods`` (this folder stays at the top of the repository).
``gluonbridge.codemods.registry.RULES`` is the table of every rule (id, level, message, group,
targets); ``gluonbridge.codemods.engine.migrate`` runs the enabled ones over a module's source.
``Options.target`` is "mx2" (remove the 1.x constructs) or "dual" (rewrite them to the
``gluonbridge.compat`` shims, so the code runs on 1.x and 2.x; each rule's ``dual`` text says what
it writes then). The command line lives in ``gluonbridge.codemod``;
``gluonbridge.codemods.command`` wraps the same for libcst's tool.
"""
