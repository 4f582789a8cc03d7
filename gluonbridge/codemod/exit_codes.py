"""The process exit codes of ``python -m gluonbridge.codemod``."""
OK = 0           # nothing to do, or everything written
CHANGES = 1      # --check found files to change, or a file could not be migrated
USAGE = 2        # bad command line (unknown rule id, missing path, --target dual, ...)
