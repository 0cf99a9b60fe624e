"""Logging in to the staff page `pflege`: named accounts (geo.store.accounts), the shared password of a
one-person installation, the visitor's real address, and the throttle against guessing.

No Streamlit here: the page passes in what it read (the form, its secrets, the connection's address and
headers). Passwords are never logged, echoed or stored; a session keeps only the account's name.

The shared password (``STANDORTATLAS_STEWARD_PASSWORD`` or ``steward_password`` in secrets.toml) opens the
page only while no named account exists: it suits one person, names nobody in the change log and knows no
partners. Once an account exists, every steward logs in with their own name.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from geo.store import accounts
from geo.store.accounts import Account

LOG = logging.getLogger(__name__)

PASSWORD_ENV = "STANDORTATLAS_STEWARD_PASSWORD"
PASSWORD_SECRET = "steward_password"
# Optional list of e-mail addresses that may use the page after Streamlit's OIDC login (st.login), for an
# installation without named accounts; with accounts, an identity maps to the account with its e-mail.
STEWARD_EMAILS_SECRET = "steward_emails"
# The reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated).
TRUSTED_PROXIES_ENV = "STANDORTATLAS_TRUSTED_PROXIES"
IDLE_MINUTES_ENV = "STANDORTATLAS_STEWARD_IDLE_MINUTES"
DEFAULT_IDLE_MINUTES = 30.0
UNKNOWN_CLIENT = "unknown"


def configured_password(secret_value: object = None) -> str | None:
    """The shared steward password: the environment variable wins over the secrets.toml value; None if unset."""
    for candidate in (os.environ.get(PASSWORD_ENV), secret_value):
        if isinstance(candidate, str) and candidate:
            return candidate
    return None


def password_matches(given: object, expected: str | None) -> bool:
    """Whether ``given`` is the shared password, compared in constant time (hmac.compare_digest on the
    UTF-8 bytes), so response times tell nothing about how much of a guess was right. Without a
    configured password nothing matches."""
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


def idle_seconds() -> float:
    """After how long without any action a staff session ends (env STANDORTATLAS_STEWARD_IDLE_MINUTES)."""
    try:
        minutes = float(os.environ.get(IDLE_MINUTES_ENV, DEFAULT_IDLE_MINUTES))
    except ValueError:
        minutes = DEFAULT_IDLE_MINUTES
    return max(1.0, minutes) * 60


# --- the client's address ---------------------------------------------------------------------------------


def trusted_proxies(text: str | None = None) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """The configured proxies (env STANDORTATLAS_TRUSTED_PROXIES); entries that are no address are ignored."""
    raw = os.environ.get(TRUSTED_PROXIES_ENV, "") if text is None else text
    networks = []
    for entry in raw.split(","):
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue
    return networks


def client_address(remote: str | None, forwarded_for: Iterable[str] = (), proxies: str | None = None) -> str:
    """The address a login attempt really comes from. ``remote`` is the connection's peer (Streamlit gives
    None for the loopback address); its ``X-Forwarded-For`` headers count only when the peer is a
    configured proxy, and then the right-most address that is not itself a proxy is the client. A header
    from anyone else is ignored: a client could write any address into it."""
    networks = trusted_proxies(proxies)
    peer = _address(remote or "127.0.0.1")
    if peer is None:
        return UNKNOWN_CLIENT
    if not _trusted(peer, networks):
        return str(peer)
    hops = [hop.strip() for header in forwarded_for for hop in str(header).split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return str(peer)  # a malformed entry: nothing left of it can be believed
        if not _trusted(address, networks):
            return str(address)
    return str(_address(hops[0])) if hops else str(peer)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return any(address in network for network in networks if network.version == address.version)


# --- the throttle -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginAttempt:
    """What happened to one attempt: the account it opened (None: refused), or ``retry_after`` seconds to
    wait first (then the password was not even compared)."""

    account: Account | None
    retry_after: float | None = None

    @property
    def matched(self) -> bool:
        return self.account is not None


class LoginThrottle:
    """Against guessing passwords, without letting anyone lock the stewards out.

    Each attempt is answered at once: either the password is compared, or the answer says how many seconds
    to wait. Wrong passwords are counted per client address and per account over ``window_seconds``; after
    the n-th failure from an address its next attempt is accepted only ``base × 2^(n-1)`` seconds later (at
    most ``cap``). The account's own failures add a delay (at most ``account_cap``) only for addresses that
    have failed themselves, so guesses from one address never delay a steward at another, and spreading
    guesses over many addresses buys one guess per address. One address has one comparison running at a
    time: parallel guesses get the wait, not a queue. At most ``slots`` passwords are hashed at once, each
    waiting at most ``busy_seconds`` for a slot. Each failure is logged with address and account name, never
    with the guess.
    """

    def __init__(
        self,
        base_seconds: float = 1.0,
        cap_seconds: float = 60.0,
        account_cap_seconds: float = 10.0,
        window_seconds: float = 900.0,
        slots: int = 2,
        busy_seconds: float = 3.0,
        max_tracked: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.base_seconds = base_seconds
        self.cap_seconds = cap_seconds
        self.account_cap_seconds = account_cap_seconds
        self.window_seconds = window_seconds
        self.busy_seconds = busy_seconds
        self.max_tracked = max_tracked
        self._clock = clock
        self._failures: dict[str, list[float]] = {}
        self._in_flight: set[str] = set()
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(slots)

    def attempt(self, client: str, account: str, check: Callable[[], Account | None]) -> LoginAttempt:
        """Compare (``check``) now, or say how long to wait."""
        client, account = client or UNKNOWN_CLIENT, accounts.normal_name(account)
        with self._lock:
            wait = self._wait(client, account, self._clock())
            if client in self._in_flight:
                wait = max(wait, self.base_seconds)
            if wait > 0:
                return LoginAttempt(None, wait)
            self._in_flight.add(client)
        try:
            if not self._slots.acquire(timeout=self.busy_seconds):
                return LoginAttempt(None, self.base_seconds)
            try:
                opened = check()
            finally:
                self._slots.release()
        finally:
            with self._lock:
                self._in_flight.discard(client)
        if opened is not None:
            with self._lock:
                self._failures.pop(f"address:{client}", None)
            return LoginAttempt(opened)
        from_address, for_account = self._register_failure(client, account)
        LOG.warning(
            "wrong steward password for account %r from %s (%d failure(s) from this address, %d for this account "
            "in the last %d minutes)",
            account,
            client,
            from_address,
            for_account,
            int(self.window_seconds // 60),
        )
        return LoginAttempt(None)

    def delay_for(self, client: str, account: str = "") -> float:
        """Seconds until ``client`` may try again (0: now)."""
        with self._lock:
            return self._wait(client or UNKNOWN_CLIENT, accounts.normal_name(account), self._clock())

    def reset(self) -> None:
        with self._lock:
            self._failures.clear()
            self._in_flight.clear()

    def _wait(self, client: str, account: str, now: float) -> float:
        from_address = self._recent(f"address:{client}", now)
        if not from_address:
            return 0.0
        for_account = self._recent(f"account:{account}", now)
        ready = from_address[-1] + self._delay(len(from_address))
        if for_account:
            account_delay = min(self._delay(len(for_account)), self.account_cap_seconds)
            ready = max(ready, for_account[-1] + account_delay)
        return max(0.0, ready - now)

    def _register_failure(self, client: str, account: str) -> tuple[int, int]:
        with self._lock:
            now = self._clock()
            counts = []
            for key in (f"address:{client}", f"account:{account}"):
                recent = self._recent(key, now)
                recent.append(now)
                self._failures[key] = recent
                counts.append(len(recent))
            self._forget_oldest()
            return counts[0], counts[1]

    def _recent(self, key: str, now: float) -> list[float]:
        recent = [moment for moment in self._failures.get(key, []) if now - moment < self.window_seconds]
        if recent:
            self._failures[key] = recent
        else:
            self._failures.pop(key, None)
        return recent

    def _forget_oldest(self) -> None:
        """A bounded memory, whatever the number of addresses guessing: the longest-quiet keys go first."""
        if len(self._failures) <= self.max_tracked:
            return
        by_age = sorted(self._failures, key=lambda key: self._failures[key][-1])
        for key in by_age[: len(self._failures) - self.max_tracked]:
            del self._failures[key]

    def _delay(self, failures: int) -> float:
        """base, 2 × base, 4 × base … for 1, 2, 3 … failures, at most the cap."""
        return min(self.base_seconds * 2 ** (failures - 1), self.cap_seconds) if failures > 0 else 0.0


# One per server process, shared by all sessions: the page is re-executed on every rerun, this module is
# imported once.
LOGIN_THROTTLE = LoginThrottle()


def log_in(
    sites_path: Path | str,
    name: str,
    password: str,
    client: str,
    shared_password: str | None,
    throttle: LoginThrottle | None = None,
) -> LoginAttempt:
    """Check a login through the throttle: a named account when accounts exist, else the shared password
    (then ``name`` is not needed)."""
    gate = LOGIN_THROTTLE if throttle is None else throttle
    if accounts.any_accounts(sites_path):
        return gate.attempt(client, name, lambda: accounts.verify(sites_path, name, password))
    return gate.attempt(
        client, "", lambda: accounts.SHARED_STEWARD if password_matches(password, shared_password) else None
    )
