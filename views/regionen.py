"""Page `regionen`: the districts by one indicator, a district's profile, a ranking and a comparison.

The URL holds the view: `?indicator=density&district=15002`. The values are the indicator key and the
district's AGS, not the labels the widgets show, so a link works in both languages (Streamlit's own
query-parameter binding stores the displayed label, which differs between German and English).
A click on a district of the map selects it like the select box does.
"""

from __future__ import annotations

import streamlit as st

from geo import charts, choropleth, indicators
from geo.formatting import format_number
from geo.maps import program_label
from geo.schema import STATE_NAMES
from geo.site_filters import fold_text, markdown_literal
from geo.texts import t
from views.data import (
    district_choropleth, district_table, districts_figure, profile_figure, reference_layer, show_prepared_map, sites,
)
from views.frame import current_language, seed_from_url, url_widget_key, write_to_url

INDICATOR_PARAM = "indicator"
DISTRICT_PARAM = "district"
COMPARE_KEY = "regions_compare"
LAST_CLICK_KEY = "regions_last_click"
DEFAULT_INDICATOR = "density"
MAX_COMPARED = 4
MAP_HEIGHT = 580
RANKING_HEIGHT = 420


def take_map_click(map_key: str, valid: dict[str, str], lang: str) -> None:
    """A district clicked on the map (the map component's value, kept under its key) becomes the selected
    district; this runs before the select box is drawn, so the box can still be changed."""
    clicked = (st.session_state.get(map_key) or {}).get("last_active_drawing") or {}
    ags = (clicked.get("properties") or {}).get("ags")
    if ags in valid and ags != st.session_state.get(LAST_CLICK_KEY):
        st.session_state[LAST_CLICK_KEY] = ags
        st.session_state[url_widget_key(DISTRICT_PARAM, lang)] = ags


def source_caption(definition: indicators.IndicatorDefinition, lang: str) -> None:
    st.caption(markdown_literal(definition.description(lang), 400) + "  \n"
               + markdown_literal(t("source_line", lang, source=definition.source(lang), year=definition.year), 400))


def district_profile(table, ags: str, labels: dict[str, str], lang: str) -> None:
    row = table.set_index("ags").loc[ags]
    state = STATE_NAMES[row["state_code"]][lang]
    st.header(markdown_literal(t("profile_title", lang, district=labels[ags]), 200), anchor=False)
    kind = t("kind_city" if row["kind"] == "Kreisfreie Stadt" else "kind_rural_district", lang)
    st.caption(markdown_literal(t("profile_state", lang, kind=kind[:1].upper() + kind[1:], state=state), 200))

    columns = st.columns(4)
    columns[0].metric(t("metric_population", lang), format_number(row["population"], lang))
    columns[1].metric(t("metric_area", lang), f"{format_number(row['area_km2'], lang, 1)} km²")
    columns[2].metric(t("metric_density", lang), format_number(row["density"], lang, 1))
    columns[3].metric(t("metric_sites", lang), format_number(row["sites_total"], lang))

    zones = reference_layer("zones").set_index("zone_id")
    zone_names = [indicators.zone_name(zones.loc[zone_id], lang) for zone_id in row["zones"] if zone_id in zones.index]
    st.write(markdown_literal(t("profile_zones", lang, zones=", ".join(zone_names)), 500) if zone_names
             else t("profile_no_zone", lang))

    st.subheader(t("profile_aid", lang), anchor=False)
    aid_area = indicators.indicator("aid_area")
    if row["aid_area"] == indicators.NOT_VERIFIED:
        st.info(t("profile_aid_unverified", lang))
    else:
        ceilings = {size: indicators.format_value(indicators.indicator(f"aid_max_{size}_pct"),
                                                  row[f"aid_max_{size}_pct"], lang, with_unit=True,
                                                  aid_area=row["aid_area"])
                    for size in ("large", "medium", "small")}
        confidence = indicators.format_value(indicators.indicator("aid_confidence"), row["aid_confidence"], lang)
        lines = [f"**{markdown_literal(indicators.format_value(aid_area, row['aid_area'], lang))}** "
                 f"({markdown_literal(aid_area.year)})",
                 markdown_literal(t("profile_aid_ceilings", lang, **ceilings), 300),
                 markdown_literal(t("profile_aid_confidence", lang, confidence=confidence), 200)]
        if row["aid_note"]:
            lines.append(markdown_literal(t("profile_aid_note", lang, note=row["aid_note"]), 500))
        st.markdown("  \n".join(lines))
        if row["aid_source_url"]:
            st.link_button(t("profile_aid_source", lang), row["aid_source_url"])

    st.subheader(t("profile_chart_title", lang), anchor=False)
    st.plotly_chart(profile_figure(ags, lang), config=charts.PLOTLY_CONFIG, theme=None, key="regions_profile_chart")
    st.caption(t("profile_chart_caption", lang))

    inside = indicators.sites_in_districts(sites(), [ags])
    st.subheader(t("profile_sites", lang, count=len(inside)), anchor=False)
    if inside.empty:
        st.write(t("profile_no_sites", lang))
    else:
        st.dataframe(
            {t("column_name", lang): list(inside["name"]),
             t("column_program", lang): [program_label(program, lang) for program in inside["program"]],
             t("column_municipality", lang): list(inside["municipality"]),
             t("column_website", lang): list(inside["website"])},
            hide_index=True,
            column_config={t("column_website", lang): st.column_config.LinkColumn(t("column_website", lang))},
        )


lang = current_language()
table = district_table()
labels = indicators.district_labels(table, lang)
district_options = sorted(labels, key=lambda ags: fold_text(labels[ags]))
indicator_options = [definition.key for definition in indicators.map_indicators()]

st.title(t("regions_title", lang), anchor=False)
st.caption(t("regions_intro", lang))

seed_from_url(INDICATOR_PARAM, indicator_options, DEFAULT_INDICATOR, lang)
seed_from_url(DISTRICT_PARAM, district_options, None, lang)
# the map on screen is the one of the indicator chosen so far; its component value holds the last click
shown_map = district_choropleth(st.session_state[url_widget_key(INDICATOR_PARAM, lang)], lang)
take_map_click(shown_map.key, labels, lang)

choice_left, choice_right = st.columns(2)
indicator_key = choice_left.selectbox(
    t("choose_indicator", lang), indicator_options, key=url_widget_key(INDICATOR_PARAM, lang),
    format_func=lambda key: indicators.indicator(key).name(lang))
district = choice_right.selectbox(
    t("choose_district", lang), district_options, key=url_widget_key(DISTRICT_PARAM, lang), index=None,
    placeholder=t("no_selection", lang), format_func=labels.get)
write_to_url(INDICATOR_PARAM, indicator_key, DEFAULT_INDICATOR)
write_to_url(DISTRICT_PARAM, district, None)
definition = indicators.indicator(indicator_key)

show_prepared_map(district_choropleth(indicator_key, lang), height=MAP_HEIGHT, returned_objects=["last_active_drawing"],
                  feature_group=choropleth.selection_layer(reference_layer("districts_web"), district))
source_caption(definition, lang)

if district:
    district_profile(table, district, labels, lang)

st.header(t("ranking_title", lang), anchor=False)
st.caption(markdown_literal(definition.label(lang), 200))
ranked = indicators.ranking(table, indicator_key, lang)
value_heading = definition.unit(lang) or definition.name(lang)
st.dataframe(
    {t("column_rank", lang): list(ranked["rank"]), t("column_district", lang): list(ranked["district"]),
     t("column_state", lang): list(ranked["state"]), value_heading: list(ranked["value_text"])},
    hide_index=True, height=RANKING_HEIGHT,
    column_config={
        t("column_rank", lang): st.column_config.NumberColumn(width="small"),
        value_heading: st.column_config.TextColumn(help=definition.label(lang), alignment="right"),
    },
)
st.download_button(
    t("download_csv", lang), indicators.csv_bytes(indicators.ranking_download(table, indicator_key, lang), lang),
    file_name=f"standortatlas_{indicator_key}_{lang}.csv", mime="text/csv", help=t("download_csv_help", lang),
    icon=":material/download:", on_click="ignore")

st.header(t("compare_title", lang), anchor=False)
compared = st.multiselect(
    t("compare_choose", lang), district_options, default=[district] if district else [],
    max_selections=MAX_COMPARED, format_func=labels.get, key=url_widget_key(COMPARE_KEY, lang))
if compared:
    st.dataframe(indicators.comparison_table(table, compared, lang))
    st.plotly_chart(districts_figure(tuple(compared), lang), config=charts.PLOTLY_CONFIG, theme=None,
                    key="regions_compare_chart")
else:
    st.caption(t("compare_hint", lang))
