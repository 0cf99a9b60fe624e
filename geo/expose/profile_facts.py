"""The lines and sections a site profile is made of (geo.expose.profile builds them; the pages, the
comparison and the exposé draw them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from geo.sites.provenance import FigureAge


@dataclass(frozen=True)
class Fact:
    """One labelled line of the profile; `url` makes the value a link. A figure with a date carries its
    `age` (`geo.sites.provenance.figure_age`): the profile, the comparison and the exposé show the date
    beside it and mark it when it is stale."""

    label: str
    value: str
    url: str = ""
    source_url: str = ""  # the page that states the figure
    source_note: str = ""  # more about the source, e.g. a statistical table's code
    age: FigureAge | None = None  # the figure's date and whether it is stale

    @property
    def old(self) -> bool:
        """The figure's date lies more than 12 months back, or it has none (the one rule)."""
        return self.age is not None and self.age.stale


@dataclass(frozen=True)
class ProfileSection:
    """A section of the profile; the further ones (labour market, pool, research: geo/expose/investor.py)
    are added by the caller with dataclasses.replace: heading, facts, notes below them."""

    heading: str
    facts: tuple[Fact, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
