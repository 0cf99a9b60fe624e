"""District, zone and site indicators, and the ONE table that defines them (`INDICATORS`).

Every number the regions, structural-change and data pages show is a column named after an
`IndicatorDefinition`: its German and English name, unit, source and year live in one data file,
geo/indicators/indicators.toml, and nowhere else, so the map legend, the tooltips, the tables, the downloads and the
data page all read the same text.

Where to add an indicator
-------------------------
Add an `[[indicator]]` block to geo/indicators/indicators.toml (its head says what a block holds), then compute the
column of that key: a district indicator in `district_table` below, a zone indicator in `zone_table`, a
site indicator in the build (geo/sites/surroundings.py writes the distances). The file is read once at import
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

import datetime as dt
import math
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import SupportsFloat, cast

import pandas as pd

from geo.core.formatting import format_number
from geo.core.npm_sources import DISTRICT_STATISTICS, RAIL_STATIONS
from geo.core.schema import AID_AREA_NOT_VERIFIED, AID_AREAS_WITH_CEILINGS, STATE_NAMES, programs
from geo.sites import facts as site_facts
from geo.sites.site_list import SOURCE_DATE
from geo.texts import t

NOT_VERIFIED = AID_AREA_NOT_VERIFIED
NO_ZONE = "none"
PER_INHABITANTS = 100_000
# the unit of plain counts: named in headings and legends, not repeated after every number
COUNT_UNIT = {"de": "Anzahl", "en": "count"}
# Districts belong to at most one coal region; these are the zones of zone_type coal_region/coal_aid_area.
COAL_REGION_ZONES = ("lausitz", "mitteldeutsch", "altenburg")
JTF_ZONE_PREFIX = "jtf_"
STATS_YEAR = "2018"
SITES_YEAR = SOURCE_DATE[:4]
DEFINITIONS_FILE = Path(__file__).with_name("indicators.toml")
# The {placeholders} geo/indicators/indicators.toml may use, filled in here and nowhere else.
PLACEHOLDERS: dict[str, str] = {
    "sites_date": SOURCE_DATE,
    "sites_year": SITES_YEAR,
    "stats_year": STATS_YEAR,
    "district_statistics_npm": f"{DISTRICT_STATISTICS.package} {DISTRICT_STATISTICS.version}",
    "district_statistics_url": DISTRICT_STATISTICS.homepage,
    "rail_stations_npm": f"{RAIL_STATIONS.package} {RAIL_STATIONS.version}",
    "rail_stations_url": RAIL_STATIONS.homepage,
}
KINDS = ("count", "measure", "ratio", "percent", "category")
SCOPES = ("district", "zone", "site")
CLASSES = ("quantile", "values", "counts", "categorical")
COMPARISONS = ("mean", "ratio", "known_mean")


@dataclass(frozen=True)
class Category:
    """One value of a categorical indicator, with its label in both languages."""

    code: str
    label_de: str
    label_en: str

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_de


@dataclass(frozen=True)
class IndicatorDefinition:
    """What one indicator means, where it comes from and how it is drawn.

    kind: "count" | "measure" | "ratio" | "percent" | "category".
    scope: "district" (a column of `district_table`; most also apply to zones), "zone" or "site".
    classes: how a choropleth classes it — "quantile", "values" (one class per value present, for
    the few discrete aid ceilings), "counts" (0, 1, 2, 3–4, 5+: few sites per district) or "categorical".
    comparison: how a state or the four states are summarised — "mean" (mean per district),
    "ratio" (sum of `numerator` / sum of `denominator` × `factor`) or "known_mean" (mean of known values).
    """

    key: str
    name_de: str
    name_en: str
    unit_de: str
    unit_en: str
    source_de: str
    source_en: str
    source_url: str
    year: str
    description_de: str
    description_en: str
    kind: str = "count"
    scope: str = "district"
    decimals: int = 0
    classes: str = "quantile"
    comparison: str = "mean"
    numerator: str = ""
    denominator: str = ""
    factor: float = 1.0
    categories: tuple[Category, ...] = ()
    mappable: bool = True

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_de

    def unit(self, lang: str) -> str:
        return self.unit_en if lang == "en" else self.unit_de

    def source(self, lang: str) -> str:
        return self.source_en if lang == "en" else self.source_de

    def description(self, lang: str) -> str:
        return self.description_en if lang == "en" else self.description_de

    def label(self, lang: str) -> str:
        """Name, unit and year for a legend, an axis or a column heading: "Einwohner (Anzahl, 2018)"."""
        details = ", ".join(part for part in (self.unit(lang), self.year) if part)
        return f"{self.name(lang)} ({details})" if details else self.name(lang)

    @property
    def categorical(self) -> bool:
        return self.kind == "category"

    def category(self, code: str) -> Category | None:
        return next((category for category in self.categories if category.code == code), None)


# --- reading geo/indicators/indicators.toml -------------------------------------------------------------------------


class IndicatorFileError(ValueError):
    """geo/indicators/indicators.toml holds a block that cannot become an indicator (the message names it)."""


# The texts every [[indicator]] block must give; the other fields of IndicatorDefinition have defaults.
REQUIRED_TEXTS = ("key", "name_de", "name_en", "unit_de", "unit_en", "year", "description_de", "description_en")
_BLOCK_FIELDS = {
    *REQUIRED_TEXTS,
    "sources",
    "kind",
    "scope",
    "decimals",
    "classes",
    "comparison",
    "numerator",
    "denominator",
    "factor",
    "categories",
    "mappable",
    "for_each",
}
_SOURCE_FIELDS = {"de", "en", "url"}
_CATEGORY_FIELDS = {"code", "de", "en"}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _program_placeholders() -> list[dict[str, str]]:
    return [
        {"program": program, "program_label_de": row["label_de"], "program_label_en": row["label_en"]}
        for program, row in programs().items()
    ]


# for_each = "<name>": the block stands for one indicator per entry, with that entry's placeholders
FOR_EACH = {"program": _program_placeholders}


def fill_placeholders(text: str, values: dict[str, str], where: str) -> str:
    """`text` with each {name} replaced by values[name]; an unknown name or a stray brace is an error."""

    def value_of(match: re.Match) -> str:
        if match.group(1) not in values:
            raise IndicatorFileError(f"{where}: unknown placeholder {match.group(0)} in {text!r}")
        return values[match.group(1)]

    rest = _PLACEHOLDER.sub("", text)
    if "{" in rest or "}" in rest:
        raise IndicatorFileError(f"{where}: a brace that is no {{placeholder}} in {text!r}")
    return _PLACEHOLDER.sub(value_of, text)


def _filled(value: object, values: dict[str, str], where: str) -> object:
    if isinstance(value, str):
        return fill_placeholders(value, values, where)
    if isinstance(value, list):
        return [_filled(item, values, where) for item in value]
    if isinstance(value, dict):
        return {name: _filled(item, values, where) for name, item in value.items()}
    return value


def _refuse_unknown_fields(table: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise IndicatorFileError(
            f"{where}: unknown field(s) {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})"
        )


def _choice(block: dict, field: str, allowed: tuple[str, ...], default: str, where: str) -> str:
    value = block.get(field, default)
    if value not in allowed:
        raise IndicatorFileError(f"{where}: {field} = {value!r} is none of {', '.join(allowed)}")
    return value


def _definition(block: dict, sources: dict[str, dict[str, str]], where: str) -> IndicatorDefinition:
    for field in REQUIRED_TEXTS:
        if not isinstance(block.get(field), str) or not block[field].strip():
            raise IndicatorFileError(f"{where}: {field} is missing or empty")
    names = block.get("sources")
    if not isinstance(names, list) or not names:
        raise IndicatorFileError(f"{where}: sources must name at least one [source.<name>]")
    unknown = [name for name in names if name not in sources]
    if unknown:
        raise IndicatorFileError(f"{where}: unknown source(s) {', '.join(unknown)}")
    chosen = [sources[name] for name in names]
    kind = _choice(block, "kind", KINDS, "count", where)
    comparison = _choice(block, "comparison", COMPARISONS, "mean", where)
    if comparison == "ratio" and not (block.get("numerator") and block.get("denominator")):
        raise IndicatorFileError(f'{where}: comparison = "ratio" needs a numerator and a denominator')
    categories = []
    for number, category in enumerate(block.get("categories", []), start=1):
        _refuse_unknown_fields(category, _CATEGORY_FIELDS, f"{where}, category {number}")
        if "code" not in category or not category.get("de", "").strip() or not category.get("en", "").strip():
            raise IndicatorFileError(f"{where}, category {number}: needs a code and labels de and en")
        categories.append(Category(category["code"], category["de"], category["en"]))
    if (kind == "category") != bool(categories):
        raise IndicatorFileError(f'{where}: kind = "category" and categories go together')
    return IndicatorDefinition(
        key=block["key"],
        name_de=block["name_de"],
        name_en=block["name_en"],
        unit_de=block["unit_de"],
        unit_en=block["unit_en"],
        source_de="; ".join(source["de"] for source in chosen),
        source_en="; ".join(source["en"] for source in chosen),
        source_url=next((source["url"] for source in chosen if source["url"]), ""),
        year=block["year"],
        description_de=block["description_de"],
        description_en=block["description_en"],
        kind=kind,
        scope=_choice(block, "scope", SCOPES, "district", where),
        decimals=block.get("decimals", 0),
        classes=_choice(block, "classes", CLASSES, "quantile", where),
        comparison=comparison,
        numerator=block.get("numerator", ""),
        denominator=block.get("denominator", ""),
        factor=block.get("factor", 1.0),
        categories=tuple(categories),
        mappable=block.get("mappable", True),
    )


def read_definitions(path: Path = DEFINITIONS_FILE) -> tuple[IndicatorDefinition, ...]:
    """The indicators of `path` (geo/indicators/indicators.toml) in file order, placeholders filled in, each
    `for_each` block expanded in place. Raises IndicatorFileError naming the first bad block."""
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    _refuse_unknown_fields(document, {"source", "indicator"}, path.name)
    sources: dict[str, dict[str, str]] = {}
    for name, source in document.get("source", {}).items():
        where = f"{path.name} [source.{name}]"
        _refuse_unknown_fields(source, _SOURCE_FIELDS, where)
        if not source.get("de", "").strip() or not source.get("en", "").strip() or "url" not in source:
            raise IndicatorFileError(f'{where}: needs de, en and url (url may be "")')
        sources[name] = cast(dict, _filled(source, PLACEHOLDERS, where))
    definitions = []
    for number, block in enumerate(document.get("indicator", []), start=1):
        where = f"{path.name} [[indicator]] {number} ({block.get('key', 'no key')})"
        _refuse_unknown_fields(block, _BLOCK_FIELDS, where)
        repeat = block.get("for_each")
        if repeat is not None and repeat not in FOR_EACH:
            raise IndicatorFileError(f"{where}: for_each = {repeat!r} is none of {', '.join(FOR_EACH)}")
        entries = FOR_EACH[repeat]() if repeat else [{}]
        fields = {name: value for name, value in block.items() if name != "for_each"}
        definitions += [
            _definition(cast(dict, _filled(fields, PLACEHOLDERS | entry, where)), sources, where) for entry in entries
        ]
    used = {name for block in document.get("indicator", []) for name in block.get("sources", [])}
    unused = sorted(set(sources) - used)
    if unused:
        raise IndicatorFileError(f"{path.name}: source(s) no indicator names: {', '.join(unused)}")
    keys = [definition.key for definition in definitions]
    duplicated = sorted({key for key in keys if keys.count(key) > 1})
    if duplicated:
        raise IndicatorFileError(f"{path.name}: key(s) defined twice: {', '.join(duplicated)}")
    return tuple(definitions)


INDICATORS: tuple[IndicatorDefinition, ...] = read_definitions()
DEFINITIONS: dict[str, IndicatorDefinition] = {definition.key: definition for definition in INDICATORS}
# the legal and EU sources' addresses, for pages that link them without an indicator at hand
AID_URL = DEFINITIONS["aid_area"].source_url
INVKG_URL = DEFINITIONS["coal_region"].source_url
JTF_URL = DEFINITIONS["jtf_area"].source_url
# The figures a district profile compares with its state and the four states (all numeric).
PROFILE_KEYS = ("population", "area_km2", "density", "sites_total", "sites_per_100k")
# The rows of the side-by-side comparison of up to four districts.
COMPARISON_KEYS = (
    "population",
    "area_km2",
    "density",
    "sites_total",
    "sites_per_100k",
    "coal_region",
    "jtf_area",
    "aid_area",
    "aid_max_large_pct",
    "aid_max_medium_pct",
    "aid_max_small_pct",
    "aid_confidence",
)
AID_CEILING_KEYS = ("aid_max_large_pct", "aid_max_medium_pct", "aid_max_small_pct")


def indicator(key: str) -> IndicatorDefinition:
    try:
        return DEFINITIONS[key]
    except KeyError:
        raise KeyError(f"unknown indicator {key!r}") from None


def map_indicators() -> list[IndicatorDefinition]:
    """The district indicators a choropleth can show, in menu order."""
    return [definition for definition in INDICATORS if definition.scope == "district" and definition.mappable]


def definitions_table(lang: str) -> pd.DataFrame:
    """All definitions as a table for the data page and downloads."""
    return pd.DataFrame(
        [
            {
                "key": d.key,
                "name": d.name(lang),
                "unit": d.unit(lang),
                "year": d.year,
                "scope": t(f"scope_{d.scope}", lang),
                "description": d.description(lang),
                "source": d.source(lang),
                "source_url": d.source_url,
            }
            for d in INDICATORS
        ]
    )


# --- district values --------------------------------------------------------------------------------


def district_table(districts: pd.DataFrame, sites: pd.DataFrame, zone_districts: pd.DataFrame) -> pd.DataFrame:
    """One row per district with every district indicator as a column (keys of `INDICATORS`).

    `districts` is the reference layer (geometry is dropped), `sites` the sites layer (needs
    `district_ags` and `program`), `zone_districts` the reference table of (zone_id, ags) pairs.
    Also carries `zones` (tuple of zone ids), `aid_note`, `aid_note_de`, `aid_source_url` for profiles.
    """
    table = pd.DataFrame(districts.drop(columns="geometry", errors="ignore")).copy()
    table = table.sort_values("ags", kind="stable").reset_index(drop=True)
    table["density"] = table["population"] / table["area_km2"]
    counts = pd.crosstab(sites["district_ags"], sites["program"]) if len(sites) else pd.DataFrame()
    for program in programs():
        column = counts[program] if program in counts.columns else pd.Series(dtype="int64")
        table[f"sites_{program}"] = table["ags"].map(column).fillna(0).astype("int64")
    table["sites_total"] = table["ags"].map(sites["district_ags"].value_counts()).fillna(0).astype("int64")
    table["sites_per_100k"] = table["sites_total"] / table["population"] * PER_INHABITANTS
    memberships = zone_districts.groupby("ags")["zone_id"].agg(lambda ids: tuple(sorted(ids)))
    table["zones"] = table["ags"].map(memberships).apply(lambda ids: ids if isinstance(ids, tuple) else ())
    table["coal_region"] = table["zones"].apply(
        lambda ids: next((zone for zone in COAL_REGION_ZONES if zone in ids), NO_ZONE)
    )
    table["jtf_area"] = table["zones"].apply(
        lambda ids: "in" if any(zone.startswith(JTF_ZONE_PREFIX) for zone in ids) else NO_ZONE
    )
    table["aid_confidence"] = table["aid_confidence"].fillna("")
    verified = table["aid_area"].ne(NOT_VERIFIED)
    for key in AID_CEILING_KEYS:
        # guard the contract: a district nobody verified never carries a ceiling, not even 0
        table[key] = table[key].where(verified & table["aid_area"].isin(AID_AREAS_WITH_CEILINGS))
    return table


def district_label(row: pd.Series | dict, lang: str, duplicated_names: Iterable[str] = ()) -> str:
    """The district's name, with its kind when another district has the same name (Leipzig)."""
    if row["name"] in set(duplicated_names):
        kind_key = "kind_city" if row["kind"] == "Kreisfreie Stadt" else "kind_rural_district"
        return f"{row['name']} ({t(kind_key, lang)})"
    return row["name"]


def district_labels(table: pd.DataFrame, lang: str) -> dict[str, str]:
    """AGS -> unambiguous display name."""
    duplicated = set(table.loc[table["name"].duplicated(keep=False), "name"])
    return {row["ags"]: district_label(row, lang, duplicated) for _, row in table.iterrows()}


def format_value(
    definition: IndicatorDefinition, value: object, lang: str, with_unit: bool = False, aid_area: str | None = None
) -> str:
    """A value as the page shows it: numbers in the language's format, categories by their label,
    an aid ceiling of a district not verified as "not verified" (never 0 or blank)."""
    if definition.categorical:
        category = definition.category("" if value is None else str(value))
        return category.label(lang) if category else str(value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        if definition.key in AID_CEILING_KEYS and aid_area is not None:
            # a D area has no EU ceiling; for a C part whose ceiling no source states it is not verified
            return t("aid_no_ceiling_d" if aid_area == "D" else "aid_not_verified", lang)
        return "–"
    text = format_number(float(cast(SupportsFloat, value)), lang, definition.decimals)
    unit = definition.unit(lang)
    if with_unit and unit and unit != COUNT_UNIT.get(lang):
        text = f"{text}\u00a0%" if unit.startswith("%") else f"{text}\u00a0{unit}"
    return text


# --- comparisons ------------------------------------------------------------------------------------


def summary_value(definition: IndicatorDefinition, rows: pd.DataFrame) -> float:
    """The value that stands for a group of districts (a state, the four states, a zone's average)."""
    if definition.comparison == "ratio":
        denominator = rows[definition.denominator].sum()
        return float(rows[definition.numerator].sum() / denominator * definition.factor) if denominator else math.nan
    values = rows[definition.key].dropna()
    return float(values.mean()) if len(values) else math.nan


def profile_comparison(table: pd.DataFrame, ags: str, keys: Iterable[str] = PROFILE_KEYS) -> pd.DataFrame:
    """One row per indicator: the district's value, its state's and the four states' (see `summary_value`)."""
    row = table.loc[table["ags"] == ags]
    if row.empty:
        raise KeyError(f"unknown district {ags!r}")
    state_rows = table.loc[table["state_code"] == row.iloc[0]["state_code"]]
    records = []
    for key in keys:
        definition = indicator(key)
        records.append(
            {
                "key": key,
                "district": float(row.iloc[0][key]),
                "state": summary_value(definition, state_rows),
                "four_states": summary_value(definition, table),
                "comparison": definition.comparison,
            }
        )
    return pd.DataFrame(records)


def ranking(table: pd.DataFrame, key: str, lang: str) -> pd.DataFrame:
    """Districts ordered by an indicator, highest first (categories: in menu order, then by name).

    Columns: rank, ags, district, state, value (raw) and value_text (formatted); districts without a
    value (not verified) come last without a rank.
    """
    definition = indicator(key)
    labels = district_labels(table, lang)
    frame = pd.DataFrame(
        {
            "ags": table["ags"],
            "district": table["ags"].map(labels),
            "state": table["state_code"].map(lambda code: STATE_NAMES[code][lang]),
            "value": table[key],
            "aid_area": table["aid_area"],
        }
    )
    if definition.categorical:
        order = {category.code: position for position, category in enumerate(definition.categories)}
        frame = frame.assign(_order=frame["value"].map(order)).sort_values(["_order", "district"], kind="stable")
        frame = frame.drop(columns="_order")
        frame["rank"] = pd.array([pd.NA] * len(frame), dtype="Int64")
    else:
        frame = frame.sort_values(["value", "district"], ascending=[False, True], na_position="last", kind="stable")
        ranks = frame["value"].rank(method="min", ascending=False)
        frame["rank"] = ranks.astype("Int64")
    frame["value_text"] = [
        format_value(definition, value, lang, aid_area=aid_area)
        for value, aid_area in zip(frame["value"], frame["aid_area"], strict=True)
    ]
    return frame[["rank", "ags", "district", "state", "value", "value_text"]].reset_index(drop=True)


def comparison_table(
    table: pd.DataFrame, ags_list: Iterable[str], lang: str, keys: Iterable[str] = COMPARISON_KEYS
) -> pd.DataFrame:
    """Indicators as rows, the chosen districts as columns (formatted text, with units in the row label)."""
    labels = district_labels(table, lang)
    by_ags = table.set_index("ags")
    columns = {}
    for ags in ags_list:
        row = by_ags.loc[ags]
        columns[labels[ags]] = [format_value(indicator(key), row[key], lang, aid_area=row["aid_area"]) for key in keys]
    return pd.DataFrame(columns, index=[indicator(key).label(lang) for key in keys])


def sites_in_districts(sites: pd.DataFrame, ags_list: Iterable[str]) -> pd.DataFrame:
    """The sites whose `district_ags` is one of `ags_list`, by name."""
    return sites.loc[sites["district_ags"].isin(list(ags_list))].sort_values("name", kind="stable")


# --- zones ------------------------------------------------------------------------------------------


def zone_members(zone_districts: pd.DataFrame, zone_id: str) -> list[str]:
    return sorted(zone_districts.loc[zone_districts["zone_id"] == zone_id, "ags"])


def zone_name(zone: pd.Series | dict, lang: str) -> str:
    return zone["name_en"] if lang == "en" and zone.get("name_en") else zone["name"]


def _group_figures(rows: pd.DataFrame, totals: dict[str, float]) -> dict[str, float]:
    population = float(rows["population"].sum())
    area = float(rows["area_km2"].sum())
    sites_total = int(rows["sites_total"].sum())
    return {
        "district_count": len(rows),
        "population": population,
        "area_km2": area,
        "density": population / area if area else math.nan,
        "sites_total": sites_total,
        "sites_per_100k": sites_total / population * PER_INHABITANTS if population else math.nan,
        "population_share": population / totals["population"] * 100 if totals["population"] else math.nan,
        "site_share": sites_total / totals["sites_total"] * 100 if totals["sites_total"] else math.nan,
    }


def zone_table(table: pd.DataFrame, zones: pd.DataFrame, zone_districts: pd.DataFrame) -> pd.DataFrame:
    """One row per zone with population, area, density, sites, sites per 100,000 and the zone's share of
    the four states' population and sites; plus a last row `zone_id == "all"` for the union of all zones
    (a district in two zones counts once)."""
    totals = {"population": float(table["population"].sum()), "sites_total": float(table["sites_total"].sum())}
    records = []
    for _, zone in zones.sort_values("zone_id").iterrows():
        rows = table.loc[table["ags"].isin(zone_members(zone_districts, zone["zone_id"]))]
        records.append(
            {
                "zone_id": zone["zone_id"],
                "name": zone["name"],
                "name_en": zone["name_en"],
                "zone_type": zone["zone_type"],
                "legal_basis": zone["legal_basis"],
                "source_url": zone["source_url"],
                **_group_figures(rows, totals),
            }
        )
    union = table.loc[table["ags"].isin(list(zone_districts["ags"].unique()))]
    records.append(
        {
            "zone_id": "all",
            "name": t("all_zones", "de"),
            "name_en": t("all_zones", "en"),
            "zone_type": "",
            "legal_basis": "",
            "source_url": "",
            **_group_figures(union, totals),
        }
    )
    return pd.DataFrame(records)


def zone_facts_for(zone_facts: pd.DataFrame, zone_id: str) -> pd.DataFrame:
    """The funding facts of one zone (reference table zone_facts), in file order."""
    return zone_facts.loc[zone_facts["zone_id"].fillna("") == zone_id].reset_index(drop=True)


def general_facts(zone_facts: pd.DataFrame) -> pd.DataFrame:
    """Facts that belong to no single zone (InvKG totals, state shares, JTF totals)."""
    return zone_facts_for(zone_facts, "")


def statistics_are_old(district: pd.Series, today: dt.date) -> bool:
    """True when a district's population and area (Destatis, 31 December of `stats_year`) are more than
    12 months old: they carry the age mark every figure of the atlas gets then."""
    return site_facts.is_older_than(f"{district.get('stats_year')}-12-31", today)


def aid_note(district: pd.Series, lang: str) -> str:
    """The data collection's note on a district's regional aid, in `lang` ("" when there is none)."""
    return str(district.get("aid_note_de" if lang == "de" else "aid_note") or "")


def format_fact_value(value: str, unit: str, lang: str) -> str:
    """A zone fact's value as text: the decimals its source gave, the unit in the page's language."""
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        return f"{text} {unit}".strip()
    decimals = len(text.split(".")[1]) if "." in text else 0
    unit_key = {"Mio. EUR": "unit_million_eur", "%": "unit_percent"}.get(unit)
    if unit_key == "unit_million_eur" and abs(number) >= 1000:  # "14 Mrd. EUR", not "14.000 Mio. EUR"
        number, unit_key = number / 1000, "unit_billion_eur"
        decimals = next(places for places in range(decimals + 4) if abs(round(number, places) - number) < 1e-9)
    unit_text = t(unit_key, lang) if unit_key else unit
    separator = "\u00a0" if unit_text else ""
    return f"{format_number(number, lang, decimals)}{separator}{unit_text}"


def theme_counts(sites: pd.DataFrame, separator: str = ";") -> pd.Series:
    """Number of sites per theme id (a site with several themes counts for each)."""
    themes = sites["themes"].fillna("").str.split(separator).explode().str.strip()
    return themes[themes != ""].value_counts()


# --- downloads --------------------------------------------------------------------------------------


def ranking_download(table: pd.DataFrame, key: str, lang: str) -> pd.DataFrame:
    """The ranking as a download: raw numbers, headings with unit and year from the definition, the
    category label (or "not verified") where a number would mislead."""
    definition = indicator(key)
    ranked = ranking(table, key, lang)
    value_column = (
        ranked["value_text"]
        if definition.categorical
        else ranked["value"].where(ranked["value"].notna(), ranked["value_text"])
    )
    if not definition.categorical:
        value_column = [
            round(value, definition.decimals) if isinstance(value, float) else value for value in value_column
        ]
    return pd.DataFrame(
        {
            t("column_rank", lang): ranked["rank"],
            t("column_ags", lang): ranked["ags"],
            t("column_district", lang): ranked["district"],
            t("column_state", lang): ranked["state"],
            definition.label(lang): value_column,
            t("column_source", lang): definition.source(lang),
        }
    )
