"""The indicator definitions: geo/indicators/indicators.toml read once at import into `INDICATORS` (name,
unit, source, year, kind, classes, comparison of each key, in German and English), and how a value of a
definition is written (`format_value`). The package geo.indicators explains what an indicator is."""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import SupportsFloat, cast

import pandas as pd

from geo.core.formatting import format_number
from geo.core.npm_sources import DISTRICT_STATISTICS, RAIL_STATIONS
from geo.core.schema import AID_AREA_NOT_VERIFIED, programs
from geo.sites.provenance import FigureAge, figure_age, format_as_of, parse_as_of
from geo.sites.site_list import last_checked
from geo.texts import pick, t

NOT_VERIFIED = AID_AREA_NOT_VERIFIED
NO_ZONE = "none"
PER_INHABITANTS = 100_000
# the unit of plain counts: named in headings and legends, not repeated after every number
# Districts belong to at most one coal region; these are the zones of zone_type coal_region/coal_aid_area.
COAL_REGION_ZONES = ("lausitz", "mitteldeutsch", "altenburg")
JTF_ZONE_PREFIX = "jtf_"
STATS_YEAR = "2018"
STATS_AS_OF = "2018-12-31"  # the date of the district statistics (Destatis, 31.12.2018)
SITES_AS_OF = last_checked()
SITES_YEAR = SITES_AS_OF[:4]
DEFINITIONS_FILE = Path(__file__).with_name("indicators.toml")
# The {placeholders} geo/indicators/indicators.toml may use, filled in here and nowhere else.
PLACEHOLDERS: dict[str, str] = {
    # the list's date in each language's own form, through the one date rule
    "sites_date_de": format_as_of(SITES_AS_OF, "de"),
    "sites_date_en": format_as_of(SITES_AS_OF, "en"),
    "sites_year": SITES_YEAR,
    "stats_year": STATS_YEAR,
    "stats_as_of": STATS_AS_OF,
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
        return pick(lang, self.label_de, self.label_en)


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
    # the date of the figures when one date holds for every district (YYYY-MM-DD, YYYY-MM or YYYY): the
    # views show it beside the figure and mark it when old (geo.sites.provenance)
    as_of: str = ""
    # values from the table district_figures (each with its own source and date), not from a layer column
    from_figures: bool = False
    table_code: str = ""
    genesis: tuple[str, ...] = ()  # value variables of a GENESIS flat CSV that feed it (codes or labels)

    def name(self, lang: str) -> str:
        return pick(lang, self.name_de, self.name_en)

    def unit(self, lang: str) -> str:
        return pick(lang, self.unit_de, self.unit_en)

    def source(self, lang: str) -> str:
        return pick(lang, self.source_de, self.source_en)

    def description(self, lang: str) -> str:
        return pick(lang, self.description_de, self.description_en)

    def year_text(self, lang: str) -> str:
        """The year or reference date in the page's language: "2018"; "2023-06-30" -> 30.06.2023 / 30 Jun 2023
        (the one date rule; "–" where no source is imported yet)."""
        return format_as_of(self.year, lang)

    def label(self, lang: str) -> str:
        """Name, unit and year for a legend, an axis or a column heading: "Einwohner (Anzahl, 2018)"."""
        details = ", ".join(part for part in (self.unit(lang), self.year_text(lang)) if part)
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
    "as_of",
    "for_each",
    "from_figures",
    "table_code",
    "genesis",
}
_SOURCE_FIELDS = {"de", "en", "url"}
_CATEGORY_FIELDS = {"code", "de", "en"}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _program_placeholders() -> list[dict[str, str]]:
    return [
        {"program": program, "program_label_de": row["label_de"], "program_label_en": row["label_en"]}
        for program, row in programs().items()
    ]


def _pool_placeholders() -> list[dict[str, str]]:
    from geo.sites.labour_pool import POOL_RADII_KM

    return [{"radius": str(radius)} for radius in POOL_RADII_KM]


# for_each = "<name>": the block stands for one indicator per entry, with that entry's placeholders
FOR_EACH = {"program": _program_placeholders, "pool_radius": _pool_placeholders}


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
    as_of = block.get("as_of", "")
    if as_of and parse_as_of(as_of) is None:
        raise IndicatorFileError(f"{where}: as_of = {as_of!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
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
        as_of=as_of,
        from_figures=bool(block.get("from_figures", False)),
        table_code=block.get("table_code", ""),
        genesis=tuple(block.get("genesis", ())),
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
    "employees_workplace",
    "commuter_balance",
    "unemployment_rate",
    "median_wage",
    "disposable_income_per_capita",
    "coal_region",
    "jtf_area",
    "aid_area",
    "aid_max_large_pct",
    "aid_max_medium_pct",
    "aid_max_small_pct",
    "aid_confidence",
)
AID_CEILING_KEYS = ("aid_max_large_pct", "aid_max_medium_pct", "aid_max_small_pct")


def figure_age_of(key: str, today: dt.date | None = None) -> FigureAge | None:
    """The age of an indicator's figures when one date holds for every district (`as_of`), else None."""
    definition = indicator(key)
    return figure_age(definition.as_of, today) if definition.as_of else None


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
                "year": d.year_text(lang),
                "scope": t(f"scope_{d.scope}", lang),
                "description": d.description(lang),
                "source": d.source(lang),
                "source_url": d.source_url,
            }
            for d in INDICATORS
        ]
    )


# --- district values --------------------------------------------------------------------------------


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
        return t("no_source", lang) if definition.from_figures else "–"
    text = format_number(float(cast(SupportsFloat, value)), lang, definition.decimals)
    unit = definition.unit(lang)
    if with_unit and unit and unit != t("unit_count", lang):
        text = f"{text}\u00a0%" if unit.startswith("%") else f"{text}\u00a0{unit}"
    return text


# --- comparisons ------------------------------------------------------------------------------------


# --- zones ------------------------------------------------------------------------------------------


# --- program completeness ----------------------------------------------------------------------------


# --- downloads --------------------------------------------------------------------------------------


def figure_indicators() -> list[IndicatorDefinition]:
    """The indicators whose values come from district figures and can be imported (not the derived ones):
    the choices of the figures import."""
    from geo.core.district_figures import DERIVED_FIGURES

    return [d for d in INDICATORS if d.from_figures and d.key not in DERIVED_FIGURES]
