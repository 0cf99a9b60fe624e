"""Page `strukturwandel`: one structural-change zone at a time, and the zones compared.

For the chosen zone: its districts on the map, population, area, the sites inside it (sites whose
district belongs to the zone), the legal basis and the funding facts with their sources; then a chart of
all zones and the share of the four states' population and sites that the zones hold.
The zone is in the URL as its id (`?zone=lausitz`), the same in both languages.
"""

from __future__ import annotations

import streamlit as st

from geo import indicators
from geo.core.formatting import format_number, format_percent
from geo.core.schema import STATE_NAMES
from geo.indicators.bar_chart import bar_charts_html
from geo.indicators.zone_texts import legal_basis_text, period_text
from geo.maps.symbols import ZONE_TYPE_ORDER, program_label
from geo.sites.filters import ZONE_PARAM, SiteFilter, fold_text, markdown_literal
from geo.texts import t
from views.atlas_map import atlas_map
from views.data import (
    district_table,
    reference_layer,
    reference_table,
    sites,
    zone_bars,
    zone_map,
    zone_table,
)
from views.figures import dated_metric
from views.frame import current_language, seed_from_url, url_widget_key, write_to_url
from views.tables import show_table

DEFAULT_ZONE = "lausitz"
MAP_HEIGHT = 520


def facts_table(facts, lang: str) -> None:
    show_table(
        {
            t("column_fact", lang): list(facts[f"label_{lang}"]),
            t("column_value", lang): [
                indicators.format_fact_value(value, unit, lang)
                for value, unit in zip(facts["value"], facts["unit"], strict=True)
            ],
            t("column_period", lang): [period_text(period, lang) for period in facts["period"]],
            t("column_source_link", lang): list(facts["source_url"]),
        },
        links=[t("column_source_link", lang)],
        numbers=[t("column_value", lang)],
    )


lang = current_language()
zones = reference_layer("zones")
type_rank = {zone_type: position for position, zone_type in enumerate(ZONE_TYPE_ORDER)}
zone_ids = sorted(
    zones["zone_id"],
    key=lambda zone_id: (
        type_rank.get(zones.set_index("zone_id").loc[zone_id, "zone_type"], 9),
        zone_id != DEFAULT_ZONE,
        zone_id,
    ),
)
zones_by_id = zones.set_index("zone_id")

st.title(t("structural_title", lang), anchor=False)
st.caption(t("structural_intro", lang))

seed_from_url(ZONE_PARAM, zone_ids, DEFAULT_ZONE, lang)
zone_id = st.selectbox(
    t("choose_zone", lang),
    zone_ids,
    key=url_widget_key(ZONE_PARAM, lang),
    format_func=lambda value: indicators.zone_name(zones_by_id.loc[value], lang),
    filter_mode=None,
)  # chosen, not typed: no English "No results" from Streamlit
write_to_url(ZONE_PARAM, zone_id, DEFAULT_ZONE)

zone = zones_by_id.loc[zone_id]
table = district_table()
summary = zone_table().set_index("zone_id")
figures = summary.loc[zone_id]
members = indicators.zone_members(reference_table("zone_districts"), zone_id)
inside = indicators.sites_in_districts(sites(), members)
labels = indicators.district_labels(table, lang)

st.header(markdown_literal(indicators.zone_name(zone, lang), 200), anchor=False)
st.caption(markdown_literal(t(f"zone_type_{zone['zone_type']}", lang), 200))
map_column, facts_column = st.columns([3, 2])
with map_column:
    districts, legend, members_to_show = zone_map(zone_id, lang)
    atlas_map(
        SiteFilter(zones=(zone_id,)),
        lang,
        key="zone_map",
        mode="districts",
        height=MAP_HEIGHT,
        districts=districts,
        legend=legend,
        fit_districts=members_to_show,
        label=t("zone_map_label", lang, zone=indicators.zone_name(zone, lang)),
    )
with facts_column:
    first, second = st.columns(2)
    first.metric(t("metric_districts", lang), format_number(figures["district_count"], lang))
    second.metric(t("metric_sites", lang), format_number(figures["sites_total"], lang))
    dated_metric(
        first,
        t("metric_population", lang),
        format_number(figures["population"], lang),
        indicators.figure_age_of("population"),
        lang,
    )
    dated_metric(
        second,
        t("metric_area", lang),
        f"{format_number(figures['area_km2'], lang)} km²",
        indicators.figure_age_of("area_km2"),
        lang,
    )
    first.metric(
        t("metric_population_share", lang),
        format_percent(figures["population_share"], lang, 1),
        help=indicators.indicator("population_share").description(lang),
    )
    second.metric(
        t("metric_site_share", lang),
        format_percent(figures["site_share"], lang, 1),
        help=indicators.indicator("site_share").description(lang),
    )
    statistics_age = indicators.figure_age_of("population")
    if statistics_age is not None:
        st.caption(t("zone_figures_as_of", lang, note=statistics_age.marked_note(lang)))
    st.markdown(
        f"**{t('zone_legal_basis', lang)}:** {markdown_literal(legal_basis_text(zone['legal_basis'], lang), 400)}"
    )
    if zone["source_url"]:
        st.link_button(t("zone_source", lang), zone["source_url"])

st.subheader(t("zone_facts_title", lang), anchor=False)
facts = indicators.zone_facts_for(reference_table("zone_facts"), zone_id)
if facts.empty:
    st.caption(t("zone_no_facts", lang))
else:
    facts_table(facts, lang)
with st.expander(t("zone_general_facts", lang)):
    facts_table(indicators.general_facts(reference_table("zone_facts")), lang)

st.subheader(t("zone_districts_title", lang), anchor=False)
rows = table.loc[table["ags"].isin(members)].sort_values("name", key=lambda names: names.map(fold_text))
show_table(
    {
        t("column_district", lang): [labels[ags] for ags in rows["ags"]],
        t("column_state", lang): [STATE_NAMES[code][lang] for code in rows["state_code"]],
        t("metric_population", lang): [format_number(value, lang) for value in rows["population"]],
        t("metric_area", lang): [f"{format_number(value, lang, 1)} km²" for value in rows["area_km2"]],
        t("metric_sites", lang): [format_number(value, lang) for value in rows["sites_total"]],
    },
    numbers=[t(key, lang) for key in ("metric_population", "metric_area", "metric_sites")],
)

st.subheader(t("zone_sites_title", lang, count=len(inside)), anchor=False)
st.caption(t("zone_sites_rule", lang))
if len(inside):
    show_table(
        {
            t("column_name", lang): list(inside["name"]),
            t("column_program", lang): [program_label(program, lang) for program in inside["program"]],
            t("column_district", lang): [labels.get(ags, ags) for ags in inside["district_ags"]],
            t("column_municipality", lang): list(inside["municipality"]),
        },
    )

st.header(t("zone_compare_title", lang), anchor=False)
union = summary.loc["all"]
st.write(
    t(
        "zone_union_sentence",
        lang,
        population_share=format_percent(union["population_share"], lang, 1),
        population=format_number(union["population"], lang),
        districts=format_number(union["district_count"], lang),
        site_share=format_percent(union["site_share"], lang, 1),
        sites=format_number(union["sites_total"], lang),
    )
)
st.caption(t("zone_overlap_note", lang))
st.html(bar_charts_html(zone_bars((*zone_ids, "all"), zone_id, lang), lang))
