"""The sites page's table: one row per site with readable labels in one language, and the plot facts as
columns (numbers stay numbers so a column sorts by value)."""

from __future__ import annotations

import pandas as pd

from geo.core.fields import year_value
from geo.core.schema import STATE_NAMES
from geo.expose.profile import ProfileTables, precision_keys, theme_labels
from geo.maps.symbols import program_label
from geo.sites import facts as site_facts
from geo.texts import t


def sites_display_table(sites: pd.DataFrame, tables: ProfileTables, lang: str) -> pd.DataFrame:
    """One row per site with readable labels in `lang` (the sites page's table); index = site_id."""
    rows = []
    district_names, zones_by_district = tables.district_names(lang), tables.zones_by_district(lang)
    for _, site in sites.iterrows():
        precision = precision_keys(site.get("precision"))[0]
        year = year_value(site.get("year"))
        rows.append(
            {
                "site_id": site["site_id"],
                t("column_name", lang): site["name"],
                t("column_program", lang): program_label(str(site["program"]), lang),
                t("column_state", lang): STATE_NAMES.get(str(site.get("state_code")), {}).get(
                    lang, site.get("state_code")
                ),
                t("column_municipality", lang): site.get("municipality") or "",
                t("column_locality", lang): site.get("locality") or "",
                t("column_district", lang): district_names.get(site.get("district_ags"), ""),
                t("column_themes", lang): ", ".join(theme_labels(site.get("themes"), lang)),
                t("column_zones", lang): ", ".join(zones_by_district.get(site.get("district_ags"), ())),
                t("column_precision", lang): t(precision, lang),
                t("column_year", lang): year,
            }
        )
    columns = [
        "site_id",
        t("column_name", lang),
        t("column_program", lang),
        t("column_state", lang),
        t("column_municipality", lang),
        t("column_locality", lang),
        t("column_district", lang),
        t("column_themes", lang),
        t("column_zones", lang),
        t("column_precision", lang),
        t("column_year", lang),
    ]
    table = pd.DataFrame(rows, columns=columns).set_index("site_id")
    table[t("column_year", lang)] = table[t("column_year", lang)].astype("Int64")
    for header, values in fact_table_columns(sites, lang).items():
        table[header] = values.to_numpy()
    return table


# plot facts the sites table lists (numbers stay numbers so the column sorts by value)
TABLE_FACT_FIELDS = ("area_total_ha", "area_available_ha", "price_eur_m2_max", "zoning", "rail_siding")


def fact_table_columns(sites: pd.DataFrame, lang: str) -> dict[str, pd.Series]:
    """Header -> values of the plot-fact columns for `sites` (missing figures blank); none when the data
    carries no fact columns."""
    columns = {}
    for field_id in TABLE_FACT_FIELDS:
        if field_id not in sites.columns:
            continue
        if site_facts.FIELD_BY_ID[field_id].kind == "number":
            values = pd.to_numeric(sites[field_id], errors="coerce").astype("Float64")
        else:
            values = sites[field_id].map(lambda value, f=field_id: site_facts.format_value(f, value, lang))
        columns[site_facts.column_header(field_id, lang)] = values.reset_index(drop=True)
    return columns
