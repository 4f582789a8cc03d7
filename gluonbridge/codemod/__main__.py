import sys

from gluonbridge.codemod.cli import main

sys.exit(main())
