"""The shared frame around every page: language, brand header, attribution.

The language lives in the URL (`?lang=en`) through Streamlit's query-parameter binding, so a copied link
keeps it. Pages read it with `current_language()`.
"""

from __future__ import annotations

import html
import os

import streamlit as st

from geo.texts import DEFAULT_LANGUAGE, LANGUAGES, normalize_language, t

LANGUAGE_KEY = "lang"


def current_language() -> str:
    """The chosen language: the bound widget's value, else the URL parameter, else German."""
    if LANGUAGE_KEY in st.session_state:
        return normalize_language(st.session_state[LANGUAGE_KEY])
    return normalize_language(st.query_params.get(LANGUAGE_KEY, DEFAULT_LANGUAGE))


def language_switch(container=st.sidebar) -> str:
    lang = current_language()
    container.segmented_control(
        t("language", lang),
        options=list(LANGUAGES),
        format_func=lambda code: t(f"language_name_{code}", code),
        default=DEFAULT_LANGUAGE,
        key=LANGUAGE_KEY,
        bind="query-params",
        required=True,
    )
    return current_language()


def set_html_language(lang: str) -> None:
    """Tell assistive technology which language the page is in (WCAG 3.1.1)."""
    st.html(f"<script>document.documentElement.lang = {lang!r};</script>", unsafe_allow_javascript=True)


def attribution(lang: str, container=st) -> None:
    container.caption(html.escape(t("attribution", lang)))


def page_header(title_key: str, lang: str) -> None:
    st.title(t(title_key, lang))


def stewardship_enabled() -> bool:
    """The staff page exists only when a password is configured (secrets or environment)."""
    if os.environ.get("STANDORTATLAS_STEWARD_PASSWORD"):
        return True
    try:
        return bool(st.secrets.get("steward_password"))
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return False
