"""The shared frame around every page: language, brand header, attribution.

The language lives in the URL (`?lang=en`), so a copied link keeps it. Pages read it with
`current_language()`.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import re

import streamlit as st

from geo.core.formatting import format_number
from geo.core.paths import ASSETS_DIR
from geo.core.values import escape_text
from geo.sites.filters import ParamProblem, markdown_literal, markdown_values
from geo.texts import DEFAULT_LANGUAGE, LANGUAGES, TEXTS, normalize_language, pick, t

LANGUAGE_KEY = "lang"  # the URL parameter, and the session value every page reads
_SWITCH_KEY = "language_switch"


def current_language() -> str:
    """The session's language: taken from the URL (`?lang=en`) on the first run, German by default."""
    if LANGUAGE_KEY not in st.session_state:
        st.session_state[LANGUAGE_KEY] = normalize_language(st.query_params.get(LANGUAGE_KEY, DEFAULT_LANGUAGE))
    return st.session_state[LANGUAGE_KEY]


def ignored_values_text(problem: ParamProblem, lang: str) -> str:
    """The values a link named and the page ignored, escaped for Markdown, and how many more there were."""
    text = markdown_values(problem)
    return text + t("values_and_more", lang, count=format_number(problem.more, lang)) if problem.more else text


LOGO_PX = 48


@functools.cache
def _logo_data_url() -> str:
    return "data:image/png;base64," + base64.b64encode((ASSETS_DIR / "logo.png").read_bytes()).decode("ascii")


def brand(lang: str) -> None:
    """The sidebar's head: the logo and the atlas's name, one HTML block. The logo is part of the block (a
    data URL with its size set, not an image element of its own): it needs no code of its own, no request,
    and nothing changes when it has loaded."""
    st.html(
        f'<div class="sa-brand"><img src="{_logo_data_url()}" width="{LOGO_PX}" height="{LOGO_PX}" alt="">'
        f"<p>{escape_text(t('app_title', lang))}</p></div>"
    )


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


# The layout every page needs from its first paint (why each rule: in the file). serve.py puts it into the
# page's <head> with a hold of the main area until it stands where it will stay (assets/first_paint.js);
# set_html_language repeats the rules for `streamlit run app.py`.
# (without its comments here: st.html's sanitiser drops a style block whose text holds a "<")
FIRST_PAINT_CSS = re.sub(r"/\*.*?\*/\s*", "", (ASSETS_DIR / "first_paint.css").read_text(encoding="utf-8"), flags=re.S)
# A page without the frame (no sidebar) releases the hold with its own style sheet, which brings its own
# margins at the same moment.
FRAMELESS_REVEAL = ":has(> [data-testid='stMain']) { visibility: visible !important; }"


def reveal_frameless_page() -> None:
    """Show the main area of a page without the frame (see FIRST_PAINT_CSS)."""
    st.html(f"<style>{FRAMELESS_REVEAL}</style>")


def set_html_language(lang: str) -> None:
    """Tell assistive technology which language the page is in (WCAG 3.1.1); the page's first-paint layout."""
    st.html(
        f"<style>{FIRST_PAINT_CSS}</style><script>document.documentElement.lang = {lang!r};</script>",
        unsafe_allow_javascript=True,
    )


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
    """The staff page exists only when named accounts exist or a shared password is configured (secrets
    or environment)."""
    from geo.store import accounts
    from views.pflege_common import sites_path

    if os.environ.get("STANDORTATLAS_STEWARD_PASSWORD") or accounts.accounts_exist_for_listing(sites_path()):
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


# --- the frame's page script: Streamlit's own words in the page's language, focus, the profile cue --------

FRAME_SCRIPT = (ASSETS_DIR / "frame.js").read_text(encoding="utf-8")
STREAMLIT_WORD_KEYS = tuple(key for key in TEXTS if key.startswith("streamlit_"))
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# The cue that points to a profile opened below the fold, touch targets of at least 44 px on touch screens,
# no focus ring after a mouse click on the main area (the keyboard's ring stays, :focus-visible), and code in
# a caption black: Streamlit draws the caption at 60 % opacity, which leaves its own code colour (and even the
# text colour) below the contrast minimum at the code's small size.
FRAME_CSS = """
.sa-profile-cue { position: fixed; left: 50%; bottom: 1rem; transform: translateX(-50%); z-index: 999990;
  min-height: 44px; max-width: calc(100vw - 2rem); padding: 0.5rem 1.1rem; border: 0; border-radius: 22px;
  background: #0b5c8a; color: #fff; font: inherit; font-weight: 600; box-shadow: 0 2px 10px rgba(0,0,0,0.3);
  cursor: pointer; }
.sa-profile-cue:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
[data-testid='stMain']:focus:not(:focus-visible), [tabindex='-1']:focus:not(:focus-visible) { outline: none; }
@media (pointer: coarse), (max-width: 640px) {
  [data-testid='stExpandSidebarButton'], [data-testid='stSidebarCollapseButton'] button {
    min-width: 44px !important; min-height: 44px !important; display: inline-flex; align-items: center;
    justify-content: center; }
  [data-testid='stPopoverButton'], [data-testid^='stBaseButton'] { min-height: 44px; }
}
[data-testid='stElementContainer']:has(> .stHtml #atlas-frame-script) { display: none; }
[data-testid='stCaptionContainer'] code { color: #000; }
"""


def _word_rule(key: str, lang: str) -> list[str]:
    """[pattern, replacement] (JavaScript) that turns the library's English text `key` into `lang`. Groups
    are numbered, not named: Streamlit's HTML sanitiser drops a script whose text holds "<" before a letter."""
    english, wording = TEXTS[key]["en"], TEXTS[key][lang]
    parts = _PLACEHOLDER.split(english)  # text, name, text, name, …, text
    names = parts[1::2]
    pattern = "".join(re.escape(part) if number % 2 == 0 else "(.*?)" for number, part in enumerate(parts))
    replacement = _PLACEHOLDER.sub(lambda match: f"${names.index(match.group(1)) + 1}", wording)
    return [f"^{pattern}$", replacement]


def frame_behaviour(lang: str) -> None:
    """The frame's page script (assets/frame.js) with this page's language: Streamlit's own English words in
    German on German pages, focus moved into what the keyboard opened, the cue to a profile out of view."""
    settings = {
        "rules": pick(lang, [_word_rule(key, lang) for key in STREAMLIT_WORD_KEYS], []),
        "cue": t("profile_cue", lang),
    }
    configure = f"window.atlasFrame.configure({json.dumps(settings, ensure_ascii=False)});".replace("</", "<\\/")
    st.html(
        f"<style>{FRAME_CSS}</style><script id='atlas-frame-script'>{FRAME_SCRIPT}\n{configure}</script>",
        unsafe_allow_javascript=True,
    )
