"""The single place where the app caches data access (DESIGN §2).

Pages call these functions and never read files themselves. Reference data is read once per process;
site data is keyed by the file's version (`data_version`), so an import applied by a steward shows up
in the running app without a restart.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import (charts, choropleth, indicators, maps, reference_data, site_export, site_filters, site_profile, slides,
                 store, web_assets)
from geo.paths import SITES_GPKG
from geo.schema import STATE_NAMES
from geo.schema import programs as program_vocabulary
from geo.schema import themes as theme_vocabulary
from geo.sites_data import read_sites_for_app
from geo.tiles import tile_source


@st.cache_resource(show_spinner=False)
def reference_layer(name: str) -> gpd.GeoDataFrame:
    """A geometry layer of data/reference.gpkg (shared, read-only: do not modify the result)."""
    return reference_data.read_layer(name)


@st.cache_resource(show_spinner=False)
def reference_table(name: str) -> pd.DataFrame:
    """A table of data/reference.gpkg without geometry (shared, read-only)."""
    return reference_data.read_table(name)


@st.cache_resource(show_spinner=False, max_entries=2)
def _sites_at_version(version: str) -> gpd.GeoDataFrame:
    return read_sites_for_app(SITES_GPKG)


def sites() -> gpd.GeoDataFrame:
    """All sites (shared, read-only). Keyed by the file's version, so an applied import shows at once."""
    return _sites_at_version(store.data_version(SITES_GPKG))



@st.cache_resource(show_spinner=False)
def map_layers() -> maps.MapLayers:
    """What every site map draws besides the sites (simplified borders, zones, town labels): once per process."""
    return maps.MapLayers.from_reference(reference_layer, reference_table)


def build_frameless_map(site_filter: site_filters.SiteFilter, lang: str, tiles: bool = False,
                        bounds: tuple | None = None, legend: bool = True, base_path: str = "") -> folium.Map:
    """A new site map for the embed and presentation pages: no layer switcher, `legend` inside the map,
    opened on `bounds` (else on the sites). Uncached: also what the offline download renders."""
    folium_map = maps.build_overview_map(filtered_sites(site_filter), map_layers(), lang,
                                         tiles=tile_source() if tiles else None, legend=legend,
                                         layer_control=False, base_path=base_path,
                                         bounds=[list(bounds[0]), list(bounds[1])] if bounds is not None else None)
    return folium_map


@st.cache_resource(show_spinner=False, max_entries=64)
def _frameless_map_at_version(version: str, site_filter: site_filters.SiteFilter, lang: str, tiles: bool,
                              bounds: tuple | None, legend: bool, base_path: str, key: str) -> PreparedFoliumMap:
    return prepare_folium_map(build_frameless_map(site_filter, lang, tiles, bounds, legend, base_path), key=key)


def frameless_map(site_filter: site_filters.SiteFilter, lang: str, key: str, tiles: bool = False,
                  bounds: tuple | None = None, legend: bool = True, base_path: str = "") -> PreparedFoliumMap:
    """`build_frameless_map`, prepared for `show_prepared_map` once per filter, language, tiles and view."""
    return _frameless_map_at_version(store.data_version(SITES_GPKG), site_filter, lang, tiles, bounds, legend,
                                     base_path, key)


# --- presentation page (issue 7) --------------------------------------------------------------------

@st.cache_resource(show_spinner=False, max_entries=2)
def _slide_data_at_version(version: str) -> slides.SlideData:
    return slides.SlideData(
        districts=pd.DataFrame(reference_layer("districts").drop(columns="geometry")),
        states=reference_layer("states_web"), zones=reference_layer("zones_web"),
        zone_districts=reference_table("zone_districts"), zone_facts=reference_table("zone_facts"),
        sites=sites(), program_claims=program_claims(),
    )


def slide_data() -> slides.SlideData:
    """The tables the slides draw on (shared, read-only), renewed when the sites change."""
    return _slide_data_at_version(store.data_version(SITES_GPKG))


@st.cache_resource(show_spinner=False, max_entries=4)
def _slide_deck_at_version(file_version: str, version: str) -> list[slides.Slide]:
    return slides.load_slides(_slide_data_at_version(version))


def slide_deck() -> list[slides.Slide]:
    """The checked slides of assets/slides.toml; an edit by staff shows on the next reload.
    Raises slides.SlideFileError listing every bad slide (not cached, so a fix shows at once)."""
    return _slide_deck_at_version(slides.slide_file_version(), store.data_version(SITES_GPKG))


# --- regions, structural change and data pages (issue 6) ------------------------------------------

@st.cache_resource(show_spinner=False, max_entries=2)
def _district_table_at_version(version: str) -> pd.DataFrame:
    return indicators.district_table(reference_layer("districts"), sites(), reference_table("zone_districts"))


def district_table() -> pd.DataFrame:
    """Every district indicator, one row per district (shared, read-only), renewed when the sites change."""
    return _district_table_at_version(store.data_version(SITES_GPKG))


@st.cache_resource(show_spinner=False, max_entries=2)
def _zone_table_at_version(version: str) -> pd.DataFrame:
    return indicators.zone_table(_district_table_at_version(version), reference_layer("zones"),
                                 reference_table("zone_districts"))


def zone_table() -> pd.DataFrame:
    """Population, area, sites and shares per structural-change zone, plus the union row "all"."""
    return _zone_table_at_version(store.data_version(SITES_GPKG))


@st.cache_resource(show_spinner=False, max_entries=64)
def _district_choropleth(version: str, indicator_key: str, lang: str) -> PreparedFoliumMap:
    folium_map = choropleth.district_choropleth(
        reference_layer("districts_web"), _district_table_at_version(version), indicators.indicator(indicator_key),
        lang, reference_layer("states_web"))
    return prepare_folium_map(folium_map, key="regions-choropleth")


def district_choropleth(indicator_key: str, lang: str) -> PreparedFoliumMap:
    """The districts coloured by one indicator, built and prepared once per indicator and language
    (draw it with `show_prepared_map`)."""
    return _district_choropleth(store.data_version(SITES_GPKG), indicator_key, lang)


@st.cache_resource(show_spinner=False, max_entries=32)
def _zone_map(version: str, zone_id: str, lang: str) -> PreparedFoliumMap:
    zone = reference_layer("zones").set_index("zone_id").loc[zone_id].to_dict() | {"zone_id": zone_id}
    members = indicators.zone_members(reference_table("zone_districts"), zone_id)
    folium_map = choropleth.zone_map(reference_layer("districts_web"), _district_table_at_version(version), zone,
                                     members, indicators.sites_in_districts(sites(), members), lang,
                                     reference_layer("states_web"))
    return prepare_folium_map(folium_map, key=f"zone-map-{zone_id}")


def zone_map(zone_id: str, lang: str) -> PreparedFoliumMap:
    """A zone's districts and sites on the map, built and prepared once per zone and language."""
    return _zone_map(store.data_version(SITES_GPKG), zone_id, lang)


@st.cache_resource(show_spinner=False)
def program_claims() -> pd.DataFrame:
    """data/sources/program_completeness.csv (shared, read-only)."""
    return slides.read_program_claims()


# --- stewardship page (issue 8) ------------------------------------------------------------------

@st.cache_resource(show_spinner=False, max_entries=4)
def stored_sites(path: str, version: str) -> gpd.GeoDataFrame:
    """The sites layer of ``path`` exactly as stored (no blanks filled in), to compare an import with.
    ``version`` (store.data_version) is the key, so a write makes a new entry. Shared, read-only."""
    return store.read_sites(Path(path), missing_ok=True)


@st.cache_data(show_spinner=False, max_entries=4)
def kept_versions(path: str, version: str) -> list[store.Version]:
    """The kept versions of ``path``, newest first; they change only with a write, hence the key."""
    return store.history(Path(path))


# --- atlas: map page and sites page (issue 5) -------------------------------------------------------

@st.cache_resource(show_spinner=False)
def site_vocabulary() -> site_filters.Vocabulary:
    """The values each site filter may take, in the order the filter widgets list them."""
    zones = reference_layer("zones_web")
    zone_order = sorted(zip(zones["zone_type"].map(maps.ZONE_TYPE_ORDER.index), zones["name"], zones["zone_id"]))
    return site_filters.Vocabulary(states=tuple(STATE_NAMES), programs=tuple(program_vocabulary()),
                                   themes=tuple(theme_vocabulary()), zones=tuple(zone_id for *_, zone_id in zone_order))


@st.cache_resource(show_spinner=False, max_entries=2)
def _search_texts_at_version(version: str) -> pd.Series:
    return site_filters.search_text(_sites_at_version(version))


@st.cache_resource(show_spinner=False, max_entries=256)
def _filtered_sites_at_version(version: str, site_filter: site_filters.SiteFilter) -> gpd.GeoDataFrame:
    return site_filters.filter_sites(_sites_at_version(version), site_filter, reference_table("zone_districts"),
                                     _search_texts_at_version(version))


def filtered_sites(site_filter: site_filters.SiteFilter) -> gpd.GeoDataFrame:
    """The sites that pass the filter (shared, read-only), once per filter and data version."""
    return _filtered_sites_at_version(store.data_version(SITES_GPKG), site_filter)


@st.cache_resource(show_spinner=False)
def profile_tables() -> site_profile.ProfileTables:
    """Districts (key figures, aid), zones and zone membership without geometry, for site profiles."""
    return site_profile.ProfileTables.from_layers(reference_layer("districts"), reference_layer("zones_web"),
                                                  reference_table("zone_districts"))


@st.cache_resource(show_spinner=False, max_entries=512)
def _site_profile_at_version(version: str, site_id: str, lang: str) -> site_profile.SiteProfile | None:
    all_sites = _sites_at_version(version)
    rows = all_sites[all_sites["site_id"] == site_id]
    return None if rows.empty else site_profile.site_profile(rows.iloc[0], profile_tables(), lang)


def site_profile_of(site_id: str, lang: str) -> site_profile.SiteProfile | None:
    """The profile of one site in one language, or None for an unknown id."""
    return _site_profile_at_version(store.data_version(SITES_GPKG), site_id, lang)


@st.cache_resource(show_spinner=False, max_entries=16)
def _sites_table_at_version(version: str, site_filter: site_filters.SiteFilter, lang: str) -> pd.DataFrame:
    return site_profile.sites_display_table(_filtered_sites_at_version(version, site_filter), profile_tables(), lang)


def sites_table(site_filter: site_filters.SiteFilter, lang: str) -> pd.DataFrame:
    """The filtered sites as the sites page lists them (labels in the language)."""
    return _sites_table_at_version(store.data_version(SITES_GPKG), site_filter, lang)


@st.cache_data(show_spinner=False, max_entries=32)
def _site_downloads_at_version(version: str, site_filter: site_filters.SiteFilter, lang: str) -> tuple[bytes, bytes]:
    chosen = _filtered_sites_at_version(version, site_filter)
    return site_export.sites_csv(chosen, lang), site_export.sites_geojson(chosen)


def site_downloads(site_filter: site_filters.SiteFilter, lang: str) -> tuple[bytes, bytes]:
    """(CSV, GeoJSON) of the filtered sites."""
    return _site_downloads_at_version(store.data_version(SITES_GPKG), site_filter, lang)


@dataclass(frozen=True)
class PreparedFoliumMap:
    """What st_folium derives from a folium map on every call, derived once.

    st_folium renders the whole map again on each rerun, and folium adds children to a map each time it
    is rendered, so a cached map handed to st_folium grows, changes its hash and remounts (flicker, lost
    zoom). Preparing once and handing the component these strings keeps reruns cheap and the map mounted.
    """

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    bounds: tuple[tuple[float, float], tuple[float, float]]
    key: str


def prepare_folium_map(folium_map: folium.Map, key: str) -> PreparedFoliumMap:
    import streamlit_folium

    folium_map.get_root().render()
    html_part = streamlit_folium._get_html(folium_map)
    header = streamlit_folium._get_header(folium_map)
    script = streamlit_folium._get_map_string(folium_map)
    css_links, js_links = [], []
    for element in web_assets.iter_elements(folium_map):
        css_links.extend(href for _, href in getattr(element, "default_css", []))
        js_links.extend(src for _, src in getattr(element, "default_js", []))
    (south, west), (north, east) = folium_map.get_bounds()
    return PreparedFoliumMap(script, header, html_part, streamlit_folium.get_full_id(folium_map),
                             tuple(dict.fromkeys(css_links)), tuple(dict.fromkeys(js_links)),
                             ((south, west), (north, east)),
                             streamlit_folium.generate_js_hash(script, key))


def show_prepared_map(prepared: PreparedFoliumMap, height: int, returned_objects: list[str],
                      feature_group: folium.FeatureGroup | None = None) -> dict:
    """Draw a prepared map with streamlit_folium's component; `feature_group` is drawn on top without
    remounting the map (st_folium's `feature_group_to_add`). Returns the component's value."""
    import streamlit_folium

    feature_group_script = None
    if feature_group is not None:
        # st_folium's own conversion, against a throwaway map so the shared one stays untouched
        feature_group_script = streamlit_folium._get_feature_group_string(
            feature_group, map=folium.Map(tiles=None), idx=0)
    (south, west), (north, east) = prepared.bounds
    defaults = {"last_object_clicked": None, "last_object_clicked_tooltip": None, "last_object_clicked_count": None,
                "bounds": {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}},
                "zoom": None}
    return streamlit_folium._component_func(
        script=prepared.script, header=prepared.header, html=prepared.html, id=prepared.map_id, key=prepared.key,
        height=height, width=None, returned_objects=returned_objects,
        default={name: value for name, value in defaults.items() if name in returned_objects},
        zoom=None, center=None, feature_group=feature_group_script, return_on_hover=False, layer_control=None,
        pixelated=False, css_links=list(prepared.css_links), js_links=list(prepared.js_links), on_change=None,
        wrap_longitude=False,
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def _atlas_map_at_version(version: str, site_filter: site_filters.SiteFilter, lang: str, tiles: bool,
                          base_path: str) -> PreparedFoliumMap:
    folium_map = maps.build_overview_map(_filtered_sites_at_version(version, site_filter), map_layers(), lang,
                                         tiles=tile_source() if tiles else None, base_path=base_path)
    return prepare_folium_map(folium_map, key=f"atlas-{lang}")


def atlas_map(site_filter: site_filters.SiteFilter, lang: str, tiles: bool = False,
              base_path: str = "") -> PreparedFoliumMap:
    """The map page's map, built and prepared once per filter, language, tile choice and data version.
    Raises geo.tiles.TileConfigError when tiles are on but the operator's tile settings are wrong."""
    return _atlas_map_at_version(store.data_version(SITES_GPKG), site_filter, lang, tiles, base_path)


@st.cache_resource(show_spinner=False, max_entries=256)
def _profile_figure(version: str, ags: str, lang: str):
    table = _district_table_at_version(version)
    state_code = table.set_index("ags").loc[ags, "state_code"]
    return charts.profile_chart(indicators.profile_comparison(table, ags), indicators.district_labels(table, lang)[ags],
                                STATE_NAMES[state_code][lang], lang)


def profile_figure(ags: str, lang: str):
    """A district against its state and the four states (plotly), built once per district and language."""
    return _profile_figure(store.data_version(SITES_GPKG), ags, lang)


@st.cache_resource(show_spinner=False, max_entries=64)
def _districts_figure(version: str, ags_list: tuple[str, ...], lang: str):
    table = _district_table_at_version(version)
    return charts.districts_chart(table, list(ags_list), indicators.district_labels(table, lang),
                                  list(indicators.PROFILE_KEYS), lang)


def districts_figure(ags_list: tuple[str, ...], lang: str):
    """Up to four districts side by side (plotly), built once per choice and language."""
    return _districts_figure(store.data_version(SITES_GPKG), tuple(ags_list), lang)


@st.cache_resource(show_spinner=False, max_entries=32)
def _zones_figure(version: str, zone_ids: tuple[str, ...], selected: str, lang: str):
    zones = _zone_table_at_version(version).set_index("zone_id").loc[list(zone_ids)].reset_index()
    return charts.zones_chart(zones, ["population", "sites_total", "sites_per_100k", "population_share",
                                      "site_share"], lang, selected=selected)


def zones_figure(zone_ids: tuple[str, ...], selected: str, lang: str):
    """The zones compared (plotly), in the order of `zone_ids`, built once per selection and language."""
    return _zones_figure(store.data_version(SITES_GPKG), tuple(zone_ids), selected, lang)
