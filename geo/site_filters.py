"""Which sites the visitor sees: the filter state, its URL form, and the filtering itself.

The filter lives in the URL so a copied link restores the view (`?state=SN&program=kreativort&q=Görlitz`).
Repeated parameters carry several values (`?state=SN&state=ST`, as Streamlit's own query-parameter
binding writes them); a comma-separated value (`?state=SN,ST`) is accepted too, for hand-written links.

Within one category the values are alternatives (Saxony *or* Saxony-Anhalt); the categories narrow
each other (Saxony-Anhalt *and* the program Zukunftsort). The free-text search looks at name,
municipality, locality and both descriptions, ignores case and accents, and treats "ö" and "oe" alike,
so `Goerlitz`, `gorlitz` and `Görlitz` all find Görlitz. Every word of the query must occur.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from geo.schema import THEME_SEPARATOR

# URL parameter names (stable: they appear in shared links).
STATE_PARAM = "state"
PROGRAM_PARAM = "program"
THEME_PARAM = "theme"
ZONE_PARAM = "zone"
QUERY_PARAM = "q"
SITE_PARAM = "site"
FILTER_PARAMS = (STATE_PARAM, PROGRAM_PARAM, THEME_PARAM, ZONE_PARAM, QUERY_PARAM)

MAX_QUERY_LENGTH = 100
SEARCHED_COLUMNS = ("name", "municipality", "locality", "description_de", "description_en")


@dataclass(frozen=True)
class SiteFilter:
    """The visitor's filter. Frozen and made of tuples, so it can key a cache."""

    states: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    zones: tuple[str, ...] = ()
    query: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.states or self.programs or self.themes or self.zones or self.query.strip())

    def to_query_params(self) -> dict[str, list[str]]:
        """The URL form: parameter -> values (empty categories left out)."""
        params = {
            STATE_PARAM: list(self.states),
            PROGRAM_PARAM: list(self.programs),
            THEME_PARAM: list(self.themes),
            ZONE_PARAM: list(self.zones),
            QUERY_PARAM: [self.query] if self.query.strip() else [],
        }
        return {name: values for name, values in params.items() if values}


@dataclass(frozen=True)
class Vocabulary:
    """The values a filter may take (codes, in the order the widgets list them)."""

    states: tuple[str, ...]
    programs: tuple[str, ...]
    themes: tuple[str, ...]
    zones: tuple[str, ...]

    def allowed(self, param: str) -> tuple[str, ...]:
        return {STATE_PARAM: self.states, PROGRAM_PARAM: self.programs,
                THEME_PARAM: self.themes, ZONE_PARAM: self.zones}[param]


@dataclass(frozen=True)
class ParamProblem:
    """A URL value that was ignored: which parameter and what it said (shown to the visitor)."""

    param: str
    value: str


@dataclass(frozen=True)
class ParsedFilter:
    site_filter: SiteFilter
    problems: tuple[ParamProblem, ...] = field(default_factory=tuple)


def _split_values(raw_values: Iterable[str]) -> list[str]:
    values: list[str] = []
    for raw in raw_values:
        values.extend(part.strip() for part in str(raw).split(",") if part.strip())
    return values


def parse_filter_params(params: Mapping[str, Sequence[str] | str], vocabulary: Vocabulary) -> ParsedFilter:
    """Read a filter from URL parameters (each a list of values, or one string).

    Unknown codes are dropped and reported, never raised: a mistyped or outdated link still opens,
    with a friendly note. Codes compare case-insensitively (`?state=sn` works); duplicates collapse.
    """
    problems: list[ParamProblem] = []
    chosen: dict[str, tuple[str, ...]] = {}
    for param in (STATE_PARAM, PROGRAM_PARAM, THEME_PARAM, ZONE_PARAM):
        raw = params.get(param, [])
        raw_values = [raw] if isinstance(raw, str) else list(raw)
        by_folded = {code.casefold(): code for code in vocabulary.allowed(param)}
        accepted: list[str] = []
        for value in _split_values(raw_values):
            code = by_folded.get(value.casefold())
            if code is None:
                problems.append(ParamProblem(param, value))
            elif code not in accepted:
                accepted.append(code)
        # keep the vocabulary's order, so equal filters are equal whatever the URL's order
        chosen[param] = tuple(code for code in vocabulary.allowed(param) if code in accepted)
    raw_query = params.get(QUERY_PARAM, "")
    query = raw_query if isinstance(raw_query, str) else (list(raw_query)[-1] if raw_query else "")
    query = " ".join(str(query).split())
    if len(query) > MAX_QUERY_LENGTH:
        problems.append(ParamProblem(QUERY_PARAM, query))
        query = query[:MAX_QUERY_LENGTH]
    return ParsedFilter(
        SiteFilter(chosen[STATE_PARAM], chosen[PROGRAM_PARAM], chosen[THEME_PARAM], chosen[ZONE_PARAM], query),
        tuple(problems),
    )


def parse_site_param(value: str | None, known_site_ids: Iterable[str]) -> tuple[str | None, ParamProblem | None]:
    """The site a link asks for: (site_id, None), (None, None) if none, or (None, problem) if unknown."""
    if value is None or not str(value).strip():
        return None, None
    site_id = str(value).strip()
    if site_id in set(known_site_ids):
        return site_id, None
    return None, ParamProblem(SITE_PARAM, site_id)


# --- search -------------------------------------------------------------------------------------------

_DIGRAPHS = (("ae", "a"), ("oe", "o"), ("ue", "u"))


def fold_text(text: str) -> str:
    """Text reduced for matching: no case, no accents, ß as ss, and ä/ae, ö/oe, ü/ue made equal."""
    decomposed = unicodedata.normalize("NFKD", str(text).replace("ß", "ss").replace("ẞ", "ss"))
    folded = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    for digraph, vowel in _DIGRAPHS:
        folded = folded.replace(digraph, vowel)
    return " ".join(folded.split())


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

def site_zones(sites: pd.DataFrame, zone_districts: pd.DataFrame) -> pd.Series:
    """The zone ids of each site (through its district), as tuples in zone-id order."""
    by_district = zone_districts.groupby("ags")["zone_id"].agg(lambda ids: tuple(sorted(ids)))
    return sites["district_ags"].map(lambda ags: by_district.get(ags, ()))


def site_themes(sites: pd.DataFrame) -> pd.Series:
    return sites["themes"].fillna("").map(
        lambda text: tuple(theme for theme in str(text).split(THEME_SEPARATOR) if theme))


def filter_mask(sites: pd.DataFrame, site_filter: SiteFilter, zone_districts: pd.DataFrame,
                folded_texts: pd.Series | None = None) -> pd.Series:
    """Boolean Series: which sites pass `site_filter`."""
    mask = pd.Series(True, index=sites.index)
    if site_filter.states:
        mask &= sites["state_code"].isin(list(site_filter.states))
    if site_filter.programs:
        mask &= sites["program"].isin(list(site_filter.programs))
    if site_filter.themes:
        wanted = set(site_filter.themes)
        mask &= site_themes(sites).map(lambda themes: bool(wanted.intersection(themes)))
    if site_filter.zones:
        wanted_zones = set(site_filter.zones)
        mask &= site_zones(sites, zone_districts).map(lambda zones: bool(wanted_zones.intersection(zones)))
    if site_filter.query.strip():
        texts = search_text(sites) if folded_texts is None else folded_texts
        mask &= matches_query(texts, site_filter.query)
    return mask.astype(bool)


def filter_sites(sites: pd.DataFrame, site_filter: SiteFilter, zone_districts: pd.DataFrame,
                 folded_texts: pd.Series | None = None) -> pd.DataFrame:
    """The sites that pass `site_filter`, in their original order."""
    return sites[filter_mask(sites, site_filter, zone_districts, folded_texts)]


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&$])")


def markdown_literal(text: str, max_length: int = 60) -> str:
    """A URL value made safe to show inside Markdown (st.warning etc.): every Markdown and HTML
    character backslash-escaped, so a link like `?state=![x](https://evil/)` shows as text and loads
    nothing; long values are cut."""
    text = " ".join(str(text).split())
    if len(text) > max_length:
        text = text[: max_length - 1] + "…"
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)
