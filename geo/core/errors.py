"""Turn exceptions into messages for people (CLI and app), and the exit codes of ``python -m geo``.

The exit codes (`ExitCode`, the one table every command uses): 0 done (or the file is valid), 1 the input
or the data refused the command (`InputRefused`: a bad source file, a file with problems), 2 the command was
called wrongly (or a file it names is missing), 3 an internal error (a bug): one line and a hint to run
again with ``--debug``, which prints the traceback.
"""

from __future__ import annotations

import enum
import os
import sys

DEBUG_FLAG = "--debug"


class ExitCode(enum.IntEnum):
    """How a command of ``python -m geo`` ended."""

    OK = 0
    REFUSED = 1  # the input or the data refused the command
    USAGE = 2  # called wrongly, or a file it names is missing
    INTERNAL = 3  # a bug: one line, the traceback with --debug


class InputRefused(Exception):
    """The input (a source file, a user's file) cannot be used; the message says why and where. Commands
    end with ExitCode.REFUSED and this message, never with a traceback."""


def user_message(error: BaseException) -> str:
    text = str(error).strip() or error.__class__.__name__
    return text.splitlines()[0] if len(text) > 500 else text


def silence_closed_stdout() -> int:
    """The reader of our output went away (``geo history | head -1``): that is no error. Further writes
    go to /dev/null so Python does not complain about the pipe when it exits."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return ExitCode.OK
