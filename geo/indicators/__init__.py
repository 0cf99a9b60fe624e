"""District, zone and site indicators, and the ONE table that defines them (`INDICATORS`).

Every number the regions, structural-change and data pages show is a column named after an
`IndicatorDefinition`: its German and English name, unit, source and year live in one data file,
geo/indicators/indicators.toml, and nowhere else, so the map legend, the tooltips, the tables, the downloads and the
data page all read the same text.

Where to add an indicator
-------------------------
Add an `[[indicator]]` block to geo/indicators/indicators.toml (its head says what a block holds), then
compute the column of that key: a district indicator in `district_table` (geo/indicators/tables.py), a zone
indicator in `zone_table`, a site indicator in the build (geo/sites/surroundings.py writes the distances).
The file is read once at import
(`read_definitions`); a missing text, an unknown field or an unknown source stops the import with the
block's key. Figures that live in code (the pinned npm package of a statistic, the site list's date) are
written as `{placeholders}` in the file and filled in from `PLACEHOLDERS`.

How the values are made
-----------------------
* Population and area are Destatis' figures for 31.12.2018 (boundaries as of 1 July 2021: Eisenach is
  part of the Wartburgkreis); density is population / area, computed here unrounded.
* Site counts join the sites' `district_ags` (found by point-in-polygon at build time) to the districts.
* Zone membership comes from the reference table `zone_districts` (InvKG § 2 and § 11, JTF plans).
* Regional aid: area type and EU ceilings per district from data/sources/regional_aid_reference.csv.
  A district no public source covers is "not verified": its ceilings stay empty (NaN), and every
  consumer shows it as its own class, never as zero.
* A state or four-state comparison value is the mean per district for counts and areas, the ratio of
  the sums for densities and rates per inhabitant, and the mean of the known values for aid ceilings
  (`IndicatorDefinition.comparison`).
"""

from __future__ import annotations

from geo.indicators.definitions import (
    AID_CEILING_KEYS,
    AID_URL,
    CLASSES,
    COAL_REGION_ZONES,
    COMPARISON_KEYS,
    COMPARISONS,
    DEFINITIONS,
    DEFINITIONS_FILE,
    FOR_EACH,
    INDICATORS,
    INVKG_URL,
    JTF_URL,
    JTF_ZONE_PREFIX,
    KINDS,
    NO_ZONE,
    NOT_VERIFIED,
    PER_INHABITANTS,
    PLACEHOLDERS,
    PROFILE_KEYS,
    REQUIRED_TEXTS,
    SCOPES,
    SITES_YEAR,
    STATS_YEAR,
    Category,
    IndicatorDefinition,
    IndicatorFileError,
    definitions_table,
    figure_age_of,
    figure_indicators,
    fill_placeholders,
    format_value,
    indicator,
    map_indicators,
    read_definitions,
)
from geo.indicators.tables import (
    aid_note,
    comparison_table,
    district_label,
    district_labels,
    district_table,
    format_fact_value,
    general_facts,
    profile_comparison,
    ranking,
    ranking_download,
    sites_in_districts,
    summary_value,
    theme_counts,
    zone_facts_for,
    zone_members,
    zone_name,
    zone_table,
)

# the public names of the two modules, so callers need only `from geo import indicators`
__all__ = [
    "AID_CEILING_KEYS",
    "AID_URL",
    "CLASSES",
    "COAL_REGION_ZONES",
    "COMPARISONS",
    "COMPARISON_KEYS",
    "Category",
    "DEFINITIONS",
    "DEFINITIONS_FILE",
    "FOR_EACH",
    "INDICATORS",
    "INVKG_URL",
    "IndicatorDefinition",
    "IndicatorFileError",
    "JTF_URL",
    "JTF_ZONE_PREFIX",
    "KINDS",
    "NOT_VERIFIED",
    "NO_ZONE",
    "PER_INHABITANTS",
    "PLACEHOLDERS",
    "PROFILE_KEYS",
    "REQUIRED_TEXTS",
    "SCOPES",
    "SITES_YEAR",
    "STATS_YEAR",
    "comparison_table",
    "definitions_table",
    "district_label",
    "district_labels",
    "district_table",
    "figure_age_of",
    "figure_indicators",
    "fill_placeholders",
    "format_fact_value",
    "format_value",
    "general_facts",
    "indicator",
    "map_indicators",
    "profile_comparison",
    "ranking",
    "ranking_download",
    "read_definitions",
    "sites_in_districts",
    "summary_value",
    "theme_counts",
    "zone_facts_for",
    "zone_members",
    "zone_name",
    "zone_table",
    "aid_note",
]
