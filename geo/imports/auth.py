"""Access to the staff page `pflege`: the steward password, its check, the delay after a wrong guess.

No Streamlit here: the page reads its secrets and the client address and passes them in. The password is compared
in constant time and is never logged, echoed or stored; the page keeps only a boolean once it matched.
"""

from __future__ import annotations

import hmac
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

LOG = logging.getLogger(__name__)

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
    entries: Iterable[object] = ()
    if isinstance(allowed, str):
        entries = allowed.split(",")
    elif isinstance(allowed, Iterable):
        entries = allowed
    wanted = {str(entry).strip().casefold() for entry in entries if str(entry).strip()}
    return email.strip().casefold() in wanted


@dataclass(frozen=True)
class LoginAttempt:
    """What happened to one password attempt: whether it matched, whether the client is locked out
    (then the password was not even compared) and until when, and how long the answer was held."""

    matched: bool
    locked_until: float | None  # wall-clock time (time.time()) when the lockout ends
    waited_seconds: float


class LoginThrottle:
    """Against guessing the steward password, also from many sessions or browsers at once.

    Every attempt waits for its turn **before** the password is compared, so even the right guess costs
    the attacker the full delay. The turns are handed out atomically: attempts from one client address
    are spaced by a delay that doubles with its recent failures (``base``, 2 × base, … up to ``cap``),
    and all attempts together by a delay that grows with the failures of all clients, so parallel
    sessions and changing addresses do not help. ``lockout_failures`` failures of one client within
    ``window_seconds`` lock it out for the rest of the window: it is not compared at all. Failures older
    than the window are forgotten. Each failure is logged with the client address and never the guess.
    """

    def __init__(
        self,
        base_seconds: float = 1.0,
        cap_seconds: float = 30.0,
        window_seconds: float = 900.0,
        lockout_failures: int = 10,
        overall_free_failures: int = 5,
        overall_base_seconds: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ):
        self.base_seconds = base_seconds
        self.cap_seconds = cap_seconds
        self.window_seconds = window_seconds
        self.lockout_failures = lockout_failures
        self.overall_free_failures = overall_free_failures
        self.overall_base_seconds = overall_base_seconds
        self._clock = clock
        self._wall_clock = wall_clock
        self._failures: dict[str, list[float]] = {}
        self._next_turn: dict[str, float] = {}
        self._next_overall_turn = 0.0
        self._in_flight: dict[str, int] = {}  # attempts waiting or being compared: counted as failures
        self._lock = threading.Lock()

    def client_delay(self, client: str) -> float:
        """Seconds between two attempts of ``client`` now (0 without recent failures)."""
        with self._lock:
            return self._delay(len(self._recent(client, self._clock())), self.base_seconds)

    def overall_delay(self) -> float:
        with self._lock:
            return self._delay(
                self._overall_failures(self._clock()) - self.overall_free_failures, self.overall_base_seconds
            )

    def attempt(
        self, client: str, check: Callable[[], bool], sleep: Callable[[float], None] = time.sleep
    ) -> LoginAttempt:
        """Wait for ``client``'s turn, then run ``check`` (the password comparison) unless locked out."""
        client = client or "unknown"
        with self._lock:
            now = self._clock()
            recent = self._recent(client, now)
            if len(recent) >= self.lockout_failures:
                return LoginAttempt(False, self._wall_clock() + (recent[0] + self.window_seconds - now), 0.0)
            turn = max(now, self._next_turn.get(client, 0.0), self._next_overall_turn)
            # this attempt counts as a failure until it is known: parallel guesses queue up at once
            self._in_flight[client] = self._in_flight.get(client, 0) + 1
            pending = sum(self._in_flight.values())
            self._next_turn[client] = turn + self._delay(len(recent) + self._in_flight[client], self.base_seconds)
            self._next_overall_turn = turn + self._delay(
                self._overall_failures(now) + pending - self.overall_free_failures, self.overall_base_seconds
            )
        waited = max(0.0, turn - now)
        try:
            if waited:
                sleep(waited)
            with self._lock:  # failures of parallel attempts that finished meanwhile count too
                now = self._clock()
                recent = self._recent(client, now)
                locked_until = (
                    self._wall_clock() + recent[0] + self.window_seconds - now
                    if len(recent) >= self.lockout_failures
                    else None
                )
            if locked_until is not None:
                return LoginAttempt(False, locked_until, waited)
            matched = bool(check())
        finally:
            with self._lock:
                self._in_flight[client] -= 1
                if not self._in_flight[client]:
                    del self._in_flight[client]
        if not matched:
            count = self._register_failure(client)
            LOG.warning(
                "wrong steward password from %s (%d failure(s) in the last %d minutes)",
                client,
                count,
                int(self.window_seconds // 60),
            )
        return LoginAttempt(matched, None, waited)

    def reset(self) -> None:
        with self._lock:
            self._failures.clear()
            self._next_turn.clear()
            self._next_overall_turn = 0.0
            self._in_flight.clear()

    def _register_failure(self, client: str) -> int:
        with self._lock:
            now = self._clock()
            recent = self._recent(client, now)
            recent.append(now)
            self._failures[client] = recent
            # the next turn of this client is at least the new, longer delay away
            self._next_turn[client] = max(
                self._next_turn.get(client, 0.0), now + self._delay(len(recent), self.base_seconds)
            )
            self._next_overall_turn = max(
                self._next_overall_turn,
                now + self._delay(self._overall_failures(now) - self.overall_free_failures, self.overall_base_seconds),
            )
            return len(recent)

    def _recent(self, client: str, now: float) -> list[float]:
        recent = [moment for moment in self._failures.get(client, []) if now - moment < self.window_seconds]
        if recent:
            self._failures[client] = recent
        else:
            self._failures.pop(client, None)
        return recent

    def _delay(self, failures: int, base: float) -> float:
        """base, 2 × base, 4 × base … for 1, 2, 3 … failures, at most the cap; 0 for none."""
        return min(base * 2 ** (failures - 1), self.cap_seconds) if failures > 0 else 0.0

    def _overall_failures(self, now: float) -> int:
        return sum(1 for moments in self._failures.values() for moment in moments if now - moment < self.window_seconds)


# One per server process, shared by all sessions: the page is re-executed on every rerun, this module is
# imported once.
LOGIN_THROTTLE = LoginThrottle()
