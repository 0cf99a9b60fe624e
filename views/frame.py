"""The shared frame around every page: language, brand header, attribution.

The language lives in the URL (`?lang=en`), so a copied link keeps it. Pages read it with
`current_language()`.
"""

from __future__ import annotations

import os

import streamlit as st

from geo.sites.filters import markdown_literal
from geo.texts import DEFAULT_LANGUAGE, LANGUAGES, normalize_language, t

LANGUAGE_KEY = "lang"  # the URL parameter, and the session value every page reads
_SWITCH_KEY = "language_switch"


def current_language() -> str:
    """The session's language: taken from the URL (`?lang=en`) on the first run, German by default."""
    if LANGUAGE_KEY not in st.session_state:
        st.session_state[LANGUAGE_KEY] = normalize_language(st.query_params.get(LANGUAGE_KEY, DEFAULT_LANGUAGE))
    return st.session_state[LANGUAGE_KEY]


def _adopt_switched_language() -> None:
    st.session_state[LANGUAGE_KEY] = st.session_state[_SWITCH_KEY]


def language_switch(container=None) -> str:
    """The language switch, kept in step with the URL by hand.

    Streamlit's query-parameter binding would write the option's label ("English") into the URL; the
    atlas's links use the code (`?lang=en`), so the switch sets the parameter itself.
    """
    lang = current_language()
    st.session_state[_SWITCH_KEY] = lang
    (container or st.sidebar).segmented_control(
        "Sprache / Language",  # one label in both languages, so the widget keeps its identity
        options=list(LANGUAGES),
        format_func=lambda code: t(f"language_name_{code}", code),
        key=_SWITCH_KEY,
        required=True,
        on_change=_adopt_switched_language,
    )
    if lang == DEFAULT_LANGUAGE:
        st.query_params.pop(LANGUAGE_KEY, None)
    else:
        st.query_params[LANGUAGE_KEY] = lang
    return lang


# Streamlit leaves about 6rem above the first element (room for its header); the atlas's header is
# transparent and nearly empty, so 3rem keeps the title clear of it and the map higher on the screen.
PAGE_TOP_CSS = "<style>[data-testid='stMainBlockContainer'] { padding-top: 3rem !important; }</style>"


def set_html_language(lang: str) -> None:
    """Tell assistive technology which language the page is in (WCAG 3.1.1); the page's top space."""
    st.html(f"{PAGE_TOP_CSS}<script>document.documentElement.lang = {lang!r};</script>", unsafe_allow_javascript=True)


def data_problem_notice(lang: str, staff_page: bool = False) -> bool:
    """A clear message naming each missing or damaged data file and the command that restores it, and
    missing web libraries with the set-up command; True when the page cannot work with the data."""
    from geo.store import health as data_health

    problems = data_health.data_problems()
    for problem in problems:
        key = "data_file_missing" if problem.kind == data_health.MISSING else "data_file_damaged"
        st.error(
            t(
                key,
                lang,
                path=markdown_literal(str(problem.path), None),
                detail=markdown_literal(problem.detail, None),
                command=problem.restore_command,
            ),
            icon=":material/error:",
        )
    if any(problem.is_sites for problem in problems) and not staff_page:
        st.info(t("data_restore_on_staff_page", lang))
    missing = data_health.missing_vendor_files()
    if missing:
        st.warning(
            t(
                "vendor_missing",
                lang,
                count=len(missing),
                example=markdown_literal(missing[0], None),
                command=data_health.VENDOR_SETUP_COMMAND,
            ),
            icon=":material/warning:",
        )
    return bool(problems)


def attribution(lang: str, container=st) -> None:
    container.caption(t("attribution", lang))  # the atlas's own text, not data


def stewardship_enabled() -> bool:
    """The staff page exists only when a password is configured (secrets or environment)."""
    if os.environ.get("STANDORTATLAS_STEWARD_PASSWORD"):
        return True
    try:
        return bool(st.secrets.get("steward_password"))
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return False


def url_widget_key(param: str, lang: str) -> str:
    """A widget per language for a URL-synced choice: its label changes with the language, and a
    relabelled widget would show its default while keeping the old value; a new one starts from the URL."""
    return f"{param}_{lang}"


def seed_from_url(param: str, valid: list[str], default: str | None, lang: str) -> None:
    """Start the widget of `param` from the URL (once per visit and language); a value the page does
    not know is reported and ignored."""
    if url_widget_key(param, lang) in st.session_state:
        return
    value = st.query_params.get(param)
    if value is not None and value not in valid:
        st.warning(t("bad_parameter", lang, name=param, value=markdown_literal(value)))
        value = None
    st.session_state[url_widget_key(param, lang)] = value if value is not None else default


def write_to_url(param: str, value: str | None, default: str | None) -> None:
    """Keep `param` in the URL in step with a choice; the default leaves the URL clean."""
    if value is None or value == default:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != value:
        st.query_params[param] = value
