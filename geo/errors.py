"""Turn exceptions into one-line messages for people (CLI and app), never a traceback."""

from __future__ import annotations


def user_message(error: BaseException) -> str:
    text = str(error).strip() or error.__class__.__name__
    return text.splitlines()[0] if len(text) > 500 else text
