"""What the atlas map's browser side receives: data files once per data version, a small filter per rerun.

The atlas map (views/atlas_map.py, static/atlas_map/) draws from two files that the app writes
under ``static/data/<token>/`` the first time a data version is used; Streamlit serves that folder at
``/app/static/data/…``, and a new data version gets a new folder, so a browser can keep a file as long as
it likes:

- ``base.json.gz`` — the simplified states, districts (name, zones) and structural-change zones as
  encoded polylines, and the town labels; keyed by the reference GeoPackage's version;
- ``sites.json.gz`` — one column per field of ``BROWSER_FIELDS`` (columnar, codes dictionary-encoded),
  plus folded search texts; keyed by the sites' version.

Both are gzip-compressed JSON; the browser inflates them with ``DecompressionStream`` (Streamlit's static
file server does not compress), which keeps 10,000 sites well below a megabyte.

Per rerun the page sends only ``browser_filter_spec(site_filter)``: a few codes and the folded search
text, whatever the number of sites. Which site field a filter reads and how (``any_of``, ``at_least``,
``at_most``) is declared once in ``FILTER_FIELDS``; a new filter is a new entry there plus its field in
``BROWSER_FIELDS``.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import math
import os
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.core.paths import STATIC_DIR
from geo.core.schema import STATE_NAMES, THEME_SEPARATOR
from geo.core.schema import programs as program_vocabulary
from geo.core.schema import themes as theme_vocabulary
from geo.maps.codec import encode_polygons
from geo.maps.symbols import (
    DISTRICT_STYLE,
    PROGRAM_SYMBOLS,
    STATE_STYLE,
    ZONE_STYLES,
    ZONE_TYPE_ORDER,
    legend_html,
    map_patterns_svg,
    marker_svg,
    program_label,
)
from geo.sites.facts import value_codes
from geo.sites.filters import SiteFilter, Vocabulary, fold_text
from geo.sites.research import KINDS as RESEARCH_KINDS
from geo.texts import t

PAYLOAD_FORMAT = 1  # bump when the files' layout changes: old folders are then never read again
DATA_FOLDER = STATIC_DIR / "data"
STATIC_URL_PATH = "app/static/data"
COORDINATE_FACTOR = 100_000  # lat/lon sent as integers of 1e-5 degrees (about 1 m)
SHORT_SEARCH_COLUMNS = ("name", "municipality", "locality")
LONG_SEARCH_COLUMNS = ("description_de", "description_en")


@dataclass(frozen=True)
class BrowserField:
    """A site field sent to the browser. kind: "text" (one string per site), "code" (one code, sent as
    an index into a list of values), "codes" (several codes, e.g. themes), "number" (float or null)."""

    name: str
    kind: str


# The fields the map's browser side reads (markers, tooltips, popups, filters). Add a field here and
# the payload carries it; add a FilterField below and the browser filters on it.
BROWSER_FIELDS: tuple[BrowserField, ...] = (
    BrowserField("site_id", "text"),
    BrowserField("name", "text"),
    BrowserField("program", "code"),
    BrowserField("state_code", "code"),
    BrowserField("municipality", "text"),
    BrowserField("locality", "text"),
    BrowserField("themes", "codes"),
    BrowserField("zones", "codes"),
    # plot facts (geo.sites.facts); a site without the figure carries null and fails a range filter
    BrowserField("area_available_ha", "number"),
    BrowserField("price_eur_m2_max", "number"),
    BrowserField("zoning", "codes"),
    BrowserField("rail_siding", "code"),
    # the labour pool within 45 km (geo/sites/labour_pool.py), for the filter pool_min
    BrowserField("pool_45_km", "number"),
)


@dataclass(frozen=True)
class FilterField:
    """One criterion of the browser filter: which SiteFilter attribute fills it, which browser field it
    reads and how: "any_of" (codes; multi-valued fields match if any value matches), "at_least",
    "at_most" (numbers; a site without a value does not pass)."""

    attribute: str
    field: str
    kind: str


FILTER_FIELDS: tuple[FilterField, ...] = (
    FilterField("states", "state_code", "any_of"),
    FilterField("programs", "program", "any_of"),
    FilterField("themes", "themes", "any_of"),
    FilterField("zones", "zones", "any_of"),
    FilterField("area_min", "area_available_ha", "at_least"),
    FilterField("price_max", "price_eur_m2_max", "at_most"),
    FilterField("zoning", "zoning", "any_of"),
    FilterField("rail", "rail_siding", "any_of"),
    FilterField("pool_min", "pool_45_km", "at_least"),
)


def filter_vocabulary(zones: pd.DataFrame) -> Vocabulary:
    """The values each site filter may take, in the order the filter widgets list them: the zones by type in
    the legend's order, then by name (`zones`: a zones layer with zone_id, name, zone_type). The map's
    widgets and the open data API's queryables use this one list."""
    zone_order = sorted(
        zip(zones["zone_type"].map(ZONE_TYPE_ORDER.index), zones["name"], zones["zone_id"], strict=True)
    )
    return Vocabulary(
        states=tuple(STATE_NAMES),
        programs=tuple(program_vocabulary()),
        themes=tuple(theme_vocabulary()),
        zones=tuple(zone_id for *_, zone_id in zone_order),
    )


def browser_filter_spec(site_filter: SiteFilter) -> dict:
    """The filter as the browser applies it (small: no list of sites)."""
    spec: dict = {"any_of": {}, "at_least": {}, "at_most": {}, "q": fold_text(site_filter.query)}
    for criterion in FILTER_FIELDS:
        value = getattr(site_filter, criterion.attribute, None)
        if value is None or value == () or value == "":
            continue
        # sorted: the order of a choice does not matter, and the map compares filters as written
        spec[criterion.kind][criterion.field] = sorted(value) if criterion.kind == "any_of" else float(value)
    return spec


# --- the sites file -----------------------------------------------------------------------------------


def site_zone_ids(sites: pd.DataFrame, zone_districts: pd.DataFrame) -> pd.Series:
    """The structural-change zones of each site (through its district), as lists."""
    by_district = zone_districts.groupby("ags")["zone_id"].agg(lambda ids: sorted(ids))
    return sites["district_ags"].map(lambda ags: list(by_district.get(ags, [])))


def _field_values(sites: pd.DataFrame, name: str, zone_districts: pd.DataFrame) -> list:
    if name == "zones":
        return list(site_zone_ids(sites, zone_districts))
    if name == "themes":
        return [[theme for theme in str(text).split(THEME_SEPARATOR) if theme] for text in sites["themes"].fillna("")]
    if name not in sites.columns:  # a declared field that this data does not have (yet)
        return [None] * len(sites)
    if name == "zoning":  # several codes in one value: "GI;GE"
        return [list(value_codes("zoning", value)) for value in sites["zoning"]]
    return list(sites[name])


def _encode_column(values: list, kind: str) -> dict | list:
    if kind == "text":
        return [
            "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value) for value in values
        ]
    if kind == "number":
        return [None if value is None or pd.isna(value) else float(value) for value in values]
    if kind == "code":
        codes = [
            "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value) for value in values
        ]
        vocabulary = sorted(set(codes))
        position = {code: index for index, code in enumerate(vocabulary)}
        return {"values": vocabulary, "index": [position[code] for code in codes]}
    if kind == "codes":
        lists = [[str(code) for code in value] if isinstance(value, (list, tuple)) else [] for value in values]
        vocabulary = sorted({code for codes in lists for code in codes})
        position = {code: index for index, code in enumerate(vocabulary)}
        return {"values": vocabulary, "index": [[position[code] for code in codes] for codes in lists]}
    raise ValueError(f"unknown browser field kind {kind!r}")


def _joined_folded(sites: pd.DataFrame, columns: Iterable[str]) -> list[str]:
    present = [column for column in columns if column in sites.columns]
    if not present:
        return [""] * len(sites)
    return [fold_text(text) for text in sites[present].fillna("").astype(str).agg(" ".join, axis=1)]


def sites_payload(sites: gpd.GeoDataFrame, zone_districts: pd.DataFrame) -> dict:
    """All sites as the browser reads them: one column per BROWSER_FIELDS entry, coordinates as
    integers, and the search texts folded as geo.sites.filters.fold_text folds (short texts per site,
    descriptions dictionary-encoded, since many sites share them)."""
    geometry = sites.geometry if sites.crs is None or sites.crs.to_epsg() == 4326 else sites.geometry.to_crs(4326)
    columns = {
        field.name: _encode_column(_field_values(sites, field.name, zone_districts), field.kind)
        for field in BROWSER_FIELDS
    }
    return {
        "format": PAYLOAD_FORMAT,
        "count": len(sites),
        "fields": {field.name: field.kind for field in BROWSER_FIELDS},
        "columns": columns,
        "lat": [round(value * COORDINATE_FACTOR) for value in geometry.y],
        "lon": [round(value * COORDINATE_FACTOR) for value in geometry.x],
        "coordinate_factor": COORDINATE_FACTOR,
        "search_short": _joined_folded(sites, SHORT_SEARCH_COLUMNS),
        "search_long": _encode_column(_joined_folded(sites, LONG_SEARCH_COLUMNS), "code"),
    }


# --- the base layers file ----------------------------------------------------------------------------


def research_places(institutions: gpd.GeoDataFrame | None) -> list:
    """The research layer (off until switched on): one entry per point, [lat, lon, [[name, kind], …]];
    institutions placed at one municipality share its point and one marker."""
    if institutions is None or institutions.empty:
        return []
    places: dict[tuple[float, float], list[list[str]]] = {}
    for name, kind, point in zip(institutions["name"], institutions["kind"], institutions.geometry, strict=True):
        places.setdefault((round(float(point.y), 4), round(float(point.x), 4)), []).append([str(name), str(kind)])
    return [[lat, lon, sorted(members)] for (lat, lon), members in sorted(places.items())]


def base_payload(
    states: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame,
    zone_districts: pd.DataFrame,
    towns: pd.DataFrame | None,
    research: gpd.GeoDataFrame | None = None,
) -> dict:
    """States, districts (with their zones) and zones as encoded polylines, the town labels, and the
    universities and research institutes (`research_places`)."""
    zones_of: dict[str, list[str]] = {}
    for zone_id, ags in zip(zone_districts["zone_id"], zone_districts["ags"], strict=True):
        zones_of.setdefault(str(ags), []).append(str(zone_id))
    return {
        "format": PAYLOAD_FORMAT,
        "states": [
            {"code": str(code), "p": encode_polygons(geometry)}
            for code, geometry in zip(states.get("state_code", [""] * len(states)), states.geometry, strict=True)
        ],
        "districts": [
            {
                "ags": str(ags),
                "name": str(name),
                "zones": sorted(zones_of.get(str(ags), [])),
                "p": encode_polygons(geometry),
            }
            for ags, name, geometry in zip(districts["ags"], districts["name"], districts.geometry, strict=True)
        ],
        "zones": [
            {
                "id": str(row.zone_id),
                "type": str(row.zone_type),
                "name_de": str(row.name),
                "name_en": str(getattr(row, "name_en", row.name)),
                "p": encode_polygons(row.geometry),
            }
            for row in zones.itertuples()
        ],
        "towns": []
        if towns is None
        else [
            [round(float(town.lat), 4), round(float(town.lon), 4), str(town.name), int(town.population)]
            for town in towns.itertuples()
        ],
        "research": research_places(research),
    }


# --- files ---------------------------------------------------------------------------------------------


def encode_payload(payload: dict) -> bytes:
    """The payload as gzip-compressed compact JSON (the same payload always gives the same bytes)."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def payload_token(data: bytes) -> str:
    """The folder name for a payload: a digest of its bytes (and of the format), so equal data shares one
    URL (a browser's cached copy stays valid across servers and restarts) and new data gets a new one."""
    return hashlib.sha256(str(PAYLOAD_FORMAT).encode("ascii") + b"\n" + data).hexdigest()[:20]


def write_payload(payload: dict, name: str, folder: Path = DATA_FOLDER) -> str:
    """Write `payload` as `<folder>/<token>/<name>.json.gz` unless it is there already; returns the token.
    Atomic: a reader never sees half a file, and two servers writing the same data write the same bytes."""
    data = encode_payload(payload)
    token = payload_token(data)
    target = folder / token / f"{name}.json.gz"
    if target.exists():
        try:
            os.utime(target)  # in use again: keep_only keeps what a server uses
            return token
        except FileNotFoundError:  # another server pruned it this very moment: write it again
            pass
        except OSError:  # a read-only folder (files built in advance): nothing to mark, nothing to prune
            return token
    for attempt in (1, 2):
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{name}.", suffix=".tmp")
            break
        except FileNotFoundError:  # the folder was pruned between the two calls
            if attempt == 2:
                raise
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)  # served to every visitor; mkstemp makes it private
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return token


# The files of a superseded data version (an applied import, a release's new reference layers) stay readable
# only briefly, so a site that was withdrawn does not stay public at its old address. Every server marks the
# files it serves as in use, at most once a MARK_INTERVAL_SECONDS while it serves pages (keep_only), and
# removes the folders that no server has marked for PAYLOAD_GRACE_SECONDS: time enough for a page that
# named the old files just before the change to fetch them. A server still on an old version (a replica
# whose database is down keeps serving what it has) keeps marking it, and writes a missing file again on
# its next page run (views.data.map_payload_urls).
PAYLOAD_GRACE_SECONDS = 300
MARK_INTERVAL_SECONDS = 60
_last_kept: dict[Path, float] = {}  # folder -> when this process last marked and pruned it


def keep_only(current: Iterable[str], folder: Path = DATA_FOLDER, now: float | None = None) -> list[str]:
    """Mark the files of the `current` tokens as in use and remove the other data folders that nobody
    marked for PAYLOAD_GRACE_SECONDS; does its work at most once per MARK_INTERVAL_SECONDS and folder in
    this process (it runs on page runs). Returns the removed tokens."""
    now = time.time() if now is None else now
    if now - _last_kept.get(folder, -math.inf) < MARK_INTERVAL_SECONDS:
        return []
    _last_kept[folder] = now
    current = set(current)
    for token in current:
        for path in (folder / token).glob("*.json.gz"):
            # pruned by another server meanwhile (written again on the next page run), or a read-only folder
            with contextlib.suppress(OSError):
                os.utime(path, (now, now))
    return prune_payloads(current, folder, unused_seconds=PAYLOAD_GRACE_SECONDS, now=now)


def prune_payloads(
    keep: Iterable[str],
    folder: Path = DATA_FOLDER,
    unused_seconds: float = PAYLOAD_GRACE_SECONDS,
    now: float | None = None,
) -> list[str]:
    """Remove the token folders under `folder` that are not in `keep` and whose newest file is older than
    `unused_seconds`. Returns the removed tokens."""
    keep = set(keep)
    cutoff = (now if now is not None else time.time()) - unused_seconds
    removed = []
    for token_folder in sorted(folder.glob("*")) if folder.is_dir() else []:
        if not token_folder.is_dir() or token_folder.name in keep or token_folder.name.startswith("."):
            continue
        files = [path for path in token_folder.iterdir() if path.is_file()]
        try:
            newest = max((path.stat().st_mtime for path in files), default=token_folder.stat().st_mtime)
        except FileNotFoundError:  # another server pruned or wrote it meanwhile
            continue
        if newest >= cutoff:
            continue
        try:
            for path in files:
                path.unlink(missing_ok=True)
            token_folder.rmdir()
        except OSError:  # a file arrived meanwhile (the folder is in use again), or the folder is read-only
            continue
        removed.append(token_folder.name)
    return removed


def payload_url(token: str, name: str, base_path: str = "") -> str:
    """The URL path under which Streamlit's static serving delivers a payload file."""
    prefix = f"/{base_path.strip('/')}" if base_path.strip("/") else ""
    return f"{prefix}/{STATIC_URL_PATH}/{token}/{name}.json.gz"


# --- the map's labels, symbols and legend in one language ---------------------------------------------


def language_args(lang: str, legend_programs: tuple[str, ...] | None) -> dict:
    """What the browser needs to label the map in one language (small; views/data.py caches it once
    per language and legend)."""
    programs = {
        code: {
            "label": program_label(code, lang),
            "svg": marker_svg(code),
            "colour": PROGRAM_SYMBOLS[code].colour if code in PROGRAM_SYMBOLS else "#333333",
        }
        for code in program_vocabulary()
    }
    programs[""] = {"label": "", "svg": marker_svg(""), "colour": "#333333"}
    texts = {
        "count": t("filter_count", lang, shown="{shown}", total="{total}"),
        "count_short": t("embed_site_count", lang, count="{count}"),
        "count_one": t("embed_site_count", lang, count=1),
        "none_match": t("filter_none_match", lang),
        "cluster_sites": t("cluster_sites_label", lang),
        "map_label": t("map_accessible_name_short", lang),
        "legend": t("legend_title", lang),
        "zoom_in": t("map_zoom_in", lang),
        "zoom_out": t("map_zoom_out", lang),
        "fullscreen_on": t("fullscreen_on", lang),
        "fullscreen_off": t("fullscreen_off", lang),
        "tiles_failed": t("tiles_unreachable", lang, host="{host}"),
        "data_failed": t("map_data_failed", lang),
        "open_profile": t("embed_open_profile", lang),
        "open_atlas": t("embed_open_full_atlas", lang),
        "attribution": t("embed_attribution", lang),
        "research_layer": t("research_layer", lang),
        "research_kinds": {kind: t(f"research_kind_{kind}", lang) for kind in RESEARCH_KINDS},
    }
    return {
        "lang": lang,
        "texts": texts,
        "programs": programs,
        "legend_html": legend_html(lang, programs=legend_programs, heading_level=3),
        "zone_styles": {
            zone_type: {"colour": style.colour, "dash": style.dash, "weight": style.weight}
            for zone_type, style in ZONE_STYLES.items()
        },
        "patterns": map_patterns_svg(),
        "styles": {"district": DISTRICT_STYLE, "state": STATE_STYLE},
    }
