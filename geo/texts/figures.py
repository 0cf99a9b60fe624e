"""Texts of the investor figures: labour pool, district figures, aid estimator, research nearby,
and the import of district figures from a GENESIS flat CSV."""

TEXTS: dict[str, dict[str, str]] = {
    # district figures with their own source
    "no_source": {"de": "keine Quelle", "en": "no source"},
    "workforce_heading": {"de": "Arbeitsmarkt im Kreis", "en": "Labour market of the district"},
    "workforce_intro": {
        "de": "Amtliche Zahlen je Kreis, jede mit Quelle und Stichtag. Fehlt eine Quelle, steht „keine Quelle“ – "
        "es wird nichts geschätzt.",
        "en": "Official figures per district, each with its source and reference date. Where no source was found "
        "the atlas says “no source” – nothing is estimated.",
    },
    # labour pool
    "pool_heading": {"de": "Arbeitskräftepotenzial im Umkreis", "en": "Labour pool within reach"},
    "pool_caveat": {
        "de": "Schätzung, Luftlinie: Einwohner der Kreise (31.12.2018), gleichmäßig über die Kreisfläche verteilt "
        "angenommen, innerhalb des Radius; nur Deutschland (ohne Polen und Tschechien).",
        "en": "Estimate, straight line: district populations (31 Dec 2018) taken as spread evenly over each "
        "district's area, within the radius; Germany only (not Poland or the Czech Republic).",
    },
    "comparison_row_method": {"de": "Methode", "en": "Method"},
    "pool_short_caveat": {"de": "Schätzung, Luftlinie", "en": "estimate, straight line"},
    "pool_radius": {"de": "im Umkreis von {km} km", "en": "within {km} km"},
    "pool_column_short": {"de": "Umkreis {km} km", "en": "Within {km} km"},
    "pool_people": {"de": "Einwohner", "en": "inhabitants"},
    "pool_employed": {
        "de": "davon sozialversicherungspflichtig beschäftigt (Wohnort)",
        "en": "of them employed subject to social insurance (place of residence)",
    },
    "pool_employed_missing": {
        "de": "Beschäftigte am Wohnort: keine Quelle für {districts}",
        "en": "Employees at place of residence: no source for {districts}",
    },
    "pool_column": {
        "de": "Einwohner im Umkreis {km} km (Schätzung, Luftlinie)",
        "en": "Inhabitants within {km} km (estimate, straight line)",
    },
    "filter_pool_min": {"de": "Mindestens Einwohner im Umkreis von 45 km", "en": "At least inhabitants within 45 km"},
    "filter_pool_min_help": {
        "de": "Schätzung, Luftlinie: Einwohner der Kreise gleichmäßig über die Fläche verteilt.",
        "en": "Estimate, straight line: district populations spread evenly over their area.",
    },
    "filter_dropped_pool_min": {
        "de": "{count} Standorte ohne Schätzung des Umkreises sind ausgeblendet.",
        "en": "{count} sites without a labour-pool estimate are hidden.",
    },
    # aid estimator
    "aid_estimator_heading": {"de": "Förderrechner (Regionalbeihilfe)", "en": "Aid estimator (regional aid)"},
    "aid_investment": {"de": "Förderfähige Investitionskosten (EUR)", "en": "Eligible investment costs (EUR)"},
    "aid_size": {"de": "Unternehmensgröße", "en": "Firm size"},
    "aid_size_small": {"de": "klein", "en": "small"},
    "aid_size_medium": {"de": "mittel", "en": "medium"},
    "aid_size_large": {"de": "groß", "en": "large"},
    "aid_result": {
        "de": "Höchstens {amount} Regionalbeihilfe ({pct} der Kosten) in {district}.",
        "en": "At most {amount} of regional aid ({pct} of the costs) in {district}.",
    },
    "aid_result_large": {
        "de": "Großvorhaben über 50 Mio. EUR: Höchstsatz {ceiling} für große Unternehmen auf A + 0,5 × B + 0 × C "
        "(A: erste 50 Mio., B: 50–100 Mio., C: darüber) – effektiv {pct}.",
        "en": "Large investment project above 50 million EUR: ceiling {ceiling} for large firms applied to "
        "A + 0.5 × B + 0 × C (A: first 50 million, B: 50–100 million, C: above) – effectively {pct}.",
    },
    "aid_result_not_verified": {
        "de": "{district}: Fördergebiet nicht geprüft – keine öffentliche Quelle gefunden, daher keine Zahl.",
        "en": "{district}: aid area not verified – no public source found, so no figure.",
    },
    "aid_result_no_ceiling": {
        "de": "{district}: für diese Unternehmensgröße nennt keine Quelle einen Höchstsatz ({area}) – daher keine Zahl.",
        "en": "{district}: no source states a ceiling for this firm size ({area}) – so no figure.",
    },
    "aid_caveats": {
        "de": "Obergrenze nach der Fördergebietskarte 2022–2027, kein Förderbescheid. GRW: förderfähig sind Sach- und "
        "immaterielle Investitionen oder die Lohnkosten der neuen Arbeitsplätze (zwei Jahre); Antrag vor "
        "Vorhabenbeginn, Primäreffekt und Arbeitsplätze nötig. De-minimis-Beihilfen und andere Programme "
        "sind nicht eingerechnet. Die Landesförderbank entscheidet.",
        "en": "Upper bound by the regional aid map 2022–2027, not a grant decision. GRW: eligible are tangible and "
        "intangible investment costs or the wage costs of the new jobs (two years); apply before the project "
        "starts; a primary effect and jobs are required. De-minimis aid and other programmes are not "
        "included. The state development bank decides.",
    },
    "aid_ceiling_source": {"de": "Quelle der Höchstsätze", "en": "Source of the ceilings"},
    "aid_rules_source": {"de": "Regeln: Regionalbeihilfeleitlinien 2022", "en": "Rules: Regional Aid Guidelines 2022"},
    "aid_bank": {"de": "Antrag und Beratung: {bank}", "en": "Application and advice: {bank}"},
    "aid_input_invalid": {
        "de": "Bitte einen Betrag über 0 EUR eingeben (höchstens 1 Billion).",
        "en": "Please enter an amount above 0 EUR (at most one trillion).",
    },
    "aid_compare_heading": {"de": "Förderrechner für alle Standorte", "en": "Aid estimator for all sites"},
    # research nearby
    "research_heading": {
        "de": "Hochschulen und Forschung im Umkreis von {km} km",
        "en": "Universities and research within {km} km",
    },
    "research_none": {
        "de": "Keine Hochschule oder Forschungseinrichtung der Liste im Umkreis von {km} km.",
        "en": "No university or research institute of the list within {km} km.",
    },
    "research_caveat": {
        "de": "Luftlinie zum Ort der Einrichtung (Gemeinde); Quelle je Einrichtung auf der Seite „Daten & Quellen“.",
        "en": "Straight line to the institution's municipality; a source per institution on the “Data & sources” page.",
    },
    "research_count_column": {"de": "Hochschulen/Forschung ≤ 30 km", "en": "Universities/research ≤ 30 km"},
    "research_layer": {"de": "Hochschulen und Forschung", "en": "Universities and research"},
    "research_kind_university": {"de": "Universität", "en": "University"},
    "research_kind_applied_sciences": {
        "de": "Hochschule für angewandte Wissenschaften",
        "en": "University of applied sciences",
    },
    "research_kind_fraunhofer": {"de": "Fraunhofer-Institut", "en": "Fraunhofer institute"},
    "research_kind_max_planck": {"de": "Max-Planck-Institut", "en": "Max Planck institute"},
    "research_kind_leibniz": {"de": "Leibniz-Institut", "en": "Leibniz institute"},
    "research_kind_helmholtz": {"de": "Helmholtz-Zentrum", "en": "Helmholtz centre"},
    # data page
    "data_figures_title": {"de": "Kreiszahlen mit Quelle und Stichtag", "en": "District figures with source and date"},
    "data_figures_caption": {
        "de": "Arbeitsmarkt- und Einkommenszahlen je Kreis: jede Zahl mit Tabelle, Stichtag und Quelle. Kreise "
        "ohne gefundene Quelle haben keine Zeile (die Seiten zeigen „keine Quelle“). Mitarbeitende "
        "aktualisieren sie mit einem Flat-File-CSV aus GENESIS auf der Pflegeseite.",
        "en": "Labour-market and income figures per district: each with its table, reference date and source. "
        "Districts without a found source have no row (the pages say “no source”). Staff update them with a "
        "GENESIS flat-file CSV on the staff page.",
    },
    "data_figures_table": {"de": "Alle {count} Kreiszahlen zeigen", "en": "Show all {count} district figures"},
    "data_research_caption": {
        "de": "Universitäten, Hochschulen für angewandte Wissenschaften und Institute von Fraunhofer, Max Planck, "
        "Leibniz und Helmholtz in den vier Ländern und in Berlin, je mit der Seite, die sie nennt; platziert "
        "an ihrer Gemeinde (keine Koordinate erfunden).",
        "en": "Universities, universities of applied sciences and Fraunhofer, Max Planck, Leibniz and Helmholtz "
        "institutes in the four states and Berlin, each with the page that names it; placed at its "
        "municipality (no coordinate invented).",
    },
    "data_research_table": {"de": "Alle {count} Einrichtungen zeigen", "en": "Show all {count} institutions"},
    "column_indicator": {"de": "Kennzahl", "en": "Indicator"},
    "column_reference_date": {"de": "Stichtag", "en": "Reference date"},
    "column_kind": {"de": "Art", "en": "Kind"},
    "column_fields": {"de": "Arbeitsgebiete", "en": "Fields of work"},
    # import of district figures (staff page and command line)
    "steward_tab_figures": {"de": "Kreiszahlen", "en": "District figures"},
    "figures_import_heading": {
        "de": "Kreiszahlen aus GENESIS importieren",
        "en": "Import district figures from GENESIS",
    },
    "figures_import_intro": {
        "de": "Laden Sie in GENESIS-Online oder der Regionaldatenbank eine Tabelle als „Flat-File CSV“ (auch als "
        "ZIP) herunter und hier hoch. Der Atlas liest die Werte der 67 Kreise, zeigt die Änderungen und "
        "übernimmt sie erst nach Bestätigung – als neue Version, die sich rückgängig machen lässt.",
        "en": "Download a table as “Flat-File CSV” (also as ZIP) from GENESIS-Online or the Regionaldatenbank and "
        "upload it here. The atlas reads the values of the 67 districts, shows the changes and applies them "
        "only when you confirm – as a new version that can be undone.",
    },
    "figures_import_file": {"de": "Flat-File CSV oder ZIP", "en": "Flat-file CSV or ZIP"},
    "figures_import_indicator": {"de": "Kennzahl", "en": "Indicator"},
    "figures_import_auto": {"de": "automatisch (nach Wertmerkmal)", "en": "automatic (by value variable)"},
    "figures_import_source_url": {"de": "Quelle (Adresse der Tabelle)", "en": "Source (address of the table)"},
    "figures_import_table_code": {"de": "Tabellencode", "en": "Table code"},
    "figures_import_summary": {
        "de": "{statistic}: {rows} Zeilen gelesen; {values} Kreiswerte für {indicators}; {outside} Werte anderer "
        "Kreise übergangen; Stichtag {periods}.",
        "en": "{statistic}: {rows} rows read; {values} district values for {indicators}; {outside} values of "
        "other districts skipped; reference date {periods}.",
    },
    "figures_import_markers": {
        "de": "Ohne Wert in der Datei (Zeichen der Statistik, bleibt unverändert): {districts}",
        "en": "No value in the file (statistics marker, left unchanged): {districts}",
    },
    "figures_import_unmatched": {
        "de": "Wertmerkmale ohne Kennzahl im Atlas (übergangen): {variables}",
        "en": "Value variables no indicator of the atlas takes (skipped): {variables}",
    },
    "figures_import_nothing": {
        "de": "Die Datei enthält keinen Kreiswert für eine Kennzahl des Atlas – nichts wird geändert.",
        "en": "The file holds no district value for an indicator of the atlas – nothing changes.",
    },
    "figures_import_apply": {"de": "{count} Werte übernehmen", "en": "Apply {count} values"},
    "figures_import_applied": {
        "de": "Kreiszahlen übernommen: {count} geändert oder neu (neue Version, rückgängig mit „Rückgängig“).",
        "en": "District figures applied: {count} changed or new (a new version; “Undo” takes it back).",
    },
    "figures_change_new": {"de": "neu", "en": "new"},
    "figures_change_changed": {"de": "geändert", "en": "changed"},
    "figures_change_unchanged": {"de": "unverändert", "en": "unchanged"},
    "figures_column_old": {"de": "bisher", "en": "before"},
    "figures_column_new": {"de": "neu", "en": "new"},
    "figures_column_change": {"de": "Änderung", "en": "change"},
}
