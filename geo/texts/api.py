"""Texts of the open data API (/api): its metadata, its HTML pages and its error messages."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # metadata (landing page, collections)
    "api_title": {"de": "Standortatlas Ostdeutschland – offene Daten", "en": "Standortatlas East Germany – open data"},
    "api_description": {
        "de": "Innovations- und Kreativorte in Brandenburg, Sachsen, Sachsen-Anhalt und Thüringen mit ihren "
        "Flächenangaben, dazu Landkreise und Zonen des Strukturwandels – jede Angabe mit ihrer öffentlichen "
        "Quelle. OGC API – Features.",
        "en": "Innovation and creative sites in Brandenburg, Saxony, Saxony-Anhalt and Thuringia with their plot "
        "figures, plus districts and structural-change zones – every figure with its public source. "
        "OGC API – Features.",
    },
    "api_keywords": {
        "de": "Standorte, Gewerbeflächen, Strukturwandel, Ostdeutschland",
        "en": "sites, business parks, structural change, East Germany",
    },
    "api_sites_title": {"de": "Standorte", "en": "Sites"},
    "api_sites_description": {
        "de": "Ein Punkt je Standort mit Programm, Ort, Themen, Umgebung und Flächenangaben; zu jeder Angabe ihr "
        "Stand (…_as_of), ihre Quelle (…_source_url) und eine Anmerkung (…_note). `precision` sagt, wie genau "
        "der Punkt ist (bei `municipality` nur die Gemeinde).",
        "en": "One point per site with program, place, themes, surroundings and plot figures; each figure with its "
        "date (…_as_of), its source (…_source_url) and a note (…_note). `precision` says how exact the point "
        "is (`municipality`: only the municipality).",
    },
    "api_districts_title": {"de": "Landkreise und kreisfreie Städte", "en": "Districts"},
    "api_districts_description": {
        "de": "Die 67 Landkreise und kreisfreien Städte der vier Länder: Bevölkerung und Fläche (Destatis, "
        "31.12.2018), Regionalbeihilfe 2022–2027 mit Quelle und Zonen des Strukturwandels.",
        "en": "The 67 districts of the four states: population and area (Destatis, 31 Dec 2018), regional aid "
        "2022–2027 with its source, and structural-change zones.",
    },
    "api_zones_title": {"de": "Zonen des Strukturwandels", "en": "Structural-change zones"},
    "api_zones_description": {
        "de": "Braunkohlereviere, Fördergebiete nach InvKG und Gebiete des Just Transition Fund mit Rechtsgrundlage, "
        "Mitgliedskreisen und Förderangaben, jede mit Quelle.",
        "en": "Lignite regions, InvKG aid areas and Just Transition Fund areas with legal basis, member districts "
        "and funding facts, each with its source.",
    },
    "api_licence": {
        "de": "Quellen je Angabe; Grenzen © GeoBasis-DE / BKG, Statistik © Destatis (CC BY 4.0)",
        "en": "Sources per figure; boundaries © GeoBasis-DE / BKG, statistics © Destatis (CC BY 4.0)",
    },
    # queryables: what each filter does
    "api_query_program": {
        "de": "Programm (z. B. zukunftsort, kreativort); mehrere durch Komma: eines davon",
        "en": "Program (e.g. zukunftsort, kreativort); several separated by commas: any of them",
    },
    "api_query_state": {
        "de": "Land: BB, SN, ST, TH; mehrere durch Komma",
        "en": "State: BB, SN, ST, TH; several separated by commas",
    },
    "api_query_theme": {
        "de": "Thema; mehrere durch Komma: eines davon",
        "en": "Theme; several separated by commas: any of them",
    },
    "api_query_zone": {
        "de": "Zone des Strukturwandels (über den Landkreis des Standorts)",
        "en": "Structural-change zone (through the site's district)",
    },
    "api_query_area_min": {
        "de": "Verfügbare Fläche mindestens, in Hektar (Standorte ohne Angabe fallen heraus)",
        "en": "Available area at least, in hectares (sites without the figure drop out)",
    },
    "api_query_price_max": {
        "de": "Preis höchstens, in €/m² (oberer Preis des Standorts; ohne Angabe fällt er heraus)",
        "en": "Price at most, in €/m² (the site's upper price; sites without one drop out)",
    },
    "api_query_zoning": {
        "de": "Gebietsart: GI, GE, SO, MI, MU; mehrere durch Komma",
        "en": "Zoning: GI, GE, SO, MI, MU; several separated by commas",
    },
    "api_query_rail": {"de": "Gleisanschluss: yes, no, unknown", "en": "Rail siding: yes, no, unknown"},
    "api_query_q": {
        "de": "Freitext: jedes Wort muss in Name, Ort oder Beschreibung vorkommen (ö = oe, ohne Groß/klein)",
        "en": "Free text: every word must occur in name, place or description (ö = oe, any case)",
    },
    # links from the atlas's pages
    "api_link_site": {
        "de": "Dieser Standort als offene Daten (OGC API – Features)",
        "en": "This site as open data (OGC API – Features)",
    },
    "api_link_sites": {
        "de": "Diese Auswahl über die offene Daten-API",
        "en": "This selection through the open data API",
    },
    "api_link_comparison": {"de": "Offene Daten (GeoJSON): {links}", "en": "Open data (GeoJSON): {links}"},
    "data_api_title": {"de": "Offene Daten: API für Partner", "en": "Open data: API for partners"},
    "data_api_text": {
        "de": "Standorte (mit Flächenangaben, ihrem Stand und ihrer Quelle), Landkreise und Zonen des "
        "Strukturwandels stehen als OGC API – Features bereit: für Portale, Datenplattformen und GIS "
        "(QGIS, ArcGIS, GDAL). Dieselben Filter wie in den Links des Atlas (program, state, zone, theme, "
        "area_min, price_max, zoning, rail, q), GeoJSON in WGS 84 oder ETRS89/UTM 32N/33N, deutsch und "
        "englisch. Eine übernommene Änderung ist sofort in der API.",
        "en": "Sites (with their plot figures, dates and sources), districts and structural-change zones are "
        "available as OGC API – Features: for portals, data platforms and GIS (QGIS, ArcGIS, GDAL). The "
        "same filters as the atlas's links (program, state, zone, theme, area_min, price_max, zoning, "
        "rail, q), GeoJSON in WGS 84 or ETRS89/UTM 32N/33N, in German and English. An applied change is "
        "in the API at once.",
    },
    "data_api_links": {
        "de": "[Einstieg in die API]({root}) · [Sammlungen]({collections}) · [API-Beschreibung (OpenAPI)]({openapi})",
        "en": "[The API's landing page]({root}) · [Collections]({collections}) · [API definition (OpenAPI)]({openapi})",
    },
    "data_api_qgis": {
        "de": "In QGIS: Layer › Layer hinzufügen › WFS / OGC API – Features, als URL die Adresse dieser Seite "
        "mit `/api` am Ende.",
        "en": "In QGIS: Layer › Add Layer › WFS / OGC API – Features, with this site's address followed by `/api` "
        "as the URL.",
    },
    # HTML pages
    "api_html_home": {"de": "Start", "en": "Home"},
    "api_html_collections": {"de": "Sammlungen", "en": "Collections"},
    "api_html_items": {"de": "Objekte", "en": "Items"},
    "api_html_queryables": {"de": "Filter (Queryables)", "en": "Filters (queryables)"},
    "api_html_schema": {"de": "Eigenschaften (Schema)", "en": "Properties (schema)"},
    "api_html_conformance": {"de": "Konformitätsklassen", "en": "Conformance classes"},
    "api_html_openapi": {"de": "API-Beschreibung (OpenAPI)", "en": "API definition (OpenAPI)"},
    "api_html_as_json": {"de": "Als JSON", "en": "As JSON"},
    "api_html_as_geojson": {"de": "Als GeoJSON", "en": "As GeoJSON"},
    "api_html_language": {"de": "English", "en": "Deutsch"},
    "api_html_atlas": {"de": "Zum Standortatlas", "en": "Open the atlas"},
    "api_html_docs": {"de": "Anleitung: curl, QGIS, Python", "en": "How to use it: curl, QGIS, Python"},
    "api_html_matched": {
        "de": "{matched} Treffer, {first}–{last} angezeigt",
        "en": "{matched} matches, {first}–{last} shown",
    },
    "api_html_none": {"de": "Keine Treffer.", "en": "No matches."},
    "api_html_previous": {"de": "Vorherige Seite", "en": "Previous page"},
    "api_html_next": {"de": "Nächste Seite", "en": "Next page"},
    "api_html_profile": {"de": "Profil im Atlas", "en": "Profile in the atlas"},
    "api_html_property": {"de": "Eigenschaft", "en": "Property"},
    "api_html_value": {"de": "Wert", "en": "Value"},
    "api_html_type": {"de": "Typ", "en": "Type"},
    "api_html_values": {"de": "Werte", "en": "Values"},
    "api_html_meaning": {"de": "Bedeutung", "en": "Meaning"},
    "api_html_extent": {"de": "Ausdehnung (Länge/Breite, WGS 84)", "en": "Extent (longitude/latitude, WGS 84)"},
    "api_html_crs": {"de": "Koordinatensysteme", "en": "Coordinate reference systems"},
    "api_html_filter_hint": {
        "de": "Filter als URL-Parameter, wie im Atlas: z. B. ?program=zukunftsort&state=ST. "
        "Dazu bbox, limit, offset, crs.",
        "en": "Filters as URL parameters, as in the atlas: e.g. ?program=zukunftsort&state=ST. "
        "Also bbox, limit, offset, crs.",
    },
    "api_html_openapi_intro": {
        "de": "Die maschinenlesbare Beschreibung aller Pfade und Parameter (OpenAPI 3.0):",
        "en": "The machine-readable description of every path and parameter (OpenAPI 3.0):",
    },
    "api_html_error": {"de": "Die Anfrage konnte nicht beantwortet werden", "en": "The request could not be answered"},
    "api_html_sources": {
        "de": "Jede Angabe nennt ihre Quelle; die Daten selbst: siehe /daten im Atlas.",
        "en": "Every figure names its source; about the data: see /daten in the atlas.",
    },
    # errors (the parameter is always named)
    "api_problem_unknown_collection": {
        "de": "Die Sammlung „{collection}“ gibt es nicht. Vorhanden: {known}.",
        "en": "There is no collection '{collection}'. Available: {known}.",
    },
    "api_problem_unknown_parameter": {
        "de": "Der Parameter „{parameter}“ ist hier unbekannt. Erlaubt sind: {allowed}.",
        "en": "The parameter '{parameter}' is not known here. Allowed: {allowed}.",
    },
    "api_problem_repeated_parameter": {
        "de": "Der Parameter „{parameter}“ darf nur einmal vorkommen.",
        "en": "The parameter '{parameter}' may occur only once.",
    },
    "api_problem_bad_filter_value": {
        "de": "Der Parameter „{parameter}“ hat einen unbekannten oder ungültigen Wert: „{value}“ (erlaubte Werte: "
        "siehe /queryables der Sammlung).",
        "en": "The parameter '{parameter}' has an unknown or invalid value: '{value}' (allowed values: see the "
        "collection's /queryables).",
    },
    "api_problem_bbox": {
        "de": "Der Parameter „bbox“ braucht vier Zahlen: minLänge,minBreite,maxLänge,maxBreite (z. B. "
        "bbox=11.5,50.9,12.5,51.6), mit min ≤ max; erhalten: „{value}“.",
        "en": "The parameter 'bbox' needs four numbers: minLon,minLat,maxLon,maxLat (e.g. bbox=11.5,50.9,12.5,51.6), "
        "with min ≤ max; received: '{value}'.",
    },
    "api_problem_bbox_range": {
        "de": "Der Parameter „bbox“ liegt außerhalb von Länge −180…180 und Breite −90…90: „{value}“ (für andere "
        "Koordinatensysteme bbox-crs angeben).",
        "en": "The parameter 'bbox' lies outside longitude −180…180 and latitude −90…90: '{value}' (give bbox-crs "
        "for other coordinate systems).",
    },
    "api_problem_limit": {
        "de": "Der Parameter „limit“ muss eine ganze Zahl von 1 bis {maximum} sein; erhalten: „{value}“. Mehr "
        "Objekte: mit offset seitenweise abrufen (Link „next“).",
        "en": "The parameter 'limit' must be a whole number from 1 to {maximum}; received: '{value}'. For more "
        "items page with offset (the 'next' link).",
    },
    "api_problem_offset": {
        "de": "Der Parameter „offset“ muss eine ganze Zahl ab 0 sein; erhalten: „{value}“.",
        "en": "The parameter 'offset' must be a whole number of 0 or more; received: '{value}'.",
    },
    "api_problem_crs": {
        "de": "Der Parameter „{parameter}“ nennt ein Koordinatensystem, das diese Sammlung nicht anbietet: "
        "„{value}“. Angeboten: {allowed}.",
        "en": "The parameter '{parameter}' names a coordinate system this collection does not offer: '{value}'. "
        "Offered: {allowed}.",
    },
    "api_problem_format": {
        "de": "Der Parameter „f“ kennt nur json, html und jsonld; erhalten: „{value}“.",
        "en": "The parameter 'f' knows only json, html and jsonld; received: '{value}'.",
    },
    "api_problem_too_long": {
        "de": "Die Anfrage ist zu lang (höchstens {maximum} Zeichen nach dem „?“).",
        "en": "The request is too long (at most {maximum} characters after the '?').",
    },
    "api_problem_filter_unsupported": {
        "de": "Der Parameter „filter“ (CQL) wird nicht unterstützt; bitte die Filter-Parameter der Sammlung "
        "verwenden (siehe /queryables).",
        "en": "The parameter 'filter' (CQL) is not supported; use the collection's filter parameters (see "
        "/queryables).",
    },
    "api_problem_item_not_found": {
        "de": "Das Objekt „{item}“ gibt es in dieser Sammlung nicht.",
        "en": "There is no item '{item}' in this collection.",
    },
    "api_problem_not_found": {
        "de": "Diese Adresse gibt es in der API nicht.",
        "en": "There is no such address in the API.",
    },
    "api_problem_method": {
        "de": "Die API ist nur lesbar: erlaubt sind GET und HEAD.",
        "en": "The API is read-only: only GET and HEAD are allowed.",
    },
    "api_problem_rate_limit": {
        "de": "Zu viele Anfragen von dieser Adresse; bitte in {seconds} Sekunden erneut versuchen.",
        "en": "Too many requests from this address; please try again in {seconds} seconds.",
    },
    "api_problem_unavailable": {
        "de": "Die Daten sind gerade nicht erreichbar; bitte gleich noch einmal versuchen.",
        "en": "The data cannot be reached right now; please try again shortly.",
    },
    "api_problem_internal": {
        "de": "Ein interner Fehler ist aufgetreten; er wurde protokolliert.",
        "en": "An internal error occurred; it has been logged.",
    },
}
