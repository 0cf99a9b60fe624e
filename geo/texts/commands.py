"""Texts of the command line (`python -m geo`, geo/cli/): its output and its refusals, German and English."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "cli_written_value_undo_python_m": {
        "de": "Übernommen in {location}; rückgängig mit „python -m geo undo“.",
        "en": "written to {location}; undo with 'python -m geo undo'.",
    },
    "cli_compared_value_new_new_changed": {
        "de": "Vergleich mit {location}: {new} neu, {changed} geändert, {removed} entfernt, {unchanged} unverändert.",
        "en": "compared with {location}: {new} new, {changed} changed, {removed} removed, {unchanged} unchanged.",
    },
    "cli_nothing_was_changed": {
        "de": "Nichts geändert.",
        "en": "Nothing was changed.",
    },
    "cli_no_changes": {
        "de": "Keine Änderungen.",
        "en": "No changes.",
    },
    "cli_preview_nothing_written_add_apply": {
        "de": "Vorschau – nichts geschrieben; mit --apply übernehmen.",
        "en": "preview – nothing written; add --apply to write.",
    },
    "cli_error_file_not_found_args": {
        "de": "Fehler: Datei nicht gefunden: {args_file}",
        "en": "error: file not found: {args_file}",
    },
    "cli_valid_count_sites_sites": {
        "de": "Gültig: {count_sites} Standorte.",
        "en": "valid: {count_sites} sites.",
    },
    "cli_invalid_count_errors_error_s": {
        "de": "Ungültig: {count_errors} Fehler.",
        "en": "invalid: {count_errors} error(s).",
    },
    "cli_kept_absent_sites_not_file": {
        "de": "{kept_absent} Standorte fehlen in der Datei und bleiben erhalten (--replace entfernt sie).",
        "en": "{kept_absent} sites are not in the file and stay (--replace removes them).",
    },
    "cli_current_label_damaged_cannot_read": {
        "de": "Aktuell: {label} ist beschädigt und nicht lesbar; eine gesicherte Version wiederherstellen mit „python -m geo undo --to VERSION“.",
        "en": "current: {label} is damaged and cannot be read; restore a kept version with 'python -m geo undo --to VERSION'.",
    },
    "cli_state_before_change": {
        "de": "Stand vor einer Änderung",
        "en": "state before a change",
    },
    "cli_undone_state_back_undo": {
        "de": "rückgängig gemachter Stand, zurück mit undo --to",
        "en": "undone state, back with undo --to",
    },
    "cli_there_no_earlier_version": {
        "de": "Es gibt keine frühere Version.",
        "en": "There is no earlier version.",
    },
    "cli_error_value": {
        "de": "Fehler: {message}",
        "en": "error: {message}",
    },
    "cli_db_loaded": {
        "de": "Geladen: {sites} Standorte, {facts} Fakten aus {source}",
        "en": "loaded: {sites} sites, {facts} facts from {source}",
    },
    "cli_db_loaded_figures": {
        "de": "Geladen: {figures} Kreiszahlen",
        "en": "loaded: {figures} district figures",
    },
    "cli_db_already_loaded": {
        "de": "Die Datenbank enthält schon Standorte; nichts geladen.",
        "en": "The database already holds sites; nothing loaded.",
    },
    "cli_no_kept_versions": {"de": "Keine gesicherten Versionen.", "en": "No kept versions."},
    "cli_kept_versions": {"de": "Gesicherte Versionen, neueste zuerst:", "en": "kept versions, newest first:"},
    "cli_undo_restores_this": {"de": "undo stellt diese her", "en": "undo restores this"},
    "cli_warnings": {"de": "Warnungen ({count}):", "en": "warnings ({count}):"},
    "cli_error": {"de": "Fehler: {message}", "en": "error: {message}"},
    "cli_internal_error": {"de": "Interner Fehler: {message}", "en": "internal error: {message}"},
    "cli_details_with": {"de": "Details mit {flag}", "en": "details with {flag}"},
    "cli_file_missing": {"de": "Fehler: {path} fehlt", "en": "error: {path} is missing"},
    "cli_sites_count": {"de": "{count} Standorte", "en": "{count} sites"},
    "cli_db_no_database": {
        "de": "Fehler: keine Datenbank angegeben (--url oder STANDORTATLAS_DATABASE_URL).",
        "en": "error: no database given (--url or STANDORTATLAS_DATABASE_URL).",
    },
    "cli_db_migration_applied": {"de": "Migration angewandt: {name}", "en": "migration applied: {name}"},
    "cli_db_schema_up_to_date": {"de": "Schema aktuell", "en": "schema up to date"},
    "cli_db_schema": {"de": "  Schema: {schema} (neueste {newest})", "en": "schema: {schema} (newest {newest})"},
    "cli_db_no_schema": {
        "de": "  Noch kein Schema: python -m geo db init",
        "en": "no schema yet: python -m geo db init",
    },
    "cli_db_state": {
        "de": "  Version: {version} · {sites} Standorte · {kept} gesicherte Versionen",
        "en": "version: {version} · {sites} sites · {kept} kept versions",
    },
    "cli_expose_not_pdf": {
        "de": "Fehler: die Ausgabedatei muss auf .pdf enden: {path}",
        "en": "error: the output file must end in .pdf: {path}",
    },
    "cli_expose_no_folder": {
        "de": "Fehler: den Ordner {folder} gibt es nicht",
        "en": "error: the folder {folder} does not exist",
    },
    "cli_expose_too_many": {
        "de": "Fehler: höchstens {most} Standorte je Exposé ({given} angegeben)",
        "en": "error: at most {most} sites per exposé ({given} given)",
    },
    "cli_expose_unknown_site": {
        "de": "Fehler: {error}. Bekannte Kennungen, z. B.: {examples} … ({count} insgesamt; der Link eines Standorts im Atlas endet auf ?site=<Kennung>)",
        "en": "error: {error}. Known ids, e.g.: {examples} … ({count} in all; the site's link in the atlas ends in ?site=<id>)",
    },
    "cli_expose_renamed": {
        "de": "Hinweis: {old} heißt jetzt {new} (data/sources/site_id_renames.csv)",
        "en": "note: {old} is now {new} (data/sources/site_id_renames.csv)",
    },
    "cli_expose_written": {
        "de": "geschrieben: {path} ({size} KB, {sites} Standort(e), {lang})",
        "en": "wrote {path} ({size} KB, {sites} site(s), {lang})",
    },
    "cli_db_app_role_granted": {
        "de": "Rechte der App-Rolle gesetzt: {role}",
        "en": "app role's rights granted: {role}",
    },
    "cli_db_role": {"de": "  Rolle: {role}", "en": "role: {role}"},
    "cli_db_role_superuser": {
        "de": "  Rolle: {role} – ein Superuser: die App braucht eine Rolle ohne Superuser-Rechte (docs/deployment.md)",
        "en": "role: {role} – a superuser: the app needs a role without superuser rights",
    },
}
