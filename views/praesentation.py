"""Presentation page (URL path `praesentation`): full-screen slides for a big screen at a fair or meeting.

The slides come from assets/slides.toml (staff edit it; geo.indicators.slides checks it). The slide number is in
the URL (`?slide=3`, 1-based), so a reload or a bookmark opens the same slide. The map needs no tiles
and no network beyond the app itself.
"""

from __future__ import annotations

import functools
import html

import streamlit as st

from geo.indicators import slides
from geo.maps import export
from geo.maps.symbols import legend_html
from geo.sites.filters import SiteFilter, markdown_literal
from geo.texts import t
from views.atlas_map import atlas_map
from views.data import offline_map_page, slide_data, slide_deck
from views.frame import FRAMELESS_REVEAL, current_language, write_to_url

SLIDE_KEY = "slide"
MAP_HEIGHT = 800

# Large type and no clutter: the page is read from a few metres away. The main area appears with it.
st.html(
    f"<style>{FRAMELESS_REVEAL}</style>"
    + """<style>
[data-testid="stMainBlockContainer"] { padding: 1.2rem 2.5rem 0.5rem !important; max-width: 100% !important; }
[data-testid="stHeader"] { background: transparent; }
/* The head has one fixed height, so the map and the navigation bar below stay in place from slide to
   slide whatever the length of the title and subtitle (each cut to its lines, the full text stays). */
div.sa-slide-head { height: 7.4rem; overflow: hidden; }
h1.sa-slide-title { font-size: 3rem !important; font-weight: 700; line-height: 1.15; margin: 0; padding: 0;
  color: #1b2733; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
p.sa-slide-subtitle { font-size: 1.4rem !important; line-height: 1.35; color: #425466;
  margin: 0.35rem 0 0; max-width: 75rem; display: -webkit-box; -webkit-box-orient: vertical;
  -webkit-line-clamp: 2; line-clamp: 2; overflow: hidden; }
/* on a phone the slide is read, not presented: the title wraps and the head takes the room it needs */
@media (max-width: 700px) {
  div.sa-slide-head { height: auto; }
  h1.sa-slide-title { font-size: 2rem !important; white-space: normal; }
  p.sa-slide-subtitle { font-size: 1.1rem !important; }
  [data-testid="stMainBlockContainer"] { padding: 1rem 1rem 0.5rem !important; }
}
[data-testid="stMetric"] { padding: 0.6rem 0 0.2rem; }
[data-testid="stMetricLabel"] p { font-size: 1.35rem !important; color: #425466; white-space: normal; }
[data-testid="stMetricValue"] { font-size: 3.6rem !important; line-height: 1.1; color: #0b5c8a; }
p.sa-figure-source { font-size: 1rem !important; color: #5f6f7f; margin: 0 0 1.2rem; }
</style>"""
)


def _figures_image(title: str, figures: list[slides.Figure], lang: str, image_format: str) -> bytes:
    return export.chart_image(slides.figures_chart(title, figures, lang), image_format)


lang = current_language()
try:
    deck = slide_deck()
except slides.SlideFileError as error:
    st.error(t("present_slides_invalid", lang, path=f"{slides.SLIDES_FILE.parent.name}/{slides.SLIDES_FILE.name}"))
    st.html("<ul>" + "".join(f"<li>{html.escape(problem.message(lang))}</li>" for problem in error.problems) + "</ul>")
    st.stop()
data = slide_data()
total = len(deck)

raw_slide = st.query_params.get(SLIDE_KEY)
url_slide_valid = raw_slide is not None and raw_slide.isdigit() and 1 <= int(raw_slide) <= total
if raw_slide is not None and not url_slide_valid:
    st.warning(t("present_bad_slide", lang, value=markdown_literal(raw_slide, 20), total=total))
# The slide number lives in this session's widget state, seeded once from the URL; the page writes the
# URL itself after each change, so the buttons, the arrow keys and the page numbers share one number.
if SLIDE_KEY not in st.session_state:
    st.session_state[SLIDE_KEY] = int(raw_slide) if raw_slide is not None and url_slide_valid else 1


def step(offset: int) -> None:
    st.session_state[SLIDE_KEY] = min(max(st.session_state[SLIDE_KEY] + offset, 1), total)


number = st.session_state[SLIDE_KEY]

# The arrow keys press "back" and "next", also when the map has the focus (the map leaves them alone on
# this page). A listener of the page's own rather than the buttons' `shortcut`: with that, the first press after a
# change of direction was lost. The script has no input from data or the URL.
st.html(
    """<script>
if (!window.standortatlasSlideKeys) {
  window.standortatlasSlideKeys = true;
  document.addEventListener("keydown", function (event) {
    var target = event.target || {};
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || target.isContentEditable
        || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName || "")) { return; }
    var key = {ArrowLeft: "slide_previous", ArrowRight: "slide_next"}[event.key];
    var button = key && document.querySelector(".st-key-" + key + " button");
    if (!button || button.disabled) { return; }
    event.preventDefault();
    button.click();
  });
}
</script>""",
    unsafe_allow_javascript=True,
)

slide = deck[number - 1]
view = slides.map_view(slide, data)
site_filter = SiteFilter(
    states=(view.state,) if view.state else (), zones=(view.zone,) if view.zone else (), programs=view.programs
)
title = slides.slide_title(slide, data, lang)
figures = slides.slide_figures(slide, data, lang)

# The slide comes first, the controls below it: its number is the widget's value, already in the session.
subtitle = slides.slide_subtitle(slide, data, lang)
# HTML blocks rather than Markdown with HTML: their code is in the page already (the style block above),
# Markdown with HTML waits for code of its own and would push the slide down when it arrives. The slide's
# title is the page's heading (h1), with no tooltip and no "link to heading" icon where a presenter's
# pointer rests.
st.html(
    f'<div class="sa-slide-head"><h1 class="sa-slide-title">'
    f'{html.escape(title)}</h1><p class="sa-slide-subtitle">{html.escape(subtitle)}</p></div>'
)
map_column, figure_column = st.columns([2.3, 1], gap="large")
with map_column:
    # the legend sits beside the map (below the figures), so it never covers part of a state
    atlas_map(
        site_filter,
        lang,
        key="present_map",
        selected=view.site,
        mode="present",
        bounds=view.bounds,
        height=MAP_HEIGHT,
        legend=False,
        focus_state=view.state,
    )
with figure_column:
    for figure in figures:
        st.metric(markdown_literal(figure.label, 200), figure.value)
        st.html(f'<p class="sa-figure-source">{html.escape(figure.caption)}</p>')
    st.html(legend_html(lang, programs=view.programs or None, heading_level=2))

controls = st.columns([1, 6, 1, 2], vertical_alignment="center")
controls[0].button(
    t("present_previous", lang),
    key="slide_previous",
    on_click=step,
    args=(-1,),
    icon=":material/arrow_back:",
    disabled=number <= 1,
    width="stretch",
)
with controls[1]:
    number = st.pagination(total, key=SLIDE_KEY, max_visible_pages=None, width="stretch")
# the URL says which slide is shown (slide 1, or an unknown number, leaves it without one)
write_to_url(SLIDE_KEY, str(number), "1")
controls[2].button(
    t("present_next", lang),
    key="slide_next",
    on_click=step,
    args=(1,),
    type="primary",
    icon=":material/arrow_forward:",
    icon_position="right",
    disabled=number >= total,
    width="stretch",
)
with controls[3].popover(t("present_downloads", lang), icon=":material/download:", width="stretch"):
    st.caption(t("present_slide_of", lang, number=number, total=total))
    st.download_button(
        t("present_download_map", lang),
        key="download_map",
        data=functools.partial(offline_map_page, site_filter, lang, view.bounds, title),
        file_name=f"standortatlas-folie-{number}.html",
        mime="text/html",
        on_click="ignore",
        help=t("present_download_map_help", lang),
        icon=":material/map:",
    )
    # the figures' chart is built only when a download asks for it (building it took ~55 ms of every rerun)
    if export.chart_image_available():
        for image_format, mime in (("png", "image/png"), ("svg", "image/svg+xml")):
            st.download_button(
                t(f"present_download_figures_{image_format}", lang),
                key=f"download_{image_format}",
                data=functools.partial(_figures_image, title, figures, lang, image_format),
                file_name=f"standortatlas-folie-{number}.{image_format}",
                mime=mime,
                on_click="ignore",
                icon=":material/image:",
            )
    else:  # no Chromium here: the same figures as an HTML file with plotly.js inlined
        st.download_button(
            t("present_download_figures_html", lang),
            key="download_figures_html",
            data=lambda: export.chart_html(slides.figures_chart(title, figures, lang), lang),
            file_name=f"standortatlas-folie-{number}-kennzahlen.html",
            mime="text/html",
            on_click="ignore",
            icon=":material/image:",
        )
    st.caption(t("present_keyboard_hint", lang, number=number))
