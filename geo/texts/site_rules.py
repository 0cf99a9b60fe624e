"""Texts of the rules every site and plot figure follows (geo/sites/rules.py, geo/sites/facts.py): why a value\nis refused, in German and English; the build, the import and the staff page show the same messages."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "rule_text_too_long_count_text": {
        "de": "Der Text ist zu lang ({count_text} Zeichen, höchstens {limit}).",
        "en": "The text is too long ({count_text} characters, at most {limit}).",
    },
    "rule_text_contains_control_characters_such": {
        "de": "Der Text enthält Steuerzeichen (z. B. Zeilenumbruch, Tabulator oder NUL).",
        "en": "The text contains control characters (such as a line break, tab or NUL).",
    },
    "rule_unknown_program_program_allowed_allowed": {
        "de": "Unbekanntes Programm „{program}“; erlaubt: {allowed}.",
        "en": "Unknown program '{program}'; allowed: {allowed}.",
    },
    "rule_unknown_state_state_allowed_allowed": {
        "de": "Unbekanntes Land „{state}“; erlaubt: {allowed}.",
        "en": "Unknown state '{state}'; allowed: {allowed}.",
    },
    "rule_unknown_precision_precision_allowed_value": {
        "de": "Unbekannte Genauigkeit „{precision}“; erlaubt: {allowed}.",
        "en": "Unknown precision '{precision}'; allowed: {allowed}.",
    },
    "rule_year_not_year_earliest_year": {
        "de": "„{year}“ ist keine Jahreszahl ({earliest}–{latest}).",
        "en": "'{year}' is not a year ({earliest}-{latest}).",
    },
    "rule_text_contains_characters_override_reading": {
        "de": "Der Text enthält Zeichen, die die Leserichtung umkehren.",
        "en": "The text contains characters that override the reading direction.",
    },
    "rule_value_en_only_texts_names": {
        "de": "value_en gibt es nur für Texte und Namen.",
        "en": "value_en is only for texts and names",
    },
    "rule_source_url_must_http_s": {
        "de": "source_url muss die http(s)-Adresse der Seite sein, die die Angabe nennt.",
        "en": "source_url must be the http(s) address of the page that states the figure",
    },
    "rule_as_as_not_yyyy_mm": {
        "de": "as_of „{as_of}“ ist nicht JJJJ-MM-TT, JJJJ-MM oder JJJJ.",
        "en": "as_of '{as_of}' is not YYYY-MM-DD, YYYY-MM or YYYY",
    },
    "rule_as_empty": {
        "de": "as_of ist leer.",
        "en": "as_of is empty",
    },
    "rule_unknown_fact_field_field_id": {
        "de": "Unbekanntes Feld „{field_id}“ (bekannt: {known}).",
        "en": "unknown fact field '{field_id}' (known: {known})",
    },
    "rule_value_empty": {
        "de": "Der Wert ist leer.",
        "en": "the value is empty",
    },
    "rule_site_id_empty": {
        "de": "site_id ist leer.",
        "en": "site_id is empty",
    },
    "rule_source_url_source_not_http": {
        "de": "source_url „{source}“ ist keine http(s)-Adresse.",
        "en": "source_url '{source}' is not an http(s) address",
    },
    "rule_text_not_number": {
        "de": "„{text}“ ist keine Zahl.",
        "en": "'{text}' is not a number",
    },
    "rule_site_id_site_id_names": {
        "de": "site_id „{site_id}“ bezeichnet keinen Standort.",
        "en": "site_id '{site_id}' names no site",
    },
    "rule_text_not_one_allowed": {
        "de": "„{text}“ ist keiner der Werte {allowed}.",
        "en": "'{text}' is not one of {allowed}",
    },
    "rule_text_repeats_code": {
        "de": "„{text}“ nennt einen Wert doppelt.",
        "en": "'{text}' repeats a code",
    },
    "rule_text_not_date_yyyy_mm": {
        "de": "„{text}“ ist kein Datum JJJJ-MM-TT.",
        "en": "'{text}' is not a date YYYY-MM-DD",
    },
    "rule_text_not_http_s_address": {
        "de": "„{text}“ ist keine http(s)-Adresse.",
        "en": "'{text}' is not an http(s) address",
    },
    "rule_text_not_e_mail_address": {
        "de": "„{text}“ ist keine E-Mail-Adresse.",
        "en": "'{text}' is not an e-mail address",
    },
    "rule_text_not_phone_number": {
        "de": "„{text}“ ist keine Telefonnummer.",
        "en": "'{text}' is not a phone number",
    },
    "rule_text_must_one_line_at": {
        "de": "Der Text muss eine Zeile mit höchstens 300 Zeichen sein.",
        "en": "text must be one line of at most 300 characters",
    },
    "rule_not_a_web_address": {
        "de": "„{shown}“ ist keine gültige Web-Adresse (nur http:// oder https:// mit Host, ohne Benutzername).{hint}",
        "en": "'{shown}' is not a valid web address (only http:// or https:// with a host, no user name).{hint}",
    },
    "rule_hint_https": {"de": " Gemeint ist wohl „https://{url}“.", "en": " Did you mean 'https://{url}'?"},
    "rule_unit_given": {"de": "Einheit „{unit}“ angegeben, {expected}.", "en": "unit '{unit}' given, {expected}"},
    "rule_unit_expected": {"de": "„{unit}“ erwartet", "en": "'{unit}' expected"},
    "rule_no_unit_expected": {"de": "keine Einheit erwartet", "en": "no unit expected"},
    "rule_text_needs_english": {
        "de": "Ein Text braucht seine englische Fassung in value_en.",
        "en": "a text needs its English wording in value_en",
    },
    "rule_missing_name": {"de": "Der Name fehlt.", "en": "The name is missing."},
    "rule_missing_program": {"de": "Das Programm fehlt.", "en": "The program is missing."},
    "rule_missing": {"de": "Das Feld {column} ist leer.", "en": "The field {column} is empty."},
    "rule_unknown_themes": {
        "de": "Unbekannte Themen: {themes} (siehe data/sources/themes.csv).",
        "en": "Unknown themes: {themes} (see data/sources/themes.csv).",
    },
    # the inclusion rule (geo/sites/inclusion.py): the build's site list and a steward's import
    "rule_status_named": {"de": " („{name}“)", "en": " ('{name}')"},
    "rule_status_unknown": {
        "de": "Status „{status}“{named} ist keiner der Werte {allowed}.",
        "en": "status '{status}'{named} is not one of {allowed}",
    },
    "rule_status_left_out": {
        "de": "Status „{status}“{named}: Die Aufnahmeregel zeigt nur Orte, die heute betrieben werden (Status "
        "{included}); diese Zeile wird nicht übernommen. Beendete, geplante und leerstehende Orte gehören mit "
        "Grund und Quelle in {left_out}.",
        "en": "status '{status}'{named} is left out by the inclusion rule (only places that operate today, status "
        "{included}, are in the atlas; data/sources/sites_reference.md); move the row to {left_out} with its "
        "reason and source",
    },
    "rule_status_source_not_web": {
        "de": "status_source_url ist keine http(s)-Adresse.",
        "en": "status_source_url is not an http(s) address",
    },
}
