"""The investor sections of a site's profile: the district's labour market, the labour pool within
reach, and the universities and research institutes within 30 km – each figure with its source and date,
"no source" where none was found, and the estimate said to be one.

Each function returns a `ProfileSection` (heading, facts, notes) that `geo.expose.profile.profile_html`
draws like its other sections; the exposé and the comparison page read the same sections.
"""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd

from geo import indicators
from geo.core.district_figures import figure_detail
from geo.core.formatting import format_number
from geo.expose.profile import Fact, ProfileSection
from geo.sites.labour_pool import POOL_RADII_KM, decode_shares, pool_column, pool_sizes
from geo.sites.provenance import figure_age
from geo.sites.research import NEARBY_KM, institutions_near
from geo.texts import pick, t

WORKFORCE_KEYS = (
    "employees_workplace",
    "employees_residence",
    "commuter_balance",
    "unemployment_rate",
    "median_wage",
    "disposable_income_per_capita",
    "population_2024",
)
RESIDENCE_KEY = "employees_residence"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _figure_fact(figures: pd.DataFrame, ags: str, key: str, lang: str) -> Fact:
    definition = indicators.indicator(key)
    if key == "commuter_balance":
        return _balance_fact(figures, ags, lang)
    detail = figure_detail(figures, ags, key)
    if detail is None:
        return Fact(definition.name(lang), t("no_source", lang))
    value = indicators.format_value(definition, detail["value"], lang, with_unit=True)
    return Fact(
        definition.name(lang),
        value,
        source_url=str(detail["source_url"]),
        source_note=str(detail.get("table_code") or ""),
        age=figure_age(detail["as_of"]),  # the date beside the figure and its stale mark: the one rule
    )


def _balance_fact(figures: pd.DataFrame, ags: str, lang: str) -> Fact:
    definition = indicators.indicator("commuter_balance")
    work, home = (figure_detail(figures, ags, key) for key in ("employees_workplace", RESIDENCE_KEY))
    if work is None or home is None or work["as_of"] != home["as_of"]:
        return Fact(definition.name(lang), t("no_source", lang))
    balance = float(work["value"]) - float(home["value"])
    value = indicators.format_value(definition, balance, lang, with_unit=True)
    if balance > 0:
        value = f"+{value}"
    return Fact(definition.name(lang), value, source_url=str(home["source_url"]), age=figure_age(work["as_of"]))


def workforce_section(ags: str, figures: pd.DataFrame, district_name: str, lang: str) -> ProfileSection:
    facts = tuple(_figure_fact(figures, ags, key, lang) for key in WORKFORCE_KEYS)
    return ProfileSection(t("workforce_heading", lang) + f": {district_name}", facts, (t("workforce_intro", lang),))


def employed_within(site: pd.Series, figures: pd.DataFrame) -> tuple[dict[int, float | None], list[str]]:
    """Employees at their place of residence within each radius (same shares as the pool), and the
    districts touched that have no such figure (then that radius has no value)."""
    shares = decode_shares(site.get("pool_shares", ""))
    rows = figures.loc[figures["indicator"] == RESIDENCE_KEY]
    employed = dict(zip(rows["ags"], rows["value"].astype(float), strict=True))
    sizes: dict[int, float | None] = pool_sizes([shares], employed)[0] if shares else dict.fromkeys(POOL_RADII_KM)
    touched = sorted({ags for parts in shares.values() for ags in parts})
    return sizes, [ags for ags in touched if ags not in employed]


def pool_section(site: pd.Series, figures: pd.DataFrame, district_names: dict[str, str], lang: str) -> ProfileSection:
    facts = []
    for radius in POOL_RADII_KM:
        value = site.get(pool_column(radius))
        text = (
            t("no_source", lang) if _missing(value) else f"{format_number(float(value), lang)} {t('pool_people', lang)}"
        )
        facts.append(Fact(t("pool_column_short", lang, km=radius), text))
    employed, missing = employed_within(site, figures)
    notes = [t("pool_caveat", lang)]
    if missing:
        names = ", ".join(district_names.get(ags, ags) for ags in missing[:6]) + (" …" if len(missing) > 6 else "")
        notes.append(t("pool_employed_missing", lang, districts=names))
    else:
        for radius in POOL_RADII_KM:
            count = employed.get(radius)
            if count is not None:
                facts.append(
                    Fact(
                        f"{t('pool_employed', lang)}, {t('pool_radius', lang, km=radius)}",
                        format_number(round(count / 100) * 100, lang),
                    )
                )
    return ProfileSection(t("pool_heading", lang), tuple(facts), tuple(notes))


def kind_label(kind: str, lang: str) -> str:
    return t(f"research_kind_{kind}", lang)


def research_section(site: pd.Series, institutions: gpd.GeoDataFrame, lang: str) -> ProfileSection:
    near = institutions_near(site.get("geometry"), institutions, NEARBY_KM)
    heading = t("research_heading", lang, km=NEARBY_KM)
    if near.empty:
        return ProfileSection(heading, (), (t("research_none", lang, km=NEARBY_KM), t("research_caveat", lang)))
    facts = tuple(
        Fact(
            row["name"],
            f"{kind_label(row['kind'], lang)} · {pick(lang, row['fields_de'], row['fields_en'])}"
            f" · {format_number(float(row['distance_km']), lang, 1)} km",
            source_url=str(row["source_url"]),
        )
        for _, row in near.iterrows()
    )
    return ProfileSection(heading, facts, (t("research_caveat", lang),))


def sections_for(
    site: pd.Series, figures: pd.DataFrame, institutions: gpd.GeoDataFrame, tables, lang: str
) -> tuple[ProfileSection, ...]:
    """All three sections of a site, in profile order (`tables`: geo.expose.profile.ProfileTables)."""
    names = tables.district_names(lang)
    ags = str(site.get("district_ags"))
    return (
        workforce_section(ags, figures, names.get(ags, ags), lang),
        pool_section(site, figures, names, lang),
        research_section(site, institutions, lang),
    )


def compact_section(section: ProfileSection, lang: str) -> tuple[Fact, ...]:
    """A section's facts for a printed page: the research list as one line of names (with the count)."""
    if not section.facts or section.heading != t("research_heading", lang, km=NEARBY_KM):
        return section.facts
    names = ", ".join(fact.label for fact in section.facts)
    return (Fact(t("research_count_column", lang), f"{len(section.facts)}: {names}"),)


# the comparison's groups, in the order of `sections_for`
COMPARISON_GROUPS = ("workforce_heading", "pool_heading", "research_count_column")


def comparison_facts(
    sections_of_each: list[tuple[ProfileSection, ...]], lang: str
) -> list[tuple[str, list[tuple[Fact, ...]]]]:
    """(group text key, facts of each site) for the comparison: the labour market and pool rows as in the
    profile (same labels for every site), the research section as one row of names."""
    groups: list[tuple[str, list[tuple[Fact, ...]]]] = []
    for index, group_key in enumerate(COMPARISON_GROUPS):
        facts_of_each: list[tuple[Fact, ...]] = []
        for sections in sections_of_each:
            section = sections[index]
            if group_key == "research_count_column":
                names = ", ".join(fact.label for fact in section.facts[:8]) + (" …" if len(section.facts) > 8 else "")
                text = f"{len(section.facts)}: {names}" if section.facts else "0"
                facts_of_each.append((Fact(t("research_heading", lang, km=NEARBY_KM), text),))
            elif group_key == "pool_heading":
                caveat = Fact(t("comparison_row_method", lang), t("pool_short_caveat", lang))
                facts_of_each.append((*section.facts, caveat))
            else:  # the figure with its date, linked to its source
                facts_of_each.append(
                    tuple(
                        Fact(
                            fact.label,
                            fact.value,
                            source_url=fact.source_url,
                            source_note=fact.source_note,
                            age=fact.age,
                        )
                        for fact in section.facts
                    )
                )
        groups.append((group_key, facts_of_each))
    return groups


def with_pool_columns(table: pd.DataFrame, sites: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The sites table (one row per site, in the order of `sites`) with the labour pool within 30/45/60 km
    (an estimate; numbers stay numbers so the columns sort)."""
    for radius in POOL_RADII_KM:
        if pool_column(radius) in sites.columns:
            values = pd.to_numeric(sites[pool_column(radius)], errors="coerce").astype("Float64").to_numpy()
            table[t("pool_column", lang, km=radius)] = values
    return table
