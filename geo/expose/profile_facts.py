"""The lines and sections a site profile is made of (geo.expose.profile builds them; the pages, the
comparison and the exposé draw them)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Fact:
    """One labelled line of the profile; `url` makes the value a link."""

    label: str
    value: str
    url: str = ""
    source_url: str = ""  # the page that states the figure (plot facts)
    source_note: str = ""  # e.g. "Stand 05/2021"
    old: bool = False  # the figure's date lies more than 12 months back, or it has none


@dataclass(frozen=True)
class ProfileSection:
    """A section of the profile; the further ones (labour market, pool, research: geo/expose/investor.py)
    are added by the caller with dataclasses.replace: heading, facts, notes below them."""

    heading: str
    facts: tuple[Fact, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
