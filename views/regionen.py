"""Page `regionen`: the districts by one indicator, a district's profile, a ranking and a comparison.

The URL holds the view: `?indicator=density&district=15002&compare=15002,14713`. The values are the
indicator key and the districts' AGS, not the labels the widgets show, so a link works in both languages
(Streamlit's own query-parameter binding stores the displayed label, which differs between German and
English).
A click on a district of the map selects it like the select box does.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from geo import indicators
from geo.core.csv_download import csv_bytes
from geo.core.formatting import format_number
from geo.core.schema import STATE_NAMES
from geo.expose import investor as investor_profile
from geo.expose.profile import aid_evidence, safe_url
from geo.indicators import charts
from geo.maps.symbols import program_label
from geo.sites.filters import fold_text, markdown_literal
from geo.sites.provenance import figure_age
from geo.texts import t
from views.atlas_map import atlas_map, map_event
from views.data import (
    district_choropleth,
    district_figures_table,
    district_table,
    districts_figure,
    profile_figure,
    reference_layer,
    sites,
)
from views.figures import dated_metric
from views.filters import TYPE_TO_NARROW
from views.frame import current_language, seed_from_url, url_widget_key, write_to_url
from views.tables import show_table

INDICATOR_PARAM = "indicator"
DISTRICT_PARAM = "district"
COMPARE_PARAM = "compare"
COMPARE_SEPARATOR = ","
TRIMMED_KEY = "regions_compare_trimmed"
MAP_KEY = "regions_map"
DEFAULT_INDICATOR = "density"
MAX_COMPARED = 4
MAP_HEIGHT = 580
RANKING_HEIGHT = 420


def take_map_click(valid: dict[str, str], lang: str) -> None:
    """A district clicked on the map becomes the selected district; this runs before the select box is
    drawn, so the box can still be changed."""
    event = map_event(MAP_KEY)
    if event is not None and event.kind == "district" and event.id in valid:
        st.session_state[url_widget_key(DISTRICT_PARAM, lang)] = event.id


def seed_comparison(valid: list[str], district: str | None, lang: str) -> None:
    """Start the comparison from the URL (`?compare=15002,14713`, district keys), once per visit and
    language; unknown keys are reported and left out, and without a URL value the chosen district starts it."""
    key = url_widget_key(COMPARE_PARAM, lang)
    if key in st.session_state:
        return
    value = st.query_params.get(COMPARE_PARAM)
    if value is None:
        st.session_state[key] = [district] if district else []
        return
    chosen = [ags for ags in dict.fromkeys(value.split(COMPARE_SEPARATOR)) if ags]
    unknown = [ags for ags in chosen if ags not in valid]
    if unknown:
        st.warning(t("bad_parameter", lang, name=COMPARE_PARAM, value=markdown_literal(", ".join(unknown))))
    known = [ags for ags in chosen if ags in valid]
    if len(known) > MAX_COMPARED:
        st.session_state[TRIMMED_KEY] = True
    st.session_state[key] = known[:MAX_COMPARED]


def keep_comparison_short(lang: str) -> None:
    """More than MAX_COMPARED districts: keep the first ones and say why, in the page's language (instead
    of the widget's own English limit message)."""
    key = url_widget_key(COMPARE_PARAM, lang)
    if len(st.session_state[key]) > MAX_COMPARED:
        st.session_state[key] = st.session_state[key][:MAX_COMPARED]
        st.session_state[TRIMMED_KEY] = True


def source_caption(definition: indicators.IndicatorDefinition, lang: str) -> None:
    year = definition.year_text(lang)
    if definition.from_figures:  # the dates the figures carry (a steward's import may bring newer ones)
        dates = district_figures_table().loc[lambda frame: frame["indicator"] == definition.key, "as_of"]
        year = ", ".join(figure_age(date).marked_date(lang) for date in sorted(set(dates))) or t("no_source", lang)
    st.caption(
        markdown_literal(definition.description(lang), 400)
        + "  \n"
        + markdown_literal(t("source_line", lang, source=definition.source(lang), year=year), 400)
    )


def workforce_block(ags: str, name: str, lang: str) -> None:
    """The district's labour-market figures, each with its date and source, or "no source"."""
    section = investor_profile.workforce_section(ags, district_figures_table(), name, lang)
    st.subheader(section.heading, anchor=False)
    lines = []
    for fact in section.facts:
        line = f"**{markdown_literal(fact.label, 200)}**: {markdown_literal(fact.value, 100)}"
        url = safe_url(fact.source_url)
        if url:  # date and stale mark by the one rule (geo.sites.provenance), then the table's code and link
            notes = [fact.age.marked_note(lang) if fact.age else "", fact.source_note]
            source = markdown_literal(", ".join(note for note in notes if note), 160)
            line += f" ({source}, [{markdown_literal(urlsplit(url).netloc, 100)}]({url}))"
        lines.append(line)
    st.markdown("  \n".join(lines))
    st.caption(section.notes[0])


def district_profile(table, ags: str, labels: dict[str, str], lang: str) -> None:
    row = table.set_index("ags").loc[ags]
    state = STATE_NAMES[row["state_code"]][lang]
    st.header(markdown_literal(t("profile_title", lang, district=labels[ags]), 200), anchor=False)
    kind = t("kind_city" if row["kind"] == "Kreisfreie Stadt" else "kind_rural_district", lang)
    st.caption(markdown_literal(t("profile_state", lang, kind=kind[:1].upper() + kind[1:], state=state), 200))

    columns = st.columns(4)
    for column, label_key, key, text in (
        (columns[0], "metric_population", "population", format_number(row["population"], lang)),
        (columns[1], "metric_area", "area_km2", f"{format_number(row['area_km2'], lang, 1)} km²"),
        (columns[2], "metric_density", "density", format_number(row["density"], lang, 1)),
    ):
        dated_metric(column, t(label_key, lang), text, indicators.figure_age_of(key), lang)
    columns[3].metric(t("metric_sites", lang), format_number(row["sites_total"], lang))
    statistics_age = indicators.figure_age_of("population")
    if statistics_age is not None:
        st.caption(t("district_figures_as_of", lang, note=statistics_age.marked_note(lang)))

    zones = reference_layer("zones").set_index("zone_id")
    zone_names = [indicators.zone_name(zones.loc[zone_id], lang) for zone_id in row["zones"] if zone_id in zones.index]
    st.write(
        markdown_literal(t("profile_zones", lang, zones=", ".join(zone_names)), 500)
        if zone_names
        else t("profile_no_zone", lang)
    )

    st.subheader(t("profile_aid", lang), anchor=False)
    aid_area = indicators.indicator("aid_area")
    if row["aid_area"] == indicators.NOT_VERIFIED:
        st.info(t("profile_aid_unverified", lang))
    else:
        ceilings = {
            size: indicators.format_value(
                indicators.indicator(f"aid_max_{size}_pct"),
                row[f"aid_max_{size}_pct"],
                lang,
                with_unit=True,
                aid_area=row["aid_area"],
            )
            for size in ("large", "medium", "small")
        }
        lines = [
            f"**{markdown_literal(indicators.format_value(aid_area, row['aid_area'], lang))}** "
            f"({markdown_literal(aid_area.year)})",
            markdown_literal(t("profile_aid_ceilings", lang, **ceilings), 300),
            markdown_literal(f"{t('aid_evidence_label', lang)}: {aid_evidence(row['aid_confidence'], lang)}", 300),
        ]
        note = indicators.aid_note(row, lang)
        if note:
            lines.append(markdown_literal(t("profile_aid_note", lang, note=note), 500))
        st.markdown("  \n".join(lines))
        if row["aid_source_url"]:
            st.link_button(t("profile_aid_source", lang), row["aid_source_url"])

    workforce_block(ags, labels[ags], lang)

    st.subheader(t("profile_chart_title", lang), anchor=False)
    st.plotly_chart(profile_figure(ags, lang), config=charts.PLOTLY_CONFIG, theme=None, key="regions_profile_chart")
    st.caption(t("profile_chart_caption", lang))

    inside = indicators.sites_in_districts(sites(), [ags])
    st.subheader(t("profile_sites", lang, count=len(inside)), anchor=False)
    if inside.empty:
        st.write(t("profile_no_sites", lang))
    else:
        show_table(
            {
                t("column_name", lang): list(inside["name"]),
                t("column_program", lang): [program_label(program, lang) for program in inside["program"]],
                t("column_municipality", lang): list(inside["municipality"]),
                t("column_website", lang): list(inside["website"]),
            },
            links=[t("column_website", lang)],
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
take_map_click(labels, lang)

# The indicators are chosen from a short list; the 67 districts narrow as one types (TYPE_TO_NARROW).
choice_left, choice_right = st.columns(2)
indicator_key = choice_left.selectbox(
    t("choose_indicator", lang),
    indicator_options,
    key=url_widget_key(INDICATOR_PARAM, lang),
    format_func=lambda key: indicators.indicator(key).name(lang),
    filter_mode=None,
)
district = choice_right.selectbox(
    t("choose_district", lang),
    district_options,
    key=url_widget_key(DISTRICT_PARAM, lang),
    index=None,
    placeholder=t("no_selection", lang),
    format_func=lambda ags: labels.get(ags, ags),
    filter_mode=TYPE_TO_NARROW["filter_mode"],
)
write_to_url(INDICATOR_PARAM, indicator_key, DEFAULT_INDICATOR)
write_to_url(DISTRICT_PARAM, district, None)
definition = indicators.indicator(indicator_key)

districts, legend = district_choropleth(indicator_key, lang)
atlas_map(
    None,
    lang,
    key=MAP_KEY,
    mode="districts",
    height=MAP_HEIGHT,
    districts={**districts, "selected": district},
    legend=legend,
    label=t("regions_map_label", lang, indicator=definition.name(lang)),
)
source_caption(definition, lang)

if district:
    district_profile(table, district, labels, lang)

st.header(t("ranking_title", lang), anchor=False)
st.caption(markdown_literal(definition.label(lang), 200))
ranked = indicators.ranking(table, indicator_key, lang)
value_heading = definition.unit(lang) or definition.name(lang)
show_table(
    {
        t("column_rank", lang): list(ranked["rank"]),
        t("column_district", lang): list(ranked["district"]),
        t("column_state", lang): list(ranked["state"]),
        value_heading: list(ranked["value_text"]),
    },
    numbers=[t("column_rank", lang), value_heading],
    height=RANKING_HEIGHT,
)
st.download_button(
    t("download_csv", lang),
    csv_bytes(indicators.ranking_download(table, indicator_key, lang), lang),
    file_name=f"standortatlas_{indicator_key}_{lang}.csv",
    mime="text/csv",
    help=t("download_csv_help", lang),
    icon=":material/download:",
    on_click="ignore",
)

st.header(t("compare_title", lang), anchor=False)
seed_comparison(district_options, district, lang)
compared = st.multiselect(
    t("compare_choose", lang),
    district_options,
    format_func=lambda ags: labels.get(ags, ags),
    key=url_widget_key(COMPARE_PARAM, lang),
    placeholder=t("compare_placeholder", lang, count=MAX_COMPARED),
    on_change=keep_comparison_short,
    args=(lang,),
    **TYPE_TO_NARROW,
)
if st.session_state.pop(TRIMMED_KEY, False):
    st.info(t("compare_too_many", lang, count=MAX_COMPARED), icon=":material/info:")
write_to_url(COMPARE_PARAM, COMPARE_SEPARATOR.join(compared) or None, None)
if compared:
    # the chosen districts' figures side by side; the aid rows say what is verified instead of a level
    keys = [key for key in indicators.COMPARISON_KEYS if key != "aid_confidence"]
    comparison = indicators.comparison_table(table, compared, lang, keys=keys)
    comparison.loc[t("aid_evidence_label", lang)] = [
        aid_evidence(confidence, lang)
        if area != indicators.NOT_VERIFIED
        else indicators.format_value(indicators.indicator("aid_area"), area, lang)
        for confidence, area in zip(
            table.set_index("ags").loc[compared, "aid_confidence"],
            table.set_index("ags").loc[compared, "aid_area"],
            strict=True,
        )
    ]
    # the indicator names are a column with a heading of their own (an unnamed index column is an empty header)
    columns = {t("choose_indicator", lang): list(comparison.index)}
    show_table(columns | {column: list(comparison[column]) for column in comparison.columns})
    st.plotly_chart(
        districts_figure(tuple(compared), lang), config=charts.PLOTLY_CONFIG, theme=None, key="regions_compare_chart"
    )
else:
    st.caption(t("compare_hint", lang))
