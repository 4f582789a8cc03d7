import sys
from gluonbridge.checkpoint.inspect_cli import main

if __name__ == "__main__":
    sys.exit(main())
