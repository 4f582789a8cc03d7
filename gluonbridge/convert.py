import sys
from gluonbridge.checkpoint.convert_cli import main

if __name__ == "__main__":
    sys.exit(main())
