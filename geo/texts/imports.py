"""Texts of a steward's import (geo/imports/): what is wrong with a file or a row, in German and English.
The command line and the staff page show the same messages."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "import_layer_has_no_coordinate_reference": {
        "de": "Der Layer hat kein Koordinatenreferenzsystem. Bitte {crs}.",
        "en": "The layer has no coordinate reference system. Please {crs}.",
    },
    "import_display_name_not_text_file": {
        "de": "„{display_name}“ ist keine Textdatei (CSV erwartet).",
        "en": "'{display_name}' is not a text file (CSV expected).",
    },
    "import_file_not_found_display_name": {
        "de": "Datei nicht gefunden: {display_name}",
        "en": "file not found: {display_name}",
    },
    "import_file_empty": {
        "de": "Die Datei ist leer.",
        "en": "The file is empty.",
    },
    "import_file_too_large_value_mb": {
        "de": "Die Datei ist zu groß ({size} MB, erlaubt sind {limit} MB).",
        "en": "The file is too large ({size} MB, the limit is {limit} MB).",
    },
    "import_note_while_reading_file_text": {
        "de": "Hinweis beim Lesen der Datei: {text}",
        "en": "Note while reading the file: {text}",
    },
    "import_file_zip_archive_excel_workbook": {
        "de": "Die Datei ist ein ZIP-Archiv (oder eine Excel-Datei). Bitte entpacken bzw. in Excel als „CSV UTF-8“ speichern und die GeoPackage-, GeoJSON- oder CSV-Datei einlesen.",
        "en": "The file is a ZIP archive (or an Excel workbook). Unpack it, or save it from Excel as 'CSV UTF-8', and import the GeoPackage, GeoJSON or CSV file.",
    },
    "import_display_name_not_geopackage_no": {
        "de": "„{display_name}“ ist keine GeoPackage-Datei (kein SQLite-Dateikopf).",
        "en": "'{display_name}' is not a GeoPackage (no SQLite header).",
    },
    "import_display_name_sqlite_geopackage_file": {
        "de": "„{display_name}“ ist eine SQLite-/GeoPackage-Datei, keine {file_format}-Datei. Bitte mit der Endung .gpkg einlesen.",
        "en": "'{display_name}' is a SQLite/GeoPackage file, not {file_format}. Import it with the extension .gpkg.",
    },
    "import_display_name_not_geojson_no": {
        "de": "„{display_name}“ ist keine GeoJSON-Datei (kein JSON-Objekt vom Typ FeatureCollection).",
        "en": "'{display_name}' is not GeoJSON (no JSON object of type FeatureCollection).",
    },
    "import_file_s_coordinate_reference_system": {
        "de": 'Das Koordinatensystem der Datei ist ein Verweis auf eine Web-Adresse ({href}); Verweise werden nicht abgerufen. Bitte das System mit Namen angeben (z. B. "EPSG:25833") oder weglassen (WGS 84).',
        "en": 'The file\'s coordinate reference system is a link to a web address ({href}); links are not fetched. Name the system instead (e.g. "EPSG:25833") or leave it out (WGS 84).',
    },
    "import_display_name_sqlite_file_but": {
        "de": "„{display_name}“ ist eine SQLite-Datei, aber kein GeoPackage mit Layern.",
        "en": "'{display_name}' is a SQLite file but not a GeoPackage with layers.",
    },
    "import_file_has_several_layers_reading": {
        "de": "Die Datei hat mehrere Layer; gelesen wird „{chosen}“ (andere: {others}; {layer}).",
        "en": "The file has several layers; reading '{chosen}' (others: {others}; {layer}).",
    },
    "import_polygon_instead_point_site_placed": {
        "de": "Fläche statt Punkt: der Standort wird auf einen Punkt innerhalb der Fläche gesetzt.",
        "en": "Polygon instead of a point: the site is placed at a point inside the polygon.",
    },
    "import_csv_file_has_no_header": {
        "de": "Die CSV-Datei hat keine Kopfzeile.",
        "en": "The CSV file has no header line.",
    },
    "import_file_mixes_encodings_lines_listed": {
        "de": "Die Datei mischt Kodierungen: die Zeilen {listed} sind als Windows-1252 gelesen, die übrigen als UTF-8. Bitte Umlaute und ß in diesen Zeilen prüfen (am besten die Datei als „CSV UTF-8“ speichern).",
        "en": "The file mixes encodings: lines {listed} were read as Windows-1252, the others as UTF-8. Please check umlauts and ß on those lines (best save the file as 'CSV UTF-8').",
    },
    "import_file_cannot_read_as_value": {
        "de": "Die Datei lässt sich nicht als {file_format} lesen: {first_line}",
        "en": "The file cannot be read as {file_format}: {first_line}",
    },
    "import_unknown_coordinate_reference_system_file": {
        "de": 'Unbekanntes Koordinatensystem in der Datei: {shown}. Bitte einen gültigen EPSG-Code angeben (z. B. "EPSG:25833") oder das Element "crs" weglassen (WGS 84).',
        "en": 'Unknown coordinate reference system in the file: {shown}. Give a valid EPSG code (e.g. "EPSG:25833") or leave out the "crs" member (WGS 84).',
    },
    "import_layer_layer_does_not_exist": {
        "de": "Layer „{layer}“ gibt es nicht; vorhanden: {layers}.",
        "en": "Layer '{layer}' does not exist; available: {layers}.",
    },
    "import_csv_file_cannot_read_error": {
        "de": "Die CSV-Datei ist nicht lesbar: {error}",
        "en": "The CSV file cannot be read: {error}",
    },
    "import_quotation_mark_opened_on_line": {
        "de": 'In Zeile {line} beginnt ein Anführungszeichen ("), das nicht geschlossen wird; alles danach wäre ein einziges Feld. Bitte das Anführungszeichen schließen oder entfernen.',
        "en": 'A quotation mark (") opened on line {line} is never closed; everything after it would be one field. Please close or remove the quotation mark.',
    },
    "import_row_has_count_record_fields": {
        "de": "Die Zeile hat {count_record} Felder, die Kopfzeile nur {count_header} (Trennzeichen „{delimiter}“?).",
        "en": "The row has {count_record} fields but the header only {count_header} (delimiter '{delimiter}'?).",
    },
    "import_columns_x_y_need_coordinate": {
        "de": "Die Spalten {x}/{y} brauchen ein Koordinatenreferenzsystem: bitte {crs}.",
        "en": "The columns {x}/{y} need a coordinate reference system: please {crs}.",
    },
    "import_column_key_occurs_more_than": {
        "de": "Die Spalte „{key}“ kommt mehrfach vor.",
        "en": "The column '{key}' occurs more than once.",
    },
    "import_column_name_derived_from_sources": {
        "de": "Die Spalte „{name}“ wird aus den Quellen der Flächenangaben abgeleitet und nicht übernommen; neue oder geänderte Angaben brauchen ihre Quelle in {source_column} und {as_of_column}.",
        "en": "The column '{name}' is derived from the sources of the plot figures and is ignored; new or changed figures need their source in {source_column} and {as_of_column}.",
    },
    "import_text_contains_nul_character_u": {
        "de": "Der Text enthält ein NUL-Zeichen (\\u0000); bitte entfernen.",
        "en": "The text contains a NUL character (\\u0000); please remove it.",
    },
    "import_geometry_type_geometry_geom_type": {
        "de": "Geometrietyp {geometry_geom_type} wird nicht unterstützt: nur Punkte (oder Flächen).",
        "en": "Geometry type {geometry_geom_type} is not supported: points only (or polygons).",
    },
    "import_coordinates_original_x_original_y": {
        "de": "Die Koordinaten ({original_x}, {original_y}) passen nicht zu {crs}.",
        "en": "The coordinates ({original_x}, {original_y}) do not fit {crs}.",
    },
    "import_unknown_column_name_ignored": {
        "de": "Unbekannte Spalte „{name}“ wird nicht übernommen.",
        "en": "Unknown column '{name}' is ignored.",
    },
    "import_no_coordinates_site_placed_municipality": {
        "de": "Keine Koordinaten: der Standort wird in die Gemeinde {place_name} gesetzt (Genauigkeit „Gemeinde“).",
        "en": "No coordinates: the site is placed in the municipality {place_name} (precision 'municipality').",
    },
    "import_text_looks_like_spreadsheet_formula": {
        "de": "Text wie eine Tabellen-Formel (beginnt mit =, +, -, @) in den Zeilen {listed}: bitte prüfen, ob das gewollt ist.",
        "en": "Text that looks like a spreadsheet formula (starting with =, +, -, @) in rows {listed}: please check that it is meant.",
    },
    "import_file_contains_no_sites": {
        "de": "Die Datei enthält keine Standorte.",
        "en": "The file contains no sites.",
    },
    "import_invalid_site_id_value_only": {
        "de": "Ungültige site_id „{site_id}“: nur a–z, 0–9 und Bindestriche (Vorschlag: „{suggestion}“).",
        "en": "Invalid site_id '{site_id}': only a-z, 0-9 and hyphens (suggestion: '{suggestion}').",
    },
    "import_site_has_no_location_give": {
        "de": "Der Standort hat keine Lage: Koordinaten (lat/lon oder x/y), eine Geometrie oder eine Gemeinde angeben.",
        "en": "The site has no location: give coordinates (lat/lon or x/y), a geometry or a municipality.",
    },
    "import_precision_precision_needs_coordinates_without": {
        "de": "Genauigkeit „{precision}“ braucht Koordinaten; ohne sie wird der Standort nur in die Gemeinde gesetzt.",
        "en": "Precision '{precision}' needs coordinates; without them the site is only placed in its municipality.",
    },
    "import_required_column_column_missing": {
        "de": "Pflichtspalte „{column}“ fehlt.",
        "en": "Required column '{column}' is missing.",
    },
    "import_reference_data_missing_reference_path": {
        "de": "Referenzdaten fehlen: {reference_path} (erzeugen mit „python -m geo build“).",
        "en": "Reference data missing: {reference_path} (create it with 'python -m geo build').",
    },
    "import_reference_data_unreadable_reference_path": {
        "de": "Referenzdaten unlesbar: {reference_path}: {error} (wiederherstellen mit „python -m geo build --only reference“).",
        "en": "Reference data unreadable: {reference_path}: {error} (restore it with 'python -m geo build --only reference').",
    },
    "import_no_site_id_can_derived": {
        "de": "Aus dem Namen lässt sich keine site_id bilden; bitte eine angeben.",
        "en": "No site_id can be derived from the name; please give one.",
    },
    "import_given_given_but_point_lies": {
        "de": "Angegeben ist „{given}“, der Punkt liegt aber in „{derived}“; übernommen wird „{derived}“.",
        "en": "'{given}' is given but the point lies in '{derived}'; '{derived}' is used.",
    },
    "import_municipality_given_given_but_point": {
        "de": "Angegeben ist die Gemeinde „{given}“, der Punkt liegt aber in {municipality}.",
        "en": "The municipality '{given}' is given, but the point lies in {municipality}.",
    },
    "import_site_id_site_id_occurs": {
        "de": "Die site_id „{site_id}“ kommt mehrfach vor (Zeilen {listed}); bei gleichen Namen bitte eine eigene site_id angeben.",
        "en": "The site_id '{site_id}' occurs more than once (rows {listed}); for equal names give each its own site_id.",
    },
    "import_nearest_airport_station_city_could": {
        "de": "Flughafen, Bahnhof und Großstadt in der Nähe konnten für {count} Standort(e) nicht berechnet werden und bleiben leer ({reason}).",
        "en": "The nearest airport, station and city could not be computed for {count} site(s) and stay empty ({reason}).",
    },
    "import_hint_crs_cli": {
        "de": "mit --crs angeben (z. B. --crs 25833 für ETRS89/UTM 33N, --crs 4326 für WGS84 Länge/Breite)",
        "en": "give it with --crs (e.g. --crs 25833 for ETRS89/UTM 33N, --crs 4326 for WGS84 lon/lat)",
    },
    "import_hint_crs_page": {
        "de": "im Feld „Koordinatensystem“ wählen (z. B. 25833 für ETRS89/UTM 33N, 4326 für WGS84 Länge/Breite)",
        "en": "choose it in the field 'Coordinate reference system' (e.g. 25833 for ETRS89/UTM 33N, 4326 for WGS84 lon/lat)",
    },
    "import_hint_crs_conflict_cli": {
        "de": "Bitte --crs weglassen oder die Datei prüfen.",
        "en": "Leave out --crs or check the file.",
    },
    "import_hint_crs_conflict_page": {
        "de": "Bitte das Feld „Koordinatensystem“ leeren oder die Datei prüfen.",
        "en": "Clear the field 'Coordinate reference system' or check the file.",
    },
    "import_hint_layer_cli": {"de": "Auswahl mit --layer", "en": "choose with --layer"},
    "import_hint_layer_page": {"de": "Auswahl im Feld „Layer“", "en": "choose in the field 'Layer'"},
    "import_crs_conflict": {
        "de": "Die Datei ist in {declared}, angegeben wurde {given}. {hint}",
        "en": "The file declares {declared} but {given} was given. {hint}",
    },
    "import_rows_more_than": {"de": "mehr als {count}", "en": "more than {count}"},
    "import_too_many_rows": {
        "de": "Die Datei hat {amount} Zeilen; erlaubt sind höchstens {limit} je Einlesen. Bitte in kleinere Dateien teilen.",
        "en": "The file has {amount} rows; at most {limit} are allowed per import. Please split it into smaller files.",
    },
    "import_not_a_number": {"de": "„{text}“ ist keine Zahl.", "en": "'{text}' is not a number."},
    "import_coordinate_missing": {"de": "Die Koordinate fehlt.", "en": "The coordinate is missing."},
    "import_point_outside_the_four_states": {
        "de": "Der Punkt (Länge {lon}, Breite {lat}) liegt außerhalb von {states}.{hint}",
        "en": "The point (lon {lon}, lat {lat}) lies outside {states}.{hint}",
    },
    "import_hint_swapped": {"de": " Breite und Länge vertauscht?", "en": " Latitude and longitude swapped?"},
    "import_municipality_ambiguous": {
        "de": "Gemeinde „{municipality}“ ist mehrdeutig: {listed}. Bitte Koordinaten angeben.",
        "en": "Municipality '{municipality}' is ambiguous: {listed}. Please give coordinates.",
    },
    "import_municipality_not_found": {
        "de": "Gemeinde „{municipality}“ nicht gefunden. Bitte Koordinaten angeben.",
        "en": "Municipality '{municipality}' not found. Please give coordinates.",
    },
    "import_location_row": {"de": "Zeile {row}", "en": "row {row}"},
    "import_location_field": {"de": "Feld {field}", "en": "field {field}"},
    "import_location_file": {"de": "Datei", "en": "file"},
    "import_file_type_not_supported": {
        "de": "Dateityp „{suffix}“ wird nicht unterstützt: erlaubt sind {suffixes}.",
        "en": "File type '{suffix}' is not supported: use {suffixes}.",
    },
    "import_no_extension": {"de": "(ohne Endung)", "en": "(no extension)"},
    "import_layer_not_a_table": {
        "de": "Layer „{layer}“ lässt sich nicht als Tabelle lesen (oder nicht in {seconds} s zählen). Bitte die Datei in QGIS neu als GeoPackage speichern.",
        "en": "Layer '{layer}' cannot be read as a table (or not counted within {seconds} s). Please save the file again as a GeoPackage in QGIS.",
    },
    "import_geojson_nested_crs": {
        "de": 'Die Datei nennt {count}-mal ein Koordinatensystem („crs“) innerhalb von Objekten oder Geometrien (Objekt {features}); das wird nicht gelesen, denn ein Verweis darin ließe den Server eine Web-Adresse abrufen. Bitte das System nur einmal oben in der Datei mit Namen angeben (z. B. "EPSG:25833") oder weglassen (WGS 84).',
        "en": 'The file names a coordinate reference system ("crs") {count} times inside features or geometries (feature {features}); such members are not read, as a link in one would make the server fetch a web address. Name the system once at the top of the file (e.g. "EPSG:25833") or leave it out (WGS 84).',
    },
    "import_layer_not_a_feature_table": {
        "de": "Layer „{layer}“ ist keine Tabelle mit gespeicherten Objekten, sondern eine Sicht (gespeicherte Abfrage), eine Tabelle mit berechneten Spalten oder ein anderer Inhalt; eingelesen werden nur Tabellen mit gespeicherten Werten. Bitte den Layer in QGIS als neues GeoPackage speichern.",
        "en": "Layer '{layer}' is not a table of stored features but a view (a stored query), a table with computed columns or other content; only tables of stored values are read. Please save the layer as a new GeoPackage in QGIS.",
    },
    "import_check_time_limit": {
        "de": "Die Prüfung von „{display_name}“ dauerte länger als {seconds} s und wurde abgebrochen; nichts wurde geändert. Bitte die Datei prüfen oder in kleinere Dateien teilen.",
        "en": "Checking '{display_name}' took longer than {seconds} s and was stopped; nothing was changed. Please check the file or split it into smaller files.",
    },
    "import_check_memory_limit": {
        "de": "Die Prüfung von „{display_name}“ brauchte mehr als {megabytes} MB Speicher und wurde abgebrochen; nichts wurde geändert. Bitte die Datei prüfen oder in kleinere Dateien teilen.",
        "en": "Checking '{display_name}' needed more than {megabytes} MB of memory and was stopped; nothing was changed. Please check the file or split it into smaller files.",
    },
}
