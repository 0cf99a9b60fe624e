"""Import district figures from a GENESIS / Regionalstatistik flat CSV: review, then apply.

The same two steps serve the staff page (/pflege) and ``python -m geo import-figures``:

1. `review_figures(data, …)` reads the file (geo/core/genesis_flat.py), keeps the total rows of the 67
   districts, matches its value variables to the indicators that declare them (`genesis` in the indicator
   definitions; or the one indicator the steward names), and compares with the live figures. Nothing is
   written. Districts whose cell holds a marker ("-", ".", "x" …) keep their figure and are listed.
2. `apply_figures(review)` writes the merged table through the store together with the unchanged sites,
   refusing if anyone wrote in between: a new version, which `python -m geo undo` (or the page's undo)
   takes back like a site import.

Every row keeps its source: the table's address (``source_url``, by default the table's page at the
Regionaldatenbank), the table code, the reference date from the file and the day of the import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pandas as pd

from geo import store
from geo.core.district_figures import (
    CHANGE_SAME,
    DERIVED_FIGURES,
    FlatImport,
    FlatMapping,
    compare_figures,
    empty_figures,
    figures_from_flat,
    merge_figures,
    normalised,
)
from geo.core.formatting import format_number
from geo.core.genesis_flat import FlatFile, FlatFileError, read_flat_file
from geo.core.paths import REFERENCE_GPKG, SITES_GPKG
from geo.core.values import is_web_url
from geo.sites.provenance import figure_age
from geo.texts import t

REGIONALSTATISTIK_TABLE_URL = "https://www.regionalstatistik.de/genesis/online?operation=table&code={code}"


class FiguresImportError(FlatFileError):
    """The steward's choices do not fit the file (message in German and English)."""


@dataclass
class FiguresReview:
    flat: FlatFile
    found: FlatImport
    incoming: pd.DataFrame  # the rows the file gives (district, indicator, value, date, source …)
    changes: pd.DataFrame  # geo.core.district_figures.compare_figures
    merged: pd.DataFrame  # the whole table after applying
    version: str  # the store's version the review was made against
    sites_path: Path

    @property
    def changed_count(self) -> int:
        return int((self.changes["change"] != CHANGE_SAME).sum()) if len(self.changes) else 0


class FigureTarget(Protocol):
    """What the import needs of an indicator fed by district figures (geo.indicators.figure_indicators()
    gives the declared ones): its key, the GENESIS value variables it takes, its table code."""

    @property
    def key(self) -> str: ...

    @property
    def genesis(self) -> tuple[str, ...]: ...

    @property
    def table_code(self) -> str: ...


def _mappings(
    flat: FlatFile, targets: Sequence[FigureTarget], indicator_key: str | None
) -> list[tuple[FlatMapping, str]]:
    """(mapping, table code) per indicator the file feeds."""
    targets = [d for d in targets if d.key not in DERIVED_FIGURES]
    if indicator_key is None:
        return [(FlatMapping(d.key, d.genesis), d.table_code) for d in targets if d.genesis]
    definition = next((d for d in targets if d.key == indicator_key), None)
    if definition is None:
        raise FiguresImportError(f"Unbekannte Kennzahl „{indicator_key}“", f"unknown indicator “{indicator_key}”")
    variables = flat.value_variables()
    if len(variables) != 1:
        raise FiguresImportError(
            f"Die Datei hat {len(variables)} Wertmerkmale ({', '.join(variables)}); bitte ohne feste Kennzahl "
            "importieren oder eine Tabelle mit einem Wertmerkmal herunterladen",
            f"the file has {len(variables)} value variables ({', '.join(variables)}); import without a fixed "
            "indicator or download a table with one value variable",
        )
    return [(FlatMapping(definition.key, tuple(variables)), definition.table_code)]


def _district_names(reference_path: Path) -> dict[str, str]:
    import pyogrio

    frame = pyogrio.read_dataframe(reference_path, layer="districts", columns=["ags", "name"], read_geometry=False)
    return dict(zip(frame["ags"].astype(str), frame["name"].astype(str), strict=True))


def review_figures(
    data: bytes,
    *,
    targets: Sequence[FigureTarget],
    sites_path: Path = SITES_GPKG,
    reference_path: Path = REFERENCE_GPKG,
    indicator_key: str | None = None,
    table_code: str = "",
    source_url: str = "",
    today: dt.date | None = None,
) -> FiguresReview:
    """Read and compare a flat file; raises FlatFileError (or FiguresImportError) with a clear message.
    `targets` are the indicators the file may feed (geo.indicators.figure_indicators())."""
    flat = read_flat_file(data)
    names = _district_names(reference_path)
    version = store.data_version(sites_path)
    retrieved = (today or dt.date.today()).isoformat()
    parts, found = [], FlatImport(rows=empty_figures())
    mappings = _mappings(flat, targets, indicator_key)
    for mapping, declared_code in mappings:
        code = (table_code or declared_code).strip()
        url = (source_url or (REGIONALSTATISTIK_TABLE_URL.format(code=code) if code else "")).strip()
        if not is_web_url(url):
            raise FiguresImportError(
                "Bitte die Adresse der Quelle angeben (https://…)", "please give the source's address (https://…)"
            )
        one = figures_from_flat(flat, [mapping], names, source_url=url, table_code=code, retrieved=retrieved)
        parts.append(one.rows)
        found.markers.update(one.markers)
        found.periods.update(one.periods)
        found.outside_ags += one.outside_ags
    found.unmatched_variables = {
        code: label
        for code, label in flat.value_variables().items()
        if not any(mapping.fits(code, label) for mapping, _ in mappings)
    }
    incoming = normalised(pd.concat(parts, ignore_index=True)) if parts else empty_figures()
    current = store.live_figures(sites_path)
    changes = compare_figures(current, incoming, names)
    return FiguresReview(flat, found, incoming, changes, merge_figures(current, incoming), version, Path(sites_path))


def apply_figures(review: FiguresReview) -> str:
    """Write the reviewed figures (a new store version with the sites unchanged); returns the version.
    Raises store.StaleData when the data changed since the review."""
    if review.incoming.empty:
        raise FiguresImportError("Nichts zu übernehmen", "nothing to apply")
    sites = store.read_sites(review.sites_path)
    return store.write_sites(sites, review.sites_path, expected_version=review.version, figures=review.merged)


def dated_value(value: float, as_of: object, lang: str) -> str:
    """A reviewed figure with its date and stale mark, as the page and the command line show it:
    "40.328 (30.06.2023 ⚠ älter als 12 Monate)"; "–" where the district had no figure yet."""
    if pd.isna(value):
        return "–"
    return f"{format_number(value, lang, 1 if value % 1 else 0)} ({figure_age(as_of).marked_date(lang)})"


def review_lines(review: FiguresReview, lang: str) -> list[str]:
    """What a flat file would change, as lines of text (German or English) for the page and the command line."""
    found = review.found
    indicators_text = ", ".join(sorted(found.periods)) or "–"
    periods = ", ".join(figure_age(period).marked_date(lang) for period in sorted(set(found.periods.values()))) or "–"
    lines = [
        t(
            "figures_import_summary",
            lang,
            statistic=f"{review.flat.statistic_code} {review.flat.statistic_label}",
            rows=format_number(review.flat.rows_read, lang),
            values=format_number(len(review.incoming), lang),
            indicators=indicators_text,
            outside=format_number(found.outside_ags, lang),
            periods=periods,
        )
    ]
    markers = [f"{key}: {', '.join(districts)}" for key, districts in found.markers.items() if districts]
    if markers:
        lines.append(t("figures_import_markers", lang, districts="; ".join(markers)))
    if found.unmatched_variables:
        lines.append(
            t(
                "figures_import_unmatched",
                lang,
                variables=", ".join(f"{code} ({label})" for code, label in found.unmatched_variables.items()),
            )
        )
    if review.incoming.empty:
        lines.append(t("figures_import_nothing", lang))
        return lines
    for row in review.changes.itertuples(index=False):
        old, new = dated_value(row.old_value, row.old_as_of, lang), dated_value(row.new_value, row.new_as_of, lang)
        lines.append(
            f"  {row.ags} {row.district} · {row.indicator}: {old} → {new} [{t('figures_change_' + row.change, lang)}]"
        )
    return lines
