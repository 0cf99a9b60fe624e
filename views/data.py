"""The single place where the app caches data access.

Pages call these functions and never read files themselves. Reference data is read once per process;
whatever depends on the sites is cached per data version (`per_data_version`), so an import applied by a
steward shows up in the running app without a restart.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import indicators, store
from geo.core.paths import REFERENCE_GPKG, SITES_GPKG
from geo.core.schema import STATE_NAMES
from geo.core.web_assets import note_map_data_urls
from geo.expose import downloads as site_export
from geo.expose import investor as investor_profile
from geo.expose import profile as site_profile
from geo.expose import sites_table as site_list_table
from geo.expose.shortlist import ComparisonRow, comparison_rows
from geo.indicators import bar_chart, charts, completeness, slides
from geo.maps import choropleth, export
from geo.maps import payload as map_payload
from geo.maps.towns import town_labels
from geo.sites import filters as site_filters
from geo.sites import renames
from geo.store import read_facts, read_sites_for_app
from geo.store import reference as reference_data
from geo.texts import pick

if TYPE_CHECKING:
    from geo.expose.document import ExposeData
    from geo.expose.map_drawing import MapBase


def per_data_version(max_entries: int | None = None, *, data: bool = False) -> Callable:
    """Cache a function once per version of the sites data and per argument.

    The decorated function takes the data version as its first parameter; callers leave it out and get the
    result for the current version (`store.data_version`), so a steward's applied import is seen at once.
    Inside another cached computation call `function.at_version(version, ...)` to stay on one version
    throughout. `data=True` caches a copy per caller (st.cache_data) instead of one shared object.
    """

    def decorate(function: Callable) -> Callable:
        def at_version(version: str, *args, **kwargs):
            return function(version, *args, **kwargs)

        # Streamlit keys a cache by the function's module, qualified name and source; this wrapper's source is
        # the same for every decorated function, so its name must be the decorated function's own.
        at_version.__module__ = function.__module__
        at_version.__qualname__ = f"{function.__qualname__}.at_version"
        cache = st.cache_data if data else st.cache_resource
        cached = cache(show_spinner=False, max_entries=max_entries)(at_version)

        @functools.wraps(function)
        def for_current_version(*args, **kwargs):
            return cached(store.data_version(SITES_GPKG), *args, **kwargs)

        for_current_version.at_version = cached  # type: ignore[attr-defined]  # the pinned-version entry
        return for_current_version

    return decorate


@st.cache_resource(show_spinner=False)
def reference_layer(name: str) -> gpd.GeoDataFrame:
    """A geometry layer of data/reference.gpkg (shared, read-only: do not modify the result)."""
    return reference_data.read_layer(name)


@st.cache_resource(show_spinner=False)
def reference_table(name: str) -> pd.DataFrame:
    """A table of data/reference.gpkg without geometry (shared, read-only)."""
    return reference_data.read_table(name)


@per_data_version(max_entries=2)
def sites(version: str) -> gpd.GeoDataFrame:
    """All sites (shared, read-only). Keyed by the file's version, so an applied import shows at once."""
    return read_sites_for_app(SITES_GPKG)


def offline_map_page(site_filter: site_filters.SiteFilter, lang: str, bounds: tuple | None, title: str) -> bytes:
    """The site map with the sites that pass `site_filter` as one HTML file that opens offline (the
    presentation's download, geo.maps.export)."""
    return export.offline_site_map(
        filtered_sites(site_filter), base_map_payload(), reference_table("zone_districts"), lang, title, bounds
    )


# --- presentation page ---------------------------------------------------------------------------


@per_data_version(max_entries=2)
def slide_data(version: str) -> slides.SlideData:
    """The tables the slides draw on (shared, read-only), renewed when the sites change."""
    return slides.SlideData(
        districts=pd.DataFrame(reference_layer("districts").drop(columns="geometry")),
        states=reference_layer("states_web"),
        zones=reference_layer("zones_web"),
        zone_districts=reference_table("zone_districts"),
        zone_facts=reference_table("zone_facts"),
        sites=sites.at_version(version),
        program_claims=program_claims(),
    )


@per_data_version(max_entries=4)
def _slide_deck(version: str, file_version: str) -> list[slides.Slide]:
    return slides.load_slides(slide_data.at_version(version))


def slide_deck() -> list[slides.Slide]:
    """The checked slides of assets/slides.toml; an edit by staff shows on the next reload.
    Raises slides.SlideFileError listing every bad slide (not cached, so a fix shows at once)."""
    return _slide_deck(slides.slide_file_version())


# --- regions, structural change and data pages ----------------------------------------------------


@per_data_version(max_entries=2)
def district_table(version: str) -> pd.DataFrame:
    """Every district indicator, one row per district (shared, read-only), renewed when the sites change."""
    figures = district_figures_table.at_version(version)
    return indicators.district_table(
        reference_layer("districts"), sites.at_version(version), reference_table("zone_districts"), figures
    )


@per_data_version(max_entries=2)
def district_figures_table(version: str) -> pd.DataFrame:
    """The district figures with their sources (shared, read-only): the store's, kept with the sites."""
    return store.live_figures(SITES_GPKG)


@per_data_version(max_entries=2)
def zone_table(version: str) -> pd.DataFrame:
    """Population, area, sites and shares per structural-change zone, plus the union row "all"."""
    return indicators.zone_table(
        district_table.at_version(version), reference_layer("zones"), reference_table("zone_districts")
    )


@per_data_version(max_entries=64)
def district_choropleth(version: str, indicator_key: str, lang: str) -> tuple[dict, str]:
    """The districts coloured by one indicator (the atlas map's `districts` argument) and its legend, once
    per indicator and language."""
    return choropleth.district_choropleth(district_table.at_version(version), indicators.indicator(indicator_key), lang)


@per_data_version(max_entries=32)
def zone_map(version: str, zone_id: str, lang: str) -> tuple[dict, str, list[str]]:
    """A zone's districts on the map (the atlas map's `districts` argument), its legend and its member
    districts (the map opens on them), once per zone and language."""
    zone = reference_layer("zones").set_index("zone_id").loc[zone_id].to_dict() | {"zone_id": zone_id}
    members = indicators.zone_members(reference_table("zone_districts"), zone_id)
    spec, legend = choropleth.zone_map(district_table.at_version(version), zone, members, lang)
    return spec, legend, members


@st.cache_resource(show_spinner=False)
def program_claims() -> pd.DataFrame:
    """data/sources/program_completeness.csv, checked (shared, read-only)."""
    return completeness.read_program_claims()


# --- stewardship page ------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=4)
def stored_sites(path: str, version: str) -> gpd.GeoDataFrame:
    """The sites layer of ``path`` exactly as stored (no blanks filled in), to compare an import with.
    ``version`` (store.data_version) is the key, so a write makes a new entry. Shared, read-only."""
    return store.read_sites(Path(path), missing_ok=True)


@st.cache_data(show_spinner=False, max_entries=4)
def kept_versions(path: str, version: str) -> list[store.Version]:
    """The kept versions of ``path``, newest first; they change only with a write, hence the key."""
    return store.history(Path(path))


# --- atlas: map page and sites page -------------------------------------------------------


@st.cache_resource(show_spinner=False)
def site_vocabulary() -> site_filters.Vocabulary:
    """The values each site filter may take, in the order the filter widgets list them."""
    return map_payload.filter_vocabulary(reference_layer("zones_web"))


@per_data_version(max_entries=2)
def search_texts(version: str) -> pd.Series:
    """Each site's folded search text, in the order of `sites()`."""
    return site_filters.search_text(sites.at_version(version))


@per_data_version(max_entries=256)
def filtered_sites(version: str, site_filter: site_filters.SiteFilter) -> gpd.GeoDataFrame:
    """The sites that pass the filter (shared, read-only), once per filter and data version."""
    return site_filters.filter_sites(
        sites.at_version(version), site_filter, reference_table("zone_districts"), search_texts.at_version(version)
    )


@st.cache_resource(show_spinner=False)
def profile_tables() -> site_profile.ProfileTables:
    """Districts (key figures, aid), zones and zone membership without geometry, for site profiles."""
    return site_profile.ProfileTables.from_layers(
        reference_layer("districts"), reference_layer("zones_web"), reference_table("zone_districts")
    )


@per_data_version(max_entries=512)
def site_profile_of(version: str, site_id: str, lang: str) -> site_profile.SiteProfile | None:
    """The profile of one site in one language, or None for an unknown id."""
    all_sites = sites.at_version(version)
    rows = all_sites[all_sites["site_id"] == site_id]
    if rows.empty:
        return None
    profile = site_profile.site_profile(rows.iloc[0], profile_tables(), lang, site_facts_table.at_version(version))
    return replace(profile, sections=investor_sections(version, rows.iloc[0], lang))


def investor_sections(version: str, site: pd.Series, lang: str) -> tuple[site_profile.ProfileSection, ...]:
    """Labour market of the site's district, labour pool, research within 30 km (geo/expose/investor.py),
    worked out once per site and language (a comparison asks again for each site on every rerun)."""
    return _investor_sections_of.at_version(version, str(site["site_id"]), lang)


@per_data_version(max_entries=512)
def _investor_sections_of(version: str, site_id: str, lang: str) -> tuple[site_profile.ProfileSection, ...]:
    all_sites = sites.at_version(version)
    [site] = [row for _, row in all_sites[all_sites["site_id"] == site_id].iterrows()]
    figures, research = district_figures_table.at_version(version), reference_layer("research_institutions")
    return investor_profile.sections_for(site, figures, research, profile_tables(), lang)


@per_data_version(max_entries=2)
def site_facts_table(version: str) -> pd.DataFrame:
    """The plot facts with their sources (table `site_facts`), for the profiles."""
    return read_facts(SITES_GPKG, sites.at_version(version)["site_id"])


@per_data_version(max_entries=16)
def site_table_rows(version: str, site_filter: site_filters.SiteFilter, lang: str) -> dict:
    """The filtered sites as the sites page's table lists them (geo.expose.sites_table.table_rows): labels
    in the language, figures dated and marked; "digest" names the rows (the table keeps its page, sort and
    focus while it stays the same). Shared by every session: read it, never change it."""
    chosen = filtered_sites.at_version(version, site_filter)
    rows = site_list_table.site_table_rows(chosen, profile_tables(), site_facts_table.at_version(version), lang)
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True).encode("utf-8")).hexdigest()[:16]
    return {**rows, "digest": digest}


@per_data_version(max_entries=32, data=True)
def site_downloads(version: str, site_filter: site_filters.SiteFilter, lang: str) -> tuple[bytes, bytes]:
    """(CSV, GeoJSON) of the filtered sites."""
    chosen = filtered_sites.at_version(version, site_filter)
    facts = site_facts_table.at_version(version)
    return (
        site_export.sites_csv(chosen, lang, profile_tables().district_names(lang), facts),
        site_export.sites_geojson(chosen, facts),
    )


# --- exposés, the comparison and the print view (PDFs) ---------------------------------------------
# geo.expose and geo.expose.print_map are imported inside these functions: they pull in reportlab, which only the
# pages with PDF downloads need, so the other pages start without it.


@st.cache_resource(show_spinner=False)
def pdf_map_base() -> MapBase:
    """States, districts and zones in the metric CRS the PDFs draw in (shared, read-only), once per process."""
    from geo.expose.map_drawing import MapBase

    return MapBase.from_reference(reference_layer)


@per_data_version(max_entries=2)
def expose_data(version: str) -> ExposeData:
    """What exposés and the comparison draw on (shared, read-only), renewed when the sites change."""
    from geo.expose.document import ExposeData

    return ExposeData(
        sites=sites.at_version(version),
        tables=profile_tables(),
        map_base=pdf_map_base(),
        sources=reference_table("sources"),
        fact_sources=site_facts_table.at_version(version),
        sections=lambda site, lang: investor_sections(version, site, lang),
    )


@dataclass(frozen=True)
class Comparison:
    """The compared sites (in shortlist order), the comparison's rows and its CSV download."""

    sites: pd.DataFrame
    rows: list[ComparisonRow]
    csv: bytes


@per_data_version(max_entries=64)
def comparison(version: str, site_ids: tuple[str, ...], lang: str, today: dt.date) -> Comparison:
    """The comparison of `site_ids`, each figure's age judged on `today` (shared, read-only): the page asks
    for it on every rerun (a toggle, a search), and working it out takes longer than the rest of the page."""
    source = expose_data.at_version(version)
    chosen = source.site_rows(list(site_ids))
    rows = comparison_rows(chosen, source.tables, source.fact_sources, lang, today=today, sections=source.sections)
    csv = site_export.sites_csv(chosen, lang, source.tables.district_names(lang), source.fact_sources)
    return Comparison(chosen, rows, csv)


@per_data_version(max_entries=32, data=True)
def expose_pdf(version: str, site_ids: tuple[str, ...], lang: str, base_url: str) -> bytes:
    """The exposé PDF of the sites `site_ids` (one site, or a shortlist with an overview page)."""
    from geo.expose.document import expose_pdf as make_expose_pdf

    return make_expose_pdf(expose_data.at_version(version), site_ids, lang, base_url)


@per_data_version(max_entries=16, data=True)
def print_pdf(version: str, site_filter: site_filters.SiteFilter, lang: str, paper: str, link: str) -> bytes:
    """The print view of the map with the sites that pass `site_filter`, as a landscape PDF of `paper`."""
    from geo.expose.print_map import filter_description, print_map_pdf

    zones = reference_layer("zones_web")
    zone_names = dict(zip(zones["zone_id"], zones[pick(lang, "name", "name_en")], strict=True))
    return print_map_pdf(
        pdf_map_base(),
        filtered_sites.at_version(version, site_filter),
        len(sites.at_version(version)),
        filter_description(site_filter, lang, zone_names),
        lang,
        paper,
        link,
        facts=site_facts_table.at_version(version),
    )


# --- the atlas map component's data files --------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=8)
def map_language_args(lang: str, legend_programs: tuple[str, ...] | None) -> dict:
    """The atlas map's labels, marker symbols and legend in one language (geo.maps.payload.language_args):
    they depend on the vocabularies and texts only, so they are built once per language and legend."""
    return map_payload.language_args(lang, legend_programs)


@st.cache_resource(show_spinner=False)
def site_id_renames() -> dict[str, str]:
    """Old id -> new id of renamed sites (data/sources/site_id_renames.csv), so old links still open them."""
    return renames.rename_map(renames.read_renames())


@per_data_version(max_entries=2)
def site_ids(version: str) -> frozenset[str]:
    """Every site id (to check a link's ?site= without touching the sites frame)."""
    return frozenset(sites.at_version(version)["site_id"])


@per_data_version(max_entries=2)
def site_names(version: str) -> dict[str, str]:
    """site_id -> name of every site."""
    frame = sites.at_version(version)
    return dict(zip(frame["site_id"], frame["name"], strict=True))


@st.cache_resource(show_spinner=False, max_entries=2)
def _base_payload(reference_version: str) -> dict:
    states, districts = reference_layer("states_web"), reference_layer("districts_web")
    return map_payload.base_payload(
        states,
        districts,
        reference_layer("zones_web"),
        reference_table("zone_districts"),
        town_labels(states, districts),
        reference_layer("research_institutions"),
    )


def base_map_payload() -> dict:
    """What every map draws besides the sites (simplified borders, zones, town labels, research places), as
    the base data file holds it (shared, read-only): once per reference data version."""
    return _base_payload(store.data_version(REFERENCE_GPKG))


@st.cache_resource(show_spinner=False, max_entries=4)
def _base_payload_token(reference_version: str) -> str:
    return map_payload.write_payload(_base_payload(reference_version), "base")


@per_data_version(max_entries=4)
def _sites_payload_token(version: str) -> str:
    return map_payload.write_payload(
        map_payload.sites_payload(sites.at_version(version), reference_table("zone_districts")), "sites"
    )


def map_payload_urls(base_path: str = "") -> tuple[str, str]:
    """(base layers URL, sites URL) of the atlas map's data files, written once per data version under
    static/data/ (see geo/maps/payload.py); written again if someone cleared that folder. Only these files
    are kept: other versions' folders are removed a few minutes after the last server used them."""
    base_token = _base_payload_token(store.data_version(REFERENCE_GPKG))
    sites_token = _sites_payload_token()
    if not (
        (map_payload.DATA_FOLDER / base_token / "base.json.gz").exists()
        and (map_payload.DATA_FOLDER / sites_token / "sites.json.gz").exists()
    ):
        _base_payload_token.clear()
        _sites_payload_token.at_version.clear()
        base_token, sites_token = _base_payload_token(store.data_version(REFERENCE_GPKG)), _sites_payload_token()
    # the files of earlier versions (an applied import may have withdrawn a site) go after a short grace
    map_payload.keep_only({base_token, sites_token})
    urls = (
        map_payload.payload_url(base_token, "base", base_path),
        map_payload.payload_url(sites_token, "sites", base_path),
    )
    note_map_data_urls(*urls)
    return urls


@per_data_version(max_entries=256)
def profile_figure(version: str, ags: str, lang: str):
    """A district against its state and the four states (plotly), built once per district and language."""
    table = district_table.at_version(version)
    state_code = table.set_index("ags").loc[ags, "state_code"]
    return charts.profile_chart(
        indicators.profile_comparison(table, ags),
        indicators.district_labels(table, lang)[ags],
        STATE_NAMES[state_code][lang],
        lang,
    )


@per_data_version(max_entries=64)
def _districts_figure(version: str, ags_list: tuple[str, ...], lang: str):
    table = district_table.at_version(version)
    return charts.districts_chart(
        table, list(ags_list), indicators.district_labels(table, lang), list(indicators.PROFILE_KEYS), lang
    )


def districts_figure(ags_list, lang: str):
    """Up to four districts side by side (plotly), built once per choice and language."""
    return _districts_figure(tuple(ags_list), lang)


ZONE_CHART_KEYS = ("population", "sites_total", "sites_per_100k", "population_share", "site_share")


@per_data_version(max_entries=32)
def _zone_bars(version: str, zone_ids: tuple[str, ...], selected: str, lang: str) -> list[tuple[str, list]]:
    zones = zone_table.at_version(version).set_index("zone_id").loc[list(zone_ids)].reset_index()
    return [(key, bar_chart.zone_bars(zones, key, lang, selected)) for key in ZONE_CHART_KEYS]


def zone_bars(zone_ids, selected: str, lang: str) -> list[tuple[str, list]]:
    """The zones compared, per indicator of ZONE_CHART_KEYS, in the order of `zone_ids`, built once per
    selection and language (geo.indicators.bar_chart writes them)."""
    return _zone_bars(tuple(zone_ids), selected, lang)
