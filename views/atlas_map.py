"""Every map of the atlas, as one Streamlit component mounted in the page (components API v2).

The browser side is static/atlas_map/ (the engine, its styles and its loader); Leaflet and its plugins come
from static/vendor/. The sites and base layers reach the browser as data files, once per data version
(views.data.map_payload_urls); each rerun sends only the small arguments below, so a filter change costs
the server the same whatever the number of sites, and the browser swaps the markers without rebuilding the
map. The same engine draws the site map (map page, embed, slides), the district maps of `regionen` and
`strukturwandel` and the comparison's map. How it fits together: docs/map-engine.md.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import streamlit as st

from geo.core.paths import PROJECT_ROOT, STATIC_DIR
from geo.core.web_assets import MAP_LOADER, map_asset_urls
from geo.maps.payload import browser_filter_spec
from geo.maps.tiles import TileSource
from geo.sites.filters import MAX_QUERY_LENGTH, SiteFilter
from geo.texts import t
from views.data import map_language_args, map_payload_urls

MODES = ("atlas", "embed", "present", "districts", "compare")
# The component's value: one state entry, "value" (see `map_event`, `map_query`).
VALUE = "value"

# Only for the measurement in docs/map-engine.md: the same engine in a components-v1 frame.
IN_FRAME = os.environ.get("STANDORTATLAS_MAP_FRAME") == "1"
if IN_FRAME:
    import streamlit.components.v1 as components_v1

    _frame_component = components_v1.declare_component("atlas_map", path=str(PROJECT_ROOT / "components" / "atlas_map"))
else:
    _component = st.components.v2.component(
        "atlas_map", js=(STATIC_DIR / MAP_LOADER).read_text(encoding="utf-8"), isolate_styles=False
    )


@dataclass(frozen=True)
class MapEvent:
    """What the visitor chose on the map: a site by a click ("click") or by a search with one hit
    ("single"), or a district by a click ("district"); `id` is the site's id or the district's AGS."""

    kind: str
    id: str


def atlas_map(
    site_filter: SiteFilter | None,
    lang: str,
    *,
    key: str,
    selected: str | None = None,
    mode: str = "atlas",
    tiles: TileSource | None = None,
    bounds: tuple | None = None,
    atlas_url: str = "",
    height: int | dict = 600,
    legend: bool | str = True,
    legend_programs: tuple[str, ...] | None = None,
    focus_state: str | None = None,
    search: bool = False,
    program_buttons: dict | None = None,
    districts: dict | None = None,
    fit_districts: list[str] | None = None,
    numbered: list[str] | None = None,
    label: str | None = None,
) -> None:
    """Draw an atlas map (read what the visitor chose on it with `map_event` before drawing).

    - `site_filter` is applied in the browser (None: no sites); `numbered` draws these sites as 1, 2, …
      instead; `selected` gets the ring (and is revealed from its cluster).
    - `mode`: "atlas" (map page), "embed" (status bar, popup with a link to the profile: `atlas_url` is
      the full atlas's address with the view's parameters), "present" (fixed view `bounds`, legend open),
      "districts" (an indicator or zone map: `districts` from geo.choropleth), "compare" (numbered sites).
    - `height`: pixels, reserved by the page before the map's code arrives (no layout shift); or
      {"fill": True, "min", "max", "bottom"} to fill the window below the map (the embed).
    - `key` keeps the map mounted across reruns: use one key per page.
    - `legend`: the sites' legend (True), none (False), or an HTML block of its own (escaped by its maker).
    - `focus_state` (a state code) outlines that state and veils the others (the presentation's state slides).
    - `search`: the map shows the search field above it and filters as the visitor types, before the
      server answers; read what was typed with `map_query` before building the filter. With it,
      `program_buttons` (views.filters.program_buttons) lets the map draw a program clicked in the filter
      panel before the server answers, too.
    - `fit_districts`: open the map on these districts (a zone's members).
    - `label`: the map's accessible name, if not the site map's.
    """
    if mode not in MODES:
        raise ValueError(f"unknown map mode {mode!r}")
    base_path = st.get_option("server.baseUrlPath") or ""
    base_url, sites_url = map_payload_urls(base_path)
    language = map_language_args(lang, legend_programs)
    sites: dict[str, object] | None = None
    if numbered is not None:
        sites = {"numbered": list(numbered)}
    elif site_filter is not None:
        sites = {"filter": browser_filter_spec(site_filter)}
    texts = language["texts"] if label is None else {**language["texts"], "map_label": label}
    args: dict[str, object] = {
        **{name: value for name, value in language.items() if name != "legend_html"},
        "texts": texts,
        "assets": map_asset_urls(base_path),
        "base_url": base_url,
        "sites_url": sites_url,
        "sites": sites,
        "selected": selected,
        "mode": mode,
        "bounds": [list(bounds[0]), list(bounds[1])] if bounds is not None else None,
        "tiles": _tiles_args(tiles),
        "atlas_url": atlas_url,
        "height": height if isinstance(height, dict) else None,
        "focus_state": focus_state,
        "search": _search_args(site_filter, lang, key, program_buttons) if search and site_filter is not None else None,
        "legend_html": legend if isinstance(legend, str) else language["legend_html"] if legend else "",
        "legend_folded": not isinstance(legend, str),
        "districts": districts,
        "fit_districts": fit_districts,
    }
    if IN_FRAME:
        frame_height = height if isinstance(height, int) else height or {}
        _frame_component(**args, frame_height=frame_height, key=key, default=None)  # type: ignore[call-overload]
        return
    _component(key=key, data=args, height=height if isinstance(height, int) else "content", on_value_change=_ignore)


def _tiles_args(tiles: TileSource | None) -> dict | None:
    """The background map's tiles as the map loads them (None: no background map)."""
    if tiles is None:
        return None
    return {
        "url": tiles.url,
        "attribution_html": tiles.attribution_html,
        "max_zoom": tiles.max_zoom,
        "host": tiles.host,
    }


def _ignore() -> None:
    """The value's callback: the page reads the value itself (map_event, map_query) before drawing."""


def _value(key: str) -> dict | None:
    value = st.session_state.get(key)
    if isinstance(value, dict) and not IN_FRAME:
        value = value.get(VALUE)
    return value if isinstance(value, dict) else None


def _search_args(site_filter: SiteFilter, lang: str, key: str, program_buttons: dict | None) -> dict:
    """The search field's words and text, which typed search of the map this run has applied (the map
    keeps drawing its own search until it sees that counter), and the filter panel's program buttons."""
    instance, applied = st.session_state.get(_query_seen_key(key), (None, 0))
    return {
        "label": t("filter_search", lang),
        "placeholder": t("filter_search_placeholder", lang),
        "max_chars": MAX_QUERY_LENGTH,
        "text": site_filter.query,
        "instance": instance,
        "n": applied,
        "program_buttons": program_buttons,
    }


def _query_seen_key(key: str) -> str:
    return f"{key}__last_query"


def map_query(key: str) -> str | None:
    """The text newly typed into the map's search field (the map has filtered by it already), else None.
    Call it before building the filter; each (mount, counter) pair counts once."""
    value = _value(key)
    if value is None or not isinstance(value.get("qn"), int) or value["qn"] < 1:
        return None
    stamp = (value.get("instance"), value["qn"])
    if st.session_state.get(_query_seen_key(key)) == stamp:
        return None
    st.session_state[_query_seen_key(key)] = stamp
    return str(value.get("q") or "")


def map_event(key: str) -> MapEvent | None:
    """What the visitor newly chose on the map with this key (a site by a click or a single search hit, a
    district by a click), else None. Call it before drawing the map, so the page draws the choice in the
    same run. The map keeps reporting its last event; each (mount, counter) pair counts once."""
    value = _value(key)
    if value is None:
        return None
    chosen = value.get("district") if value.get("event") == "district" else value.get("site")
    if not chosen:
        return None
    stamp = (value.get("instance"), value.get("n"))
    seen_key = f"{key}__last_event"
    if st.session_state.get(seen_key) == stamp:
        return None
    st.session_state[seen_key] = stamp
    return MapEvent(str(value.get("event") or "click"), str(chosen))
