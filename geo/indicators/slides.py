"""The slides of the presentation page: read the staff-editable list (assets/slides.toml), check it, and work
out each slide's title, map view and figures.

The file is meant to be edited by staff, so every mistake is reported with the slide's number and what is
wrong, in the reader's language, all at once (not one error per reload). Figures are computed here from the
reference and site tables (no Streamlit): pages only draw them.
"""

from __future__ import annotations

import html
import textwrap
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go

from geo.core.fields import year_value
from geo.core.formatting import format_date, format_number, format_percent
from geo.core.paths import ASSETS_DIR
from geo.core.schema import FOUR_STATES_BOUNDS, STATE_NAMES, programs
from geo.indicators import figure_age_of, format_fact_value, zone_members, zone_name
from geo.indicators.completeness import claimed_count_text
from geo.indicators.zone_texts import period_text
from geo.texts import TEXTS, pick, t

SLIDES_FILE = ASSETS_DIR / "slides.toml"
SLIDE_KINDS = ("overview", "state", "zone", "program", "site")
SLIDE_FIELDS = {"kind", "key", "title", "figures"}
MAX_FIGURES = 3
FACT_PREFIX = "fact:"
# Figures each kind of slide can show; `fact:<fact_id>` (data/sources/zone_facts.csv) works on every kind.
AREA_FIGURES = ("sites", "programs", "districts", "population", "area", "density")
FIGURES_BY_KIND: dict[str, tuple[str, ...]] = {
    "overview": AREA_FIGURES,
    "state": AREA_FIGURES,
    "zone": AREA_FIGURES,
    "program": ("sites", "states", "districts", "claimed"),
    "site": ("year", "airport_km", "station_km", "city_km", "district_population", "aid"),
}
SITE_VIEW_MARGIN_DEG = 0.45  # about 35 km around a single site: towns and borders orient it without tiles
AREA_VIEW_MARGIN_DEG = 0.05


@dataclass(frozen=True)
class Slide:
    number: int  # 1-based, as in the URL (?slide=3)
    kind: str
    key: str = ""
    title: dict[str, str] = field(default_factory=dict)
    figures: tuple[str, ...] = ()


@dataclass(frozen=True)
class SlideProblem:
    """One mistake in the slide file; `slide` is None for a problem with the file as a whole."""

    slide: int | None
    text_key: str
    values: dict[str, str] = field(default_factory=dict)

    def message(self, lang: str) -> str:
        text = t(self.text_key, lang, **self.values)
        return t("slide_problem_prefix", lang, number=self.slide) + text if self.slide else text


class SlideFileError(ValueError):
    def __init__(self, problems: list[SlideProblem]):
        super().__init__("; ".join(problem.message("en") for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class SlideData:
    """The tables a slide draws on (shared, read-only)."""

    districts: pd.DataFrame  # layer `districts` (population, area, aid)
    states: gpd.GeoDataFrame  # layer `states_web`
    zones: gpd.GeoDataFrame  # layer `zones_web`
    zone_districts: pd.DataFrame
    zone_facts: pd.DataFrame
    sites: gpd.GeoDataFrame
    program_claims: pd.DataFrame  # data/sources/program_completeness.csv

    def known_keys(self, kind: str) -> list[str]:
        if kind == "state":
            return sorted(STATE_NAMES)
        if kind == "zone":
            return sorted(self.zones["zone_id"])
        if kind == "program":
            return list(programs())
        if kind == "site":
            return sorted(self.sites["site_id"])
        return []


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    caption: str


@dataclass(frozen=True)
class MapView:
    """What a slide's map shows: the filters for the site map and the bounds to fit."""

    bounds: tuple[tuple[float, float], tuple[float, float]]
    programs: tuple[str, ...] = ()
    state: str | None = None
    zone: str | None = None
    site: str | None = None


# --- reading and checking -------------------------------------------------------------------------------


def read_slide_file(path: Path | None = None) -> list[dict]:
    """The raw slide tables of the file (default: SLIDES_FILE), or SlideFileError naming a syntax error's line."""
    path = SLIDES_FILE if path is None else path
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SlideFileError([SlideProblem(None, "slide_file_missing", {"path": str(path)})]) from None
    except tomllib.TOMLDecodeError as error:
        raise SlideFileError(
            [SlideProblem(None, "slide_file_syntax", {"path": path.name, "error": str(error)})]
        ) from None
    raw_slides = document.get("slide")
    if not isinstance(raw_slides, list) or not raw_slides:
        raise SlideFileError([SlideProblem(None, "slide_file_empty", {"path": path.name})])
    return raw_slides


def parse_slides(raw_slides: list[dict], data: SlideData) -> list[Slide]:
    """Check every slide against the data and return them, or raise SlideFileError with all problems."""
    slides, problems = [], []
    for number, raw in enumerate(raw_slides, start=1):
        slide_problems = _check_slide(number, raw, data)
        problems.extend(slide_problems)
        if not slide_problems:
            slides.append(
                Slide(
                    number=number,
                    kind=raw["kind"],
                    key=str(raw.get("key", "")),
                    title=dict(raw.get("title", {})),
                    figures=tuple(raw["figures"]),
                )
            )
    if problems:
        raise SlideFileError(problems)
    return slides


def load_slides(data: SlideData, path: Path | None = None) -> list[Slide]:
    return parse_slides(read_slide_file(path), data)


def slide_file_version(path: Path | None = None) -> str:
    """Changes whenever staff save the slide file: a cache key, so an edit shows on the next reload."""
    path = SLIDES_FILE if path is None else path
    try:
        stat = path.stat()
    except FileNotFoundError:
        return f"missing:{path}"
    return f"{path}:{stat.st_mtime_ns}-{stat.st_size}"


def _check_slide(number: int, raw: object, data: SlideData) -> list[SlideProblem]:
    def problem(text_key: str, **values: object) -> SlideProblem:
        return SlideProblem(number, text_key, {name: str(value) for name, value in values.items()})

    if not isinstance(raw, dict):
        return [problem("slide_not_table")]
    problems = []
    unknown_fields = sorted(set(raw) - SLIDE_FIELDS)
    if unknown_fields:
        problems.append(
            problem("slide_unknown_field", fields=", ".join(unknown_fields), allowed=", ".join(sorted(SLIDE_FIELDS)))
        )
    kind = raw.get("kind")
    if kind not in SLIDE_KINDS:
        problems.append(problem("slide_bad_kind", value=kind, allowed=", ".join(SLIDE_KINDS)))
        return problems
    key = raw.get("key")
    if kind == "overview":
        if key not in (None, ""):
            problems.append(problem("slide_key_not_used", kind=kind))
    elif key in (None, ""):
        problems.append(problem("slide_key_missing", kind=kind))
    elif str(key) not in data.known_keys(kind):
        problems.append(problem("slide_bad_key", kind=kind, value=key, allowed=_short_list(data.known_keys(kind))))
    title = raw.get("title", {})
    if (
        not isinstance(title, dict)
        or set(title) - {"de", "en"}
        or not all(isinstance(text, str) and text.strip() for text in title.values())
    ):
        problems.append(problem("slide_bad_title"))
    problems.extend(_check_figures(raw.get("figures"), kind, data, problem))
    return problems


def _check_figures(figures: object, kind: str, data: SlideData, problem) -> list[SlideProblem]:
    if not isinstance(figures, list) or not 1 <= len(figures) <= MAX_FIGURES:
        return [problem("slide_figure_count", maximum=MAX_FIGURES)]
    problems = []
    known_facts = set(data.zone_facts["fact_id"])
    for figure in figures:
        if isinstance(figure, str) and figure.startswith(FACT_PREFIX):
            if figure.removeprefix(FACT_PREFIX) not in known_facts:
                problems.append(problem("slide_bad_fact", value=figure, allowed=_short_list(sorted(known_facts))))
        elif figure not in FIGURES_BY_KIND[kind]:
            problems.append(
                problem(
                    "slide_bad_figure",
                    value=figure,
                    kind=kind,
                    allowed=", ".join(FIGURES_BY_KIND[kind]) + f", {FACT_PREFIX}…",
                )
            )
    return problems


def _short_list(values: list[str], limit: int = 12) -> str:
    return ", ".join(values[:limit]) + (", …" if len(values) > limit else "")


# --- what a slide shows ---------------------------------------------------------------------------------


def slide_title(slide: Slide, data: SlideData, lang: str) -> str:
    if slide.title.get(lang):
        return slide.title[lang]
    if slide.kind == "overview":
        return t("slide_overview_title", lang)
    if slide.kind == "state":
        return STATE_NAMES[slide.key][lang]
    if slide.kind == "zone":
        return zone_name(data.zones.loc[data.zones["zone_id"] == slide.key].iloc[0], lang)
    if slide.kind == "program":
        return programs()[slide.key][f"label_{lang}"]
    return str(_site(slide, data)["name"])


def slide_subtitle(slide: Slide, data: SlideData, lang: str) -> str:
    """One line under the title: what kind of place this is."""
    if slide.kind == "overview":
        return t("app_tagline", lang)
    if slide.kind == "state":
        return t("slide_state_subtitle", lang)
    if slide.kind == "zone":
        zone_type = data.zones.loc[data.zones["zone_id"] == slide.key, "zone_type"].iloc[0]
        text_key = f"slide_zone_type_{zone_type}"
        return t(text_key, lang) if text_key in TEXTS else ""
    if slide.kind == "program":
        return programs()[slide.key][f"explanation_{lang}"]
    site = _site(slide, data)
    program_label = programs().get(site["program"], {}).get(f"label_{lang}", site["program"])
    place = ", ".join(part for part in (site["locality"], site["municipality"]) if part and part != site["name"])
    return " · ".join(part for part in (program_label, place, STATE_NAMES[site["state_code"]][lang]) if part)


def map_view(slide: Slide, data: SlideData) -> MapView:
    if slide.kind == "overview":
        return MapView(bounds=FOUR_STATES_BOUNDS)
    if slide.kind == "state":
        geometry = data.states.loc[data.states["state_code"] == slide.key].geometry
        return MapView(bounds=_bounds(geometry.total_bounds, AREA_VIEW_MARGIN_DEG), state=slide.key)
    if slide.kind == "zone":
        geometry = data.zones.loc[data.zones["zone_id"] == slide.key].geometry
        return MapView(bounds=_bounds(geometry.total_bounds, AREA_VIEW_MARGIN_DEG), zone=slide.key)
    if slide.kind == "program":
        program_sites = data.sites.loc[data.sites["program"] == slide.key]
        bounds = (
            _bounds(program_sites.geometry.total_bounds, SITE_VIEW_MARGIN_DEG)
            if len(program_sites)
            else FOUR_STATES_BOUNDS
        )
        return MapView(bounds=bounds, programs=(slide.key,))
    point = _site(slide, data).geometry
    return MapView(bounds=_bounds((point.x, point.y, point.x, point.y), SITE_VIEW_MARGIN_DEG), site=slide.key)


def _bounds(total_bounds, margin: float) -> tuple[tuple[float, float], tuple[float, float]]:
    min_x, min_y, max_x, max_y = (float(value) for value in total_bounds)
    return (min_y - margin, min_x - margin), (max_y + margin, max_x + margin)


def _site(slide: Slide, data: SlideData) -> pd.Series:
    return data.sites.loc[data.sites["site_id"] == slide.key].iloc[0]


def sites_in_view(slide: Slide, data: SlideData) -> pd.DataFrame:
    """The sites a slide is about (all sites for the overview)."""
    sites = data.sites
    if slide.kind == "state":
        return sites.loc[sites["state_code"] == slide.key]
    if slide.kind == "zone":
        return sites.loc[sites["district_ags"].isin(zone_members(data.zone_districts, slide.key))]
    if slide.kind == "program":
        return sites.loc[sites["program"] == slide.key]
    if slide.kind == "site":
        return sites.loc[sites["site_id"] == slide.key]
    return sites


def _districts_in_view(slide: Slide, data: SlideData) -> pd.DataFrame:
    districts = data.districts
    if slide.kind == "state":
        return districts.loc[districts["state_code"] == slide.key]
    if slide.kind == "zone":
        return districts.loc[districts["ags"].isin(zone_members(data.zone_districts, slide.key))]
    return districts


# --- figures --------------------------------------------------------------------------------------------


def slide_figures(slide: Slide, data: SlideData, lang: str) -> list[Figure]:
    return [_figure(name, slide, data, lang) for name in slide.figures]


def _figure(name: str, slide: Slide, data: SlideData, lang: str) -> Figure:
    if name.startswith(FACT_PREFIX):
        return _fact_figure(name.removeprefix(FACT_PREFIX), data, lang)
    if slide.kind == "site":
        return _site_figure(name, _site(slide, data), data, lang)
    if slide.kind == "program":
        return _program_figure(name, slide, data, lang)
    return _area_figure(name, slide, data, lang)


def _statistics_caption(lang: str) -> str:
    """The district statistics' source with their date and stale mark, by the atlas's one rule."""
    age = figure_age_of("population")
    return t("slide_figure_source_destatis", lang, note=age.marked_note(lang) if age else t("facts_undated", lang))


def _sites_caption(data: SlideData, lang: str) -> str:
    updated = pd.to_datetime(data.sites["updated"], errors="coerce").max() if len(data.sites) else pd.NaT
    return t("slide_figure_source_sites", lang, updated="–" if pd.isna(updated) else format_date(updated, lang))


def _area_figure(name: str, slide: Slide, data: SlideData, lang: str) -> Figure:
    districts = _districts_in_view(slide, data)
    sites = sites_in_view(slide, data)
    label = t(f"slide_figure_{name}", lang)
    if name == "sites":
        return Figure(label, format_number(len(sites), lang), _sites_caption(data, lang))
    if name == "programs":
        return Figure(label, format_number(sites["program"].nunique(), lang), _sites_caption(data, lang))
    if name == "districts":
        return Figure(label, format_number(len(districts), lang), t("slide_figure_source_bkg", lang))
    population = float(districts["population"].sum())
    area = float(districts["area_km2"].sum())
    if name == "population":
        value = _millions(population, lang) if population >= 1_000_000 else format_number(population, lang)
    elif name == "area":
        value = f"{format_number(area, lang)}\u00a0km²"
    else:  # density
        value = t("slide_unit_per_km2", lang, value=format_number(population / area if area else None, lang))
    return Figure(label, value, _statistics_caption(lang))


def _program_figure(name: str, slide: Slide, data: SlideData, lang: str) -> Figure:
    sites = sites_in_view(slide, data)
    label = t(f"slide_figure_program_{name}", lang)
    if name == "sites":
        return Figure(label, format_number(len(sites), lang), _sites_caption(data, lang))
    if name == "states":
        return Figure(label, format_number(sites["state_code"].nunique(), lang), _sites_caption(data, lang))
    if name == "districts":
        return Figure(label, format_number(sites["district_ags"].nunique(), lang), _sites_caption(data, lang))
    claims = data.program_claims.loc[data.program_claims["program"] == slide.key].to_dict("records")
    claim = claims[0] if claims else {}
    host = _host(claim.get("source_url"))
    value = claimed_count_text(claim, lang) or t("slide_figure_not_stated", lang)
    if value and claim.get("claim_scope") == "germany":
        value = t("claimed_in_germany", lang, claimed=value)
    caption = t("slide_figure_source", lang, source=host) if host else t("slide_figure_source_program", lang)
    return Figure(label, value, caption)


def _site_figure(name: str, site: pd.Series, data: SlideData, lang: str) -> Figure:
    label = t(f"slide_figure_site_{name}", lang)
    if name == "year":
        year = year_value(site.get("year"))
        value = "–" if year is None else str(year)
        return Figure(label, value, t("slide_figure_source", lang, source=_host(site.get("source_url", "")) or "–"))
    if name in ("airport_km", "station_km", "city_km"):
        place_column = {"airport_km": "airport_name", "station_km": "station_name", "city_km": "city_name"}[name]
        distance = pd.to_numeric(pd.Series([site.get(name)]), errors="coerce").iloc[0]
        value = f"{format_number(distance if pd.notna(distance) else None, lang)}\u00a0km"
        place = str(site.get(place_column) or "")
        return Figure(label, value, t(f"slide_figure_caption_{name}", lang, place=place or "–"))
    district = data.districts.loc[data.districts["ags"] == site["district_ags"]]
    if district.empty:
        return Figure(label, "–", "")
    row = district.iloc[0]
    if name == "district_population":
        return Figure(label, format_number(row["population"], lang), f"{row['name']} · {_statistics_caption(lang)}")
    # aid: the regional aid ceiling for small companies in the site's district
    rate = row["aid_max_small_pct"]
    if row["aid_area"] not in ("C", "D") or pd.isna(rate):
        return Figure(label, "–", t("slide_figure_caption_aid_unknown", lang))
    return Figure(label, format_percent(rate, lang), t("slide_figure_caption_aid", lang, area=row["aid_area"]))


def _fact_figure(fact_id: str, data: SlideData, lang: str) -> Figure:
    fact = data.zone_facts.loc[data.zone_facts["fact_id"] == fact_id].iloc[0]
    label = str(pick(lang, fact["label_de"], fact["label_en"]))
    caption = t(
        "slide_figure_source_period",
        lang,
        source=_host(fact["source_url"]) or "–",
        period=period_text(fact["period"], lang),
    )
    return Figure(label, format_fact_value(fact["value"], str(fact["unit"]), lang), caption)


def _millions(value: float, lang: str) -> str:
    return t("slide_unit_million", lang, value=format_number(value / 1_000_000, lang, 1))


def _host(url: object) -> str:
    host = urlsplit(str(url or "")).netloc
    return host.removeprefix("www.")


# --- the figures as an image --------------------------------------------------------------------------


def figures_chart(title: str, figures: list[Figure], lang: str):
    """A slide's title and figures as a plotly figure (value large, label and source small), so staff can
    paste the same numbers into their own slides as PNG or SVG (geo.maps.export.chart_image)."""
    chart = go.Figure()
    count = max(len(figures), 1)
    for index, figure in enumerate(figures):
        x = (index + 0.5) / count
        for y, text, size, colour in (
            (0.70, figure.value, 60, "#0b5c8a"),
            (0.42, figure.label, 22, "#1b2733"),
            (0.16, figure.caption, 14, "#5f6f7f"),
        ):
            chart.add_annotation(
                x=x,
                y=y,
                xref="paper",
                yref="paper",
                xanchor="center",
                yanchor="middle",
                showarrow=False,
                text=_wrap(html_text(text), 44 if size < 20 else 30),
                font={"size": size, "color": colour},
            )
    chart.update_layout(
        title={"text": html_text(title), "font": {"size": 30, "color": "#1b2733"}, "x": 0.02},
        width=1600,
        height=450,
        margin={"l": 20, "r": 20, "t": 70, "b": 10},
        xaxis={"visible": False},
        yaxis={"visible": False},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        font={"family": "sans-serif"},
        meta={"lang": lang},
    )
    return chart


def html_text(text: str) -> str:
    """Plotly renders a subset of HTML in annotations: escape data so it shows as text."""
    return html.escape(str(text), quote=False)


def _wrap(text: str, width: int) -> str:
    return "<br>".join(textwrap.wrap(text, width=width)) or text
