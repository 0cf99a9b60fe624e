"""The shortlist ("Merkliste"): up to six sites a visitor keeps to compare, carried in the URL.

Its URL form is one parameter with the site ids separated by commas, `?sites=a,b,c`, so a copied link
of the comparison page (`/vergleich?sites=a,b,c`) opens the same comparison for someone else. Order is
the order in which sites were added; an id appears once. Repeated parameters (`?sites=a&sites=b`) are
read too. A renamed site's old id (geo.sites.renames) stands for its id of today. Unknown ids (a site
removed since the link was shared, a typo) are dropped and reported, the way the filters report theirs
(`geo.sites.filters.IgnoredValues`: duplicates merged, a few named, the rest counted); a value longer than
MAX_SHORTLIST_LENGTH is not read at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd

from geo.core.values import escape_text
from geo.expose.facts import site_facts_of
from geo.expose.profile import Fact, ProfileTables, age_html, site_profile, source_link_html
from geo.sites.filters import IgnoredValues, ParamProblem
from geo.sites.provenance import FigureAge
from geo.sites.renames import resolve_site_id
from geo.texts import language_param, t

SHORTLIST_PARAM = "sites"
MAX_SHORTLIST = 6
MIN_COMPARISON = 2
SEPARATOR = ","
MAX_SHORTLIST_LENGTH = 1_000  # characters of the parameter: six ids of any length the atlas gives fit


@dataclass(frozen=True)
class ParsedShortlist:
    site_ids: tuple[str, ...]
    unknown: ParamProblem | None = None  # ids the data does not have (dropped)
    over_limit: ParamProblem | None = None  # ids beyond the sixth (dropped)


def parse_shortlist(
    values: str | Sequence[str] | None, known_site_ids: Iterable[str], renamed: Mapping[str, str] | None = None
) -> ParsedShortlist:
    """The shortlist of a URL value (`"a,b,c"` or a list of such values); `renamed` maps a renamed site's old
    id to its new one."""
    if values is None:
        return ParsedShortlist(())
    raw = [values] if isinstance(values, str) else list(values)
    if sum(len(str(value)) for value in raw) > MAX_SHORTLIST_LENGTH:
        shown = SEPARATOR.join(str(value) for value in raw)[:100]
        return ParsedShortlist((), ParamProblem(SHORTLIST_PARAM, shown))
    known = set(known_site_ids)
    kept: list[str] = []
    unknown, over = IgnoredValues(), IgnoredValues()
    for value in raw:
        for part in str(value).split(SEPARATOR):
            site_id = resolve_site_id(part.strip(), known, renamed or {})
            if not site_id or site_id in kept:
                continue
            if site_id not in known:
                unknown.add(site_id)
            elif len(kept) >= MAX_SHORTLIST:
                over.add(site_id)
            else:
                kept.append(site_id)
    return ParsedShortlist(tuple(kept), unknown.problem(SHORTLIST_PARAM), over.problem(SHORTLIST_PARAM))


def shortlist_param(site_ids: Sequence[str]) -> str:
    """The URL value of a shortlist ("" for an empty one)."""
    return SEPARATOR.join(site_ids)


def added(site_ids: Sequence[str], site_id: str) -> tuple[str, ...]:
    """The shortlist with `site_id` at its end; unchanged if it is there already or the list is full."""
    if site_id in site_ids or len(site_ids) >= MAX_SHORTLIST:
        return tuple(site_ids)
    return (*site_ids, site_id)


def removed(site_ids: Sequence[str], site_id: str) -> tuple[str, ...]:
    return tuple(existing for existing in site_ids if existing != site_id)


def is_full(site_ids: Sequence[str]) -> bool:
    return len(site_ids) >= MAX_SHORTLIST


def comparison_link(site_ids: Sequence[str], lang: str, base_url: str = "") -> str:
    """The comparison page's URL for a shortlist, relative (`vergleich?sites=…`) or below `base_url`."""
    query = {SHORTLIST_PARAM: shortlist_param(site_ids)} | language_param(lang)
    path = f"vergleich?{urlencode(query, safe=SEPARATOR)}"
    return f"{base_url.rstrip('/')}/{path}" if base_url else path


# --- the comparison: one row per attribute, one column per site ---------------------------------------


@dataclass(frozen=True)
class ComparisonCell:
    """One site's value of a row; `age` the figure's date and staleness (geo.sites.provenance), shown beside it."""

    text: str
    url: str = ""
    age: FigureAge | None = None
    source_url: str = ""  # the page that states the figure


@dataclass(frozen=True)
class ComparisonRow:
    group: str
    label: str
    cells: tuple[ComparisonCell, ...]

    @property
    def differs(self) -> bool:
        return len({cell.text for cell in self.cells}) > 1

    @property
    def marked(self) -> bool:
        """A cell of the row is stale or qualified (≈, ≥, ≤): the table then explains the signs."""
        return any((cell.age is not None and cell.age.stale) or cell.text[:1] in "≈≥≤" for cell in self.cells)


def comparison_rows(
    sites: pd.DataFrame,
    tables: ProfileTables,
    fact_sources: pd.DataFrame,
    lang: str,
    today: dt.date | None = None,
    sections=None,
) -> list[ComparisonRow]:
    """The comparison of `sites` (rows of the sites frame, in shortlist order), grouped like the profile:
    location, plot facts, district figures, regional aid, distances, contact and sources; each dated figure
    with its age judged on `today`."""
    profiles = [site_profile(site, tables, lang, today=today) for _, site in sites.iterrows()]
    missing = "–"
    rows: list[ComparisonRow] = []

    def add(group_key: str, label: str, cells: list[ComparisonCell]) -> None:
        rows.append(ComparisonRow(t(group_key, lang), label, tuple(cells)))

    def by_label(facts_of_each: list[tuple[Fact, ...]], group_key: str) -> None:
        labels = list(dict.fromkeys(fact.label for facts in facts_of_each for fact in facts))
        for label in labels:
            cells = []
            for facts in facts_of_each:
                fact = next((fact for fact in facts if fact.label == label), None)
                cells.append(
                    ComparisonCell(fact.value, fact.url, fact.age, fact.source_url)
                    if fact is not None
                    else ComparisonCell(missing)
                )
            add(group_key, label, cells)

    location = "comparison_group_location"
    add(location, t("comparison_row_program", lang), [ComparisonCell(p.program_label) for p in profiles])
    add(location, t("comparison_row_place", lang), [ComparisonCell(p.place) for p in profiles])
    add(location, t("site_profile_district", lang), [ComparisonCell(p.district) for p in profiles])
    add(location, t("site_profile_state", lang), [ComparisonCell(p.state) for p in profiles])
    add(
        location,
        t("site_profile_zones", lang),
        [ComparisonCell(" · ".join(p.zones) or t("site_profile_no_zone", lang)) for p in profiles],
    )
    add(location, t("comparison_row_precision", lang), [ComparisonCell(p.precision) for p in profiles])
    add(location, t("site_profile_themes", lang), [ComparisonCell(", ".join(p.themes) or missing) for p in profiles])

    facts_of_each = [site_facts_of(site, fact_sources, lang, today) for _, site in sites.iterrows()]
    plot_facts = [
        tuple(Fact(f.label, f.value, f.url, f.source_url, age=f.age) for f in facts if not f.is_contact)
        for facts in facts_of_each
    ]
    if any(plot_facts):
        by_label(plot_facts, "comparison_group_facts")
    else:
        add(
            "comparison_group_facts",
            t("expose_plot_facts", lang),
            [ComparisonCell(t("comparison_no_facts", lang)) for _ in profiles],
        )
    by_label([p.key_figures for p in profiles], "comparison_group_district")
    by_label([tuple(fact for fact in p.aid if not fact.url) for p in profiles], "comparison_group_aid")
    by_label([p.surroundings for p in profiles], "comparison_group_surroundings")
    if sections is not None:  # labour market, pool, research (geo/expose/investor.py)
        from geo.expose.investor import comparison_facts

        for group_key, group_facts in comparison_facts([sections(site, lang) for _, site in sites.iterrows()], lang):
            by_label(group_facts, group_key)
    contact = [
        tuple(Fact(f.label, f.value, f.url, f.source_url, age=f.age) for f in facts if f.is_contact) + p.links
        for facts, p in zip(facts_of_each, profiles, strict=True)
    ]
    by_label(contact, "comparison_group_contact")
    return rows


COMPARISON_CSS = """
.sa-compare { overflow-x: auto; max-width: 100%; }
.sa-compare table { border-collapse: separate; border-spacing: 0; width: 100%; font-size: 0.9rem; line-height: 1.35; }
.sa-compare caption { text-align: left; font-weight: 600; padding: 0 0 0.4rem; }
/* a word breaks only where it cannot fill a line of its own (a long address), never letter by letter: the
   columns keep room for the longest words ("Bevölkerungsdichte") and the table scrolls sideways instead */
.sa-compare th, .sa-compare td { border-bottom: 1px solid #d5dde5; padding: 0.3rem 0.5rem; text-align: left;
  vertical-align: top; overflow-wrap: break-word; hyphens: manual; }
.sa-compare thead th { border-bottom: 2px solid #1b2733; min-width: 10rem; }
/* the row labels stay in view while the sites scroll past them */
.sa-compare th[scope=row], .sa-compare thead th:first-child { position: sticky; left: 0; z-index: 1;
  background: #fff; min-width: 10.5rem; width: 14rem; box-shadow: 1px 0 0 #d5dde5; }
@media (max-width: 640px) { .sa-compare th[scope=row], .sa-compare thead th:first-child { width: 10.5rem; } }
.sa-compare tbody th[scope=row] { color: #4a5663; font-weight: 400; }
.sa-compare th.sa-group { background: #eef2f6; color: #1b2733; font-weight: 600; }
.sa-compare .sa-group-label { position: sticky; left: 0.5rem; display: inline-block; }
.sa-compare tr.sa-differs td { background: #fff8e1; }
.sa-compare tr.sa-differs th[scope=row] { border-left: 4px solid #8a6d00; font-weight: 600; color: #1b2733; }
.sa-compare .sa-mark { color: #4d3d00; font-weight: 700; }
.sa-compare a { color: #0b5cad; }
.sa-compare .sa-number { display: inline-block; min-width: 1.4rem; font-weight: 700; }
.sa-compare .sa-source { display: block; color: #4a5663; font-size: 0.8rem; }
.sa-compare .sa-old { display: block; color: #8a4b00; font-size: 0.8rem; font-weight: 600; }
.sa-compare .sa-date { white-space: nowrap; }
.sa-compare-note { color: #4a5663; font-size: 0.85rem; margin: 0.4rem 0 0; }
"""


def comparison_html(
    names: Sequence[str], rows: Sequence[ComparisonRow], lang: str, only_differences: bool = False
) -> str:
    """The comparison as one accessible HTML table; every text from data is escaped here. Rows whose
    values differ are highlighted and say so in words (not by colour alone)."""
    shown = [row for row in rows if row.differs] if only_differences else list(rows)
    header = "".join(
        f'<th scope="col"><span class="sa-number">{number}</span>{escape_text(name)}</th>'
        for number, name in enumerate(names, start=1)
    )
    parts = [
        f"<style>{COMPARISON_CSS}</style>",
        f'<div class="sa-compare" lang="{escape_text(lang)}">',
        f"<table><caption>{escape_text(t('comparison_table_caption', lang, count=len(names)))}</caption>",
        f'<thead><tr><th scope="col">{escape_text(t("comparison_attribute", lang))}</th>{header}</tr></thead><tbody>',
    ]
    group = None
    for row in shown:
        if row.group != group:
            group = row.group
            parts.append(
                f'<tr><th class="sa-group" scope="colgroup" colspan="{len(names) + 1}">'
                f'<span class="sa-group-label">{escape_text(group)}</span></th></tr>'
            )
        cells = []
        for cell in row.cells:
            text = escape_text(cell.text)
            if cell.url:
                text = (
                    f'<a href="{escape_text(cell.url)}" target="_blank" rel="noopener noreferrer">{text}'
                    f'<span class="sa-sr"> ({escape_text(t("site_profile_new_tab", lang))})</span></a>'
                )
            if cell.age is not None:
                source = source_link_html(cell.source_url, lang) if cell.source_url else ""
                text += " " + age_html(cell.age, lang, source)
            cells.append(f"<td>{text}</td>")
        mark = (
            (
                f' <span class="sa-mark" aria-hidden="true">≠</span><span class="sa-sr"> '
                f"({escape_text(t('comparison_differs', lang))})</span>"
            )
            if row.differs
            else ""
        )
        css_class = ' class="sa-differs"' if row.differs else ""
        parts.append(f'<tr{css_class}><th scope="row">{escape_text(row.label)}{mark}</th>{"".join(cells)}</tr>')
    parts.append("</tbody></table>")
    if any(row.marked for row in shown):
        parts.append(f'<p class="sa-compare-note">{escape_text(t("figures_age_legend", lang))}</p>')
    parts.append("</div>")
    return "".join(parts)
