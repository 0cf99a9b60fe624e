"""Match the district and municipality names of the site list to the polygons of data/reference.gpkg.

The site list names places as people write them ("Lutherstadt Wittenberg", "Hansestadt Salzwedel",
"Halle (Saale) (kreisfreie Stadt)", "Leipzig (Landkreis)"), while the boundaries carry the VG250 names
(status 2017: "Wittenberg", "Salzwedel", "Halle (Saale)", "Leipzig" twice). This module closes that gap
with a small, explicit normalisation and never guesses:

* a name matches when its normalised form is equal (case, umlauts and ß, dashes and spaces, status
  words such as "Stadt", "Hansestadt", "Lutherstadt" as prefix or as "(Hansestadt)");
* only if nothing matches that way, the base names are compared, i.e. without a qualifier in
  parentheses or after a slash ("Kalbe (Milde)" → "kalbe", "Wiesenburg/Mark" → "wiesenburg",
  "Neukirchen/Erzgeb." → "neukirchen");
* a municipality is only ever searched within its district, because several Gemeinden share a name
  (Neukirchen/Erzgeb. and Neukirchen/Pleiße, Coswig and Coswig (Anhalt), Herzberg (Elster) and
  Herzberg (Mark));
* more than one candidate is an error (ambiguous), none is an error (not found).

Municipalities formed after 2017 are not in the 2017 boundaries. They are resolved through
data/sources/municipality_mergers.csv (each row a predecessor Gemeinde with the public source of the
merger): the site's locality (village) picks the predecessor polygon, and a sourced coordinate counts
as inside the municipality if it lies in the municipality's 2017 polygon or in any of its recorded
predecessors.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geo.paths import SOURCES_DIR

MERGERS_CSV = SOURCES_DIR / "municipality_mergers.csv"
MERGER_COLUMNS = ["municipality", "district_ags", "predecessor_ags", "predecessor_name", "merged_on",
                  "source_url"]

# Status words that are part of how a place is called but not of the VG250 name (GEN).
_STATUS_PREFIXES = (
    "kreisfreie stadt", "grosse kreisstadt", "landeshauptstadt", "universitaetsstadt",
    "welterbestadt", "lutherstadt", "hansestadt", "landgemeinde", "gemeinde", "stadt", "markt",
)
_STATUS_QUALIFIERS = {
    "stadt", "hansestadt", "lutherstadt", "kreisfreie stadt", "landkreis", "kreis", "gemeinde",
    "landgemeinde", "welterbestadt", "universitaetsstadt",
}
_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_PARENTHESES = re.compile(r"\(([^()]*)\)")


class MatchError(ValueError):
    """A name could not be matched to exactly one polygon; the message says why."""


def fold(text: str) -> str:
    """Lower case, umlauts and ß transliterated, accents removed, dashes unified, spaces collapsed."""
    text = unicodedata.normalize("NFC", str(text)).strip().casefold().translate(_TRANSLITERATION)
    text = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    text = _DASHES.sub("-", text)
    text = re.sub(r"\s*-\s*", "-", text)
    text = re.sub(r"\s*/\s*", "/", text)
    return re.sub(r"\s+", " ", text).strip()


def _drop_status(folded: str) -> str:
    """Remove status qualifiers in parentheses and status prefixes."""
    def keep(match: re.Match) -> str:
        return "" if match.group(1).strip() in _STATUS_QUALIFIERS else match.group(0)

    text = _PARENTHESES.sub(keep, folded)
    changed = True
    while changed:
        changed = False
        for prefix in _STATUS_PREFIXES:
            if text.startswith(prefix + " ") and len(text) > len(prefix) + 1:
                text = text[len(prefix) + 1:]
                changed = True
    return re.sub(r"\s+", " ", text).strip()


def normalize_name(name: str) -> str:
    """The full comparable form: 'Hansestadt Seehausen (Altmark)' → 'seehausen (altmark)'."""
    return _drop_status(fold(name))


def base_name(name: str) -> str:
    """The name without any qualifier: 'Kalbe (Milde)' → 'kalbe', 'Neukirchen/Erzgeb.' → 'neukirchen'."""
    text = _PARENTHESES.sub("", normalize_name(name))
    text = text.split("/")[0]
    text = re.sub(r"\s+", " ", text).strip(" .,-")
    return text


def match_names(wanted: str, candidates: pd.Series) -> list:
    """Index labels of `candidates` (names) that match `wanted`: exact normal form first, then base."""
    wanted_full = normalize_name(wanted)
    full = candidates.map(normalize_name)
    hits = list(candidates.index[full == wanted_full])
    if hits:
        return hits
    wanted_base = base_name(wanted)
    if not wanted_base:
        return []
    # A qualifier on one side only ("Wiesenburg/Mark" vs "Wiesenburg") matches; two different
    # qualifiers ("Herzberg (Elster)" vs "Herzberg (Mark)") do not.
    bases = candidates.map(base_name)
    hits = []
    for label in candidates.index[bases == wanted_base]:
        if full[label] == wanted_base or wanted_full == wanted_base:
            hits.append(label)
    return hits


# --- districts --------------------------------------------------------------------------------------

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


# --- municipalities ---------------------------------------------------------------------------------

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
        if not str(row.source_url).startswith(("http://", "https://")):
            raise MatchError(f"{Path(path).name} line {number}: a merger needs a public source_url")
        rows.append(Predecessor(row.municipality.strip(), row.district_ags.strip(),
                                row.predecessor_ags.strip(), row.predecessor_name.strip(),
                                row.merged_on.strip(), row.source_url.strip()))
    return rows


@dataclass(frozen=True)
class MunicipalityMatch:
    """Where a named municipality is in the 2017 boundaries.

    `place_ags` is the one 2017 polygon in which a site without coordinates is placed (the
    municipality itself, or the predecessor that the locality names); `area_ags` are all 2017
    polygons that together make up today's municipality (itself plus recorded predecessors).
    """
    place_ags: str | None
    area_ags: tuple[str, ...]
    note: str = ""


def match_municipality(name: str, locality: str, district_ags: str, municipalities: pd.DataFrame,
                       mergers: list[Predecessor]) -> MunicipalityMatch:
    """Find municipality `name` in district `district_ags`; raise MatchError if none or several.

    `municipalities` needs columns ags, name, district_ags.
    """
    in_district = municipalities[municipalities["district_ags"] == district_ags]
    hits = match_names(name, in_district["name"])
    if len(hits) > 1:
        listed = ", ".join(f"{in_district.at[h, 'name']} ({in_district.at[h, 'ags']})" for h in hits)
        raise MatchError(f"municipality '{name}' is ambiguous in district {district_ags}: {listed}")
    own_ags = in_district.at[hits[0], "ags"] if hits else None

    predecessors = [p for p in mergers if p.district_ags == district_ags
                    and normalize_name(p.municipality) == normalize_name(name)]
    known = set(in_district["ags"])
    for predecessor in predecessors:
        if predecessor.ags not in known:
            raise MatchError(
                f"municipality_mergers.csv names predecessor {predecessor.name} ({predecessor.ags}) of "
                f"{predecessor.municipality}, which is not a 2017 municipality of district {district_ags}")
    area = tuple(sorted({own_ags} - {None} | {p.ags for p in predecessors}))

    if not area:
        hint = ""
        if locality:
            village = match_names(locality, in_district["name"])
            if len(village) == 1:
                hint = (f"; note: the locality '{locality}' is a municipality of its own in this district "
                        f"({in_district.at[village[0], 'ags']}) — is '{name}' the right municipality?")
        raise MatchError(f"municipality '{name}' not found in district {district_ags} (boundaries of "
                         f"2017) and not recorded in municipality_mergers.csv{hint}")

    if locality and predecessors:
        chosen = [p for p in predecessors if normalize_name(p.name) == normalize_name(locality)
                  or base_name(p.name) == base_name(locality)]
        if len(chosen) == 1:
            return MunicipalityMatch(chosen[0].ags, area,
                                     f"{locality} merged into {name} on {chosen[0].merged_on}")
    if own_ags is not None:
        return MunicipalityMatch(own_ags, area)
    if locality:
        names = ", ".join(sorted(p.name for p in predecessors))
        hint = ""
        village = match_names(locality, in_district["name"])
        if len(village) == 1:
            hint = (f"; '{locality}' is a municipality of its own "
                    f"({in_district.at[village[0], 'ags']}), not part of {name}")
        raise MatchError(f"locality '{locality}' is not one of the recorded predecessors of '{name}' "
                         f"({names}){hint}")
    raise MatchError(f"municipality '{name}' was formed after 2017 from several Gemeinden "
                     f"({', '.join(sorted(p.name for p in predecessors))}); name the locality to place the site")
