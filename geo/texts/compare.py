"""Texts of the shortlist, the comparison page, the exposé PDF and the print view of the map."""

TEXTS: dict[str, dict[str, str]] = {
    # shortlist buttons (map page, sites page, comparison page)
    "nav_compare": {"de": "Vergleich", "en": "Comparison"},
    "shortlist_name": {"de": "Merkliste", "en": "Shortlist"},
    "shortlist_add": {"de": "Auf die Merkliste", "en": "Add to shortlist"},
    "shortlist_remove": {"de": "Von der Merkliste nehmen", "en": "Remove from shortlist"},
    "shortlist_full": {
        "de": "Die Merkliste ist voll ({max} Standorte). Nehmen Sie einen Standort herunter, um einen neuen aufzunehmen.",
        "en": "The shortlist is full ({max} sites). Remove a site to add another.",
    },
    "shortlist_compare_link": {"de": "Merkliste vergleichen ({count})", "en": "Compare shortlist ({count})"},
    "shortlist_unknown": {
        "de": "Der Link nennt Standorte, die der Atlas nicht (mehr) kennt: {ids}. Sie wurden weggelassen.",
        "en": "The link names sites the atlas does not know (any more): {ids}. They were left out.",
    },
    "shortlist_over_limit": {
        "de": "Es lassen sich höchstens {max} Standorte vergleichen; weggelassen: {ids}.",
        "en": "At most {max} sites can be compared; left out: {ids}.",
    },
    # comparison page
    "comparison_heading": {"de": "Standorte vergleichen", "en": "Compare sites"},
    "comparison_intro": {
        "de": "Zwei bis sechs Standorte nebeneinander. Zeilen, in denen sich die Standorte unterscheiden, sind "
        "markiert. Der Link dieser Seite enthält die Merkliste: Kopieren Sie ihn, um den Vergleich zu teilen.",
        "en": "Two to six sites side by side. Rows in which the sites differ are marked. This page's link holds "
        "the shortlist: copy it to share the comparison.",
    },
    "comparison_choose": {"de": "Standorte auf der Merkliste", "en": "Sites on the shortlist"},
    "comparison_choose_help": {
        "de": "Standorte hinzufügen oder entfernen (höchstens {max}). Auch auf der Karte und in der Tabelle "
        "über „Auf die Merkliste“.",
        "en": "Add or remove sites (at most {max}). Also on the map and in the table with “Add to shortlist”.",
    },
    "comparison_choose_placeholder": {"de": "Standort auswählen …", "en": "Choose a site …"},
    "comparison_find": {"de": "Standort suchen", "en": "Find a site"},
    "comparison_find_placeholder": {
        "de": "Name, Ort oder Stichwort, z. B. Leuna",
        "en": "Name, place or keyword, e.g. Leuna",
    },
    "comparison_find_none": {"de": "Kein Standort passt zu „{query}“.", "en": "No site matches “{query}”."},
    "comparison_too_few": {
        "de": "Wählen Sie mindestens zwei Standorte, um sie zu vergleichen – hier oder über „Auf die Merkliste“ "
        "auf der Karte und in der Standorttabelle.",
        "en": "Choose at least two sites to compare them – here, or with “Add to shortlist” on the map and in "
        "the sites table.",
    },
    "comparison_only_differences": {"de": "Nur Unterschiede zeigen", "en": "Show differences only"},
    "comparison_table_caption": {"de": "Vergleich von {count} Standorten", "en": "Comparison of {count} sites"},
    "comparison_attribute": {"de": "Merkmal", "en": "Attribute"},
    "comparison_differs": {"de": "unterschiedlich", "en": "differs"},
    "comparison_same": {"de": "gleich", "en": "same"},
    "comparison_map_heading": {"de": "Lage der Standorte", "en": "Where the sites are"},
    "comparison_map_alt": {
        "de": "Karte der verglichenen Standorte mit Kreisgrenzen und Strukturwandelgebieten: {sites}",
        "en": "Map of the compared sites with district borders and structural-change areas: {sites}",
    },
    "comparison_downloads": {"de": "Herunterladen", "en": "Download"},
    "comparison_csv": {"de": "Vergleich als CSV (Excel)", "en": "Comparison as CSV (Excel)"},
    "comparison_csv_help": {
        "de": "Die Standorte der Merkliste mit allen Feldern; Semikolon-getrennt, UTF-8, für deutsches Excel.",
        "en": "The shortlisted sites with every field; comma-separated UTF-8 for spreadsheets.",
    },
    "comparison_expose": {"de": "Exposé der Merkliste (PDF)", "en": "Exposé of the shortlist (PDF)"},
    "comparison_expose_help": {
        "de": "Eine Übersichtsseite und je Standort ein bis zwei A4-Seiten mit Karte, Fakten, Quellen und QR-Code.",
        "en": "An overview page and one or two A4 pages per site with map, facts, sources and QR code.",
    },
    "comparison_row_program": {"de": "Programm", "en": "Program"},
    "comparison_row_place": {"de": "Ort", "en": "Place"},
    "comparison_row_precision": {"de": "Genauigkeit der Lage", "en": "Location precision"},
    "comparison_row_description": {"de": "Beschreibung", "en": "Description"},
    "comparison_row_sources": {"de": "Quellen", "en": "Sources"},
    "comparison_group_location": {"de": "Lage", "en": "Location"},
    "comparison_group_facts": {"de": "Flächen und Fakten", "en": "Plots and facts"},
    "comparison_group_district": {"de": "Kreis", "en": "District"},
    "comparison_group_aid": {"de": "Regionalförderung", "en": "Regional aid"},
    "comparison_group_surroundings": {"de": "Entfernungen (Luftlinie)", "en": "Distances (straight line)"},
    "comparison_group_contact": {"de": "Kontakt und Quellen", "en": "Contact and sources"},
    "comparison_no_facts": {"de": "keine Angabe", "en": "not given"},
    # exposé (PDF and its buttons)
    "expose_kind": {"de": "Standort-Exposé", "en": "Site exposé"},
    "expose_pdf_title": {"de": "Exposé: {names}", "en": "Exposé: {names}"},
    "expose_download": {"de": "Exposé (PDF)", "en": "Exposé (PDF)"},
    "expose_download_help": {
        "de": "Ein bis zwei A4-Seiten: Karte, Fakten mit Quellen, Kreiszahlen, Förderung, Entfernungen, QR-Code.",
        "en": "One or two A4 pages: map, facts with sources, district figures, aid, distances, QR code.",
    },
    "expose_footer": {
        "de": "Erstellt am {date} · Alle Angaben ohne Gewähr; Quellen im Dokument",
        "en": "Made on {date} · Figures without guarantee; sources in the document",
    },
    "expose_page": {"de": "Seite {page}", "en": "Page {page}"},
    "expose_map_note": {
        "de": "Karte: Kreis- und Landesgrenzen {attribution}, vereinfacht; schraffiert: Strukturwandelgebiete. "
        "Ohne Hintergrundkarte.",
        "en": "Map: district and state borders {attribution}, simplified; hatched: structural-change areas. "
        "No background map.",
    },
    "expose_locator_note": {
        "de": "Kleines Bild: Lage in den vier Ländern.",
        "en": "Small picture: location within the four states.",
    },
    "expose_permalink": {"de": "Dieser Standort im Atlas:", "en": "This site in the atlas:"},
    "expose_coordinates": {"de": "Koordinaten (WGS 84)", "en": "Coordinates (WGS 84)"},
    # every site lies north of the equator and east of Greenwich: N and E (German: O for Ost)
    "expose_coordinates_value": {"de": "{lat}° N, {lon}° O", "en": "{lat}° N, {lon}° E"},
    "expose_location": {"de": "Lage", "en": "Location"},
    "expose_plot_facts": {"de": "Flächen und Fakten", "en": "Plots and facts"},
    "expose_no_plot_facts": {
        "de": "Zu Flächen, Preisen und Planungsrecht dieses Standorts liegen dem Atlas noch keine belegten "
        "Angaben vor. Auskunft gibt die Wirtschaftsförderung.",
        "en": "The atlas has no sourced figures on plots, prices or zoning of this site yet. The economic "
        "development agency can tell.",
    },
    "expose_contact": {"de": "Kontakt", "en": "Contact"},
    "expose_no_contact": {"de": "Keine Kontaktangabe im Atlas.", "en": "No contact in the atlas."},
    "expose_fact_sources": {"de": "Quellen der Fakten", "en": "Sources of the facts"},
    "expose_facts_verified": {
        "de": "Fakten zuletzt mit den Quellen abgeglichen",
        "en": "Facts last checked against their sources",
    },
    "expose_sources": {"de": "Quellen und Lizenzen", "en": "Sources and licences"},
    "expose_sources_note": {
        "de": "Datensätze des Atlas: Name und Version, Urheber, Lizenz und Stand. Alle Quellen: Seite „Daten“ im Atlas.",
        "en": "The atlas's data sets: name and version, author, licence and vintage. All sources: the atlas's “Data” page.",
    },
    "expose_data_date": {"de": "Datenstand", "en": "Data as of"},
    "expose_data_date_value": {"de": "Standort zuletzt geprüft am {date}", "en": "site last checked on {date}"},
    "expose_shortlist_title": {"de": "Merkliste: {count} Standorte", "en": "Shortlist: {count} sites"},
    "expose_shortlist_intro": {
        "de": "Übersicht der gemerkten Standorte; auf den folgenden Seiten je ein Exposé.",
        "en": "Overview of the shortlisted sites; an exposé of each follows.",
    },
    "expose_shortlist_link": {"de": "Dieser Vergleich im Atlas:", "en": "This comparison in the atlas:"},
    "expose_number": {"de": "Nr.", "en": "No."},
    # print view of the map
    "print_heading": {"de": "Karte drucken", "en": "Print the map"},
    "print_help": {
        "de": "Die Karte mit den aktuellen Filtern als PDF zum Drucken: Legende, Maßstab, Quellen, Datum und Link.",
        "en": "The map with the current filters as a PDF for printing: legend, scale bar, sources, date and link.",
    },
    "print_a4": {"de": "Druckansicht A4 quer (PDF)", "en": "Print view A4 landscape (PDF)"},
    "print_a3": {"de": "Druckansicht A3 quer (PDF)", "en": "Print view A3 landscape (PDF)"},
    "print_title": {"de": "Standorte: {count} von {total}", "en": "Sites: {count} of {total}"},
    "print_filter": {"de": "Filter: {filter}", "en": "Filter: {filter}"},
    "print_no_filter": {"de": "alle Standorte", "en": "all sites"},
    "print_filter_query": {"de": "Suche", "en": "Search"},
    "source_secondary_mark": {"de": "Kopie, nicht die Originalquelle", "en": "copy, not the original source"},
    "print_list_heading": {"de": "Standorte auf der Karte", "en": "Sites on the map"},
    "print_quoted": {"de": "„{text}“", "en": "“{text}”"},
    "print_footer": {
        "de": "Stand der Standortdaten: {data_date} · gedruckt am {date} · {link}",
        "en": "Site data as of {data_date} · printed on {date} · {link}",
    },
    "print_attribution": {
        "de": "Grenzen {attribution}, vereinfacht · Zonen: InvKG, EU-JTF · Standorte: Standortatlas, Quellen je Standort im Atlas",
        "en": "Borders {attribution}, simplified · zones: InvKG, EU JTF · sites: Standortatlas, sources per site in the atlas",
    },
}
