"""The district, zone and site tables of the indicators: one column per indicator key (its definition in
geo.indicators.definitions), comparisons with the state and the four states, rankings, zones, the
site counts per theme and the downloads of a ranking (the programs' completeness: geo.indicators.completeness).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from geo.core.formatting import format_number
from geo.core.schema import AID_AREAS_WITH_CEILINGS, STATE_NAMES, programs
from geo.indicators.definitions import (
    AID_CEILING_KEYS,
    COAL_REGION_ZONES,
    COMPARISON_KEYS,
    INDICATORS,
    JTF_ZONE_PREFIX,
    NO_ZONE,
    NOT_VERIFIED,
    PER_INHABITANTS,
    PROFILE_KEYS,
    IndicatorDefinition,
    format_value,
    indicator,
)
from geo.texts import pick, t


def district_table(
    districts: pd.DataFrame, sites: pd.DataFrame, zone_districts: pd.DataFrame, figures: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per district with every district indicator as a column (keys of `INDICATORS`).

    `districts` is the reference layer (geometry is dropped), `sites` the sites layer (needs
    `district_ags` and `program`), `zone_districts` the reference table of (zone_id, ags) pairs,
    `figures` the district figures (geo/core/district_figures.py; NaN where a district has none).
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
    _add_figures(table, figures)
    return table


def _add_figures(table: pd.DataFrame, figures: pd.DataFrame | None) -> None:
    """The figure columns (NaN without a source) and the commuter balance where both figures share a date."""
    from geo.core.district_figures import empty_figures, figures_wide

    figures = empty_figures() if figures is None else figures
    keys = [definition.key for definition in INDICATORS if definition.from_figures]
    wide = figures_wide(figures, keys)
    for key in keys:
        table[key] = table["ags"].map(wide[key]).astype("float64") if key in wide else float("nan")
    dates = figures.pivot(index="ags", columns="indicator", values="as_of") if len(figures) else pd.DataFrame()
    same_date = pd.Series(False, index=table.index)
    if {"employees_workplace", "employees_residence"} <= set(dates.columns):
        work, home = (table["ags"].map(dates[key]) for key in ("employees_workplace", "employees_residence"))
        same_date = work.notna() & (work == home)
    balance = table["employees_workplace"] - table["employees_residence"]
    table["commuter_balance"] = balance.where(same_date)


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


def zone_members(zone_districts: pd.DataFrame, zone_id: str) -> list[str]:
    return sorted(zone_districts.loc[zone_districts["zone_id"] == zone_id, "ags"])


def zone_name(zone: pd.Series | dict, lang: str) -> str:
    return pick(lang, zone["name"], zone.get("name_en") or zone["name"])


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


def aid_note(district: pd.Series, lang: str) -> str:
    """The data collection's note on a district's regional aid, in `lang` ("" when there is none)."""
    return str(district.get(pick(lang, "aid_note_de", "aid_note")) or "")


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
