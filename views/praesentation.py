"""Presentation page (URL path `praesentation`): full-screen slides for a big screen at a fair or meeting.

The slides come from assets/slides.toml (staff edit it; geo.slides checks it). The slide number lives in
the URL (`?slide=3`, 1-based) through the pagination widget's query-parameter binding, so a reload or a
bookmark opens the same slide. The map needs no tiles and no network beyond the app itself.
"""

from __future__ import annotations

import html

import streamlit as st
from geo import export, slides
from geo.map_symbols import legend_html
from geo.site_filters import SiteFilter, markdown_literal
from geo.texts import t
from views.atlas_map import atlas_map
from views.data import build_frameless_map, slide_data, slide_deck
from views.frame import current_language

SLIDE_KEY = "slide"
MAP_HEIGHT = 800

# Large type and no clutter: the page is read from a few metres away.
st.html("""<style>
[data-testid="stMainBlockContainer"] { padding: 1.2rem 2.5rem 0.5rem !important; max-width: 100% !important; }
[data-testid="stHeader"] { background: transparent; }
/* The head has one fixed height, so the map and the navigation bar below stay in place from slide to
   slide whatever the length of the title and subtitle (each cut to its lines, the full text stays). */
.stMarkdown div.sa-slide-head { height: 7.4rem; overflow: hidden; }
.stMarkdown p.sa-slide-title { font-size: 3rem !important; font-weight: 700; line-height: 1.15; margin: 0;
  color: #1b2733; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.stMarkdown p.sa-slide-subtitle { font-size: 1.4rem !important; line-height: 1.35; color: #425466;
  margin: 0.35rem 0 0; max-width: 75rem; display: -webkit-box; -webkit-box-orient: vertical;
  -webkit-line-clamp: 2; line-clamp: 2; overflow: hidden; }
[data-testid="stMetric"] { padding: 0.6rem 0 0.2rem; }
[data-testid="stMetricLabel"] p { font-size: 1.35rem !important; color: #425466; white-space: normal; }
[data-testid="stMetricValue"] { font-size: 3.6rem !important; line-height: 1.1; color: #0b5c8a; }
.stMarkdown p.sa-figure-source { font-size: 1rem !important; color: #5f6f7f; margin: 0 0 1.2rem; }
</style>""")

lang = current_language()
try:
    deck = slide_deck()
except slides.SlideFileError as error:
    st.error(t("present_slides_invalid", lang, path=f"{slides.SLIDES_FILE.parent.name}/{slides.SLIDES_FILE.name}"))
    st.html("<ul>" + "".join(f"<li>{html.escape(problem.message(lang))}</li>" for problem in error.problems)
            + "</ul>")
    st.stop()
data = slide_data()
total = len(deck)

raw_slide = st.query_params.get(SLIDE_KEY)
if raw_slide is not None and not (raw_slide.isdigit() and 1 <= int(raw_slide) <= total):
    st.warning(t("present_bad_slide", lang, value=markdown_literal(raw_slide, 20), total=total))
    # the URL says what is shown: slide 1, whose address carries no number
    del st.query_params[SLIDE_KEY]
    raw_slide = None


def step(offset: int) -> None:
    current = st.session_state.get(SLIDE_KEY) or 1
    st.session_state[SLIDE_KEY] = min(max(current + offset, 1), total)


number = st.session_state.get(SLIDE_KEY) or 1
if raw_slide is not None and raw_slide.isdigit() and 1 <= int(raw_slide) <= total and SLIDE_KEY not in st.session_state:
    number = int(raw_slide)
slide_holder = st.container()

controls = st.columns([1, 6, 1, 2], vertical_alignment="center")
controls[0].button(t("present_previous", lang), key="slide_previous", on_click=step, args=(-1,),
                   icon=":material/arrow_back:", shortcut="Left", disabled=number <= 1, width="stretch")
with controls[1]:
    number = st.pagination(total, key=SLIDE_KEY, bind="query-params", max_visible_pages=None, width="stretch")
controls[2].button(t("present_next", lang), key="slide_next", on_click=step, args=(1,), type="primary",
                   icon=":material/arrow_forward:", icon_position="right", shortcut="Right",
                   disabled=number >= total, width="stretch")
slide = deck[number - 1]
view = slides.map_view(slide, data)
site_filter = SiteFilter(states=(view.state,) if view.state else (), zones=(view.zone,) if view.zone else (),
                         programs=view.programs)
title = slides.slide_title(slide, data, lang)
figures = slides.slide_figures(slide, data, lang)

with slide_holder:
    subtitle = slides.slide_subtitle(slide, data, lang)
    st.markdown(f'<div class="sa-slide-head"><p class="sa-slide-title" title="{html.escape(title)}">'
                f'{html.escape(title)}</p><p class="sa-slide-subtitle">{html.escape(subtitle)}</p></div>',
                unsafe_allow_html=True)
    map_column, figure_column = st.columns([2.3, 1], gap="large")
    with map_column:
        # the legend sits beside the map (below the figures), so it never covers part of a state
        atlas_map(site_filter, lang, key="present_map", selected=view.site, mode="present", bounds=view.bounds,
                  height={"fixed": MAP_HEIGHT}, legend=False, focus_state=view.state)
    with figure_column:
        for figure in figures:
            st.metric(markdown_literal(figure.label, 200), figure.value)
            st.markdown(f'<p class="sa-figure-source">{html.escape(figure.caption)}</p>', unsafe_allow_html=True)
        st.html(legend_html(lang, programs=view.programs or None, heading_level=2))

with controls[3].popover(t("present_downloads", lang), icon=":material/download:", width="stretch"):
    st.caption(t("present_slide_of", lang, number=number, total=total))
    st.download_button(t("present_download_map", lang), key="download_map",
                       data=lambda: export.standalone_map_html(
                           build_frameless_map(site_filter, lang, bounds=view.bounds), title=title, lang=lang),
                       file_name=f"standortatlas-folie-{number}.html", mime="text/html", on_click="ignore",
                       help=t("present_download_map_help", lang), icon=":material/map:")
    chart = slides.figures_chart(title, figures, lang)
    if export.chart_image_available():
        for image_format, mime in (("png", "image/png"), ("svg", "image/svg+xml")):
            st.download_button(t(f"present_download_figures_{image_format}", lang), key=f"download_{image_format}",
                               data=lambda image_format=image_format: export.chart_image(chart, image_format),
                               file_name=f"standortatlas-folie-{number}.{image_format}", mime=mime,
                               on_click="ignore", icon=":material/image:")
    else:  # no Chromium here: the same figures as an HTML file with plotly.js inlined
        st.download_button(t("present_download_figures_html", lang), key="download_figures_html",
                           data=lambda: export.chart_html(chart, lang),
                           file_name=f"standortatlas-folie-{number}-kennzahlen.html", mime="text/html",
                           on_click="ignore", icon=":material/image:")
    st.caption(t("present_keyboard_hint", lang, number=number))
