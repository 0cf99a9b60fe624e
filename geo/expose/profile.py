"""A site's profile: what the atlas knows about one site and its district, in one language.

`site_profile(...)` collects the facts (formatted, not yet escaped) into a `SiteProfile`;
`profile_html(profile)` turns it into one escaped HTML block that the map page and the sites page show
alike. Precision is told honestly: most sites are placed only at their municipality, and the profile
says so. Distances are straight lines, never travel times. A district whose regional-aid status no
public source confirms is shown as "not verified", never with a rate of zero. Plot facts (area, zoning,
plan, rail, contact …) come from the `site_facts` table: each figure links its own source and shows its
qualifier ("≥ 30 ha") and date; figures older than 12 months, undated ones, the district's statistics of
2018 and an old `last_verified` are marked, by the one rule of `geo.sites.provenance`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import pandas as pd

from geo import indicators
from geo.core.fields import SITE_FIELDS, year_value
from geo.core.formatting import format_number
from geo.core.schema import COORDINATE_PRECISIONS, STATE_NAMES, THEME_SEPARATOR
from geo.core.schema import themes as theme_vocabulary
from geo.core.secondary_sources import is_secondary
from geo.core.values import escape_text, safe_url
from geo.expose.facts import site_facts_of
from geo.expose.profile_facts import Fact, ProfileSection
from geo.maps.symbols import program_label, symbol_image
from geo.sites.filters import MAP_PAGE, SITE_PARAM
from geo.sites.provenance import FigureAge, figure_age, format_as_of, is_older_than
from geo.texts import language_param, pick, t


@dataclass(frozen=True)
class ProfileTables:
    """The reference tables a profile draws on (no geometry): the full `districts` layer (key figures,
    aid), zones (zone_id, name, name_en, zone_type) and zone membership (zone_id, ags)."""

    districts: pd.DataFrame
    zones: pd.DataFrame
    zone_districts: pd.DataFrame
    # the names per language, worked out once: every profile and every row of a site list asks for them
    _district_names: dict[str, dict[str, str]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_layers(cls, districts: pd.DataFrame, zones: pd.DataFrame, zone_districts: pd.DataFrame) -> ProfileTables:
        def without_geometry(frame: pd.DataFrame) -> pd.DataFrame:
            return pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))

        return cls(without_geometry(districts), without_geometry(zones), pd.DataFrame(zone_districts))

    def district(self, ags: object) -> pd.Series | None:
        matches = self.districts[self.districts["ags"] == ags]
        return matches.iloc[0] if not matches.empty else None

    def district_names(self, lang: str) -> dict[str, str]:
        """AGS -> unambiguous district name (Leipzig the city vs. the Landkreis Leipzig); shared, not to be
        changed by the caller."""
        if lang not in self._district_names:
            self._district_names[lang] = indicators.district_labels(self.districts, lang)
        return self._district_names[lang]

    def district_name(self, ags: object, lang: str) -> str:
        return self.district_names(lang).get(str(ags), "")

    def zones_by_district(self, lang: str) -> dict[str, tuple[str, ...]]:
        """AGS -> names of the zones the district belongs to, sorted."""
        names = {zone["zone_id"]: indicators.zone_name(zone, lang) for zone in self.zones.to_dict("records")}
        members: dict[str, list[str]] = {}
        for zone_id, ags in zip(self.zone_districts["zone_id"], self.zone_districts["ags"], strict=True):
            if zone_id in names:
                members.setdefault(ags, []).append(names[zone_id])
        return {ags: tuple(sorted(zone_names)) for ags, zone_names in members.items()}

    def zone_names(self, ags: object, lang: str) -> tuple[str, ...]:
        return self.zones_by_district(lang).get(str(ags), ())


@dataclass(frozen=True)
class SiteProfile:
    site_id: str
    lang: str
    name: str
    program: str
    program_label: str
    place: str  # locality, municipality
    district: str
    state: str
    description: str
    description_note: str  # set when the text is shown in the other language
    themes: tuple[str, ...]
    precision: str
    zones: tuple[str, ...]
    key_figures: tuple[Fact, ...]
    surroundings: tuple[Fact, ...]
    aid: tuple[Fact, ...]
    aid_note: str
    links: tuple[Fact, ...] = field(default_factory=tuple)
    plot_facts: tuple[Fact, ...] = field(default_factory=tuple)
    plot_facts_notes: tuple[str, ...] = field(default_factory=tuple)
    sections: tuple[ProfileSection, ...] = field(default_factory=tuple)


def _is_missing(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def link_text(url: str, lang: str) -> str:
    """A source link's text: its host, and the mark of a copy (a document-sharing site, a Wikipedia mirror)."""
    host = urlsplit(url).netloc
    return f"{host} ({t('source_secondary_mark', lang)})" if is_secondary(url) else host


def _key_figures(district: pd.Series | None, lang: str, today: dt.date) -> tuple[Fact, ...]:
    """Population, density and area of the district, each with the date of the statistics."""
    if district is None:
        return ()
    figures = []
    for key in ("population", "density", "area_km2"):
        definition = indicators.indicator(key)
        value = indicators.format_value(definition, district.get(key), lang, with_unit=True)
        as_of = definition.as_of or str(district.get("stats_year") or definition.year)
        figures.append(Fact(definition.name(lang), value, age=figure_age(as_of, today)))
    return tuple(figures)


def precision_keys(precision: object) -> tuple[str, str]:
    """The text keys (short label, profile badge) of a site's location precision; anything unknown
    counts as the municipality, the least exact."""
    known = str(precision) if precision in COORDINATE_PRECISIONS else "municipality"
    return f"precision_{known}", f"site_profile_precision_{known}"


# Distances from an approximate point say where they are measured from.
_DISTANCE_ORIGIN_KEYS = {
    "locality": "site_profile_distance_from_locality",
    "municipality": "site_profile_distance_from_municipality",
}


def _surroundings(site: pd.Series, lang: str) -> tuple[Fact, ...]:
    facts = []
    origin_key = _DISTANCE_ORIGIN_KEYS.get(precision_keys(site.get("precision"))[0].removeprefix("precision_"))
    for kind, name_column, km_column in (
        ("airport", "airport_name", "airport_km"),
        ("station", "station_name", "station_km"),
        ("city", "city_name", "city_km"),
    ):
        name, km = site.get(name_column), site.get(km_column)
        if _is_missing(name) or _is_missing(km):
            continue
        if kind == "airport" and not _is_missing(site.get("airport_iata")):
            name = f"{name} ({site['airport_iata']})"
        distance = t("site_profile_straight_line_km", lang, km=format_number(float(km), lang, 1))
        if origin_key:
            distance = t(origin_key, lang, distance=distance)
        facts.append(Fact(t(f"site_profile_nearest_{kind}", lang), f"{name} – {distance}"))
    return tuple(facts)


def aid_evidence(confidence: object, lang: str) -> str:
    """What the aid figures rest on, said plainly instead of a "confidence" level: an authority names the
    district (high), only a newspaper does (medium-high), or it is derived from a state-wide rule (medium)."""
    key = {"high": "aid_evidence_named", "medium-high": "aid_evidence_newspaper"}.get(
        str(confidence or ""), "aid_evidence_derived"
    )
    return t(key, lang)


def _aid(district: pd.Series | None, lang: str) -> tuple[tuple[Fact, ...], str]:
    if district is None or _is_missing(district.get("aid_area")):
        return (), ""
    aid_area = str(district["aid_area"])
    area_definition = indicators.indicator("aid_area")
    facts = [Fact(area_definition.name(lang), indicators.format_value(area_definition, aid_area, lang))]
    if aid_area == indicators.NOT_VERIFIED:
        return tuple(facts), t("profile_aid_unverified", lang)
    ceilings = {
        size: indicators.format_value(
            indicators.indicator(key), district.get(key), lang, with_unit=True, aid_area=aid_area
        )
        for size, key in zip(("large", "medium", "small"), indicators.AID_CEILING_KEYS, strict=True)
    }
    facts.append(Fact(t("site_profile_aid_ceilings_label", lang), t("site_profile_aid_ceilings", lang, **ceilings)))
    facts.append(Fact(t("aid_evidence_label", lang), aid_evidence(district.get("aid_confidence"), lang)))
    source = safe_url(district.get("aid_source_url"))
    if source:
        facts.append(Fact(t("profile_aid_source", lang), urlsplit(source).netloc, source))
    return tuple(facts), ""


def _plot_facts(
    facts: pd.DataFrame | None, site_id: str, lang: str, today: dt.date
) -> tuple[tuple[Fact, ...], tuple[str, ...]]:
    """The site's plot facts in field order, each with its source link, qualifier and date, plus the notes
    on their age and qualifiers (`geo.expose.facts.site_facts_of`)."""
    sourced = site_facts_of(site_id, facts, lang, today)
    shown = [Fact(fact.label, fact.value, fact.url, source_url=fact.source_url, age=fact.age) for fact in sourced]
    if not shown or facts is None:
        return (), ()
    notes = []
    verified_rows = facts[(facts["site_id"] == site_id) & (facts["field"] == "last_verified")]
    if not verified_rows.empty:
        verified = str(verified_rows.iloc[0]["value"])
        key = "facts_last_verified_old" if is_older_than(verified, today) else "facts_last_verified"
        notes.append(t(key, lang, date=format_as_of(verified, lang)))
    if any(fact.old for fact in shown):
        notes.append(t("facts_figures_old", lang))
    if any(fact.qualifier for fact in sourced):
        notes.append(t("facts_qualifier_note", lang))
    notes.append(t("facts_never_estimated", lang))
    return tuple(shown), tuple(notes)


def _description(site: pd.Series, lang: str) -> tuple[str, str]:
    wanted, other = pick(lang, ("description_de", "description_en"), ("description_en", "description_de"))
    if not _is_missing(site.get(wanted)):
        return str(site[wanted]), ""
    if not _is_missing(site.get(other)):
        return str(site[other]), t("site_profile_description_other_language", lang)
    return "", ""


def site_permalink(site_id: str, lang: str, page: str = MAP_PAGE) -> str:
    """The site's address relative to the app's root (a copied link opens this profile): where the
    profile's link and the exposé's link and QR code lead.

    `page` is the URL path of the page showing the profile: the map (default) or the sites table. Every
    page sits one level below the root, so the address also works relative to any page.
    """
    query = {SITE_PARAM: site_id} | language_param(lang)
    return f"{page}?{urlencode(query)}"


def theme_labels(themes_text: object, lang: str) -> tuple[str, ...]:
    """The labels of a site's `;`-joined theme ids (an unknown id shows as itself)."""
    themes = theme_vocabulary()
    return tuple(
        pick(lang, themes[code]["label_de"], themes[code]["label_en"]) if code in themes else code
        for code in str(themes_text or "").split(THEME_SEPARATOR)
        if code
    )


def site_profile(
    site: pd.Series, tables: ProfileTables, lang: str, facts: pd.DataFrame | None = None, today: dt.date | None = None
) -> SiteProfile:
    """The profile of `site` (a row of the sites layer) in `lang`; `facts` is the `site_facts` table
    (all sites or just this one) and `today` the date the age of the figures is judged against."""
    district = tables.district(site.get("district_ags"))
    zone_names = tables.zone_names(site.get("district_ags"), lang)
    place_parts = [str(site[column]) for column in ("locality", "municipality") if not _is_missing(site.get(column))]
    place = ", ".join(dict.fromkeys(place_parts))
    precision_key = precision_keys(site.get("precision"))[1]
    description, description_note = _description(site, lang)
    aid_facts, aid_note = _aid(district, lang)
    today = today or dt.date.today()
    plot_facts, plot_facts_notes = _plot_facts(facts, str(site["site_id"]), lang, today)
    links = []
    for site_field in SITE_FIELDS:
        url = safe_url(site.get(site_field.name)) if site_field.kind == "url" else None
        if url:
            links.append(Fact(t(site_field.heading, lang), link_text(url, lang), url))
    year = year_value(site.get("year"))
    program_text = program_label(str(site["program"]), lang)
    if year is not None:
        program_text = t("site_profile_program_since", lang, program=program_text, year=year)
    return SiteProfile(
        site_id=str(site["site_id"]),
        lang=lang,
        name=str(site["name"]),
        program=str(site["program"]),
        program_label=program_text,
        place=place or "–",
        district=tables.district_name(site.get("district_ags"), lang) or "–",
        state=STATE_NAMES.get(str(site.get("state_code")), {}).get(lang, str(site.get("state_code") or "")),
        description=description,
        description_note=description_note,
        themes=theme_labels(site.get("themes"), lang),
        precision=t(precision_key, lang),
        zones=zone_names,
        key_figures=_key_figures(district, lang, today),
        surroundings=_surroundings(site, lang),
        aid=aid_facts,
        aid_note=aid_note,
        links=tuple(links),
        plot_facts=plot_facts,
        plot_facts_notes=plot_facts_notes,
    )


# --- HTML ---------------------------------------------------------------------------------------------

PROFILE_CSS = """
.sa-profile { font-size: 0.95rem; line-height: 1.45; color: inherit; container-type: inline-size; }
.sa-profile h2 { font-size: 1.35rem; line-height: 1.25; margin: 0 0 0.3rem; padding: 0; }
.sa-profile h3 { font-size: 0.95rem; font-weight: 600; margin: 0.9rem 0 0.25rem; padding: 0; }
.sa-profile .sa-program { display: flex; align-items: center; gap: 0.4rem; margin: 0 0 0.4rem; }
.sa-profile .sa-precision { display: inline-block; border: 1px solid #8a6d00; background: #fff8e1; color: #4d3d00;
  border-radius: 3px; padding: 0 0.35rem; font-size: 0.85rem; }
.sa-profile dl { display: grid; grid-template-columns: minmax(min-content, 38%) minmax(0, 1fr); gap: 0.15rem 0.75rem;
  margin: 0; padding: 0; }
.sa-profile dt { color: #4a5663; margin: 0; padding: 0; }
.sa-profile dd { margin: 0; overflow-wrap: break-word; }
/* a narrow profile (a column beside the map, a phone) puts each label above its value: no word is broken;
   24rem keeps long compounds of a value ("Innovationsmanagement,") whole on a 390 px phone */
@container (max-width: 24rem) {
  .sa-profile dl { grid-template-columns: minmax(0, 1fr); gap: 0; }
  .sa-profile dd { margin: 0 0 0.35rem; }
}
.sa-profile p { margin: 0.3rem 0; }
.sa-profile ul { margin: 0.2rem 0; padding-left: 1.1rem; }
.sa-profile .sa-note { color: #4a5663; font-size: 0.85rem; }
.sa-profile .sa-source { color: #4a5663; font-size: 0.85rem; }
.sa-profile .sa-old { color: #8a4b00; font-weight: 600; font-size: 0.85rem; }
.sa-profile .sa-date { white-space: nowrap; }
.sa-profile a { color: #0b5cad; }
"""


def age_html(age: FigureAge | None, lang: str, source_html: str = "") -> str:
    """A figure's source link (escaped HTML, may be ""), date and stale mark as HTML: "(Quelle: mz.de,
    Stand 05/2021) ⚠ älter als 12 Monate". The mark is a sign and words, not a colour alone."""
    notes = [source_html] if source_html else []
    if age is not None and age.dated:  # the date stays on one line: "Stand 22.09.2011"
        notes.append(f'<span class="sa-date">{escape_text(age.note(lang))}</span>')
    html = f'<span class="sa-source">({", ".join(notes)})</span>' if notes else ""
    if age is not None and age.stale:
        html += f' <span class="sa-old">{escape_text(age.stale_text(lang))}</span>'
    return html.strip()


def source_link_html(source_url: str, lang: str, source_note: str = "") -> str:
    """A link to the page that states a figure: "Quelle: mz.de" (and `source_note`), opening a new tab."""
    text = t("facts_source", lang, host=urlsplit(source_url).netloc)
    if source_note:
        text = f"{text}, {source_note}"
    return (
        f'<a href="{escape_text(source_url)}" target="_blank" rel="noopener noreferrer">{escape_text(text)}'
        f'<span class="sa-sr"> ({escape_text(t("site_profile_new_tab", lang))})</span></a>'
    )


def _facts_html(facts: tuple[Fact, ...], lang: str) -> str:
    rows = []
    for fact in facts:
        value = escape_text(fact.value)
        if fact.url:
            value = (
                f'<a href="{escape_text(fact.url)}" target="_blank" rel="noopener noreferrer">{value}'
                f'<span class="sa-sr"> ({escape_text(t("site_profile_new_tab", lang))})</span></a>'
            )
        source_html = ""
        if fact.source_url:
            source_html = source_link_html(fact.source_url, lang, fact.source_note)
        elif fact.source_note:
            source_html = escape_text(fact.source_note)
        if source_html or fact.age is not None:
            value += " " + age_html(fact.age, lang, source_html)
        rows.append(f"<dt>{escape_text(fact.label)}</dt><dd>{value}</dd>")
    return f"<dl>{''.join(rows)}</dl>"


def profile_html(
    profile: SiteProfile, permalink: str | None = None, heading_level: int = 2, data_link: str | None = None
) -> str:
    """The profile as one HTML block; every text from data is escaped here. `data_link`: the site in the
    open data API (geo.api.links)."""
    lang = profile.lang
    level = max(2, min(heading_level, 5))
    sub = level + 1
    parts = [
        f"<style>{PROFILE_CSS}</style>",
        f'<section class="sa-profile" lang="{escape_text(lang)}" '
        f'aria-label="{escape_text(t("site_profile_label", lang, name=profile.name))}">',
        f"<h{level}>{escape_text(profile.name)}</h{level}>",
        f'<p class="sa-program">{symbol_image(profile.program)}<span>{escape_text(profile.program_label)}</span></p>',
        f'<p><span class="sa-precision">{escape_text(profile.precision)}</span></p>',
    ]
    where = [
        Fact(t("site_profile_place", lang), profile.place),
        Fact(t("site_profile_district", lang), profile.district),
        Fact(t("site_profile_state", lang), profile.state),
        Fact(
            t("site_profile_zones", lang),
            " · ".join(profile.zones) if profile.zones else t("site_profile_no_zone", lang),
        ),
    ]
    if profile.themes:
        where.append(Fact(t("site_profile_themes", lang), ", ".join(profile.themes)))
    parts.append(_facts_html(tuple(where), lang))
    if profile.description:
        parts.append(f"<h{sub}>{escape_text(t('site_profile_description', lang))}</h{sub}>")
        parts.append(f"<p>{escape_text(profile.description)}</p>")
        if profile.description_note:
            parts.append(f'<p class="sa-note">{escape_text(profile.description_note)}</p>')
    blocks = [
        ProfileSection(t("site_profile_key_figures", lang, district=profile.district), profile.key_figures),
        ProfileSection(
            t("site_profile_surroundings", lang), profile.surroundings, (t("site_profile_surroundings_note", lang),)
        ),
        *profile.sections,
        ProfileSection(t("profile_aid", lang), profile.aid, (profile.aid_note,) if profile.aid_note else ()),
        ProfileSection(t("facts_heading", lang), profile.plot_facts, profile.plot_facts_notes),
    ]
    for block in blocks:  # a block without facts is left out, except a further section (it says why)
        if block.facts or (block.notes and block in profile.sections):
            parts.append(f"<h{sub}>{escape_text(block.heading)}</h{sub}>")
            parts.append(_facts_html(block.facts, lang) if block.facts else "")
            parts.extend(f'<p class="sa-note">{escape_text(note)}</p>' for note in block.notes)
    if profile.links or permalink or data_link:
        parts.append(f"<h{sub}>{escape_text(t('site_profile_links', lang))}</h{sub}>")
        links = list(profile.links)
        parts.append(_facts_html(tuple(links), lang) if links else "")
        for href, key in ((permalink, "site_profile_permalink"), (data_link, "api_link_site")):
            if href:
                parts.append(f'<p><a href="{escape_text(href)}" target="_top">{escape_text(t(key, lang))}</a></p>')
    parts.append("</section>")
    return "".join(parts)
