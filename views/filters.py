"""Filter widgets and the chosen site, shared by the map page and the sites page and kept in the URL.

State lives in three places that this module keeps in step:
- the URL (`?state=SN&program=kreativort&q=…&site=…`), so a copied link restores the view;
- a canonical copy in session state (a `SiteFilter`, the chosen site id), which survives page switches
  (Streamlit drops widget state of a page that is left, and a page link may drop the query string);
- the widgets, seeded from the canonical copy whenever they are new or the language changed.

Rule for the URL: when it carries a value that differs from what this module last read or wrote, the
URL wins (a pasted link, a page link with parameters); when it carries none, the session's state is
kept and written back. Codes, not labels, go into the URL, so a link works in both languages.
Streamlit's own `bind="query-params"` would store the displayed labels ("Sachsen" or "Saxony"),
which is why the binding is done here.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from geo.core.formatting import format_number
from geo.core.schema import STATE_NAMES, themes
from geo.maps.symbols import program_label
from geo.sites import facts as site_facts
from geo.sites import filters as site_filters
from geo.sites.filters import (
    AREA_MIN_PARAM,
    FILTER_PARAMS,
    POOL_MIN_PARAM,
    PRICE_MAX_PARAM,
    PROGRAM_PARAM,
    QUERY_PARAM,
    RAIL_PARAM,
    RANGE_COLUMNS,
    SITE_PARAM,
    STATE_PARAM,
    THEME_PARAM,
    ZONE_PARAM,
    ZONING_PARAM,
    ParamProblem,
    SiteFilter,
    format_param_number,
    markdown_literal,
)
from geo.texts import pick, t
from views.data import (
    filtered_sites,
    reference_layer,
    reference_table,
    search_texts,
    site_id_renames,
    site_ids,
    site_vocabulary,
    sites,
)
from views.frame import ignored_values_text

FILTER_KEY = "atlas_filter"
FILTER_SYNCED_KEY = "atlas_filter_synced"
FILTER_VIEW_KEY = "atlas_filter_view"  # (page, language) the widgets were last drawn for
SITE_KEY = "atlas_site"
SITE_SYNCED_KEY = "atlas_site_synced"
SITE_CHOICE_KEY = "atlas_site_choice"
WIDGET_KEYS = {param: f"atlas_filter_{param}" for param in FILTER_PARAMS}
PARAM_LABEL_KEYS = {
    STATE_PARAM: "filter_states",
    PROGRAM_PARAM: "filter_programs",
    THEME_PARAM: "filter_themes",
    ZONE_PARAM: "filter_zones",
    QUERY_PARAM: "param_q",
    SITE_PARAM: "param_site",
    AREA_MIN_PARAM: "filter_area_min",
    PRICE_MAX_PARAM: "filter_price_max",
    ZONING_PARAM: "filter_zoning",
    RAIL_PARAM: "filter_rail",
    POOL_MIN_PARAM: "filter_pool_min",
}


# --- URL <-> session ----------------------------------------------------------------------------------


def _url_filter_params() -> dict[str, list[str]]:
    return {param: st.query_params.get_all(param) for param in FILTER_PARAMS if st.query_params.get_all(param)}


def _widget_values(site_filter: SiteFilter) -> dict[str, object]:
    return {
        STATE_PARAM: list(site_filter.states),
        PROGRAM_PARAM: list(site_filter.programs),
        THEME_PARAM: list(site_filter.themes),
        ZONE_PARAM: list(site_filter.zones),
        QUERY_PARAM: site_filter.query,
        AREA_MIN_PARAM: site_filter.area_min,
        PRICE_MAX_PARAM: site_filter.price_max,
        ZONING_PARAM: list(site_filter.zoning),
        RAIL_PARAM: list(site_filter.rail),
        POOL_MIN_PARAM: site_filter.pool_min,
    }


def _seed_widgets(site_filter: SiteFilter, overwrite: bool) -> None:
    for param, value in _widget_values(site_filter).items():
        if overwrite or WIDGET_KEYS[param] not in st.session_state:
            st.session_state[WIDGET_KEYS[param]] = value


def _widget_param(param: str) -> Any:
    """A widget's value in URL form (a range bound as text, so that 0 stays a bound)."""
    value = st.session_state.get(WIDGET_KEYS[param])
    if param in RANGE_COLUMNS:
        return [] if value is None else [format_param_number(value)]
    return value or ([] if param != QUERY_PARAM else "")


def _filter_from_widgets() -> SiteFilter:
    parsed = site_filters.parse_filter_params(
        {param: _widget_param(param) for param in FILTER_PARAMS}, site_vocabulary()
    )
    return parsed.site_filter


def _sync_filter_from_url(lang: str, page: str) -> list[ParamProblem]:
    """Take the filter from the URL if it changed there; seed the widgets. Returns ignored URL values."""
    url_params = _url_filter_params()
    problems: list[ParamProblem] = []
    if url_params and url_params != st.session_state.get(FILTER_SYNCED_KEY):
        parsed = site_filters.parse_filter_params(url_params, site_vocabulary())
        st.session_state[FILTER_KEY] = parsed.site_filter
        st.session_state[FILTER_SYNCED_KEY] = url_params
        problems = list(parsed.problems)
        _seed_widgets(parsed.site_filter, overwrite=True)
    else:
        canonical = st.session_state.get(FILTER_KEY, SiteFilter())
        # on another page the widgets are new (Streamlit may have reset them), and with another language
        # their labels change: seeding them again from the canonical filter keeps the chosen codes
        _seed_widgets(canonical, overwrite=st.session_state.get(FILTER_VIEW_KEY) != (page, lang))
    st.session_state[FILTER_VIEW_KEY] = (page, lang)
    return problems


def _write_filter_to_url(site_filter: SiteFilter) -> None:
    params = site_filter.to_query_params()
    for param in FILTER_PARAMS:
        if param in params:
            if st.query_params.get_all(param) != params[param]:
                st.query_params[param] = params[param]
        elif param in st.query_params:
            del st.query_params[param]
    st.session_state[FILTER_KEY] = site_filter
    st.session_state[FILTER_SYNCED_KEY] = params


def selected_site(known_site_ids: pd.Series | list[str] | frozenset[str], lang: str) -> str | None:
    """The chosen site: from the URL when it names a new one, else the session's. An unknown id gives a
    friendly message (and is dropped from the URL); a renamed site's old id opens the site and the URL
    gets its id of today. Pass a (frozen)set to keep this O(1) per rerun."""
    known = known_site_ids if isinstance(known_site_ids, (set, frozenset)) else frozenset(known_site_ids)
    url_value = st.query_params.get(SITE_PARAM)
    if url_value is not None and url_value != st.session_state.get(SITE_SYNCED_KEY):
        site_id, problem = site_filters.parse_site_param(url_value, known, site_id_renames())
        if problem is not None:
            st.warning(t("site_unknown", lang, site=markdown_literal(problem.value)), icon=":material/help:")
        set_selected_site(site_id)
        return site_id
    site_id = st.session_state.get(SITE_KEY)
    if site_id is not None and site_id not in known:  # removed by an import meanwhile
        site_id = None
    set_selected_site(site_id)
    return site_id


def set_selected_site(site_id: str | None) -> None:
    """Choose a site (None: none) and put it into the URL. Safe inside widget callbacks."""
    st.session_state[SITE_KEY] = site_id
    st.session_state[SITE_SYNCED_KEY] = site_id
    if site_id is None:
        if SITE_PARAM in st.query_params:
            del st.query_params[SITE_PARAM]
    elif st.query_params.get(SITE_PARAM) != site_id:
        st.query_params[SITE_PARAM] = site_id


def link_params(site_filter: SiteFilter, site_id: str | None = None) -> dict[str, list[str] | str]:
    """Query parameters for a page link that keeps the filter (and the chosen site)."""
    params: dict[str, list[str] | str] = dict(site_filter.to_query_params())
    if site_id:
        params[SITE_PARAM] = site_id
    return params


# --- widgets ------------------------------------------------------------------------------------------


def _reset_filters() -> None:
    for param, value in _widget_values(SiteFilter()).items():
        st.session_state[WIDGET_KEYS[param]] = value


def _label(codes: dict[str, dict[str, str]], lang: str):
    return lambda code: pick(lang, codes[code]["label_de"], codes[code]["label_en"]) if code in codes else code


def read_filter(lang: str, page: str, typed_query: str | None = None) -> tuple[SiteFilter, list[ParamProblem]]:
    """The filter from the URL and the widgets' state, without drawing anything (a page can draw its map
    before the widgets), and the URL values that were ignored. Hand both to `filter_panel`.
    `typed_query`: a search the visitor just typed outside the widgets (into the map), which replaces
    the current one."""
    problems = _sync_filter_from_url(lang, page)
    if typed_query is not None:
        st.session_state[WIDGET_KEYS[QUERY_PARAM]] = typed_query
    return _filter_from_widgets(), problems


# Short lists are chosen from, not typed into, and no list offers "select all" (Streamlit labels it in
# English on German pages too). A long list narrows as one types (TYPE_TO_NARROW): the letters typed
# anywhere in an entry's name; a miss shows Streamlit's "No results", which the frame's page script words
# in German on German pages (views/frame.py). The comparison's sites get a search field of the page's own.
CHOOSE_ONLY: dict[str, Any] = {"filter_mode": None, "select_all": False}
TYPE_TO_NARROW: dict[str, Any] = {"filter_mode": "contains", "select_all": False}


def filter_panel(
    lang: str, page: str, already_read: tuple[SiteFilter, list[ParamProblem]] | None = None, search: bool = True
) -> SiteFilter:
    """The filter widgets, bound to the URL; returns the filter. Compact, so the map stays in view: the
    search field, and the categories (states, programs, themes, zones) behind one "Filters" button.
    `page` names the calling page (its widgets are new when the visitor comes from the other one);
    `already_read` is what `read_filter` returned if the page read the filter first; `search=False`
    leaves the search field out (the map page's map has its own, see views/atlas_map.py)."""
    problems = already_read[1] if already_read is not None else _sync_filter_from_url(lang, page)
    vocabulary = site_vocabulary()
    zones = reference_layer("zones_web").set_index("zone_id")
    any_label = t("filter_all", lang)
    current = _filter_from_widgets()
    active = sum(
        bool(values)
        for values in (current.states, current.programs, current.themes, current.zones, current.zoning, current.rail)
    )
    active += (current.area_min is not None) + (current.price_max is not None) + (current.pool_min is not None)
    if search:
        search_column, filters_column = st.columns([3, 1.2], vertical_alignment="bottom", gap="small")
        search_column.text_input(
            t("filter_search", lang),
            key=WIDGET_KEYS[QUERY_PARAM],
            max_chars=site_filters.MAX_QUERY_LENGTH,
            placeholder=t("filter_search_placeholder", lang),
        )
    else:
        filters_column = st.container()
    button_label = t("map_filters_button_active", lang, count=active) if active else t("map_filters_button", lang)
    with filters_column.popover(button_label, icon=":material/filter_list:", width="stretch" if search else "content"):
        _category_widgets(vocabulary, zones, lang, any_label)
        _fact_filter_widgets(vocabulary, lang, any_label)
        site_filter = _filter_from_widgets()
        st.button(
            t("filter_reset", lang),
            on_click=_reset_filters,
            disabled=site_filter.is_empty,
            icon=":material/filter_alt_off:",
        )
    for problem in problems:
        st.warning(
            t(
                "bad_parameter",
                lang,
                name=t(PARAM_LABEL_KEYS[problem.param], lang),
                value=ignored_values_text(problem, lang),
            ),
            icon=":material/help:",
        )
    _show_range_drops(site_filter, lang)
    _write_filter_to_url(site_filter)
    return site_filter


def program_buttons(lang: str) -> dict:
    """Where the filter panel's program buttons are and which program each label stands for: the map
    draws a clicked program at once (static/atlas_map/atlas_controls.js, onProgramClick)."""
    return {
        "scope": f".st-key-{WIDGET_KEYS[PROGRAM_PARAM]}",
        "labels": {program_label(code, lang): code for code in site_vocabulary().programs},
    }


def _category_widgets(vocabulary: site_filters.Vocabulary, zones: pd.DataFrame, lang: str, any_label: str) -> None:
    """States, programs, themes and zones, labelled in `lang`: the programs (seven, few enough to show at once) as
    buttons, chosen with one click; the longer lists as multiselects of their codes."""
    st.multiselect(
        t("filter_states", lang),
        vocabulary.states,
        key=WIDGET_KEYS[STATE_PARAM],
        format_func=lambda code: STATE_NAMES[code][lang],
        placeholder=any_label,
        **CHOOSE_ONLY,
    )
    st.pills(
        t("filter_programs", lang),
        vocabulary.programs,
        selection_mode="multi",
        key=WIDGET_KEYS[PROGRAM_PARAM],
        format_func=lambda code: program_label(code, lang),
        help=t("filter_programs_help", lang),
    )
    st.multiselect(
        t("filter_themes", lang),
        vocabulary.themes,
        key=WIDGET_KEYS[THEME_PARAM],
        format_func=_label(themes(), lang),
        placeholder=any_label,
        **CHOOSE_ONLY,
    )
    st.multiselect(
        t("filter_zones", lang),
        vocabulary.zones,
        key=WIDGET_KEYS[ZONE_PARAM],
        placeholder=any_label,
        **CHOOSE_ONLY,
        format_func=lambda zone_id: zones.at[zone_id, pick(lang, "name", "name_en")],
    )


def _fact_filter_widgets(vocabulary: site_filters.Vocabulary, lang: str, any_label: str) -> None:
    """Plot facts: available area at least, price at most, zoning, rail siding. A site without the figure
    drops out of a range filter; the panel says how many did."""
    st.markdown(f"**{t('filter_facts_heading', lang)}**")
    area_column, price_column = st.columns(2)
    area_column.number_input(
        t("filter_area_min", lang),
        min_value=0.0,
        max_value=site_filters.MAX_RANGE_VALUE,
        step=1.0,
        value=None,
        key=WIDGET_KEYS[AREA_MIN_PARAM],
        placeholder=any_label,
    )
    price_column.number_input(
        t("filter_price_max", lang),
        min_value=0.0,
        max_value=site_filters.MAX_RANGE_VALUE,
        step=1.0,
        value=None,
        key=WIDGET_KEYS[PRICE_MAX_PARAM],
        placeholder=any_label,
    )
    st.multiselect(
        t("filter_zoning", lang),
        vocabulary.zoning,
        key=WIDGET_KEYS[ZONING_PARAM],
        placeholder=any_label,
        **CHOOSE_ONLY,
        format_func=lambda code: site_facts.vocabulary_label("zoning", code, lang),
    )
    st.multiselect(
        t("filter_rail", lang),
        vocabulary.rail,
        key=WIDGET_KEYS[RAIL_PARAM],
        placeholder=any_label,
        **CHOOSE_ONLY,
        format_func=lambda code: site_facts.vocabulary_label("rail_siding", code, lang),
    )

    st.number_input(
        t("filter_pool_min", lang),
        min_value=0.0,
        max_value=site_filters.MAX_RANGE_VALUES[POOL_MIN_PARAM],
        step=50_000.0,
        value=None,
        key=WIDGET_KEYS[POOL_MIN_PARAM],
        placeholder=any_label,
        help=t("filter_pool_min_help", lang),
    )


def _show_range_drops(site_filter: SiteFilter, lang: str) -> None:
    """How many sites a range filter hid for want of the figure (not for their value)."""
    if site_filter.area_min is None and site_filter.price_max is None and site_filter.pool_min is None:
        return
    drops = site_filters.range_filter_drops(sites(), site_filter, reference_table("zone_districts"), search_texts())
    for param, count in drops.items():
        if count:
            st.caption(t(f"filter_dropped_{param}", lang, count=count))


@dataclass(frozen=True)
class SiteListView:
    """What the map and the sites page share: the filter, all sites, the filtered ones, the chosen site."""

    site_filter: SiteFilter
    all_sites: pd.DataFrame
    shown: pd.DataFrame
    chosen: str | None


def site_list_page(lang: str, page: str, heading_key: str, intro_key: str) -> SiteListView:
    """Heading, introduction and filter panel of a site list page, and the sites it shows."""
    st.title(t(heading_key, lang))
    st.markdown(t(intro_key, lang))
    site_filter = filter_panel(lang, page)
    all_sites = sites()
    return SiteListView(site_filter, all_sites, filtered_sites(site_filter), selected_site(site_ids(), lang))


def count_text(shown: int, total: int, lang: str) -> str:
    """ "9.998 von 10.000 Standorten": the counts in the language's number format, as the map writes them."""
    return t("filter_count", lang, shown=format_number(shown, lang), total=format_number(total, lang))


def show_count(shown: int, total: int, lang: str) -> None:
    """The live count ("23 von 97 Standorten"), announced politely to screen readers when it changes."""
    text = count_text(shown, total, lang)
    st.html(f'<p role="status" aria-live="polite" style="margin:0;font-weight:600">{html.escape(text)}</p>')


def site_choice(
    sites: pd.DataFrame, selected: str | None, lang: str, names: dict[str, str], label_key: str = "map_choose_site"
) -> None:
    """A searchable list of the shown sites (the keyboard's way to pick a site); choosing one selects it.
    `names`: site_id -> name of all sites (the chosen site may lie outside the filter)."""
    options = list(sites.sort_values("name", key=lambda column: column.str.casefold())["site_id"])
    if selected is not None and selected not in options:
        options.insert(0, selected)
    if st.session_state.get(SITE_CHOICE_KEY) != selected:
        st.session_state[SITE_CHOICE_KEY] = selected
    st.selectbox(
        t(label_key, lang),
        options,
        key=SITE_CHOICE_KEY,
        index=None,
        format_func=lambda site_id: names.get(site_id, site_id),
        placeholder=t("map_choose_site_placeholder", lang),
        on_change=lambda: set_selected_site(st.session_state.get(SITE_CHOICE_KEY)),
    )
