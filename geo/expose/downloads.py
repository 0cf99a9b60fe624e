"""Downloads of a set of sites: CSV for spreadsheets, GeoJSON for GIS software.

The CSV is for people: headers in the page's language, labels instead of internal codes (program, state,
district and theme names), the site's id kept in its own column so rows can be matched to the GeoJSON and
to profile links. It is written by the app's one CSV writer (`geo.core.csv_download`): UTF-8 with BOM, the
separator and decimal mark of the page's language, formula-like text neutralised. Each plot figure comes
with its qualifier (numbers), its date with the stale mark of `geo.sites.provenance` ("22.09.2011 ⚠ älter
als 12 Monate", "⚠ Quelle ohne Datum") and its source, in columns of their own beside it; fields that
none of the exported sites has are left out.

The GeoJSON is for software: the stable field names of the data contract (`site_id`, `program`, …), the
same in both languages, RFC 7946 (WGS 84, lon/lat, coordinates rounded to 6 decimals ≈ 0.1 m); each plot
figure's provenance as `<field>_qualifier`, `<field>_as_of` (as recorded), `<field>_stale` and
`<field>_source_url`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping

import geopandas as gpd
import pandas as pd

from geo.core.csv_download import csv_bytes
from geo.core.fields import FIELD_BY_NAME, SITE_COLUMNS, year_value
from geo.core.schema import PRECISIONS, SITE_SURROUNDING_COLUMNS, STATE_NAMES, THEME_SEPARATOR
from geo.core.schema import programs as program_vocabulary
from geo.core.schema import themes as theme_vocabulary
from geo.core.values import parse_number
from geo.expose.facts import SiteFact, facts_by_site
from geo.sites import facts as site_facts
from geo.sites.labour_pool import POOL_RADII_KM, SHARES_COLUMN, pool_column
from geo.sites.provenance import format_as_of, qualifier_word
from geo.texts import pick, t

COORDINATE_DECIMALS = 6
CSV_MEDIA_TYPE = "text/csv"
GEOJSON_MEDIA_TYPE = "application/geo+json"


def export_columns(sites: pd.DataFrame) -> list[str]:
    """The contract's columns that `sites` has, in contract order."""
    return [
        column
        for column in SITE_COLUMNS + SITE_SURROUNDING_COLUMNS + site_facts.DERIVED_COLUMNS
        if column in sites.columns and column != SHARES_COLUMN  # the shares are the pool's working data
    ]


def _wgs84(sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if sites.crs is not None and sites.crs.to_epsg() != 4326:
        return sites.to_crs(4326)
    return sites


def _plain(value: object) -> object:
    """A JSON-ready value: no NaN (→ null), no numpy scalars, whole-number floats such as years as int."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    return value


def _label(vocabulary: Mapping[str, Mapping[str, str]], code: object, lang: str) -> object:
    """The label of `code` in `lang`; an unknown code shows as itself, a missing one stays empty."""
    if code is None or (isinstance(code, float) and math.isnan(code)) or code == "":
        return None
    row = vocabulary.get(str(code))
    if row is None:
        return str(code)
    return row.get(f"label_{lang}") or row.get("label_de") or str(code)


def _theme_labels(themes_text: object, lang: str) -> str:
    if not isinstance(themes_text, str):
        return ""
    vocabulary = theme_vocabulary()
    return ", ".join(str(_label(vocabulary, code, lang)) for code in themes_text.split(THEME_SEPARATOR) if code)


def _description(site: pd.Series, lang: str) -> object:
    """The description in the page's language, else the other one (a German-only text beats none)."""
    for column in pick(lang, ("description_de", "description_en"), ("description_en", "description_de")):
        value = site.get(column)
        if isinstance(value, str) and value.strip():
            return value
    return None


def sites_table(
    sites: gpd.GeoDataFrame,
    lang: str = "de",
    district_names: Mapping[str, str] | None = None,
    facts: pd.DataFrame | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """The CSV's rows: one per site, headers in `lang`, labels instead of codes, lat/lon in WGS 84.

    `district_names` maps a district key (AGS) to its name; without it the district column is left out.
    `facts` is the `site_facts` table: each plot figure with its qualifier, date (judged on `today`) and
    source; without it no figure is written, since a figure is never shown without its date.
    Columns the sites do not have (an older file without surroundings) are left out, never invented.
    """
    located = _wgs84(sites).reset_index(drop=True)
    states = {code: {"label_de": names["de"], "label_en": names["en"]} for code, names in STATE_NAMES.items()}
    programs = program_vocabulary()

    def column(name: str) -> pd.Series:
        return located[name] if name in located.columns else pd.Series([None] * len(located), dtype=object)

    def heading(name: str) -> str:
        return t(FIELD_BY_NAME[name].heading, lang)

    def years(name: str) -> pd.Series:
        return pd.array([year_value(value) for value in column(name)], dtype="Int64")

    table: dict[str, object] = {
        heading("site_id"): column("site_id"),
        heading("name"): column("name"),
        heading("program"): column("program").map(lambda code: _label(programs, code, lang)),
        heading("state_code"): column("state_code").map(lambda code: _label(states, code, lang)),
    }
    if district_names is not None:
        table[t("column_district", lang)] = column("district_ags").map(
            lambda ags: district_names.get(str(ags)) if isinstance(ags, str) else None
        )
    table[heading("district_ags")] = column("district_ags")
    table[heading("municipality")] = column("municipality")
    table[heading("municipality_ags")] = column("municipality_ags")
    table[heading("locality")] = column("locality")
    table[heading("themes")] = column("themes").map(lambda text: _theme_labels(text, lang))
    table[heading("description_de")] = (
        located.apply(lambda site: _description(site, lang), axis=1) if len(located) else pd.Series([], dtype=object)
    )
    table[heading("year")] = years("year")
    table[heading("precision")] = column("precision").map(
        lambda precision: (
            t(f"precision_{precision if precision in PRECISIONS else 'municipality'}", lang)
            if isinstance(precision, str)
            else None
        )
    )
    table[heading("website")] = column("website")
    table[heading("source_url")] = column("source_url")
    table[heading("coord_source_url")] = column("coord_source_url")
    table[heading("updated")] = column("updated").map(  # the day the entry was last checked, not its figures'
        lambda date: format_as_of(str(date)[:10], lang) if isinstance(date, str) and date else None
    )
    table |= _surroundings_columns(located, lang)
    if facts is not None:
        table |= figure_columns(column("site_id"), facts, lang, today)
    table[t("csv_latitude", lang)] = located.geometry.y.round(COORDINATE_DECIMALS).to_numpy()
    table[t("csv_longitude", lang)] = located.geometry.x.round(COORDINATE_DECIMALS).to_numpy()
    return pd.DataFrame(
        {
            name: pd.Series(values).reset_index(drop=True) if isinstance(values, pd.Series) else values
            for name, values in table.items()
        }
    )


def _surroundings_columns(located: gpd.GeoDataFrame, lang: str) -> dict[str, object]:
    """The surroundings: name and straight-line km of the nearest airport, station, city."""
    table: dict[str, object] = {}

    def column(name: str) -> pd.Series:
        return located[name] if name in located.columns else pd.Series([None] * len(located), dtype=object)

    def kilometres(name: str) -> pd.Series:
        return pd.to_numeric(column(name), errors="coerce").round(1)

    for name_column, km_column, label_key in (
        ("airport_name", "airport_km", "site_profile_nearest_airport"),
        ("station_name", "station_km", "site_profile_nearest_station"),
        ("city_name", "city_km", "site_profile_nearest_city"),
    ):
        if name_column in located.columns:
            label = t(label_key, lang)
            table[label] = column(name_column)
            table[t("csv_straight_line_km", lang, place=label)] = kilometres(km_column)
    for radius in POOL_RADII_KM:  # the labour pool, an estimate (geo/sites/labour_pool.py)
        if pool_column(radius) in located.columns:
            table[t("pool_column", lang, km=radius)] = (
                pd.to_numeric(column(pool_column(radius)), errors="coerce").round().astype("Int64")
            )
    return table


def _csv_value(fact: SiteFact) -> object:
    """A figure's CSV cell: numbers stay numbers (the qualifier has its own column), links the whole URL."""
    field = site_facts.FIELD_BY_ID[fact.field_id]
    if field.kind == "number":
        return parse_number(fact.raw)
    return fact.raw if field.kind == "url" else fact.value


def figure_columns(
    site_ids: pd.Series, facts: pd.DataFrame, lang: str, today: dt.date | None = None
) -> dict[str, list[object]]:
    """Heading -> cells of the plot figures of the sites `site_ids` (in their order): per field that any of
    them has, the figure, its qualifier (numbers), its date with the stale mark and its source."""
    by_site = facts_by_site(facts, site_ids.astype(str), lang, today)
    present = {field_id for figures in by_site.values() for field_id in figures}
    columns: dict[str, list[object]] = {}
    for field in site_facts.FIELDS:
        if field.id not in present:
            continue
        header = site_facts.column_header(field.id, lang)
        figures = [by_site.get(str(site_id), {}).get(field.id) for site_id in site_ids]
        columns[header] = [None if fact is None else _csv_value(fact) for fact in figures]
        if field.kind == "number":
            columns[t("column_figure_qualifier", lang, column=header)] = [
                None if fact is None else qualifier_word(fact.qualifier, lang) or None for fact in figures
            ]
        columns[t("column_figure_as_of", lang, column=header)] = [
            None if fact is None else fact.age.marked_date(lang) for fact in figures
        ]
        columns[t("column_figure_source", lang, column=header)] = [
            None if fact is None else fact.source_url for fact in figures
        ]
    return columns


def sites_csv(
    sites: gpd.GeoDataFrame,
    lang: str,
    district_names: Mapping[str, str] | None = None,
    facts: pd.DataFrame | None = None,
    today: dt.date | None = None,
) -> bytes:
    """CSV bytes of `sites_table` in the language's spreadsheet conventions (geo.core.csv_download)."""
    return csv_bytes(sites_table(sites, lang, district_names, facts, today), lang)


def figure_properties(
    site_ids: pd.Series, facts: pd.DataFrame, today: dt.date | None = None
) -> dict[str, dict[str, object]]:
    """Per site, the provenance of its plot figures as GeoJSON properties: `<field>_qualifier`,
    `<field>_as_of` (as recorded, "" when the source gives none), `<field>_stale`, `<field>_source_url`;
    for every field that any of the sites has (null where a site has no figure)."""
    by_site = facts_by_site(facts, site_ids.astype(str), "en", today)
    present = [field.id for field in site_facts.FIELDS if any(field.id in figures for figures in by_site.values())]
    properties: dict[str, dict[str, object]] = {}
    for site_id in site_ids.astype(str):
        figures = by_site.get(site_id, {})
        properties[site_id] = {}
        for field_id in present:
            fact = figures.get(field_id)
            properties[site_id] |= {
                f"{field_id}_qualifier": None if fact is None else fact.qualifier or None,
                f"{field_id}_as_of": None if fact is None else fact.age.as_of,
                f"{field_id}_stale": None if fact is None else fact.age.stale,
                f"{field_id}_source_url": None if fact is None else fact.source_url,
            }
    return properties


def sites_geojson(sites: gpd.GeoDataFrame, facts: pd.DataFrame | None = None, today: dt.date | None = None) -> bytes:
    """A GeoJSON FeatureCollection of Points (RFC 7946), one Feature per site, `id` = site_id; with `facts`
    (the `site_facts` table) each plot figure's qualifier, date, staleness and source (`figure_properties`)."""
    located = _wgs84(sites)
    columns = export_columns(located)
    provenance = figure_properties(located["site_id"], facts, today) if facts is not None else {}
    features = []
    for _, site in located.iterrows():
        geometry = site.geometry
        features.append(
            {
                "type": "Feature",
                "id": str(site["site_id"]) if "site_id" in site else None,
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(geometry.x, COORDINATE_DECIMALS), round(geometry.y, COORDINATE_DECIMALS)],
                },
                "properties": {column: _plain(site[column]) for column in columns}
                | provenance.get(str(site.get("site_id")), {}),
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")
