"""Texts of the stewardship part of the app: the staff page `pflege` (login, import, versions)."""

TEXTS: dict[str, dict[str, str]] = {
    # access
    "steward_disabled": {
        "de": "Die Datenpflege ist nicht eingerichtet: Es gibt weder Konten noch ein Passwort.",
        "en": "Data stewardship is not set up: there are neither accounts nor a password.",
    },
    "steward_login_intro": {
        "de": "Diese Seite ist für Mitarbeitende, die die Standortdaten pflegen. Bitte anmelden.",
        "en": "This page is for staff who maintain the site data. Please log in.",
    },
    "steward_password": {"de": "Passwort", "en": "Password"},
    "steward_login": {"de": "Anmelden", "en": "Log in"},
    "steward_login_oidc": {"de": "Mit Organisationskonto anmelden", "en": "Log in with organisation account"},
    "steward_oidc_not_allowed": {
        "de": "Das Konto {email} ist nicht für die Datenpflege freigegeben.",
        "en": "The account {email} is not permitted to maintain the data.",
    },
    "steward_login_failed": {
        "de": "Die Anmeldung ist fehlgeschlagen. Bitte später erneut versuchen.",
        "en": "Login failed. Please try again later.",
    },
    "steward_wrong_password": {
        "de": "Das Passwort ist falsch.",
        "en": "The password is wrong.",
    },
    "steward_checking_rows": {
        "de": "Zeilen geprüft: {done} von {total}",
        "en": "Rows checked: {done} of {total}",
    },
    "steward_logout": {"de": "Abmelden", "en": "Log out"},
    # the app's data files and web libraries are missing or damaged (every page, the embed too)
    "data_file_missing": {
        "de": "Die Datendatei {path} fehlt, daher kann diese Seite nicht angezeigt werden. Wiederherstellen "
        "auf dem Server mit: `{command}`",
        "en": "The data file {path} is missing, so this page cannot be shown. Restore it on the server with: "
        "`{command}`",
    },
    "data_file_damaged": {
        "de": "Die Datendatei {path} ist beschädigt ({detail}), daher kann diese Seite nicht angezeigt werden. "
        "Wiederherstellen auf dem Server mit: `{command}`",
        "en": "The data file {path} is damaged ({detail}), so this page cannot be shown. Restore it on the "
        "server with: `{command}`",
    },
    "data_restore_on_staff_page": {
        "de": "Gesicherte Versionen der Standortdaten lassen sich auch auf der Seite „Datenpflege“ (/pflege) unter "
        "„Versionen und Rückgängig“ wiederherstellen.",
        "en": "Kept versions of the site data can also be restored on the page 'Data stewardship' (/pflege) under "
        "'Versions and undo'.",
    },
    "vendor_missing": {
        "de": "Die Web-Bibliotheken für die Karte fehlen ({count} Dateien unter static/vendor/, z. B. {example}); "
        "Karten bleiben leer. Einrichten auf dem Server mit: `{command}`",
        "en": "The web libraries for the map are missing ({count} files below static/vendor/, e.g. {example}); "
        "maps stay empty. Set them up on the server with: `{command}`",
    },
    "steward_current_damaged": {
        "de": "Die aktuelle Datei ist beschädigt und nicht lesbar. Bitte unten eine gesicherte Version wiederherstellen.",
        "en": "The current file is damaged and cannot be read. Please restore a kept version below.",
    },
    "steward_fix_data_first": {
        "de": "Vor dem Einlesen bitte zuerst die Datendateien wiederherstellen (siehe oben).",
        "en": "Please restore the data files first (see above) before importing.",
    },
    "steward_intro": {
        "de": "Standorte aktuell halten: eine Datei einlesen oder einen Standort im Formular bearbeiten, die "
        "Änderungen prüfen, übernehmen oder als Vorschlag einreichen – und bei Bedarf rückgängig machen. Die "
        "Kommandozeile (`python -m geo import`) arbeitet genauso.",
        "en": "Keep the sites current: import a file or edit one site in the form, review the changes, apply "
        "them or submit them as a proposal – and undo if needed. The command line (`python -m geo import`) "
        "works the same way.",
    },
    "steward_tab_import": {"de": "Datei einlesen", "en": "Import a file"},
    "steward_tab_versions": {"de": "Versionen und Rückgängig", "en": "Versions and undo"},
    # 1. upload and options
    "steward_step_upload": {"de": "1. Datei hochladen", "en": "1. Upload a file"},
    "steward_upload": {"de": "{formats} mit Standorten", "en": "{formats} with sites"},
    "steward_upload_help": {
        "de": "Pflichtspalten: name, program. Lage als Punktgeometrie, als Spalten lat/lon (WGS84), als x/y "
        "mit Koordinatensystem oder über die Spalte municipality. Bestehende Standorte werden über "
        "site_id erkannt. Dateien: {suffixes}, höchstens {limit} MB.",
        "en": "Required columns: name, program. Location as a point geometry, as lat/lon columns (WGS84), as "
        "x/y with a coordinate reference system, or by the municipality column. Existing sites are "
        "matched by site_id. Files: {suffixes}, at most {limit} MB.",
    },
    "steward_upload_hint": {
        "de": "Noch keine Datei gewählt. Es wird nichts geändert, bevor Sie die Änderungen geprüft und "
        "übernommen haben.",
        "en": "No file chosen yet. Nothing changes until you have reviewed and applied the changes.",
    },
    "steward_layer": {"de": "Layer der GeoPackage-Datei", "en": "Layer of the GeoPackage"},
    "steward_layer_help": {
        "de": "Die Datei enthält mehrere Layer; gelesen wird der gewählte.",
        "en": "The file has several layers; the chosen one is read.",
    },
    "steward_crs": {
        "de": "Koordinatensystem der x/y-Spalten (EPSG-Code)",
        "en": "Coordinate reference system of the x/y columns (EPSG code)",
    },
    "steward_crs_help": {
        "de": "Nur nötig, wenn die Datei ihr Koordinatensystem nicht selbst angibt, etwa eine CSV-Datei mit "
        "Spalten x/y oder Rechtswert/Hochwert. Einen anderen EPSG-Code einfach eintippen. lat/lon-Spalten "
        "gelten ohne Angabe als WGS84.",
        "en": "Only needed when the file does not declare its coordinate reference system, such as a CSV file "
        "with x/y or easting/northing columns. Type any other EPSG code. lat/lon columns are read as "
        "WGS84 unless you choose otherwise.",
    },
    "steward_crs_placeholder": {"de": "wählen oder EPSG-Code eingeben", "en": "choose or type an EPSG code"},
    "steward_crs_unknown": {
        "de": "„{code}“ ist kein bekannter EPSG-Code.",
        "en": "“{code}” is not a known EPSG code.",
    },
    "steward_reading": {"de": "Datei wird geprüft …", "en": "Checking the file …"},
    "steward_read_failed": {
        "de": "Die Datei konnte nicht geprüft werden. Bitte das Format prüfen oder die Datei mit "
        "`python -m geo validate` testen.",
        "en": "The file could not be checked. Please check its format, or test it with `python -m geo validate`.",
    },
    # 2. validation report
    "steward_step_report": {"de": "2. Prüfbericht", "en": "2. Validation report"},
    "steward_source": {"de": "Gelesen: {details}", "en": "Read: {details}"},
    "steward_source_format": {"de": "Format", "en": "format"},
    "steward_source_layer": {"de": "Layer", "en": "layer"},
    "steward_source_encoding": {"de": "Kodierung", "en": "encoding"},
    "steward_source_delimiter": {"de": "Trennzeichen", "en": "delimiter"},
    "steward_source_crs": {"de": "Koordinatensystem", "en": "CRS"},
    "steward_source_rows": {"de": "Zeilen", "en": "rows"},
    "steward_report_errors": {
        "de": "{errors} Fehler, {warnings} Warnungen – so kann die Datei nicht übernommen werden. Bitte die "
        "Fehler in der Datei beheben und sie erneut hochladen.",
        "en": "{errors} error(s), {warnings} warning(s) – the file cannot be applied like this. Please fix "
        "the errors in the file and upload it again.",
    },
    "steward_report_valid": {
        "de": "Die Datei ist gültig: {sites} Standorte, {warnings} Warnungen.",
        "en": "The file is valid: {sites} sites, {warnings} warning(s).",
    },
    "steward_col_severity": {"de": "Art", "en": "Kind"},
    "steward_col_row": {"de": "Zeile", "en": "Row"},
    "steward_col_field": {"de": "Feld", "en": "Field"},
    "steward_col_message": {"de": "Meldung", "en": "Message"},
    "steward_severity_error": {"de": "Fehler", "en": "Error"},
    "steward_severity_warning": {"de": "Warnung", "en": "Warning"},
    "steward_row_help": {
        "de": "Zeile wie in der Tabellenkalkulation (Kopfzeile = 1) bzw. Nummer des Objekts; leer = ganze Datei.",
        "en": "Row as the spreadsheet shows it (header = 1), or the feature number; empty = whole file.",
    },
    # 3. differences
    "steward_step_diff": {"de": "3. Änderungen", "en": "3. Changes"},
    "steward_replace": {
        "de": "Ersetzen: auch Standorte entfernen, die nicht in der Datei stehen",
        "en": "Replace: also remove sites that are not in the file",
    },
    "steward_replace_help": {
        "de": "Ohne diese Option bleiben Standorte, die in der Datei fehlen, unverändert erhalten.",
        "en": "Without this option, sites missing from the file stay as they are.",
    },
    "steward_replace_warning": {
        "de": "Achtung: Beim Übernehmen werden {count} Standorte entfernt, weil sie nicht in der Datei stehen. "
        "Das lässt sich unter „Versionen und Rückgängig“ rückgängig machen.",
        "en": "Caution: applying removes {count} site(s) because they are not in the file. This can be undone "
        "under “Versions and undo”.",
    },
    "steward_count_new": {"de": "Neu", "en": "New"},
    "steward_count_changed": {"de": "Geändert", "en": "Changed"},
    "steward_count_removed": {"de": "Entfernt", "en": "Removed"},
    "steward_count_unchanged": {"de": "Unverändert", "en": "Unchanged"},
    "steward_kept_absent": {
        "de": "{count} bestehende Standorte stehen nicht in der Datei und bleiben erhalten.",
        "en": "{count} existing site(s) are not in the file and stay.",
    },
    "steward_no_changes": {
        "de": "Keine Änderungen: Die Datei stimmt mit den aktuellen Daten überein.",
        "en": "No changes: the file matches the current data.",
    },
    "steward_fix_errors_first": {
        "de": "Die Änderungen werden angezeigt, sobald die Datei keine Fehler mehr hat.",
        "en": "The changes are shown once the file has no errors.",
    },
    "steward_col_site_id": {"de": "site_id", "en": "site_id"},
    "steward_col_name": {"de": "Name", "en": "Name"},
    "steward_col_change": {"de": "Änderung", "en": "Change"},
    "steward_col_old": {"de": "bisher", "en": "old"},
    "steward_col_new": {"de": "neu", "en": "new"},
    "steward_change_new": {"de": "neu", "en": "new"},
    "steward_change_changed": {"de": "geändert", "en": "changed"},
    "steward_change_removed": {"de": "entfernt", "en": "removed"},
    # 4. apply
    "steward_apply": {"de": "Änderungen übernehmen", "en": "Apply changes"},
    "steward_apply_help": {
        "de": "Schreibt die Änderungen in die Standortdaten. Der bisherige Stand wird gesichert.",
        "en": "Writes the changes into the site data. The previous state is kept.",
    },
    "steward_applied": {
        "de": "Übernommen: {new} neu, {changed} geändert, {removed} entfernt. Die App zeigt ab sofort die "
        "neuen Daten ({sites} Standorte).",
        "en": "Applied: {new} new, {changed} changed, {removed} removed. The app shows the new data from now "
        "on ({sites} sites).",
    },
    "steward_undo_this": {"de": "Diese Übernahme rückgängig machen", "en": "Undo this import"},
    "steward_nothing_written": {
        "de": "Nichts geschrieben: Die Datei stimmt bereits mit den aktuellen Daten überein.",
        "en": "Nothing written: the file already matches the current data.",
    },
    "steward_stale": {
        "de": "Die Standortdaten wurden inzwischen geändert (in einer anderen Sitzung oder über die "
        "Kommandozeile). Es wurde nichts geschrieben. Der Vergleich ist jetzt neu berechnet – bitte "
        "prüfen und erneut übernehmen.",
        "en": "The site data was changed in the meantime (in another session or from the command line). "
        "Nothing was written. The comparison has been recalculated – please review it and apply again.",
    },
    "steward_busy": {
        "de": "Die Standortdaten werden gerade von jemand anderem geschrieben. Bitte in einer Minute erneut "
        "versuchen; es wurde nichts geändert.",
        "en": "Someone else is writing the site data right now. Please try again in a minute; nothing was changed.",
    },
    "steward_refused": {
        "de": "Nicht übernommen: Die Datei hat {count} Fehler.",
        "en": "Not applied: the file has {count} error(s).",
    },
    "steward_read_only": {
        "de": "Die Standortdaten sind unverändert: der Ordner {folder} ist für die App schreibgeschützt. Bitte dem "
        "Benutzer, unter dem die App läuft, Schreibrechte für den Ordner geben.",
        "en": "The site data is unchanged: the folder {folder} is read-only for the app. Please give the user the "
        "app runs as write access to the folder.",
    },
    "steward_store_error": {
        "de": "Die Standortdaten konnten nicht geschrieben werden; sie sind unverändert. Details stehen im "
        "Server-Protokoll.",
        "en": "The site data could not be written; it is unchanged. Details are in the server log.",
    },
    # versions, undo, restore
    "steward_current": {
        "de": "Aktueller Stand: {sites} Standorte, gespeichert am {saved}.",
        "en": "Current state: {sites} sites, saved on {saved}.",
    },
    "steward_current_missing": {
        "de": "Die Standortdatei fehlt; eine Übernahme legt sie neu an.",
        "en": "The sites file is missing; applying an import creates it.",
    },
    "steward_versions_intro": {
        "de": "Vor jeder Änderung wird der bisherige Stand gesichert. „Rückgängig“ geht einen Schritt zurück; "
        "der dabei ersetzte Stand bleibt erhalten und lässt sich wiederherstellen.",
        "en": "Before every change the previous state is kept. “Undo” goes back one step; the state it "
        "replaces is kept too and can be restored.",
    },
    "steward_no_versions": {"de": "Noch keine gesicherten Versionen.", "en": "No kept versions yet."},
    "steward_col_saved": {"de": "Gesichert am", "en": "Saved on"},
    "steward_col_kind": {"de": "Art", "en": "Kind"},
    "steward_col_sites": {"de": "Standorte", "en": "Sites"},
    "steward_col_version": {"de": "Version", "en": "Version"},
    "steward_kind_previous": {"de": "Stand vor einer Änderung", "en": "state before a change"},
    "steward_kind_undone": {"de": "rückgängig gemachter Stand", "en": "undone state"},
    "steward_kind_next_undo": {
        "de": "Stand vor der letzten Änderung – „Rückgängig“ stellt ihn her",
        "en": "state before the last change – “Undo” restores it",
    },
    "steward_undo": {"de": "Letzte Änderung rückgängig machen", "en": "Undo the last change"},
    "steward_undone": {
        "de": "Rückgängig gemacht: wieder der Stand vor der Änderung vom {saved} ({sites} Standorte). Der "
        "ersetzte Stand ist unter „Versionen und Rückgängig“ gesichert.",
        "en": "Undone: back to the state before the change of {saved} ({sites} sites). The replaced state is "
        "kept under “Versions and undo”.",
    },
    "steward_stale_versions": {
        "de": "Die Standortdaten wurden inzwischen geändert; es wurde nichts gemacht. Die Liste ist "
        "aktualisiert – bitte prüfen und erneut versuchen.",
        "en": "The site data was changed in the meantime; nothing was done. The list has been refreshed – "
        "please check it and try again.",
    },
    "steward_nothing_to_undo": {
        "de": "Es gibt keinen früheren Stand, zu dem zurückgekehrt werden kann.",
        "en": "There is no earlier state to go back to.",
    },
    "steward_restore_choice": {"de": "Version wiederherstellen", "en": "Restore a version"},
    "steward_restore": {"de": "Diese Version wiederherstellen", "en": "Restore this version"},
    "steward_restore_help": {
        "de": "Macht die gewählte Version wieder zum aktuellen Stand; der jetzige Stand wird vorher gesichert.",
        "en": "Makes the chosen version current again; the present state is kept first.",
    },
    "steward_restored": {
        "de": "Wiederhergestellt: der Stand vom {saved} ({sites} Standorte).",
        "en": "Restored: the state of {saved} ({sites} sites).",
    },
    "steward_version_gone": {
        "de": "Diese Version gibt es nicht mehr. Die Liste ist aktualisiert.",
        "en": "This version no longer exists. The list has been refreshed.",
    },
    "steward_version_label": {
        "de": "{saved} · {sites} Standorte · {kind}",
        "en": "{saved} · {sites} sites · {kind}",
    },
    "steward_unknown_count": {"de": "?", "en": "?"},
    "stewardship_unavailable_title": {"de": "Datenpflege nicht verfügbar", "en": "Data maintenance not available"},
    "stewardship_unavailable_text": {
        "de": "Diese Seite ist nur für die Redaktion und auf dieser Installation nicht eingerichtet. "
        "Alle Standorte und Kennzahlen sind öffentlich auf den anderen Seiten des Atlas zu finden.",
        "en": "This page is for the editorial team only and is not set up on this installation. "
        "All sites and key figures are public on the atlas's other pages.",
    },
    "stewardship_unavailable_map_link": {"de": "Zur Karte", "en": "Go to the map"},
}
