"""The command line: ``python -m geo <command>`` (main), the stewardship, database and exposé commands."""
