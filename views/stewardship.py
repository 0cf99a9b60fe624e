"""What the staff page's parts share (views/pflege.py, views/steward_versions.py): where the data is,
the steward's access (password or OIDC login), the notices of an action, and how values and tables are
shown."""

from __future__ import annotations

import logging
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from geo import store
from geo.core.formatting import format_date, format_number, format_time
from geo.core.paths import REFERENCE_GPKG, SITES_GPKG
from geo.imports import auth
from geo.texts import t

LOG = logging.getLogger(__name__)

DATA_DIR_ENV = "STANDORTATLAS_DATA_DIR"  # the variable geo.core.paths reads at import, read here per call

LOCAL_TIME = ZoneInfo("Europe/Berlin")

MEGABYTE = 1024 * 1024

TABLE_ROWS_IN_FULL = 20

TABLE_HEIGHT = 560

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$:&])")

# Session keys. A login leaves only the boolean LOGGED_IN behind: the password is never stored.
LOGGED_IN = "steward_logged_in"

NOTICE = "steward_notice"

REVIEW = "steward_review"

DIFF = "steward_diff"

UPLOAD_ROUND = "steward_upload_round"


def data_dir() -> Path:
    """Read at call time, not at import, so tests and a staging set-up can point the page at a copy."""
    configured = os.environ.get(DATA_DIR_ENV)
    return Path(configured) if configured else SITES_GPKG.parent


def sites_path() -> Path:
    return data_dir() / SITES_GPKG.name


def reference_path() -> Path:
    return data_dir() / REFERENCE_GPKG.name


def secret(name: str) -> object:
    try:
        return st.secrets.get(name)
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return None


def identity_login_configured() -> bool:
    """Streamlit's OIDC login (st.login) is offered when [auth] and a steward e-mail list are configured."""
    return bool(secret("auth")) and bool(secret(auth.STEWARD_EMAILS_SECRET))


def signed_in_with_identity_provider() -> bool:
    if not identity_login_configured():
        return False
    return st.user.get("is_logged_in") is True and auth.email_allowed(
        st.user.get("email"), secret(auth.STEWARD_EMAILS_SECRET)
    )


def logged_in() -> bool:
    return st.session_state.get(LOGGED_IN) is True or signed_in_with_identity_provider()


def login_form(lang: str) -> None:
    st.write(t("steward_login_intro", lang))
    column, _ = st.columns([2, 3])
    # clear_on_submit: the typed password does not linger in the widget state after the check
    with column.form("steward_login", clear_on_submit=True):
        password = st.text_input(t("steward_password", lang), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(t("steward_login", lang), type="primary")
    if submitted:
        expected = auth.configured_password(secret(auth.PASSWORD_SECRET))
        # the throttle holds every attempt for its turn first, the right one too, then compares
        attempt = auth.LOGIN_THROTTLE.attempt(client_address(), lambda: auth.password_matches(password, expected))
        if attempt.matched:
            st.session_state[LOGGED_IN] = True
            st.rerun()
        if attempt.locked_until is not None:
            until = datetime.fromtimestamp(attempt.locked_until, tz=UTC)
            column.error(t("steward_locked_out", lang, until=local_time(until, lang)))
        else:
            column.error(t("steward_wrong_password", lang))
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
    """The visitor's address as the server sees it (the proxy's, behind one; the overall delay of the
    throttle covers guesses from changing addresses)."""
    try:
        address = st.context.ip_address
    except Exception:  # no request context (scripts)
        address = None
    return address if isinstance(address, str) and address else "unknown"


def log_out() -> None:
    identity = signed_in_with_identity_provider()
    for key in [key for key in st.session_state if str(key).startswith("steward_")]:
        del st.session_state[key]
    if identity:
        st.logout()
    st.rerun()


def set_notice(kind: str, key: str, undo_version: str | None = None, **values: object) -> None:
    st.session_state[NOTICE] = {"kind": kind, "key": key, "values": values, "undo_version": undo_version}


def show_notice(lang: str, path: Path) -> None:
    notice = st.session_state.pop(NOTICE, None)
    if notice is None:
        return
    values = {name: shown(value, lang) for name, value in notice["values"].items()}
    getattr(st, notice["kind"])(t(notice["key"], lang, **values))
    if notice["undo_version"]:
        st.button(
            t("steward_undo_this", lang),
            key="steward_undo_import",
            on_click=undo_last,
            args=(path, notice["undo_version"]),
        )


def shown(value: object, lang: str) -> str:
    if isinstance(value, datetime):
        return local_time(value, lang)
    if isinstance(value, int):
        return format_number(value, lang)
    if value is None:
        return t("steward_unknown_count", lang)
    return str(value)


def local_time(moment: datetime, lang: str) -> str:
    local = moment.astimezone(LOCAL_TIME)
    return f"{format_date(local.date(), lang)} {format_time(local, lang)}"


def plain(text: str) -> str:
    """Data shown inside Markdown (captions, alerts): every Markdown character escaped, so it stays text."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def show_table(frame: pd.DataFrame) -> None:
    """A static table: messages and old/new values wrap and stay readable in full (a data grid would cut
    them off); a long one scrolls within a fixed height."""
    # st.table renders Markdown in cells and headers: data is escaped so it shows as the literal text
    shown_frame = frame.map(lambda value: plain(cell(value))).rename(columns=plain)
    st.table(shown_frame, hide_index=True, height="content" if len(frame) <= TABLE_ROWS_IN_FULL else TABLE_HEIGHT)


def cell(value: object) -> str:
    return "" if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)) else str(value)


def undo_last(path: Path, expected_version: str) -> None:
    try:
        version = store.undo(path, expected_version=expected_version)
    except store.NothingToUndo:
        set_notice("warning", "steward_nothing_to_undo")
    except store.StaleData:
        set_notice("warning", "steward_stale_versions")
    except store.StoreBusy:
        set_notice("error", "steward_busy")
    except store.StoreReadOnly:
        LOG.warning("the data folder of %s is read-only", path, exc_info=True)
        set_notice("error", "steward_read_only", folder=plain(str(path.parent)))
    except Exception:
        LOG.exception("undo of %s failed", path)
        set_notice("error", "steward_store_error")
    else:
        set_notice("success", "steward_undone", saved=version.saved_at, sites=version.site_count)
