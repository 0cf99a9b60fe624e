"""What the parts of the staff page `pflege` share: where the data is, the secrets, the notice an action
leaves for the next run, and how data is shown (escaped for Markdown, times in German local time)."""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import streamlit as st

from geo.core.formatting import format_date, format_number, format_time
from geo.core.paths import REFERENCE_GPKG, SITES_GPKG
from geo.texts import t

DATA_DIR_ENV = "STANDORTATLAS_DATA_DIR"  # the variable geo.core.paths reads at import, read here per call
LOCAL_TIME = ZoneInfo("Europe/Berlin")
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$:&])")

# Session keys of the staff page all start with "steward_" (logging out removes them all).
NOTICE = "steward_notice"


# --- where the data is --------------------------------------------------------------------------------


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


# --- notices: what an action did, shown on the run after its callback -------------------------------


def set_notice(kind: str, key: str, undo_version: str | None = None, **values: object) -> None:
    st.session_state[NOTICE] = {"kind": kind, "key": key, "values": values, "undo_version": undo_version}


def take_notice() -> dict | None:
    return st.session_state.pop(NOTICE, None)


def notice_text(notice: dict, lang: str) -> str:
    return t(notice["key"], lang, **{name: shown(value, lang) for name, value in notice["values"].items()})


# --- showing data -------------------------------------------------------------------------------------


def shown(value: object, lang: str) -> str:
    if isinstance(value, datetime):
        return local_time(value, lang)
    if isinstance(value, int) and not isinstance(value, bool):
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
