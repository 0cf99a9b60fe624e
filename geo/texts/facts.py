"""Texts of the plot facts: profile section, source lines, age notes, filters and table columns.
The field labels themselves are declared with the fields in geo/sites/facts.py."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "facts_heading": {"de": "Fläche, Planung und Kontakt", "en": "Plot, planning and contact"},
    "facts_source": {"de": "Quelle: {host}", "en": "Source: {host}"},
    "facts_as_of": {"de": "Stand {date}", "en": "as of {date}"},
    "facts_undated": {"de": "Quelle ohne Datum", "en": "undated source"},
    "facts_last_verified": {"de": "Angaben zuletzt geprüft am {date}.", "en": "Figures last verified on {date}."},
    "facts_last_verified_old": {
        "de": "Angaben zuletzt geprüft am {date} – vor mehr als 12 Monaten; bitte beim Ansprechpartner bestätigen lassen.",
        "en": "Figures last verified on {date} – more than 12 months ago; please confirm them with the contact.",
    },
    "facts_figures_old": {
        "de": "Angaben mit einem Stand von vor mehr als 12 Monaten oder ohne Datum sind markiert (⚠).",
        "en": "Figures dated more than 12 months ago or undated are marked (⚠).",
    },
    "facts_old_marker": {"de": "älter als 12 Monate", "en": "older than 12 months"},
    "facts_never_estimated": {
        "de": "Nur Angaben, die eine öffentliche Quelle nennt; nichts ist geschätzt.",
        "en": "Only figures that a public source states; nothing is estimated.",
    },
    "csv_fact_sources": {"de": "Quellen der Flächenangaben", "en": "Sources of the plot figures"},
    "filter_area_min": {"de": "Verfügbare Fläche mindestens (ha)", "en": "Available area at least (ha)"},
    "filter_price_max": {"de": "Preis höchstens (€/m²)", "en": "Price at most (€/m²)"},
    "filter_zoning": {"de": "Gebietsart", "en": "Zoning"},
    "filter_rail": {"de": "Gleisanschluss", "en": "Rail siding"},
    "filter_facts_heading": {"de": "Flächen", "en": "Plots"},
    "filter_dropped_area_min": {
        "de": "{count} Standorte ohne Angabe zur verfügbaren Fläche sind ausgeblendet.",
        "en": "{count} sites without a figure for the available area are hidden.",
    },
    "filter_dropped_area_min_one": {
        "de": "{count} Standort ohne Angabe zur verfügbaren Fläche ist ausgeblendet.",
        "en": "{count} site without a figure for the available area is hidden.",
    },
    "filter_dropped_price_max": {
        "de": "{count} Standorte ohne Preisangabe sind ausgeblendet.",
        "en": "{count} sites without a price are hidden.",
    },
    "filter_dropped_price_max_one": {
        "de": "{count} Standort ohne Preisangabe ist ausgeblendet.",
        "en": "{count} site without a price is hidden.",
    },
}
