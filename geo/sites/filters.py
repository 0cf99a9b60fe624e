"""Which sites the visitor sees: the filter state, its URL form, and the filtering itself.

The filter lives in the URL so a copied link restores the view (`?state=SN&program=kreativort&q=Görlitz`).
Repeated parameters carry several values (`?state=SN&state=ST`, as Streamlit's own query-parameter
binding writes them); a comma-separated value (`?state=SN,ST`) is accepted too, for hand-written links.

Within one category the values are alternatives (Saxony *or* Saxony-Anhalt); the categories narrow
each other (Saxony-Anhalt *and* the program Zukunftsort). The free-text search looks at name,
municipality, locality and both descriptions, ignores case and accents, and treats "ö" and "oe" alike,
so `Goerlitz`, `gorlitz` and `Görlitz` all find Görlitz. Every word of the query must occur.

The plot-fact filters narrow the same way: available area at least `area_min` hectares, price at most
`price_max` €/m² (the site's upper price), zoning and rail siding as alternatives. A site without the
figure drops out of a range filter (it is never assumed to qualify); `range_filter_drops` says how many.
`pool_min` keeps the sites with at least that many inhabitants within 45 km (the labour-pool estimate of
geo/sites/labour_pool.py, straight line).

A link is outside input: a parameter longer than MAX_PARAM_LENGTH is ignored as a whole, and the values a
parameter names that the atlas does not know are reported once per parameter, duplicates merged and at most
MAX_REPORTED_VALUES of them named (`IgnoredValues`), so a long hostile link costs one short note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd

from geo.core.schema import THEME_SEPARATOR
from geo.core.values import cut_text, parse_number
from geo.sites.facts import RAIL_SIDING, ZONING, value_codes
from geo.sites.renames import resolve_site_id
from geo.sites.rules import fold_for_search

# URL parameter names (stable: they appear in shared links).
STATE_PARAM = "state"
PROGRAM_PARAM = "program"
THEME_PARAM = "theme"
ZONE_PARAM = "zone"
QUERY_PARAM = "q"
SITE_PARAM = "site"
MAP_PAGE = "karte"  # the map page's URL path (views/pages.py), where a site's link opens its profile
AREA_MIN_PARAM = "area_min"
PRICE_MAX_PARAM = "price_max"
ZONING_PARAM = "zoning"
RAIL_PARAM = "rail"
POOL_MIN_PARAM = "pool_min"
FILTER_PARAMS = (
    STATE_PARAM,
    PROGRAM_PARAM,
    THEME_PARAM,
    ZONE_PARAM,
    QUERY_PARAM,
    AREA_MIN_PARAM,
    PRICE_MAX_PARAM,
    ZONING_PARAM,
    RAIL_PARAM,
    POOL_MIN_PARAM,
)
# range filter -> the site column it compares (the derived fact columns of geo.sites.facts, the pool)
RANGE_COLUMNS = {
    AREA_MIN_PARAM: "area_available_ha",
    PRICE_MAX_PARAM: "price_eur_m2_max",
    POOL_MIN_PARAM: "pool_45_km",
}
MAX_RANGE_VALUE = 100_000.0
# the largest bound each range filter takes (inhabitants are counted in millions)
MAX_RANGE_VALUES = {AREA_MIN_PARAM: MAX_RANGE_VALUE, PRICE_MAX_PARAM: MAX_RANGE_VALUE, POOL_MIN_PARAM: 100_000_000.0}

MAX_QUERY_LENGTH = 100
MAX_PARAM_LENGTH = 2_000  # characters of one parameter, all its values together (every code fits many times)
MAX_REPORTED_VALUES = 5  # unknown values named in a note; the others are counted
SEARCHED_COLUMNS = ("name", "municipality", "locality", "description_de", "description_en")


@dataclass(frozen=True)
class SiteFilter:
    """The visitor's filter. Frozen and made of tuples, so it can key a cache."""

    states: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    zones: tuple[str, ...] = ()
    query: str = ""
    area_min: float | None = None  # available area at least, ha
    price_max: float | None = None  # price at most, €/m²
    zoning: tuple[str, ...] = ()
    rail: tuple[str, ...] = ()
    pool_min: float | None = None  # inhabitants within 45 km at least (estimate)

    @property
    def is_empty(self) -> bool:
        return not (
            self.states
            or self.programs
            or self.themes
            or self.zones
            or self.query.strip()
            or self.area_min is not None
            or self.price_max is not None
            or self.zoning
            or self.rail
            or self.pool_min is not None
        )

    def to_query_params(self) -> dict[str, list[str]]:
        """The URL form: parameter -> values (empty categories left out)."""
        params = {
            STATE_PARAM: list(self.states),
            PROGRAM_PARAM: list(self.programs),
            THEME_PARAM: list(self.themes),
            ZONE_PARAM: list(self.zones),
            QUERY_PARAM: [self.query] if self.query.strip() else [],
            AREA_MIN_PARAM: [] if self.area_min is None else [format_param_number(self.area_min)],
            PRICE_MAX_PARAM: [] if self.price_max is None else [format_param_number(self.price_max)],
            ZONING_PARAM: list(self.zoning),
            RAIL_PARAM: list(self.rail),
            POOL_MIN_PARAM: [] if self.pool_min is None else [format_param_number(self.pool_min)],
        }
        return {name: values for name, values in params.items() if values}


@dataclass(frozen=True)
class Vocabulary:
    """The values a filter may take (codes, in the order the widgets list them)."""

    states: tuple[str, ...]
    programs: tuple[str, ...]
    themes: tuple[str, ...]
    zones: tuple[str, ...]
    zoning: tuple[str, ...] = tuple(ZONING)
    rail: tuple[str, ...] = tuple(RAIL_SIDING)

    def allowed(self, param: str) -> tuple[str, ...]:
        return {
            STATE_PARAM: self.states,
            PROGRAM_PARAM: self.programs,
            THEME_PARAM: self.themes,
            ZONE_PARAM: self.zones,
            ZONING_PARAM: self.zoning,
            RAIL_PARAM: self.rail,
        }[param]


@dataclass(frozen=True)
class ParamProblem:
    """URL values that were ignored: which parameter and what it said (shown to the visitor, escaped).
    `value` is the first one; `others` the next distinct ones (together at most MAX_REPORTED_VALUES);
    `more` counts the distinct values beyond them."""

    param: str
    value: str
    others: tuple[str, ...] = ()
    more: int = 0

    @property
    def values(self) -> tuple[str, ...]:
        return (self.value, *self.others)


class IgnoredValues:
    """The distinct values (compared case-insensitively) a URL parameter named and the atlas ignored:
    the first MAX_REPORTED_VALUES kept to be shown, the rest only counted."""

    def __init__(self) -> None:
        self.shown: list[str] = []
        self.more = 0
        self._seen: set[str] = set()

    def add(self, value: str) -> None:
        folded = value.casefold()
        if folded in self._seen:
            return
        self._seen.add(folded)
        if len(self.shown) < MAX_REPORTED_VALUES:
            self.shown.append(value)
        else:
            self.more += 1

    def problem(self, param: str) -> ParamProblem | None:
        """One problem naming them all, or None when nothing was ignored."""
        if not self.shown:
            return None
        return ParamProblem(param, self.shown[0], tuple(self.shown[1:]), self.more)


@dataclass(frozen=True)
class ParsedFilter:
    site_filter: SiteFilter
    problems: tuple[ParamProblem, ...] = field(default_factory=tuple)


def _split_values(raw_values: Iterable[str]) -> list[str]:
    values: list[str] = []
    for raw in raw_values:
        values.extend(part.strip() for part in str(raw).split(",") if part.strip())
    return values


def format_param_number(value: float) -> str:
    """A range bound as the URL writes it: `5`, `2.5` (point, no trailing zeros)."""
    return format(float(value), ".15g")


def parse_param_number(
    raw: Sequence[str] | str | None, maximum: float = MAX_RANGE_VALUE
) -> tuple[float | None, str | None]:
    """(number, None) for a valid bound, (None, None) when absent, (None, raw text) when unusable.

    Numbers as `geo.core.values.parse_number` reads them (`5`, `2.5`, the German `2,5`); a bound must be
    zero or more and at most `maximum`."""
    values = [raw] if isinstance(raw, str) else list(raw or [])
    text = str(values[-1]).strip() if values else ""
    if not text:
        return None, None
    number = parse_number(text)
    if number is None or number < 0 or number > maximum:
        return None, text
    return number, None


def parse_filter_params(params: Mapping[str, Sequence[str] | str], vocabulary: Vocabulary) -> ParsedFilter:
    """Read a filter from URL parameters (each a list of values, or one string).

    Unknown codes are dropped and reported, never raised: a mistyped or outdated link still opens,
    with a friendly note. Codes compare case-insensitively (`?state=sn` works); duplicates collapse.
    """
    problems: list[ParamProblem] = []
    chosen: dict[str, tuple[str, ...]] = {}
    for param in (STATE_PARAM, PROGRAM_PARAM, THEME_PARAM, ZONE_PARAM, ZONING_PARAM, RAIL_PARAM):
        raw = params.get(param, [])
        raw_values = [raw] if isinstance(raw, str) else list(raw)
        if sum(len(str(value)) for value in raw_values) > MAX_PARAM_LENGTH:  # ignored whole, one note
            problems.append(ParamProblem(param, ",".join(str(value) for value in raw_values)[:MAX_QUERY_LENGTH]))
            chosen[param] = ()
            continue
        by_folded = {code.casefold(): code for code in vocabulary.allowed(param)}
        accepted: set[str] = set()
        ignored = IgnoredValues()
        for value in _split_values(raw_values):
            code = by_folded.get(value.casefold())
            if code is None:
                ignored.add(value)
            else:
                accepted.add(code)
        problem = ignored.problem(param)
        if problem is not None:
            problems.append(problem)
        # keep the vocabulary's order, so equal filters are equal whatever the URL's order
        chosen[param] = tuple(code for code in vocabulary.allowed(param) if code in accepted)
    raw_query = params.get(QUERY_PARAM, "")
    query = raw_query if isinstance(raw_query, str) else (list(raw_query)[-1] if raw_query else "")
    query = " ".join(str(query).split())
    if len(query) > MAX_QUERY_LENGTH:
        problems.append(ParamProblem(QUERY_PARAM, query))
        query = query[:MAX_QUERY_LENGTH]
    bounds: dict[str, float | None] = {}
    for param in (AREA_MIN_PARAM, PRICE_MAX_PARAM, POOL_MIN_PARAM):
        bounds[param], unusable = parse_param_number(params.get(param), MAX_RANGE_VALUES[param])
        if unusable is not None:
            problems.append(ParamProblem(param, unusable))
    return ParsedFilter(
        SiteFilter(
            chosen[STATE_PARAM],
            chosen[PROGRAM_PARAM],
            chosen[THEME_PARAM],
            chosen[ZONE_PARAM],
            query,
            area_min=bounds[AREA_MIN_PARAM],
            price_max=bounds[PRICE_MAX_PARAM],
            zoning=chosen[ZONING_PARAM],
            rail=chosen[RAIL_PARAM],
            pool_min=bounds[POOL_MIN_PARAM],
        ),
        tuple(problems),
    )


def parse_site_param(
    value: str | None, known_site_ids: Iterable[str], renamed: Mapping[str, str] | None = None
) -> tuple[str | None, ParamProblem | None]:
    """The site a link asks for: (site_id, None), (None, None) if none, or (None, problem) if unknown. The
    old id of a renamed site (`renamed`: old id -> new id, geo.sites.renames) gives the site's id today."""
    if value is None or not str(value).strip():
        return None, None
    known = known_site_ids if isinstance(known_site_ids, (set, frozenset)) else set(known_site_ids)
    site_id = resolve_site_id(str(value).strip()[:MAX_PARAM_LENGTH], known, renamed or {})
    if site_id in known:
        return site_id, None
    return None, ParamProblem(SITE_PARAM, str(value).strip())


# --- search -------------------------------------------------------------------------------------------


def fold_text(text: str) -> str:
    """Text reduced for matching: no case, no accents, ß as ss, and ä/ae, ö/oe, ü/ue made equal (the
    shared folding of `geo.sites.rules`, so search and import read names alike)."""
    return fold_for_search(text)


def search_text(sites: pd.DataFrame) -> pd.Series:
    """One folded string per site over the searched columns (compute once per data version)."""
    columns = [column for column in SEARCHED_COLUMNS if column in sites.columns]
    joined = sites[columns].fillna("").astype(str).agg(" ".join, axis=1)
    return joined.map(fold_text)


def matches_query(folded_texts: pd.Series, query: str) -> pd.Series:
    """True where every word of `query` occurs in the folded text."""
    words = fold_text(query).split()
    mask = pd.Series(True, index=folded_texts.index)
    for word in words:
        mask &= folded_texts.str.contains(word, regex=False)
    return mask


# --- filtering ----------------------------------------------------------------------------------------


def in_zones(sites: pd.DataFrame, zones: Iterable[str], zone_districts: pd.DataFrame) -> pd.Series:
    """True where a site's district belongs to one of `zones` (a site is in a zone through its district)."""
    members = zone_districts.loc[zone_districts["zone_id"].isin(list(zones)), "ags"]
    return sites["district_ags"].isin(set(members))


def has_theme(sites: pd.DataFrame, themes: Iterable[str]) -> pd.Series:
    """True where one of a site's `;`-joined themes is one of `themes` (whole theme ids, not parts)."""
    alternatives = "|".join(re.escape(theme) for theme in themes)
    separator = re.escape(THEME_SEPARATOR)
    pattern = f"(?:^|{separator})(?:{alternatives})(?:{separator}|$)"
    return sites["themes"].fillna("").astype(str).str.contains(pattern, regex=True)


def filter_mask(
    sites: pd.DataFrame, site_filter: SiteFilter, zone_districts: pd.DataFrame, folded_texts: pd.Series | None = None
) -> pd.Series:
    """Boolean Series: which sites pass `site_filter`."""
    mask = pd.Series(True, index=sites.index)
    if site_filter.states:
        mask &= sites["state_code"].isin(list(site_filter.states))
    if site_filter.programs:
        mask &= sites["program"].isin(list(site_filter.programs))
    if site_filter.themes:
        mask &= has_theme(sites, site_filter.themes)
    if site_filter.zones:
        mask &= in_zones(sites, site_filter.zones, zone_districts)
    if site_filter.query.strip():
        texts = search_text(sites) if folded_texts is None else folded_texts
        mask &= matches_query(texts, site_filter.query)
    return (mask & fact_mask(sites, site_filter)).astype(bool)


def _fact_column(sites: pd.DataFrame, column: str, numeric: bool) -> pd.Series:
    """A derived fact column, or an all-missing one when the data has none (older files, synthetic sites)."""
    if column in sites.columns:
        return pd.to_numeric(sites[column], errors="coerce") if numeric else sites[column]
    return pd.Series(float("nan") if numeric else None, index=sites.index, dtype="float64" if numeric else "object")


def fact_mask(sites: pd.DataFrame, site_filter: SiteFilter) -> pd.Series:
    """Which sites pass the plot-fact filters; a site without the figure fails a range filter."""
    mask = pd.Series(True, index=sites.index)
    if site_filter.area_min is not None:
        mask &= _fact_column(sites, RANGE_COLUMNS[AREA_MIN_PARAM], True) >= site_filter.area_min
    if site_filter.price_max is not None:
        mask &= _fact_column(sites, RANGE_COLUMNS[PRICE_MAX_PARAM], True) <= site_filter.price_max
    if site_filter.zoning:
        wanted = set(site_filter.zoning)
        mask &= _fact_column(sites, "zoning", False).map(
            lambda value: bool(wanted.intersection(value_codes("zoning", value)))
        )
    if site_filter.rail:
        mask &= _fact_column(sites, "rail_siding", False).isin(list(site_filter.rail))
    if site_filter.pool_min is not None:
        mask &= _fact_column(sites, RANGE_COLUMNS[POOL_MIN_PARAM], True) >= site_filter.pool_min
    return mask.fillna(False).astype(bool)


def range_filter_drops(
    sites: pd.DataFrame, site_filter: SiteFilter, zone_districts: pd.DataFrame, folded_texts: pd.Series | None = None
) -> dict[str, int]:
    """For each active range filter: how many sites pass every other filter but lack that figure
    (the count tells the visitor that they dropped out for want of data, not for their value)."""
    drops: dict[str, int] = {}
    without_bound = (
        (AREA_MIN_PARAM, site_filter.area_min, replace(site_filter, area_min=None)),
        (PRICE_MAX_PARAM, site_filter.price_max, replace(site_filter, price_max=None)),
        (POOL_MIN_PARAM, site_filter.pool_min, replace(site_filter, pool_min=None)),
    )
    for param, bound, others in without_bound:
        if bound is None:
            continue
        passing = filter_mask(sites, others, zone_districts, folded_texts)
        missing = _fact_column(sites, RANGE_COLUMNS[param], True).isna()
        drops[param] = int((passing & missing).sum())
    return drops


def filter_sites(
    sites: pd.DataFrame, site_filter: SiteFilter, zone_districts: pd.DataFrame, folded_texts: pd.Series | None = None
) -> pd.DataFrame:
    """The sites that pass `site_filter`, in their original order."""
    return sites[filter_mask(sites, site_filter, zone_districts, folded_texts)]


# Markdown and HTML characters, and `:` of Streamlit's own directives (`:red[…]`, `:material/icon:`)
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&$:])")


# Where GitHub-flavoured Markdown turns bare text into a link (`https://…`, `www.…`, an e-mail address):
# escapes do not stop it, as it looks at the text once they are resolved. An invisible WORD JOINER before
# it does (a link may only follow a space or punctuation), and the text reads the same.
_AUTOLINK_LITERALS = re.compile(r"(?i)(?=https?:|www\.|mailto:|xmpp:|@)")
_WORD_JOINER = "\u2060"


def markdown_literal(text: str, max_length: int | None = 60) -> str:
    """A URL value, file path or other outside text made safe to show inside Markdown (st.warning etc.):
    every Markdown and HTML character backslash-escaped, so a link like `?state=![x](https://evil/)` shows
    as text and loads nothing, and bare addresses kept from becoming links; values longer than
    `max_length` are cut (None: shown in full)."""
    text = cut_text(text, max_length)
    return _MARKDOWN_SPECIALS.sub(r"\\\1", _AUTOLINK_LITERALS.sub(_WORD_JOINER, text))


def markdown_values(problem: ParamProblem) -> str:
    """The values a problem names, each made `markdown_literal`, separated by commas (a note adds how
    many more there were: `problem.more`)."""
    return ", ".join(markdown_literal(value) for value in problem.values)
