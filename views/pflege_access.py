"""Who is on the staff page: the login form (a named account, or the shared password while no account
exists), the organisation login (OIDC), and the checks on every run that end a session — after the idle
time, or when its account was disabled or got a new password on any replica.

A session keeps only the account's name, when it began and when it was last active; never a password.
"""

from __future__ import annotations

import logging
import math
import time
from datetime import UTC, datetime
from pathlib import Path

import streamlit as st

from geo.imports import auth
from geo.store import accounts
from geo.store.accounts import Account
from geo.texts import t
from views.pflege_common import plain, secret, set_notice

LOG = logging.getLogger(__name__)

# Session keys (all "steward_…": logging out removes every one of them).
LOGGED_IN = "steward_logged_in"
ACCOUNT = "steward_account"
STARTED = "steward_started"
LAST_SEEN = "steward_last_seen"


def identity_login_configured() -> bool:
    """Streamlit's OIDC login (st.login) is offered when [auth] is configured and identities can map to
    stewards: named accounts with an e-mail, or the steward e-mail list of a one-person installation."""
    return bool(secret("auth")) and (
        bool(secret(auth.STEWARD_EMAILS_SECRET)) or any(account.email for account in _all_accounts())
    )


def _all_accounts() -> list[Account]:
    from views.pflege_common import sites_path

    return accounts.list_accounts(sites_path())


def identity_account(path: Path) -> Account | None:
    """The account an OIDC identity maps to: the named account with its e-mail, or — without accounts — the
    shared steward when the e-mail is on the steward list."""
    if not identity_login_configured() or st.user.get("is_logged_in") is not True:
        return None
    email = str(st.user.get("email") or "")
    if accounts.any_accounts(path):
        account = accounts.by_email(path, email)
        return account if account is not None and account.active else None
    return accounts.SHARED_STEWARD if auth.email_allowed(email, secret(auth.STEWARD_EMAILS_SECRET)) else None


def current_actor(path: Path) -> Account | None:
    """The account of this session, or None. A session ends (with a notice) after the idle time, when its
    account is disabled or has a new password, or when accounts appear for a shared-password session."""
    identity = identity_account(path)
    if identity is not None:
        return identity
    if st.session_state.get(LOGGED_IN) is not True:
        return None
    now = time.time()
    if now - float(st.session_state.get(LAST_SEEN, 0)) > auth.idle_seconds():
        _end_session("steward_session_idle")
        return None
    name = str(st.session_state.get(ACCOUNT) or "")
    started = datetime.fromtimestamp(float(st.session_state.get(STARTED, 0)), tz=UTC)
    if name == accounts.SHARED_NAME and not accounts.any_accounts(path):
        account: Account | None = accounts.SHARED_STEWARD
    else:
        account = accounts.get(path, name)
        if account is not None and not account.session_valid(started):
            account = None
    if account is None:
        _end_session("steward_session_revoked")
        return None
    st.session_state[LAST_SEEN] = now
    return account


def _end_session(reason_key: str) -> None:
    for key in [key for key in st.session_state if str(key).startswith("steward_")]:
        del st.session_state[key]
    set_notice("warning", reason_key)


def _start_session(account: Account) -> None:
    now = time.time()
    st.session_state[LOGGED_IN] = True
    st.session_state[ACCOUNT] = account.name
    st.session_state[STARTED] = now
    st.session_state[LAST_SEEN] = now


def login_form(path: Path, lang: str) -> None:
    named = accounts.any_accounts(path)
    st.write(t("steward_login_intro_accounts" if named else "steward_login_intro", lang))
    column, _ = st.columns([2, 3])
    # clear_on_submit: the typed password does not linger in the widget state after the check
    with column.form("steward_login", clear_on_submit=True):
        name = (
            st.text_input(t("steward_account_name", lang), key="steward_login_name", autocomplete="username")
            if named
            else ""
        )
        password = st.text_input(t("steward_password", lang), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(t("steward_login", lang), type="primary")
    if submitted:
        shared = None if named else auth.configured_password(secret(auth.PASSWORD_SECRET))
        attempt = auth.log_in(path, name or "", password, client_address(), shared)
        if attempt.account is not None:
            _start_session(attempt.account)
            st.rerun()
        if attempt.retry_after is not None:
            column.warning(t("steward_wait", lang, seconds=max(1, math.ceil(attempt.retry_after))))
        else:
            column.error(t("steward_wrong_login" if named else "steward_wrong_password", lang))
    if identity_login_configured():
        if st.user.get("is_logged_in"):
            column.warning(t("steward_oidc_not_allowed", lang, email=plain(str(st.user.get("email") or "?"))))
        elif column.button(t("steward_login_oidc", lang)):
            try:
                st.login()
            except Exception:  # e.g. Authlib missing or [auth] incomplete: a message, not a traceback
                LOG.exception("OIDC login could not start")
                column.error(t("steward_login_failed", lang))


def client_address() -> str:
    """The visitor's real address: X-Forwarded-For counts only from a configured proxy
    (STANDORTATLAS_TRUSTED_PROXIES), see geo.imports.auth.client_address."""
    try:
        remote = st.context.ip_address
        forwarded = st.context.headers.get_all("X-Forwarded-For")
    except Exception:  # no request context (scripts, AppTest)
        return auth.UNKNOWN_CLIENT
    return auth.client_address(remote if isinstance(remote, str) else None, forwarded)


def log_out() -> None:
    identity = st.user.get("is_logged_in") is True and identity_login_configured()
    for key in [key for key in st.session_state if str(key).startswith("steward_")]:
        del st.session_state[key]
    if identity:
        st.logout()
    st.rerun()
