"""The shortlist ("Merkliste"): up to six sites a visitor keeps to compare, carried in the URL.

Its URL form is one parameter with the site ids separated by commas, `?sites=a,b,c`, so a copied link
of the comparison page (`/vergleich?sites=a,b,c`) opens the same comparison for someone else. Order is
the order in which sites were added; an id appears once. Repeated parameters (`?sites=a&sites=b`) are
read too. Unknown ids (a site removed since the link was shared, a typo) are dropped and reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

SHORTLIST_PARAM = "sites"
MAX_SHORTLIST = 6
MIN_COMPARISON = 2
SEPARATOR = ","


@dataclass(frozen=True)
class ParsedShortlist:
    site_ids: tuple[str, ...]
    unknown: tuple[str, ...] = ()  # ids the data does not have (dropped)
    over_limit: tuple[str, ...] = ()  # ids beyond the sixth (dropped)


def parse_shortlist(values: str | Sequence[str] | None, known_site_ids: Iterable[str]) -> ParsedShortlist:
    """The shortlist of a URL value (`"a,b,c"` or a list of such values)."""
    if values is None:
        return ParsedShortlist(())
    raw = [values] if isinstance(values, str) else list(values)
    known = set(known_site_ids)
    kept: list[str] = []
    unknown: list[str] = []
    over: list[str] = []
    for value in raw:
        for part in str(value).split(SEPARATOR):
            site_id = part.strip()
            if not site_id or site_id in kept:
                continue
            if site_id not in known:
                if site_id not in unknown:
                    unknown.append(site_id)
            elif len(kept) >= MAX_SHORTLIST:
                over.append(site_id)
            else:
                kept.append(site_id)
    return ParsedShortlist(tuple(kept), tuple(unknown), tuple(over))


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
    query = {SHORTLIST_PARAM: shortlist_param(site_ids)} | ({"lang": lang} if lang != "de" else {})
    path = f"vergleich?{urlencode(query, safe=SEPARATOR)}"
    return f"{base_url.rstrip('/')}/{path}" if base_url else path
