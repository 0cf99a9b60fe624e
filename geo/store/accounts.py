"""Named accounts of the people who keep the sites: roles, a partner's scope, passwords as Argon2id hashes.

Roles and what each may do (`RIGHTS`): ``admin`` manages accounts and has an editor's rights; ``editor``
(agency staff) reviews, approves, applies and undoes; ``partner`` (a municipality, district or park
operator) proposes changes for the sites of its scope: the site ids it names and the sites in the districts
(AGS) it names. A password is stored only as an Argon2id hash (argon2-cffi, OWASP's parameters: 19 MiB,
2 passes) — never in clear, never reversibly; the hash carries its parameters, so stronger ones can come
later without breaking older hashes. An account is never deleted, only disabled: the change log keeps
naming it. Disabling an account or setting a new password ends its open sessions on every replica (the
page compares a session's start with ``sessions_valid_after`` on every run).

The shared steward password of a one-person installation is not an account: `SHARED_STEWARD` stands for
it, an editor without a name of its own, and it works only while no account exists.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from geo.store.contract import StoreError, database_url
from geo.store.ledger import Ledger, Session, moment, now

ROLES = ("admin", "editor", "partner")
RIGHTS: dict[str, frozenset[str]] = {
    "admin": frozenset({"accounts", "review", "apply", "undo", "propose"}),
    "editor": frozenset({"review", "apply", "undo", "propose"}),
    "partner": frozenset({"propose"}),
}
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
AGS_PATTERN = re.compile(r"^\d{5}$")
MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024  # a longer input is refused before it is hashed: hashing costs time and memory
SHARED_NAME = "steward"
HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
# compared when a name is unknown, so an unknown name takes as long as a wrong password
_DUMMY_HASH = HASHER.hash("no account has this password; it only costs the same time")
_COLUMNS = "name, role, email, sites, districts, created_at, disabled_at, sessions_valid_after"


class AccountError(StoreError):
    """An account could not be added or changed; ``key`` and ``values`` name the reason (geo.texts)."""

    def __init__(self, key: str, **values: object):
        self.key = key
        self.values = values
        super().__init__(f"{key}: {values}")


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    sites: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    email: str | None = None
    created_at: datetime | None = None
    disabled_at: datetime | None = None
    sessions_valid_after: datetime | None = None
    shared: bool = False  # the shared password of a one-person installation, not a named account

    @property
    def active(self) -> bool:
        return self.disabled_at is None

    def may(self, right: str) -> bool:
        return self.active and right in RIGHTS.get(self.role, frozenset())

    def covers(self, site_id: str, district_ags: str | None) -> bool:
        """Whether a site (by id, and the district it lies in) is in this account's scope; editors and
        admins cover every site."""
        if self.role != "partner":
            return True
        return site_id in self.sites or (district_ags is not None and district_ags in self.districts)

    def session_valid(self, started_at: datetime) -> bool:
        """Whether a session that began at ``started_at`` may go on (not disabled, no newer password)."""
        return self.active and (self.sessions_valid_after is None or started_at >= self.sessions_valid_after)


SHARED_STEWARD = Account(SHARED_NAME, "editor", shared=True)


# --- reading ----------------------------------------------------------------------------------------------


def list_accounts(sites_path: Path | str) -> list[Account]:
    """Every account, disabled ones too, by name."""
    ledger = Ledger(sites_path)
    if not ledger.exists():
        return []
    with ledger.session() as session:
        return [_account(row) for row in session.rows(f"SELECT {_COLUMNS} FROM atlas.accounts ORDER BY name")]


def get(sites_path: Path | str, name: str) -> Account | None:
    ledger = Ledger(sites_path)
    if not ledger.exists():
        return None
    with ledger.session() as session:
        return _get(session, normal_name(name))


def by_email(sites_path: Path | str, email: str) -> Account | None:
    """The account an OIDC identity maps to (e-mail compared without regard to case), or None."""
    ledger = Ledger(sites_path)
    if not ledger.exists() or not email.strip():
        return None
    with ledger.session() as session:
        row = session.row(f"SELECT {_COLUMNS} FROM atlas.accounts WHERE email = %s", (email.strip().casefold(),))
    return None if row is None else _account(row)


def any_accounts(sites_path: Path | str) -> bool:
    """Whether named accounts exist (then the shared password no longer opens the staff page)."""
    ledger = Ledger(sites_path)
    if not ledger.exists():
        return False
    with ledger.session() as session:
        return session.row("SELECT 1 FROM atlas.accounts LIMIT 1") is not None


LISTED_CHECK_SECONDS = 30.0
_listed: dict[tuple[str, str | None], tuple[float, bool]] = {}  # (path, database) -> (monotonic time, answer)


def accounts_exist_for_listing(sites_path: Path | str) -> bool:
    """`any_accounts`, asked at most every 30 s per location: every page run asks it (the navigation lists
    the staff page then). The database is part of the key: with STANDORTATLAS_DATABASE_URL set the same
    path names the database's ledger. False while the database cannot be asked (the pages say so)."""
    key = (str(sites_path), database_url(sites_path))
    asked = time.monotonic()
    cached = _listed.get(key)
    if cached is not None and asked - cached[0] < LISTED_CHECK_SECONDS:
        return cached[1]
    try:
        found = any_accounts(sites_path)
    except StoreError:
        found = False
    _listed[key] = (asked, found)
    return found


def verify(sites_path: Path | str, name: str, password: str) -> Account | None:
    """The account whose name and password these are, if it is active; else None. An unknown name or an
    account without a password costs the same time as a wrong password."""
    if not isinstance(password, str) or not password or len(password) > MAX_PASSWORD_CHARS:
        return None
    ledger = Ledger(sites_path)
    stored, account = None, None
    if ledger.exists():
        with ledger.session() as session:
            row = session.row(
                f"SELECT {_COLUMNS}, password_hash FROM atlas.accounts WHERE name = %s", (normal_name(name),)
            )
        if row is not None:
            account, stored = _account(row[:-1]), row[-1]
    try:
        HASHER.verify(stored or _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    return account if stored and account is not None and account.active else None


# --- changing ---------------------------------------------------------------------------------------------


def add(
    sites_path: Path | str,
    name: str,
    role: str,
    password: str | None,
    *,
    sites: Iterable[str] = (),
    districts: Iterable[str] = (),
    email: str | None = None,
) -> Account:
    """A new account. A partner needs a scope (sites or districts); a password or an e-mail (OIDC) is
    needed to log in at all."""
    name = normal_name(name)
    if NAME_PATTERN.match(name) is None:
        raise AccountError("account_bad_name", name=name)
    if role not in ROLES:
        raise AccountError("account_bad_role", role=role, roles=", ".join(ROLES))
    site_ids = tuple(dict.fromkeys(site.strip() for site in sites if site.strip()))
    district_codes = tuple(dict.fromkeys(code.strip() for code in districts if code.strip()))
    if bad := [code for code in district_codes if AGS_PATTERN.match(code) is None]:
        raise AccountError("account_bad_districts", codes=", ".join(bad))
    if role == "partner" and not (site_ids or district_codes):
        raise AccountError("account_partner_needs_scope")
    if role != "partner" and (site_ids or district_codes):
        raise AccountError("account_scope_only_partner")
    if password is None and not email:
        raise AccountError("account_needs_login")
    password_hash = None if password is None else _hash(password, name)
    moment_now = now()
    with Ledger(sites_path).session(write=True) as session:
        if _get(session, name) is not None:
            raise AccountError("account_exists", name=name)
        mail = email.strip().casefold() if email else None
        if mail and session.row("SELECT 1 FROM atlas.accounts WHERE email = %s", (mail,)):
            raise AccountError("account_email_taken", email=mail)
        session.run(
            "INSERT INTO atlas.accounts (name, role, password_hash, email, sites, districts, created_at,"
            " sessions_valid_after) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (name, role, password_hash, mail, json.dumps(site_ids), json.dumps(district_codes), moment_now, moment_now),
        )
        account = _get(session, name)
    assert account is not None
    return account


def set_password(sites_path: Path | str, name: str, password: str) -> None:
    """A new password; the account's open sessions end."""
    name = normal_name(name)
    password_hash = _hash(password, name)
    with Ledger(sites_path).session(write=True) as session:
        changed = session.run(
            "UPDATE atlas.accounts SET password_hash = %s, sessions_valid_after = %s WHERE name = %s",
            (password_hash, now(), name),
        )
    if not changed:
        raise AccountError("account_unknown", name=name)


def disable(sites_path: Path | str, name: str) -> Account:
    """Disable an account: it cannot log in, propose or approve, and its open sessions end."""
    name = normal_name(name)
    moment_now = now()
    with Ledger(sites_path).session(write=True) as session:
        changed = session.run(
            "UPDATE atlas.accounts SET disabled_at = COALESCE(disabled_at, %s), sessions_valid_after = %s"
            " WHERE name = %s",
            (moment_now, moment_now, name),
        )
        account = _get(session, name)
    if not changed or account is None:
        raise AccountError("account_unknown", name=name)
    return account


# --- helpers ----------------------------------------------------------------------------------------------


def normal_name(name: str) -> str:
    return str(name or "").strip().casefold()


def _hash(password: str, name: str) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_CHARS:
        raise AccountError("account_password_short", chars=MIN_PASSWORD_CHARS)
    if len(password) > MAX_PASSWORD_CHARS:
        raise AccountError("account_password_long", chars=MAX_PASSWORD_CHARS)
    if name and name in password.casefold():
        raise AccountError("account_password_has_name")
    return HASHER.hash(password)


def _get(session: Session, name: str) -> Account | None:
    row = session.row(f"SELECT {_COLUMNS} FROM atlas.accounts WHERE name = %s", (name,))
    return None if row is None else _account(row)


def _account(row: tuple) -> Account:
    name, role, email, sites, districts, created_at, disabled_at, valid_after = row
    return Account(
        name=name,
        role=role,
        sites=tuple(json.loads(sites or "[]")),
        districts=tuple(json.loads(districts or "[]")),
        email=email,
        created_at=moment(created_at),
        disabled_at=moment(disabled_at),
        sessions_valid_after=moment(valid_after),
    )
