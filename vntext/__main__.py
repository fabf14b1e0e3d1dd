"""``python -m vntext`` runs the command-line interface."""

import sys

from vntext.cli import main

if __name__ == "__main__":
    sys.exit(main())
