"""Standortatlas: router and shared frame. Start with `make run`.

Navigation is drawn by the frame itself (st.navigation stays hidden), so the embed and presentation
pages can show no sidebar at all, and the staff-only page is listed only when a password is configured.
"""

from __future__ import annotations

import streamlit as st

from geo.core.paths import ASSETS_DIR
from geo.store import DataDamaged, StoreUnavailable
from geo.texts import language_param, t
from views.database_notice import database_unavailable, stale_data_note
from views.frame import (
    attribution,
    brand,
    current_language,
    data_problem_notice,
    frame_behaviour,
    language_switch,
    reveal_frameless_page,
    set_html_language,
    stewardship_enabled,
)
from views.pages import FRAMELESS_PAGES, MAIN_PAGES, STAFF_PAGES, STAFF_UNAVAILABLE_PAGE

st.set_page_config(page_title="Standortatlas", page_icon=str(ASSETS_DIR / "logo.png"), layout="wide")

lang = current_language()


def make_page(spec, default: bool = False) -> st.Page:
    path, url_path, title_key, icon = spec
    return st.Page(path, title=t(title_key, lang), icon=icon, url_path=url_path, default=default)


main_pages = [make_page(spec) for spec in MAIN_PAGES]
frameless_pages = [make_page(spec) for spec in FRAMELESS_PAGES]
staff_pages = [make_page(spec) for spec in STAFF_PAGES] if stewardship_enabled() else []
unlisted_pages = [] if staff_pages else [make_page(STAFF_UNAVAILABLE_PAGE)]

# `/` forwards to the map at `/karte`, keeping the parameters of a short link.
start_page = st.Page("views/start.py", title=t("nav_map", lang), default=True)
page = st.navigation([start_page] + main_pages + frameless_pages + staff_pages + unlisted_pages, position="hidden")
framed = page.url_path not in {spec[1] for spec in FRAMELESS_PAGES}
if framed:
    with st.sidebar:
        brand(lang)
        lang = language_switch()
        # links carry the language, so a visitor who chose English stays in English
        for nav_page in main_pages + [frameless_pages[1]] + staff_pages:
            st.page_link(nav_page, query_params=language_param(lang) or None)
set_html_language(lang)
stale_data_note(lang)
staff_page = page.url_path == STAFF_PAGES[0][1]
# A missing or damaged data file stops every page with a message naming the file and the command that
# restores it; the staff page still runs, because its kept versions are the way back.
if not data_problem_notice(lang, staff_page=staff_page) or staff_page:
    try:
        page.run()
    except StoreUnavailable:  # only with the PostgreSQL store: the database is down or restarting
        database_unavailable(lang)
    except DataDamaged:  # damaged after the check above (e.g. replaced by hand meanwhile)
        data_problem_notice(lang, staff_page=staff_page)
if framed:
    attribution(lang)
else:  # the page's own style sheet has revealed the main area already, unless a notice took its place
    reveal_frameless_page()
frame_behaviour(lang)  # last, and hidden: the page's own elements keep their places
