"""Texts of a figure's provenance beside the figure: qualifiers, date and source columns of the tables and
downloads, the notes that explain the marks (geo/sites/provenance.py). The age texts themselves
(facts_as_of, facts_undated, facts_old_marker) are in geo/texts/facts.py."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "rule_qualifier_not_allowed": {
        "de": "qualifier „{text}“ ist keiner der Werte {allowed} (oder leer).",
        "en": "qualifier '{text}' is not one of {allowed} (or empty)",
    },
    "rule_qualifier_only_numbers": {"de": "qualifier gibt es nur für Zahlen.", "en": "qualifier is only for numbers"},
    "qualifier_about": {"de": "etwa", "en": "about"},
    "qualifier_at_least": {"de": "mindestens", "en": "at least"},
    "qualifier_at_most": {"de": "höchstens", "en": "at most"},
    "facts_qualifier_note": {
        "de": "≈ etwa, ≥ mindestens, ≤ höchstens: so nennt die Quelle die Zahl.",
        "en": "≈ about, ≥ at least, ≤ at most: as the source states the figure.",
    },
    "figures_age_legend": {
        "de": "⚠ älter als 12 Monate oder Quelle ohne Datum – bitte beim Ansprechpartner bestätigen lassen. "
        "≈ etwa, ≥ mindestens, ≤ höchstens: so nennt die Quelle die Zahl.",
        "en": "⚠ older than 12 months or source undated – please confirm with the contact. "
        "≈ about, ≥ at least, ≤ at most: as the source states the figure.",
    },
    # the date, qualifier and source columns beside each figure in a table or CSV download
    "column_figure_as_of": {"de": "{column}: Stand", "en": "{column}: as of"},
    "column_figure_qualifier": {"de": "{column}: Angabe", "en": "{column}: stated as"},
    "column_figure_source": {"de": "{column}: Quelle", "en": "{column}: source"},
    # the district statistics (Destatis) on the regions and structural-change pages
    "district_figures_as_of": {
        "de": "Bevölkerung, Fläche und Dichte: {note}",
        "en": "Population, area and density: {note}",
    },
    "zone_figures_as_of": {
        "de": "Bevölkerung und Fläche (Summe der Kreise): {note}",
        "en": "Population and area (sum of the districts): {note}",
    },
    # the print view: how old the figures of the printed sites are
    "print_figures_age": {
        "de": "Flächenangaben der gezeigten Standorte: Stand {oldest} bis {newest}; {stale} davon ⚠ älter als "
        "12 Monate oder ohne Datum – Angaben je Standort im Exposé.",
        "en": "Plot figures of the sites shown: as of {oldest} to {newest}; {stale} of them ⚠ older than "
        "12 months or undated – each site's figures in its exposé.",
    },
}
