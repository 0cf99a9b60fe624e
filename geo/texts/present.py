"""Texts of the embed page (`einbetten`), the presentation page (`praesentation`) and the slide file checks."""

TEXTS: dict[str, dict[str, str]] = {
    # embed page
    "embed_open_full_atlas": {"de": "Vollständigen Atlas öffnen", "en": "Open the full atlas"},
    "embed_site_count": {"de": "{count} Standorte", "en": "{count} sites"},
    "embed_site_count_one": {"de": "{count} Standort", "en": "{count} site"},
    "embed_no_sites": {
        "de": "Für diese Auswahl gibt es keine Standorte.",
        "en": "There are no sites for this selection.",
    },
    "embed_tiles_toggle": {
        "de": "Hintergrundkarte laden (von {host})",
        "en": "Load background map (from {host})",
    },
    "embed_attribution": {
        "de": "Geodaten © GeoBasis-DE / BKG (VG250) · Statistik © Destatis (CC BY 4.0) · Orte: GeoNames (CC BY 4.0)",
        "en": "Geodata © GeoBasis-DE / BKG (VG250) · Statistics © Destatis (CC BY 4.0) · Places: GeoNames (CC BY 4.0)",
    },
    # presentation page
    "present_previous": {"de": "Zurück", "en": "Previous"},
    "present_next": {"de": "Weiter", "en": "Next"},
    "present_slide_of": {"de": "Folie {number} von {total}", "en": "Slide {number} of {total}"},
    "present_keyboard_hint": {
        "de": "Pfeiltasten ← → blättern; Folie {number} lässt sich mit ?slide={number} direkt aufrufen.",
        "en": "Arrow keys ← → change slides; open slide {number} directly with ?slide={number}.",
    },
    "present_bad_slide": {
        "de": "Eine Folie „{value}“ gibt es nicht (1 bis {total}); gezeigt wird Folie 1.",
        "en": "There is no slide “{value}” (1 to {total}); showing slide 1.",
    },
    "present_slides_invalid": {
        "de": "Die Folienliste {path} enthält Fehler. Bitte korrigieren und die Seite neu laden:",
        "en": "The slide list {path} has errors. Please fix them and reload the page:",
    },
    "present_downloads": {"de": "Downloads", "en": "Downloads"},
    "present_download_map": {"de": "Karte dieser Folie (HTML, offline)", "en": "This slide's map (HTML, offline)"},
    "present_download_map_help": {
        "de": "Eine einzige HTML-Datei mit Leaflet und allen Daten: öffnet sich ohne Internet in jedem Browser.",
        "en": "One HTML file with Leaflet and all data: opens in any browser without internet.",
    },
    "present_download_figures_png": {"de": "Kennzahlen dieser Folie (PNG)", "en": "This slide's figures (PNG)"},
    "present_download_figures_svg": {"de": "Kennzahlen dieser Folie (SVG)", "en": "This slide's figures (SVG)"},
    "present_download_figures_html": {
        "de": "Kennzahlen dieser Folie (HTML)",
        "en": "This slide's figures (HTML)",
    },
    # slide titles and figures
    "slide_overview_title": {"de": "Vier Länder auf einen Blick", "en": "Four states at a glance"},
    "slide_state_subtitle": {"de": "Land", "en": "State"},
    "slide_zone_type_coal_region": {
        "de": "Braunkohlerevier nach dem Investitionsgesetz Kohleregionen (InvKG)",
        "en": "Lignite mining region under the Coal Regions Investment Act (InvKG)",
    },
    "slide_zone_type_jtf": {
        "de": "Fördergebiet des EU-Fonds für einen gerechten Übergang (JTF)",
        "en": "Area eligible for the EU Just Transition Fund (JTF)",
    },
    "slide_zone_type_coal_aid_area": {
        "de": "Strukturhilfe nach dem Investitionsgesetz Kohleregionen (InvKG § 11)",
        "en": "Structural aid under the Coal Regions Investment Act (InvKG § 11)",
    },
    "slide_figure_sites": {"de": "Standorte im Atlas", "en": "Sites in the atlas"},
    "slide_figure_programs": {"de": "Programme", "en": "Programs"},
    "slide_figure_districts": {"de": "Landkreise und kreisfreie Städte", "en": "Districts"},
    "slide_figure_population": {"de": "Einwohnerinnen und Einwohner", "en": "Inhabitants"},
    "slide_figure_area": {"de": "Fläche", "en": "Area"},
    "slide_figure_density": {"de": "Bevölkerungsdichte", "en": "Population density"},
    "slide_figure_program_sites": {"de": "Standorte im Atlas", "en": "Sites in the atlas"},
    "slide_figure_program_states": {"de": "Länder", "en": "States"},
    "slide_figure_program_districts": {"de": "Landkreise mit Standort", "en": "Districts with a site"},
    "slide_figure_program_claimed": {
        "de": "Orte laut Programm",
        "en": "Places according to the program",
    },
    "slide_figure_site_year": {"de": "Seit", "en": "Since"},
    "slide_figure_site_airport_km": {"de": "Nächster Flughafen", "en": "Nearest airport"},
    "slide_figure_site_station_km": {"de": "Nächster Bahnhof", "en": "Nearest station"},
    "slide_figure_site_city_km": {"de": "Nächste Großstadt", "en": "Nearest city"},
    "slide_figure_site_district_population": {
        "de": "Bevölkerung des Landkreises",
        "en": "Population of the district",
    },
    "slide_figure_site_aid": {
        "de": "Regionalförderung bis zu (kleine Unternehmen)",
        "en": "Regional aid up to (small companies)",
    },
    "slide_figure_not_stated": {"de": "keine Angabe", "en": "not stated"},
    "slide_figure_source": {"de": "Quelle: {source}", "en": "Source: {source}"},
    "slide_figure_source_period": {"de": "Quelle: {source} · {period}", "en": "Source: {source} · {period}"},
    "slide_figure_source_destatis": {
        "de": "Quelle: Statistisches Bundesamt (Destatis), {note}",
        "en": "Source: Federal Statistical Office (Destatis), {note}",
    },
    "slide_figure_source_bkg": {
        "de": "Quelle: © GeoBasis-DE / BKG (VG250), Gebietsstand 1. Juli 2021",
        "en": "Source: © GeoBasis-DE / BKG (VG250), boundaries as of 1 July 2021",
    },
    "slide_figure_source_sites": {
        "de": "Quelle: Standortatlas nach den Programmseiten, Stand {updated}",
        "en": "Source: Site atlas from the program pages, as of {updated}",
    },
    "slide_figure_source_program": {"de": "Quelle: Programmangaben", "en": "Source: program statements"},
    "slide_figure_caption_airport_km": {
        "de": "{place} · Luftlinie; Quelle: airportsdata",
        "en": "{place} · straight line; source: airportsdata",
    },
    "slide_figure_caption_station_km": {
        "de": "{place} · Luftlinie; Quelle: DB Station&Service",
        "en": "{place} · straight line; source: DB Station&Service",
    },
    "slide_figure_caption_city_km": {
        "de": "{place} · Luftlinie; Quelle: GeoNames",
        "en": "{place} · straight line; source: GeoNames",
    },
    "slide_figure_caption_aid": {
        "de": "Fördergebiet {area}; Regionalleitlinien 2022–2027",
        "en": "Aid area {area}; regional aid guidelines 2022–2027",
    },
    "slide_figure_caption_aid_unknown": {
        "de": "Fördergebietsstatus nicht geprüft; Regionalleitlinien 2022–2027",
        "en": "Aid area status not verified; regional aid guidelines 2022–2027",
    },
    "slide_unit_million": {"de": "{value} Mio.", "en": "{value} million"},
    "slide_unit_per_km2": {"de": "{value} je km²", "en": "{value} per km²"},
    # problems in assets/slides.toml
    "slide_problem_prefix": {"de": "Folie {number}: ", "en": "Slide {number}: "},
    "slide_file_missing": {"de": "Die Folienliste {path} fehlt.", "en": "The slide list {path} is missing."},
    "slide_file_syntax": {
        "de": "{path} ist kein gültiges TOML: {error}",
        "en": "{path} is not valid TOML: {error}",
    },
    "slide_file_empty": {
        "de": "{path} enthält keine Folie (jede Folie beginnt mit [[slide]]).",
        "en": "{path} contains no slide (each slide starts with [[slide]]).",
    },
    "slide_not_table": {
        "de": "eine Folie muss mit [[slide]] beginnen.",
        "en": "a slide must start with [[slide]].",
    },
    "slide_unknown_field": {
        "de": "unbekannte Angabe {fields} (erlaubt: {allowed}).",
        "en": "unknown field {fields} (allowed: {allowed}).",
    },
    "slide_bad_kind": {
        "de": "kind = „{value}“ ist unbekannt (erlaubt: {allowed}).",
        "en": "kind = “{value}” is unknown (allowed: {allowed}).",
    },
    "slide_key_missing": {
        "de": "eine Folie der Art „{kind}“ braucht key = …",
        "en": "a slide of kind “{kind}” needs key = …",
    },
    "slide_key_not_used": {
        "de": "eine Folie der Art „{kind}“ hat kein key; bitte die Zeile entfernen.",
        "en": "a slide of kind “{kind}” takes no key; please remove the line.",
    },
    "slide_bad_key": {
        "de": "key = „{value}“ ist für die Art „{kind}“ unbekannt (bekannt: {allowed}).",
        "en": "key = “{value}” is unknown for kind “{kind}” (known: {allowed}).",
    },
    "slide_bad_title": {
        "de": 'title muss so aussehen: title = {{ de = "…", en = "…" }} (beide Texte nicht leer).',
        "en": 'title must look like title = {{ de = "…", en = "…" }} (both texts not empty).',
    },
    "slide_figure_count": {
        "de": 'figures muss eine Liste mit 1 bis {maximum} Kennzahlen sein, z. B. figures = ["sites", "population"].',
        "en": 'figures must be a list of 1 to {maximum} figures, e.g. figures = ["sites", "population"].',
    },
    "slide_bad_figure": {
        "de": "die Kennzahl „{value}“ gibt es für die Art „{kind}“ nicht (möglich: {allowed}).",
        "en": "figure “{value}” does not exist for kind “{kind}” (possible: {allowed}).",
    },
    "slide_bad_fact": {
        "de": "„{value}“: diese fact_id steht nicht in data/sources/zone_facts.csv (bekannt: {allowed}).",
        "en": "“{value}”: this fact_id is not in data/sources/zone_facts.csv (known: {allowed}).",
    },
}
