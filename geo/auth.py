"""Access to the staff page `pflege`: the steward password, its check, the delay after a wrong guess.

No Streamlit here (DESIGN §2): the page reads its secrets and passes them in. The password is compared
in constant time and is never logged, echoed or stored; the page keeps only a boolean once it matched.
"""

from __future__ import annotations

import hmac
import os
import threading
import time
from collections.abc import Callable, Iterable

PASSWORD_ENV = "STANDORTATLAS_STEWARD_PASSWORD"
PASSWORD_SECRET = "steward_password"
# Optional list of e-mail addresses that may use the page after Streamlit's OIDC login (st.login).
STEWARD_EMAILS_SECRET = "steward_emails"


def configured_password(secret_value: object = None) -> str | None:
    """The steward password: the environment variable wins over the secrets.toml value; None if unset."""
    for candidate in (os.environ.get(PASSWORD_ENV), secret_value):
        if isinstance(candidate, str) and candidate:
            return candidate
    return None


def password_matches(given: object, expected: str | None) -> bool:
    """Whether ``given`` is the configured password. Without a configured password nothing matches.

    hmac.compare_digest takes the same time wherever the two differ, so response times tell an attacker
    nothing about how much of a guess was right.
    """
    if not expected or not isinstance(given, str):
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def email_allowed(email: object, allowed: object) -> bool:
    """Whether an OIDC identity's e-mail is on the steward list (a list, or one comma-separated string);
    compared without regard to case or surrounding spaces."""
    if not isinstance(email, str) or not email.strip():
        return False
    entries: Iterable[object] = allowed.split(",") if isinstance(allowed, str) else (allowed or ())
    wanted = {str(entry).strip().casefold() for entry in entries if str(entry).strip()}
    return email.strip().casefold() in wanted


class FailedLoginDelay:
    """How long to hold the answer to a wrong password, against guessing by brute force.

    The delay doubles with every recent failure (1, 2, 4, 8 s, then stays at the cap) and is counted for
    the whole server process, so opening a new browser session does not reset it. Failures older than
    ``window_seconds`` are forgotten. A right password is never delayed.
    """

    def __init__(self, base_seconds: float = 1.0, cap_seconds: float = 8.0, window_seconds: float = 600.0,
                 clock: Callable[[], float] = time.monotonic):
        self.base_seconds = base_seconds
        self.cap_seconds = cap_seconds
        self.window_seconds = window_seconds
        self._clock = clock
        self._failures: list[float] = []
        self._lock = threading.Lock()

    def register_failure(self) -> float:
        """Record a wrong password; returns the seconds to wait before answering."""
        with self._lock:
            now = self._clock()
            self._failures = [moment for moment in self._failures if now - moment < self.window_seconds]
            self._failures.append(now)
            recent = len(self._failures)
        return min(self.base_seconds * 2 ** (recent - 1), self.cap_seconds)

    def reset(self) -> None:
        with self._lock:
            self._failures.clear()


# One per server process: the page is re-executed on every rerun, this module is imported once.
FAILED_LOGINS = FailedLoginDelay()
