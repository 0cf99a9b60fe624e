"""Texts of the regions part of the app: pages `regionen`, `strukturwandel` and `daten`, their map
legends, charts and downloads. Indicator names, units and sources are not here: they are part of the
indicator definitions (geo.indicators.INDICATORS)."""

TEXTS: dict[str, dict[str, str]] = {
    # shared by the three pages, the legends and the downloads
    "column_rank": {"de": "Rang", "en": "Rank"},
    "column_ags": {"de": "Kreisschlüssel", "en": "District key"},
    "column_district": {"de": "Kreis", "en": "District"},
    "column_state": {"de": "Land", "en": "State"},
    "column_value": {"de": "Wert", "en": "Value"},
    "column_source": {"de": "Quelle", "en": "Source"},
    "column_source_link": {"de": "Quelle (Link)", "en": "Source (link)"},
    "column_name": {"de": "Name", "en": "Name"},
    "column_program": {"de": "Programm", "en": "Program"},
    "column_municipality": {"de": "Gemeinde", "en": "Municipality"},
    "column_website": {"de": "Website", "en": "Website"},
    "column_period": {"de": "Zeitraum", "en": "Period"},
    "column_fact": {"de": "Angabe", "en": "Fact"},
    "column_zone": {"de": "Gebiet", "en": "Area"},
    "column_unit": {"de": "Einheit", "en": "Unit"},
    "column_year": {"de": "Jahr / Stand", "en": "Year / as of"},
    "column_scope": {"de": "Bezug", "en": "Applies to"},
    "column_description": {"de": "Berechnung", "en": "How it is computed"},
    "column_key": {"de": "Schlüssel", "en": "Key"},
    "scope_district": {"de": "Kreis (auch Gebiete)", "en": "district (also areas)"},
    "scope_zone": {"de": "Gebiet", "en": "area"},
    "scope_site": {"de": "Standort", "en": "site"},
    "kind_city": {"de": "Kreisfreie Stadt", "en": "city"},
    "kind_rural_district": {"de": "Landkreis", "en": "rural district"},
    "four_states": {"de": "Vier Länder", "en": "Four states"},
    "basis_mean_per_district": {"de": "Ø je Kreis", "en": "mean per district"},
    "basis_overall": {"de": "insgesamt", "en": "overall"},
    "aid_not_verified": {"de": "nicht geprüft", "en": "not verified"},
    "aid_no_ceiling_d": {"de": "D-Gebiet: kein EU-Höchstsatz erfasst", "en": "D area: no EU ceiling recorded"},
    "no_value": {"de": "kein Wert", "en": "no value"},
    "all_zones": {"de": "Alle Gebiete zusammen", "en": "All areas together"},
    "unit_million_eur": {"de": "Mio. EUR", "en": "million EUR"},
    "unit_billion_eur": {"de": "Mrd. EUR", "en": "billion EUR"},
    "unit_percent": {"de": "%", "en": "%"},
    "population_with_year": {"de": "Einwohner (2018)", "en": "Population (2018)"},
    "download_csv": {"de": "Als CSV herunterladen", "en": "Download as CSV"},
    "download_csv_help": {
        "de": "UTF-8 mit BOM, Semikolon als Trennzeichen, Dezimalkomma – öffnet sich direkt in Excel.",
        "en": "UTF-8 with BOM, comma-separated, decimal point. For Excel with German settings, use the German page's download (semicolons, decimal comma).",
    },
    "source_line": {"de": "Quelle: {source} · Stand: {year}", "en": "Source: {source} · As of: {year}"},
    "no_selection": {"de": "— keiner —", "en": "— none —"},
    # map classes and legend
    "class_below": {"de": "unter {upper}", "en": "under {upper}"},
    "class_between": {"de": "{lower} bis unter {upper}", "en": "{lower} to under {upper}"},
    "class_at_least": {"de": "{lower} und mehr", "en": "{lower} and more"},
    "class_range": {"de": "{lower}–{upper}", "en": "{lower}–{upper}"},
    "legend_hatch_note": {
        "de": "Schraffiert: keine öffentliche Quelle gefunden – kein Wert, nicht null.",
        "en": "Hatched: no public source found – no value, not zero.",
    },
    "zone_map_legend": {"de": "Gebiet", "en": "Area"},
    "regions_map_label": {
        "de": "Karte der Landkreise und kreisfreien Städte: {indicator}",
        "en": "Map of the districts: {indicator}",
    },
    "zone_map_label": {"de": "Karte des Gebiets {zone} mit seinen Standorten", "en": "Map of {zone} with its sites"},
    "outside_zone": {"de": "außerhalb des Gebiets", "en": "outside the area"},
    "sites_inside": {"de": "Standorte im Gebiet", "en": "Sites in the area"},
    # page regionen
    "regions_title": {"de": "Regionen", "en": "Regions"},
    "regions_intro": {
        "de": "Die 67 Landkreise und kreisfreien Städte von Brandenburg, Sachsen, Sachsen-Anhalt und Thüringen "
        "nach einer Kennzahl. Klicken Sie auf einen Kreis oder wählen Sie ihn aus, um sein Profil zu öffnen.",
        "en": "The 67 districts of Brandenburg, Saxony, Saxony-Anhalt and Thuringia by one indicator. "
        "Click a district or choose it from the list to open its profile.",
    },
    "choose_indicator": {"de": "Kennzahl", "en": "Indicator"},
    "choose_district": {"de": "Kreis", "en": "District"},
    "map_label_regions": {
        "de": "Karte der Kreise, eingefärbt nach {indicator}",
        "en": "Map of the districts, coloured by {indicator}",
    },
    "ranking_title": {"de": "Rangfolge", "en": "Ranking"},
    "profile_title": {"de": "Profil: {district}", "en": "Profile: {district}"},
    "profile_state": {"de": "{kind} in {state}", "en": "{kind} in {state}"},
    "profile_zones": {"de": "Gehört zu: {zones}", "en": "Part of: {zones}"},
    "profile_no_zone": {
        "de": "Gehört zu keinem Strukturwandelgebiet.",
        "en": "Not part of any structural-change area.",
    },
    "profile_chart_title": {
        "de": "Im Vergleich mit dem Land und den vier Ländern",
        "en": "Compared with its state and the four states",
    },
    "profile_chart_caption": {
        "de": "Für Einwohner, Fläche und Standorte steht beim Land und den vier Ländern der Durchschnitt je Kreis, "
        "für Dichte und Standorte je Einwohner der Wert des ganzen Gebiets.",
        "en": "For population, area and sites the state and the four states show the mean per district; "
        "for density and sites per inhabitant, the value of the whole area.",
    },
    "profile_aid": {"de": "Regionalförderung", "en": "Regional aid"},
    "profile_aid_ceilings": {
        "de": "EU-Höchstsätze: große {large} · mittlere {medium} · kleine Unternehmen {small}",
        "en": "EU ceilings: large {large} · medium {medium} · small firms {small}",
    },
    "aid_evidence_label": {"de": "Beleg", "en": "Evidence"},
    "aid_evidence_named": {
        "de": "Eine amtliche Stelle oder Kammer nennt diesen Kreis (Quelle verlinkt).",
        "en": "An authority or chamber names this district (source linked).",
    },
    "aid_evidence_newspaper": {
        "de": "Nur eine Zeitung nennt diesen Kreis; von keiner amtlichen Stelle bestätigt. "
        "Vor einer Investitionsentscheidung bei der Förderbank des Landes bestätigen lassen.",
        "en": "Only a newspaper names this district; not confirmed by an authority. "
        "Confirm with the state's development bank before an investment decision.",
    },
    "aid_evidence_derived": {
        "de": "Für diesen Kreis nicht einzeln belegt: aus einer landesweiten Regel der Fördergebietskarte abgeleitet. "
        "Vor einer Investitionsentscheidung bei der Förderbank des Landes bestätigen lassen.",
        "en": "Not confirmed for this district individually: derived from a state-wide rule of the regional aid "
        "map. Confirm with the state's development bank before an investment decision.",
    },
    "profile_aid_note": {
        "de": "Anmerkung der Datensammlung: {note}",
        "en": "Note from the data collection: {note}",
    },
    "profile_aid_source": {"de": "Quelle der Förderangabe", "en": "Source of the aid information"},
    "profile_aid_unverified": {
        "de": "Für diesen Kreis wurde keine öffentliche Quelle zum Fördergebietsstatus gefunden; er wird als "
        "„nicht geprüft“ gezeigt, nicht mit einem Satz von null.",
        "en": "No public source for this district's aid status was found; it is shown as “not verified”, "
        "not with a rate of zero.",
    },
    "profile_sites": {"de": "Standorte im Kreis ({count})", "en": "Sites in the district ({count})"},
    "profile_no_sites": {
        "de": "Der Atlas zeigt in diesem Kreis keinen Standort.",
        "en": "The atlas shows no site in this district.",
    },
    "compare_title": {"de": "Kreise vergleichen", "en": "Compare districts"},
    "compare_choose": {"de": "Bis zu vier Kreise", "en": "Up to four districts"},
    "compare_placeholder": {"de": "Kreise wählen (höchstens {count})", "en": "Choose districts (up to {count})"},
    "compare_too_many": {
        "de": "Es lassen sich höchstens {count} Kreise vergleichen; die ersten {count} werden gezeigt.",
        "en": "Up to {count} districts can be compared; the first {count} are shown.",
    },
    "compare_hint": {
        "de": "Wählen Sie bis zu vier Kreise, um sie nebeneinander zu sehen.",
        "en": "Choose up to four districts to see them side by side.",
    },
    "metric_population": {"de": "Einwohner 2018", "en": "Population 2018"},
    "metric_area": {"de": "Fläche 2018", "en": "Area 2018"},
    "metric_density": {"de": "Einwohner je km² (2018)", "en": "Inhabitants per km² (2018)"},
    "metric_sites": {"de": "Standorte im Atlas", "en": "Sites in the atlas"},
    "metric_districts": {"de": "Kreise", "en": "Districts"},
    "metric_population_share": {"de": "Bevölkerungsanteil", "en": "Population share"},
    "metric_site_share": {"de": "Standortanteil", "en": "Share of sites"},
    # page strukturwandel
    "structural_title": {"de": "Strukturwandel", "en": "Structural change"},
    "structural_intro": {
        "de": "Die Kohlereviere nach dem Investitionsgesetz Kohleregionen und die Gebiete des EU-Fonds für einen "
        "gerechten Übergang (JTF): ihre Kreise, Einwohner, Standorte und Fördermittel, jeweils mit Quelle.",
        "en": "The coal regions under the Coal Regions Investment Act (InvKG) and the areas of the EU Just "
        "Transition Fund (JTF): their districts, population, sites and funding, each with its source.",
    },
    "choose_zone": {"de": "Gebiet", "en": "Area"},
    "zone_legal_basis": {"de": "Rechtsgrundlage", "en": "Legal basis"},
    "zone_source": {"de": "Quelle der Abgrenzung", "en": "Source of the boundary"},
    "zone_districts_title": {"de": "Kreise des Gebiets", "en": "Districts of the area"},
    "zone_facts_title": {"de": "Fördermittel und Fakten", "en": "Funding and facts"},
    "zone_no_facts": {
        "de": "Für dieses Gebiet liegen keine eigenen Angaben vor.",
        "en": "There are no facts for this area of its own.",
    },
    "zone_general_facts": {
        "de": "Rahmen für alle Reviere (InvKG, JTF-Gesamtmittel)",
        "en": "Framework for all regions (InvKG, JTF totals)",
    },
    "zone_sites_title": {"de": "Standorte im Gebiet ({count})", "en": "Sites in the area ({count})"},
    "zone_sites_rule": {
        "de": "Gezählt werden Standorte, deren Kreis zum Gebiet gehört.",
        "en": "Counted are the sites whose district belongs to the area.",
    },
    "zone_general": {"de": "übergreifend", "en": "general"},
    "zone_compare_title": {"de": "Die Gebiete im Vergleich", "en": "The areas compared"},
    "zone_union_sentence": {
        "de": "In allen Gebieten zusammen leben {population_share} der Einwohner der vier Länder "
        "({population} Menschen in {districts} Kreisen); dort liegen {site_share} der Standorte im Atlas ({sites}).",
        "en": "All areas together hold {population_share} of the four states' population ({population} people in "
        "{districts} districts) and {site_share} of the atlas's sites ({sites}).",
    },
    "zone_share_sentence": {
        "de": "{zone}: {population_share} der Einwohner und {site_share} der Standorte der vier Länder.",
        "en": "{zone}: {population_share} of the four states' population and {site_share} of their sites.",
    },
    "zone_overlap_note": {
        "de": "Die Gebiete überschneiden sich (ein JTF-Gebiet umfasst Kreise eines Reviers); in der Summe zählt jeder Kreis einmal.",
        "en": "The areas overlap (a JTF area contains districts of a coal region); in the total each district counts once.",
    },
    # page daten
    "data_title": {"de": "Daten & Quellen", "en": "Data & sources"},
    "data_intro": {
        "de": "Woher jede Zahl des Atlas kommt, wie sie berechnet wird und wie aktuell sie ist.",
        "en": "Where every figure of the atlas comes from, how it is computed and how current it is.",
    },
    "data_sources_title": {"de": "Quellen, Lizenzen und Stand", "en": "Sources, licences and vintage"},
    "data_sources_caption": {
        "de": "Pakete aus öffentlichen Registern (npm, PyPI), mit Version, und die Faktensammlungen des Projekts.",
        "en": "Packages from public registries (npm, PyPI) with their version, and the project's fact collections.",
    },
    "data_site_sources_title": {
        "de": "Quellen der einzelnen Standorte ({count})",
        "en": "Sources of the individual sites ({count})",
    },
    "data_definitions_title": {"de": "Kennzahlen: Definitionen", "en": "Indicators: definitions"},
    "data_definitions_caption": {
        "de": "Jede Kennzahl auf den Seiten, in Legenden und Downloads ist hier mit Einheit, Jahr und Quelle definiert.",
        "en": "Every indicator on the pages, in legends and downloads is defined here with its unit, year and source.",
    },
    "data_programs_title": {"de": "Programme und Vollständigkeit", "en": "Programs and completeness"},
    "data_programs_caption": {
        "de": "Was jedes Programm ist, wer es trägt, und wie viele seiner Orte der Atlas zeigt. „Im Atlas“ ist aus "
        "den Daten gezählt; „Zahl laut Programm“ ist die Zahl, die das Programm selbst (oder ein Bericht darüber) "
        "veröffentlicht, mit Quelle und Stand. Wo die Liste der Orte eines Programms nicht erreichbar war, steht es "
        "dabei: dann fehlen dem Atlas Orte, die er nicht nennen kann.",
        "en": "What each program is, who runs it, and how many of its places the atlas shows. “In the atlas” is "
        "counted from the data; “Count the program gives” is the number the program itself (or a report on it) "
        "publishes, with its source and date. Where a program's list of places could not be reached, it says so: "
        "the atlas then lacks places it cannot name.",
    },
    "column_label": {"de": "Bezeichnung", "en": "Label"},
    "column_explanation": {"de": "Erklärung", "en": "Explanation"},
    "column_run_by": {"de": "Träger", "en": "Run by"},
    "column_shown": {"de": "Im Atlas", "en": "In the atlas"},
    "column_completeness": {"de": "Vollständigkeit", "en": "Completeness"},
    "column_claim": {"de": "Angabe der Quelle", "en": "What the source says"},
    "column_theme": {"de": "Thema", "en": "Theme"},
    "column_sites": {"de": "Standorte", "en": "Sites"},
    "column_licence": {"de": "Lizenz", "en": "Licence"},
    "column_attribution": {"de": "Namensnennung", "en": "Attribution"},
    "column_used_for": {"de": "Verwendet für", "en": "Used for"},
    "column_vintage": {"de": "Stand", "en": "Vintage"},
    "column_version": {"de": "Version", "en": "Version"},
    "column_registry": {"de": "Register", "en": "Registry"},
    "column_coord_source": {"de": "Quelle der Koordinate", "en": "Source of the coordinate"},
    "column_claimed": {"de": "Zahl laut Programm", "en": "Count the program gives"},
    "column_list_public": {"de": "Liste der Orte", "en": "List of places"},
    "column_claim_as_of": {"de": "Stand der Zahl", "en": "Date of the count"},
    "claimed_at_least": {"de": "mindestens {count}", "en": "at least {count}"},
    "claimed_more_than": {"de": "über {count}", "en": "more than {count}"},
    "claimed_in_germany": {"de": "{claimed} (ganz Deutschland)", "en": "{claimed} (all of Germany)"},
    "completeness_of_claimed": {
        "de": "{shown} von {claimed} Orten, die die Quelle zählt ({fraction})",
        "en": "{shown} of {claimed} places that the source counts ({fraction})",
    },
    "completeness_more_than_claimed": {
        "de": "{shown} Orte – mehr als die {claimed}, die die Quelle zählt (siehe Angabe der Quelle)",
        "en": "{shown} places – more than the {claimed} the source counts (see what the source says)",
    },
    "completeness_reached": {
        "de": "{shown} Orte; die Quelle zählt {claimed}",
        "en": "{shown} places; the source counts {claimed}",
    },
    "completeness_germany": {
        "de": "{shown} Orte in den vier Ländern; die Quelle zählt {claimed} in ganz Deutschland",
        "en": "{shown} places in the four states; the source counts {claimed} across Germany",
    },
    "completeness_no_claim": {
        "de": "{shown} Orte; die Quelle nennt keine Gesamtzahl",
        "en": "{shown} places; the source gives no total",
    },
    "list_public_yes": {"de": "öffentlich", "en": "public"},
    "list_public_partial": {
        "de": "nur ein Teil der Orte öffentlich benannt",
        "en": "only some of the places named publicly",
    },
    "list_public_no": {"de": "nicht erreichbar", "en": "could not be reached"},
    "fraction_all": {"de": "alle", "en": "all of them"},
    "fraction_almost_all": {"de": "fast alle", "en": "almost all"},
    "fraction_most": {"de": "die meisten", "en": "most"},
    "fraction_about_half": {"de": "etwa die Hälfte", "en": "about half"},
    "fraction_some": {"de": "ein Teil", "en": "some"},
    "fraction_few": {"de": "wenige", "en": "a few"},
    "data_themes_title": {"de": "Themen", "en": "Themes"},
    "data_zone_facts_title": {
        "de": "Fakten zu den Strukturwandelgebieten",
        "en": "Facts on the structural-change areas",
    },
    "data_vintage_title": {"de": "Bekannte Einschränkungen des Datenstands", "en": "Known vintage issues"},
    "vintage_boundaries": {
        "de": "Grenzen: BKG VG250 mit Gebietsstand 2017. Spätere Gemeindefusionen (z. B. Kindelbrück 2019) sind "
        "über die Vorgängergemeinde zugeordnet; jede Fusion ist mit Datum und Quelle in der Datensammlung des Atlas erfasst.",
        "en": "Boundaries: BKG VG250 as of 2017. Later municipal mergers (e.g. Kindelbrück 2019) are matched "
        "through the predecessor municipality; each merger is recorded with its date and source in the atlas's data collection.",
    },
    "vintage_eisenach": {
        "de": "Eisenach ist seit dem 1. Juli 2021 Teil des Wartburgkreises; der Atlas zeigt den vereinigten Kreis "
        "(67 Kreise) und addiert Einwohner und Fläche beider.",
        "en": "Eisenach has been part of the Wartburgkreis since 1 July 2021; the atlas shows the merged district "
        "(67 districts) and adds up the population and area of both.",
    },
    "vintage_statistics": {
        "de": "Einwohner und Fläche: Destatis, Stand 31.12.2018 – neuere Zahlen weichen ab.",
        "en": "Population and area: Destatis as of 31 Dec 2018 – newer figures differ.",
    },
    "vintage_aid": {
        "de": "Regionalförderung: Fördergebietskarte 2022–2027. {count} Kreise ohne öffentliche Quelle sind als "
        "„nicht geprüft“ markiert und werden nie als null gezeigt.",
        "en": "Regional aid: aid map 2022–2027. {count} districts without a public source are marked "
        "“not verified” and are never shown as zero.",
    },
    "vintage_distances": {
        "de": "Entfernungen sind Luftlinien, keine Reisezeiten.",
        "en": "Distances are straight lines, not travel times.",
    },
    "vintage_stations": {
        "de": "Als Fernbahnhof zählt ein Bahnhof, an dem im Jahresfahrplan 2026 (gültig ab 14. Dezember 2025) "
        "an jedem Wochentag mindestens ein ICE-, IC- oder EC-Zugpaar hält, belegt durch eine öffentliche "
        "Quelle. Züge nur an einzelnen Wochentagen (Dessau Hbf: ein ICE am Freitag) zählen nicht, ebenso "
        "wenig ein auf unbestimmte Zeit eingestellter Verkehr (IC Berlin–Rostock seit 1. Juli 2025: "
        "Oranienburg, Neustrelitz). Ein Zugpaar am Tag genügt (Cottbus).",
        "en": "A station counts as a long-distance station when at least one ICE, IC or EC train pair stops "
        "there on every day of the week in the 2026 annual timetable (valid from 14 December 2025), as a "
        "public source states. Trains on single weekdays only (Dessau Hbf: a Friday ICE) do not count, nor "
        "does a service suspended for an unknown time (the Berlin–Rostock IC since 1 July 2025: "
        "Oranienburg, Neustrelitz). One train pair a day is enough (Cottbus).",
    },
    "vintage_inclusion": {
        "de": "Die Karte zeigt nur Orte, die heute betrieben werden. Beendete Programme, erst geplante Umbauten "
        "und leerstehende Gebäude sind nicht aufgenommen; sie stehen mit Grund und Quelle in "
        "data/sources/sites_left_out.csv.",
        "en": "The map shows only places that operate today. Programmes that have ended, conversions that are "
        "only planned and vacant buildings are left out; they are listed with reason and source in "
        "data/sources/sites_left_out.csv.",
    },
    "data_privacy_title": {"de": "Datenschutz", "en": "Privacy"},
    "privacy_details": {
        "de": "Karten, Schriften und Diagramme liefert die Anwendung selbst aus (Leaflet und plotly ohne CDN); "
        "es gibt keine Nutzungsstatistik und keine Cookies von Dritten. Eine Hintergrundkarte von einem "
        "externen Kachelserver wird nur geladen, wenn Sie sie einschalten – dann erhält dieser Server Ihre IP-Adresse.",
        "en": "The application serves maps, fonts and charts itself (Leaflet and plotly without a CDN); there are "
        "no usage statistics and no third-party cookies. A background map from an external tile server is "
        "loaded only if you switch it on – that server then receives your IP address.",
    },
    "data_attribution_title": {"de": "Namensnennung", "en": "Attribution"},
    "attribution_items": {
        "de": "Geobasisdaten: © GeoBasis-DE / BKG (VG250, Datenlizenz Deutschland) · Statistik: © Statistisches "
        "Bundesamt (Destatis), CC BY 4.0 · Orte: GeoNames (CC BY 4.0) · Bahnhöfe: DB Station&Service AG "
        "(CC BY 4.0) · Flughäfen: OurAirports über airportsdata (MIT)",
        "en": "Base geodata: © GeoBasis-DE / BKG (VG250, Data licence Germany) · Statistics: © Federal Statistical "
        "Office (Destatis), CC BY 4.0 · Places: GeoNames (CC BY 4.0) · Stations: DB Station&Service AG "
        "(CC BY 4.0) · Airports: OurAirports via airportsdata (MIT)",
    },
    "period_until": {"de": "bis {year}", "en": "until {year}"},
    "period_regional_agreement": {
        "de": "Reviervereinbarung {year}",
        "en": "regional agreement of {year} (Reviervereinbarung)",
    },
    "data_imprint_title": {"de": "Impressum", "en": "Imprint"},
    "imprint_link": {"de": "Impressum des Betreibers", "en": "Operator's imprint"},
    "unit_count": {"de": "Anzahl", "en": "count"},
}
