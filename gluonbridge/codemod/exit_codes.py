"""The process exit codes of ``python -m gluonbridge.codemod`` (``gluonbridge-codemod``), black's."""
OK = 0             # nothing to do, or everything written
CHANGES = 1        # --check found files to change
USAGE = 2          # bad command line (unknown rule id, missing path, bad --jobs, ...)
FAILED = 123       # a file could not be read, migrated or written (it is left alone)
INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)
