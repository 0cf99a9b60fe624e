"""How the command line speaks: a text of geo/texts/ in German and English on one line ("… / …"), errors
on stderr, and the one line an internal error gets (its traceback only with --debug)."""

from __future__ import annotations

import sys
import traceback

from geo.core.errors import DEBUG_FLAG, ExitCode, user_message
from geo.texts import both


def bilingual(key: str, /, **values: object) -> str:
    """The text `key` in German and English, joined by " / " (the language of a command's reader is not known)."""
    return " / ".join(both(key, **values))


def say(key: str, /, **values: object) -> None:
    print(bilingual(key, **values))


def complain(key: str, /, **values: object) -> None:
    """An error message on stderr."""
    print(bilingual(key, **values), file=sys.stderr)


def report_internal_error(error: BaseException, debug: bool) -> int:
    """Tell the user that the program failed (not their input); the traceback only with --debug."""
    if debug:
        traceback.print_exception(error, file=sys.stderr)
    complain("cli_internal_error", message=f"{type(error).__name__}: {user_message(error)}")
    if not debug:
        complain("cli_details_with", flag=DEBUG_FLAG)
    return ExitCode.INTERNAL
