"""Which municipality a name means, in the boundaries of 2017 that the reference data has.

The site list and stewards name places as people write them ("Lutherstadt
Wittenberg", "Große Kreisstadt Meißen", "Goerlitz", "Halle (Saale) (kreisfreie Stadt)"), while the
boundaries carry the VG250 names (status 2017: "Wittenberg", "Meißen", "Görlitz", "Halle (Saale)").
The lookup closes that gap with a small, explicit normalisation and never guesses:

- a name matches when its normalised form is equal (case, umlauts and ß or their spelling as ae/oe/ue/ss,
  dashes and spaces, status words such as "Stadt", "Hansestadt", "Große Kreisstadt" as prefix or as
  "(Hansestadt)" or ", Stadt");
- then with trailing parentheses removed one by one ("Coswig (Anhalt) (Jeber-Bergfrieden)" finds
  Coswig (Anhalt));
- only if nothing matches that way, the base names are compared, i.e. without a qualifier in
  parentheses or after a slash ("Kalbe (Milde)" → "kalbe", "Wiesenburg/Mark" → "wiesenburg"), and only
  when one side has no qualifier ("Herzberg (Elster)" never matches "Herzberg (Mark)");
- within a district when the district is known, because several Gemeinden share a name;
- more than one candidate is an error (ambiguous), none is an error (not found).

Municipalities formed after 2017 are not in the 2017 boundaries. They are resolved through
data/sources/municipality_mergers.csv (each row a predecessor Gemeinde with the public source of the
merger): the site's locality picks the predecessor polygon.

The build and the import both place a site through these rules.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geo.core.paths import SOURCES_DIR
from geo.core.values import is_web_url
from geo.sites.rules import fold

# Status words that are part of how a place is called but not of the VG250 name (GEN).
_STATUS_PREFIXES = (
    "kreisfreie stadt",
    "grosse kreisstadt",
    "landeshauptstadt",
    "universitaetsstadt",
    "welterbestadt",
    "lutherstadt",
    "hansestadt",
    "landgemeinde",
    "gemeinde",
    "stadt",
    "markt",
)

_STATUS_QUALIFIERS = {
    "stadt",
    "hansestadt",
    "lutherstadt",
    "kreisfreie stadt",
    "landkreis",
    "kreis",
    "gemeinde",
    "landgemeinde",
    "welterbestadt",
    "universitaetsstadt",
    "grosse kreisstadt",
}

_PARENTHESES = re.compile(r"\(([^()]*)\)")

_TRAILING_PARENTHESES = re.compile(r"\s*\([^()]*\)\s*$")


class MatchError(ValueError):
    """A name could not be matched to exactly one polygon; the message says why."""


def _drop_status(folded: str) -> str:
    """Remove status qualifiers in parentheses or after a comma, and status prefixes."""

    def keep(match: re.Match) -> str:
        return "" if match.group(1).strip() in _STATUS_QUALIFIERS else match.group(0)

    text = _PARENTHESES.sub(keep, folded)
    head, comma, tail = text.partition(",")
    if comma and tail.strip() in _STATUS_QUALIFIERS:  # 'Bernburg (Saale), Stadt'
        text = head
    changed = True
    while changed:
        changed = False
        for prefix in _STATUS_PREFIXES:
            if text.startswith(prefix + " ") and len(text) > len(prefix) + 1:
                text = text[len(prefix) + 1 :]
                changed = True
    return re.sub(r"\s+", " ", text).strip()


# Names are matched against every municipality of a state for each row of a steward's file, so their
# comparable forms are remembered: a file of 10,000 rows would otherwise fold the same 2,000 names 10,000 times.
@functools.lru_cache(maxsize=1 << 16)
def normalize_name(name: object) -> str:
    """The full comparable form: 'Hansestadt Seehausen (Altmark)' → 'seehausen (altmark)'."""
    return _drop_status(fold(name))


@functools.lru_cache(maxsize=1 << 16)
def base_name(name: object) -> str:
    """The name without any qualifier: 'Kalbe (Milde)' → 'kalbe', 'Neukirchen/Erzgeb.' → 'neukirchen'."""
    text = _PARENTHESES.sub("", normalize_name(name))
    text = text.split("/")[0]
    return re.sub(r"\s+", " ", text).strip(" .,-")


def match_names(wanted: str, candidates: pd.Series) -> list:
    """Index labels of `candidates` (names) that match `wanted`, closest reading first: the exact
    normal form, then without trailing parentheses, then the base name."""
    full = candidates.map(normalize_name)
    shorter = normalize_name(wanted)
    while True:
        hits = list(candidates.index[full == shorter])
        if hits:
            return hits
        if not _TRAILING_PARENTHESES.search(shorter):
            break
        shorter = _TRAILING_PARENTHESES.sub("", shorter)
    wanted_full, wanted_base = normalize_name(wanted), base_name(wanted)
    if not wanted_base:
        return []
    # A qualifier on one side only ("Wiesenburg/Mark" vs "Wiesenburg") matches; two different
    # qualifiers ("Herzberg (Elster)" vs "Herzberg (Mark)") do not.
    bases = candidates.map(base_name)
    return [
        label
        for label in candidates.index[bases == wanted_base]
        if full[label] == wanted_base or wanted_full == wanted_base
    ]


_DISTRICT_KIND_MARKERS = (
    (re.compile(r"\(\s*kreisfreie stadt\s*\)"), "Kreisfreie Stadt"),
    (re.compile(r"\(\s*stadtkreis\s*\)"), "Kreisfreie Stadt"),
    (re.compile(r"\(\s*landkreis\s*\)"), "Landkreis"),
    (re.compile(r"\(\s*kreis\s*\)"), "Landkreis"),
    (re.compile(r"^kreisfreie stadt "), "Kreisfreie Stadt"),
    (re.compile(r"^stadt "), "Kreisfreie Stadt"),
    (re.compile(r"^landkreis "), "Landkreis"),
)


def parse_district(text: str) -> tuple[str, str | None]:
    """('Leipzig (Landkreis)') → ('leipzig', 'Landkreis'); the kind is None when the text has none."""
    folded = fold(text)
    kind = None
    for pattern, marker_kind in _DISTRICT_KIND_MARKERS:
        if pattern.search(folded):
            folded = pattern.sub(" ", folded)
            kind = marker_kind
    return re.sub(r"\s+", " ", folded).strip(), kind


def district_candidates(text: str, state_code: str, districts: pd.DataFrame) -> pd.DataFrame:
    """Districts of `state_code` whose name matches `text`, narrowed by the kind if the text has one.

    `districts` needs columns ags, name, kind, state_code. An empty result means no match; several
    rows mean the text alone is ambiguous (e.g. plain 'Leipzig') and the municipality must decide.
    """
    name, kind = parse_district(text)
    in_state = districts[districts["state_code"] == state_code]
    hits = in_state.loc[match_names(name, in_state["name"])]
    if kind is not None:
        hits = hits[hits["kind"].map(fold) == fold(kind)]
    return hits


MERGERS_CSV = SOURCES_DIR / "municipality_mergers.csv"

MERGER_COLUMNS = ["municipality", "district_ags", "predecessor_ags", "predecessor_name", "merged_on", "source_url"]


@dataclass(frozen=True)
class Predecessor:
    municipality: str
    district_ags: str
    ags: str
    name: str
    merged_on: str
    source_url: str


def read_mergers(path: Path = MERGERS_CSV) -> list[Predecessor]:
    """The recorded municipality mergers since the boundaries' status (2017); missing file → none."""
    if not Path(path).exists():
        return []
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = set(MERGER_COLUMNS) - set(table.columns)
    if missing:
        raise MatchError(f"{Path(path).name} lacks columns {sorted(missing)}")
    rows = []
    for number, row in enumerate(table.itertuples(index=False), start=2):
        if not is_web_url(str(row.source_url)):
            raise MatchError(f"{Path(path).name} line {number}: a merger needs a public source_url")
        rows.append(
            Predecessor(
                row.municipality.strip(),
                row.district_ags.strip(),
                row.predecessor_ags.strip(),
                row.predecessor_name.strip(),
                row.merged_on.strip(),
                row.source_url.strip(),
            )
        )
    return rows


@dataclass(frozen=True)
class MunicipalityMatch:
    """Where a named municipality is in the 2017 boundaries.

    `place_ags` is the one 2017 polygon in which a site without coordinates is placed (the
    municipality itself, or the predecessor that the locality names); `area_ags` are all 2017
    polygons that together make up today's municipality (itself plus recorded predecessors).
    """

    place_ags: str
    area_ags: tuple[str, ...]
    note: str = ""
    district_ags: str = ""


def match_municipality(
    name: str, locality: str, district_ags: str, municipalities: pd.DataFrame, mergers: list[Predecessor]
) -> MunicipalityMatch:
    """Find municipality `name` in district `district_ags`; raise MatchError if none or several.

    `municipalities` needs columns ags, name, district_ags.
    """
    locality = locality or ""
    in_district = municipalities[municipalities["district_ags"] == district_ags]
    hits = match_names(name, in_district["name"])
    if len(hits) > 1:
        listed = ", ".join(f"{in_district.at[h, 'name']} ({in_district.at[h, 'ags']})" for h in hits)
        raise MatchError(f"municipality '{name}' is ambiguous in district {district_ags}: {listed}")
    own_ags = in_district.at[hits[0], "ags"] if hits else None

    predecessors = [
        p for p in mergers if p.district_ags == district_ags and normalize_name(p.municipality) == normalize_name(name)
    ]
    known = set(in_district["ags"])
    for predecessor in predecessors:
        if predecessor.ags not in known:
            raise MatchError(
                f"municipality_mergers.csv names predecessor {predecessor.name} ({predecessor.ags}) of "
                f"{predecessor.municipality}, which is not a 2017 municipality of district {district_ags}"
            )
    area = tuple(sorted({p.ags for p in predecessors} | ({own_ags} if own_ags is not None else set())))

    if not area:
        hint = ""
        if locality:
            village = match_names(locality, in_district["name"])
            if len(village) == 1:
                hint = (
                    f"; note: the locality '{locality}' is a municipality of its own in this district "
                    f"({in_district.at[village[0], 'ags']}) — is '{name}' the right municipality?"
                )
        raise MatchError(
            f"municipality '{name}' not found in district {district_ags} (boundaries of "
            f"2017) and not recorded in municipality_mergers.csv{hint}"
        )

    if locality and predecessors:
        chosen = [
            p
            for p in predecessors
            if normalize_name(p.name) == normalize_name(locality) or base_name(p.name) == base_name(locality)
        ]
        if len(chosen) == 1:
            return MunicipalityMatch(
                chosen[0].ags, area, f"{locality} merged into {name} on {chosen[0].merged_on}", district_ags
            )
    if own_ags is not None:
        return MunicipalityMatch(own_ags, area, "", district_ags)
    if locality:
        names = ", ".join(sorted(p.name for p in predecessors))
        hint = ""
        village = match_names(locality, in_district["name"])
        if len(village) == 1:
            hint = (
                f"; '{locality}' is a municipality of its own ({in_district.at[village[0], 'ags']}), not part of {name}"
            )
        raise MatchError(f"locality '{locality}' is not one of the recorded predecessors of '{name}' ({names}){hint}")
    raise MatchError(
        f"municipality '{name}' was formed after 2017 from several Gemeinden "
        f"({', '.join(sorted(p.name for p in predecessors))}); name the locality to place the site"
    )


def find_municipality(
    name: str, locality: str, municipalities: pd.DataFrame, mergers: list[Predecessor], state_code: str | None = None
) -> list[MunicipalityMatch]:
    """Every district-level match of `name` (see `match_municipality`), over all districts of
    `state_code` (or of all four states) when the district is not known, as in a steward's file.
    One entry: found; several: ambiguous; none: not found."""
    frame = municipalities
    if state_code:
        frame = frame[frame["state_code"].astype(str) == state_code.upper()]
    districts = set(frame.loc[match_names(name, frame["name"]), "district_ags"])
    wanted = normalize_name(name)
    districts |= {
        p.district_ags
        for p in mergers
        if normalize_name(p.municipality) == wanted and p.district_ags in set(frame["district_ags"])
    }
    found = []
    for district_ags in sorted(districts):
        try:
            found.append(match_municipality(name, locality, district_ags, frame, mergers))
        except MatchError:
            continue
    return found
