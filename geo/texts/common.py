"""Texts of the shared frame: navigation, language switch, attribution, data page."""

TEXTS = {
    "app_title": {"de": "Standortatlas Ostdeutschland", "en": "Site Atlas of Eastern Germany"},
    "app_tagline": {
        "de": "Zukunftsorte, Kreativorte und Strukturwandel in Brandenburg, Sachsen, Sachsen-Anhalt und Thüringen",
        "en": "Future sites, creative places and structural change in Brandenburg, Saxony, Saxony-Anhalt and Thuringia",
    },
    "language": {"de": "Sprache", "en": "Language"},
    "language_name_de": {"de": "Deutsch", "en": "Deutsch"},
    "language_name_en": {"de": "English", "en": "English"},
    "nav_map": {"de": "Karte", "en": "Map"},
    "nav_sites": {"de": "Standorte", "en": "Sites"},
    "nav_regions": {"de": "Regionen", "en": "Regions"},
    "nav_structural_change": {"de": "Strukturwandel", "en": "Structural change"},
    "nav_data": {"de": "Daten & Quellen", "en": "Data & sources"},
    "nav_embed": {"de": "Einbetten", "en": "Embed"},
    "nav_presentation": {"de": "Präsentation", "en": "Presentation"},
    "nav_stewardship": {"de": "Datenpflege", "en": "Data stewardship"},
    "attribution": {
        "de": "Geodaten: © GeoBasis-DE / BKG (VG250, 2017) · Statistik: © Statistisches Bundesamt (Destatis), 31.12.2018, CC BY 4.0 · Orte: GeoNames (CC BY 4.0) · Quellen je Standort auf der Seite „Daten & Quellen“",
        "en": "Geodata: © GeoBasis-DE / BKG (VG250, 2017) · Statistics: © Federal Statistical Office (Destatis), 31 Dec 2018, CC BY 4.0 · Places: GeoNames (CC BY 4.0) · Sources per site on the “Data & sources” page",
    },
    "profile_cue": {"de": "Profil von {name} ansehen", "en": "See the profile of {name}"},
    "privacy_note": {
        "de": "Diese Anwendung lädt keine Inhalte von Dritten. Kartenkacheln werden erst nach Ihrer Zustimmung geladen.",
        "en": "This application loads no third-party content. Map tiles are loaded only after you switch them on.",
    },
    "error_generic": {
        "de": "Etwas ist schiefgegangen: {message}",
        "en": "Something went wrong: {message}",
    },
    # the name of a table that scrolls in its box (a region in the tab order, for a keyboard)
    "table_scroll_region": {"de": "Tabelle: {columns}", "en": "Table: {columns}"},
    "values_and_more": {
        "de": " und {count} weitere",
        "en": " and {count} more",
    },
    "bad_parameter": {
        "de": "Der Link enthält einen unbekannten Wert für „{name}“ ({value}); er wurde ignoriert.",
        "en": "The link contains an unknown value for “{name}” ({value}); it was ignored.",
    },
    "data_missing": {
        "de": "Die Datendatei {path} fehlt. Bitte `make build` ausführen.",
        "en": "The data file {path} is missing. Please run `make build`.",
    },
    "districts_layer": {"de": "Landkreise und kreisfreie Städte", "en": "Districts"},
    "states_layer": {"de": "Länder", "en": "States"},
    "database_unavailable": {
        "de": "Die Datenbank des Atlas ist gerade nicht erreichbar (etwa bei einem Neustart). "
        "Die Seite versucht es in wenigen Sekunden von selbst wieder.",
        "en": "The atlas's database cannot be reached right now (for example during a restart). "
        "The page tries again by itself in a few seconds.",
    },
    "database_stale": {
        "de": "Die Datenbank ist gerade nicht erreichbar; angezeigt wird der zuletzt geladene Stand. "
        "Änderungen erscheinen, sobald sie wieder erreichbar ist.",
        "en": "The database cannot be reached right now; you see the data as last loaded. "
        "Changes appear as soon as it is back.",
    },
}
