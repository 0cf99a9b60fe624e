"""Data contracts (docs/ARCHITECTURE.md): columns and vocabularies shared by the build, the importer and the app."""

from __future__ import annotations

import csv
from functools import lru_cache

from geo.core.formatting import format_list
from geo.core.paths import SOURCES_DIR

# Files store EPSG:4326; metric work (distances, areas, simplification) happens in EPSG:3035.
STORAGE_CRS = "EPSG:4326"
METRIC_CRS = "EPSG:3035"  # equal-area Europe: distances and spreading in metres
# Stored coordinates are rounded to 6 decimals (about 0.1 m): more is noise, less moves markers.
STORED_DECIMALS = 6
# Points closer than this (degrees, about 5 cm) count as the same location: a round trip through a
# projected CRS must not show up as a change.
SAME_LOCATION_DEGREES = 5e-7
# South-west and north-east corner (lat, lon) of Brandenburg, Sachsen, Sachsen-Anhalt and Thüringen.
FOUR_STATES_BOUNDS = ((50.17, 9.87), (53.56, 15.05))
STATE_CODES = {"12": "BB", "14": "SN", "15": "ST", "16": "TH"}
STATE_NAMES = {
    "BB": {"de": "Brandenburg", "en": "Brandenburg"},
    "SN": {"de": "Sachsen", "en": "Saxony"},
    "ST": {"de": "Sachsen-Anhalt", "en": "Saxony-Anhalt"},
    "TH": {"de": "Thüringen", "en": "Thuringia"},
}


def four_states_label(lang: str) -> str:
    """„Brandenburg, Sachsen, Sachsen-Anhalt und Thüringen“ / "Brandenburg, Saxony, Saxony-Anhalt and Thuringia"."""
    return format_list([names[lang if lang in names else "en"] for names in STATE_NAMES.values()], lang)


# The columns of layer `sites` (SITE_COLUMNS) are declared field by field in geo/core/fields.py.
# Surroundings computed at build time; stored with the sites, straight-line distances.
SITE_SURROUNDING_COLUMNS = [
    "airport_name",
    "airport_iata",
    "airport_km",
    "station_name",
    "station_km",
    "city_name",
    "city_km",
    # the labour pool (geo/sites/labour_pool.py): inhabitants within 30/45/60 km, an estimate, and the
    # district shares behind it (text), from which pages weigh other district figures
    "pool_30_km",
    "pool_45_km",
    "pool_60_km",
    "pool_shares",
]
# How exactly a site's point is known, best first: the building or address a public page locates
# (`address`), a position a public page gives for the site or park as a whole (`site`), the centre of the
# village or town district the site lies in (`locality`), or only the municipality (`municipality`: the
# build places the site inside its municipality). The first three come with sourced coordinates.
PRECISIONS = ("address", "site", "locality", "municipality")
COORDINATE_PRECISIONS = ("address", "site", "locality")
# Whether a place operates today (data/sources/sites_reference.md, "Inclusion rule"): `active` (operates as
# described; an industrial site: land marketed today), `ended` (its programme or use has ended),
# `planned` (announced or funded, not operating yet), `vacant` (an empty building awaiting a use). Only
# `active` places are in the atlas; the others are kept with their reason in sites_left_out.csv.
SITE_STATUSES = ("active", "ended", "planned", "vacant")
INCLUDED_STATUSES = ("active",)
# Area types of the regional aid map per district: a C area, a district split into C and D areas
# (`partly C`: the ceilings, where known, are those of its C part), a D area (no aid for large firms, no
# EU ceiling recorded), or `not verified` when no public source settles it (never a rate then).
AID_AREA_PARTLY_C = "partly C"
AID_AREA_NOT_VERIFIED = "not verified"
AID_AREAS = ("C", AID_AREA_PARTLY_C, "D", AID_AREA_NOT_VERIFIED)
AID_AREAS_WITH_CEILINGS = ("C", AID_AREA_PARTLY_C)
THEME_SEPARATOR = ";"


def _read_vocabulary(file_name: str, key: str) -> dict[str, dict[str, str]]:
    with open(SOURCES_DIR / file_name, encoding="utf-8", newline="") as handle:
        return {row[key]: row for row in csv.DictReader(handle)}


@lru_cache(maxsize=1)
def programs() -> dict[str, dict[str, str]]:
    """Program vocabulary (data/sources/programs.csv), keyed by program id."""
    return _read_vocabulary("programs.csv", "program")


@lru_cache(maxsize=1)
def themes() -> dict[str, dict[str, str]]:
    """Theme vocabulary (data/sources/themes.csv), keyed by theme id."""
    return _read_vocabulary("themes.csv", "theme")
