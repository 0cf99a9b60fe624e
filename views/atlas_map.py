"""The atlas map as a Streamlit component (components API v1: `declare_component(path=...)`).

The browser side is components/atlas_map/ (index.html, atlas_map.js, polyline.js, atlas_map.css); Leaflet
and its plugins come from static/vendor/. The sites and base layers reach the browser as data files,
once per data version (views.data.map_payload_urls); each rerun sends only the small arguments below,
so a filter change costs the server the same whatever the number of sites, and the browser swaps the
markers without rebuilding the map. How it fits together: docs/map-engine.md.

Why v1 and not the newer v2 components: v2 mounts in Streamlit's own page, without an iframe; the
map wants its own document (Leaflet's CSS and global `L`, the render signal the benchmark reads, a
frame other pages can measure), and v1's iframe keeps the map mounted across reruns as long as its key
stays the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
import streamlit.components.v1 as components

from geo.core.paths import PROJECT_ROOT
from geo.maps.payload import browser_filter_spec
from geo.maps.tiles import TileSource
from geo.sites.filters import MAX_QUERY_LENGTH, SiteFilter
from geo.texts import t
from views.data import map_language_args, map_payload_urls

COMPONENT_DIR = PROJECT_ROOT / "components" / "atlas_map"
# The component's iframe is titled by the page's script ("Standortatlas map"); Streamlit's own title for
# it is this name.
_component = components.declare_component("atlas_map", path=str(COMPONENT_DIR))

MODES = ("atlas", "embed", "present")


@dataclass(frozen=True)
class MapEvent:
    """A site the visitor chose on the map: by a click ("click") or by a search with one hit ("single")."""

    kind: str
    site_id: str


def atlas_map(
    site_filter: SiteFilter,
    lang: str,
    *,
    key: str,
    selected: str | None = None,
    mode: str = "atlas",
    tiles: TileSource | None = None,
    bounds: tuple | None = None,
    atlas_url: str = "",
    height: dict | None = None,
    legend: bool = True,
    legend_programs: tuple[str, ...] | None = None,
    focus_state: str | None = None,
    search: bool = False,
) -> None:
    """Draw the atlas map (read what the visitor chose on it with `map_event` before drawing).

    - `site_filter` is applied in the browser; `selected` gets the ring (and is revealed from its cluster).
    - `mode`: "atlas" (map page), "embed" (status bar, popup with a link to the profile: `atlas_url` is
      the full atlas's address with the view's parameters), "present" (fixed view `bounds`, legend open).
    - `height`: {"min", "max", "bottom"} to fill the page's height below the map, or {"fixed": px}.
    - `key` keeps the map mounted across reruns: use one key per page.
    - `focus_state` (a state code) outlines that state and veils the others (the presentation's state slides).
    - `search`: the map shows the search field above it and filters as the visitor types, before the
      server answers; read what was typed with `map_query` before building the filter.
    """
    if mode not in MODES:
        raise ValueError(f"unknown map mode {mode!r}")
    base_path = st.get_option("server.baseUrlPath") or ""
    base_url, sites_url = map_payload_urls(base_path)
    language = map_language_args(lang, legend_programs)
    _component(
        base_url=base_url,
        sites_url=sites_url,
        filter=browser_filter_spec(site_filter),
        selected=selected,
        mode=mode,
        bounds=[list(bounds[0]), list(bounds[1])] if bounds is not None else None,
        tiles=None
        if tiles is None
        else {
            "url": tiles.url,
            "attribution_html": tiles.attribution_html,
            "max_zoom": tiles.max_zoom,
            "host": tiles.host,
        },
        atlas_url=atlas_url,
        height=height or {"min": 360, "max": 1400, "bottom": 16},
        focus_state=focus_state,
        search=_search_args(site_filter, lang, key) if search else None,
        **{name: value for name, value in language.items() if name != "legend_html"},
        legend_html=language["legend_html"] if legend else "",
        key=key,
        default=None,
    )


def _search_args(site_filter: SiteFilter, lang: str, key: str) -> dict:
    """The search field's words and text, and which typed search of the map this run has applied (the map
    keeps drawing its own search until it sees that counter)."""
    instance, applied = st.session_state.get(_query_seen_key(key), (None, 0))
    return {
        "label": t("filter_search", lang),
        "placeholder": t("filter_search_placeholder", lang),
        "max_chars": MAX_QUERY_LENGTH,
        "text": site_filter.query,
        "instance": instance,
        "n": applied,
    }


def _query_seen_key(key: str) -> str:
    return f"{key}__last_query"


def map_query(key: str) -> str | None:
    """The text newly typed into the map's search field (the map has filtered by it already), else None.
    Call it before building the filter; each (mount, counter) pair counts once."""
    value = st.session_state.get(key)
    if not isinstance(value, dict) or not isinstance(value.get("qn"), int) or value["qn"] < 1:
        return None
    stamp = (value.get("instance"), value["qn"])
    if st.session_state.get(_query_seen_key(key)) == stamp:
        return None
    st.session_state[_query_seen_key(key)] = stamp
    return str(value.get("q") or "")


def map_event(key: str) -> MapEvent | None:
    """A site the visitor newly chose on the map with this key (a click or a single search hit), else
    None. Call it before drawing the map, so the page draws the choice in the same run.

    The component keeps reporting its last event; each (mount, counter) pair counts once."""
    value = st.session_state.get(key)
    if not isinstance(value, dict) or not value.get("site"):
        return None
    stamp = (value.get("instance"), value.get("n"))
    seen_key = f"{key}__last_event"
    if st.session_state.get(seen_key) == stamp:
        return None
    st.session_state[seen_key] = stamp
    return MapEvent(str(value.get("event") or "click"), str(value["site"]))
