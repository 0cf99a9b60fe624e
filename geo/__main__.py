"""Command-line entry point: ``python -m geo <command>`` (the commands are in geo/cli/)."""

import sys

from geo.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
