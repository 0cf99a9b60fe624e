"""Words and numbers as a visitor reads them: no English on German pages (Streamlit's own texts and
accessible names included) and no German on English ones, no "None" for a missing figure, licences and
notes in the page's language, singulars for one, averages with their decimals, kilometres on every scale,
billions as billions, and PDFs that write coordinates and dates as the language does."""

from __future__ import annotations

import re

import pytest

from geo.expose.sites_table import TABLE_FACT_FIELDS
from geo.sites.facts import column_header
from geo.texts import t
from tests.browser.support import map_document
from tests.browser.test_pflege import open_and_log_in, staff_server  # noqa: F401 (a fixture)
from tests.browser.visits import pdf_text, settle, snapshot, visit

SITE = "kulturbahnhof-bad-dueben"
# Streamlit's, Leaflet's and plotly's own English: visible text (whole words) ...
ENGLISH_TEXT = (
    "Skip to main content",
    "Upload",
    "Browse files",
    "Drag and drop",
    "per file",
    "No results",
    "Fullscreen",
    "Zoom in",
    "Zoom out",
)
# ... and accessible names (aria-label, title, data-title), exactly or as their start
ENGLISH_NAMES = re.compile(
    r"^(Help|Help for .*|Fullscreen.*|Collapse sidebar|Expand sidebar|Sidebar|Open|Close|"
    r"Clear all|Clear value|Remove .*|Search|Show/hide columns|Download plot as a PNG|Zoom|"
    r"Zoom in|Zoom out|Pan|Reset axes|Autoscale|Selectbox options|Upload|"
    r"Toggle Fullscreen|Full Screen|Exit Fullscreen|Scrollable table|Selected values|Link to heading|file upload)$"
)
# the atlas's own German that must not reach an English page
GERMAN_TEXT = (
    "Anmerkung der Datensammlung",
    "Gebietsstand",
    "(Paket)",
    "(Daten)",
    "Stand des Pakets",
    "Vollbild",
    "Hilfe",
    "Zum Inhalt springen",
    "Hochladen",
    "Keine Treffer",
)
# everything a visitor reads or hears in one document: text, accessible names, placeholders
READABLE = """() => {
  const names = [];
  for (const element of document.querySelectorAll('[aria-label], [title], [data-title], [placeholder], [alt]')) {
    for (const attribute of ['aria-label', 'title', 'data-title', 'placeholder', 'alt']) {
      const value = element.getAttribute(attribute);
      if (value && value.trim()) { names.push(value.trim()); }
    }
  }
  return {text: document.body ? document.body.innerText : '', names};
}"""
GERMAN_PAGES = [
    f"/karte?site={SITE}",
    f"/standorte?site={SITE}",
    f"/vergleich?sites={SITE},green-gate-gatersleben",
    "/regionen?district=15002&compare=15002,14713",
    "/strukturwandel?zone=lausitz",
    "/daten",
    "/praesentation?slide=1",
    "/einbetten?state=ST",
]


@pytest.fixture(scope="module", autouse=True)
def caches_warm(warm_app):
    """Every test here starts on a server whose caches are warm (see conftest.warm_app)."""


def readable(page, base_url: str) -> tuple[str, list[str]]:
    """The text and accessible names of the page and of every frame of the app's own origin."""
    texts, names = [], []
    for frame in page.frames:
        if not frame.url.startswith(base_url):
            continue
        try:
            found = frame.evaluate(READABLE)
        except Exception:  # a frame that navigated away meanwhile
            continue
        texts.append(found["text"])
        names += found["names"]
    return "\n".join(texts), names


def english_on_german(text: str, names: list[str]) -> list[str]:
    found = [phrase for phrase in ENGLISH_TEXT if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text)]
    return found + sorted({name for name in names if ENGLISH_NAMES.match(name)})


MAP_PAGES = ("/karte", "/einbetten", "/praesentation", "/vergleich", "/regionen", "/strukturwandel")


def settled_with_maps(page, base_url: str, path: str, lang: str) -> None:
    """`path` in `lang` with its map drawn (its controls and names are part of the page)."""
    visit(page, base_url, path, lang)
    if path.startswith(MAP_PAGES):
        map_document(page)
    page.wait_for_timeout(500)  # tooltips and controls the map adds after its signal


@pytest.mark.parametrize("path", GERMAN_PAGES)
def test_german_pages_speak_german_to_eyes_and_screen_readers(page, app_url, path):
    settled_with_maps(page, app_url, path, "de")
    # the skip link and the help buttons are there for keyboards: their names count too
    text, names = readable(page, app_url)
    assert english_on_german(text, names) == []


@pytest.mark.parametrize("path", GERMAN_PAGES)
def test_english_pages_keep_english(page, app_url, path):
    settled_with_maps(page, app_url, path, "en")
    text, names = readable(page, app_url)
    found = [phrase for phrase in GERMAN_TEXT if phrase in text or phrase in names]
    assert found == []
    assert "Skip to main content" in text


def test_the_staff_page_speaks_german_after_login(page, staff_server):
    base_url, _ = staff_server
    open_and_log_in(page, base_url)
    settle(page)
    text, names = readable(page, base_url)
    snapshot(page, "words-pflege-de")
    assert english_on_german(text, names) == []


TABLE_TEXTS = """() => {
  const table = document.querySelector('.sa-table table');
  return {headings: [...table.tHead.rows[0].cells].map(cell => cell.textContent),
          cells: [...table.tBodies[0].rows].map(row => [...row.cells].map(cell => cell.textContent))};
}"""


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_sites_table_leaves_missing_figures_blank(page, app_url, lang):
    visit(page, app_url, "/standorte", lang)
    page.locator(".sa-table tbody tr").first.wait_for()
    table = page.evaluate(TABLE_TEXTS)
    headings, rows = table["headings"], table["cells"]
    assert t("column_precision", lang) in headings
    figures = [headings.index(column_header(field_id, lang)) for field_id in TABLE_FACT_FIELDS]  # all there
    assert rows and all(len(row) == len(headings) for row in rows)
    texts = {text for row in rows for text in row}
    assert not texts & {"None", "nan", "NaN", "<NA>", "null", "undefined", "–"}
    assert any(row[column] == "" for row in rows for column in figures), "a missing figure is a blank cell"
    assert any(row[column] != "" for row in rows for column in figures), "the figures are there"


@pytest.mark.parametrize("lang", ["de", "en"])
def test_licences_and_vintages_in_the_pages_language(page, app_url, lang):
    visit(page, app_url, "/daten", lang)
    text = page.locator("[data-testid=stMain]").inner_text()
    if lang == "de":
        assert not re.search(r"\((data|package)\)|of the package|as packaged|status \d{4}", text)
    else:
        found = re.search(r"Gebietsstand|\((Daten|Paket)\)|\b\d{2}\.\d{2}\.\d{4}\b", text)
        assert not found, text[max(0, found.start() - 200) : found.end() + 100]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_regional_aid_notes_in_the_pages_language(page, app_url, lang):
    visit(page, app_url, "/regionen?district=15002", lang)  # Halle: a note of the data collection
    text = page.locator("[data-testid=stMain]").inner_text()
    if lang == "de":
        assert "englisch" not in text and "the state-wide rate" not in text
        assert "landesweite" in text
    else:
        assert "landesweit" not in text and "the state-wide rate" in text


@pytest.mark.parametrize("lang", ["de", "en"])
def test_site_names_read_in_german_on_german_pages(page, app_url, lang):
    visit(page, app_url, "/standorte?program=industriestandort", lang)
    page.locator(".sa-table tbody tr").first.wait_for()
    names = [text for row in page.evaluate(TABLE_TEXTS)["cells"] for text in row if "Leuna" in text]
    assert names, "the industrial site in Leuna is listed"
    if lang == "de":
        assert not any("Strategic" in name for name in names)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_one_is_singular(page, app_url, lang):
    # a single site without the figure is dropped by the area filter
    visit(page, app_url, "/standorte?q=Kulturbahnhof+Bad+D%C3%BCben&area_min=1", lang)
    text = page.locator("[data-testid=stMain]").inner_text()
    dropped = [line for line in text.splitlines() if "ausgeblendet" in line or "hidden" in line]
    assert dropped and re.match(r"1 (Standort|site) ", dropped[0]), dropped
    assert not re.search(r"(?<![\d.,])1 (Standorte|Orte|Kreise|sites|places|districts)\b", text)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_district_averages_keep_their_decimals(page, app_url, lang):
    visit(page, app_url, "/regionen?district=14626", lang)  # Görlitz: 3 sites against means of about 1 and 2
    chart = page.locator("[data-testid=stPlotlyChart]").first
    chart.locator("g.trace.bars").first.wait_for()
    # (bar name, value, label) of every bar of the district profile's chart
    bars = chart.locator(".js-plotly-plot").evaluate("""(plot) => plot.data.flatMap((trace, number) => {
        const labels = [...plot.querySelectorAll('g.trace.bars')[number].querySelectorAll('text')];
        return trace.y.map((name, index) => [name, trace.x[index], labels[index] ? labels[index].textContent : '']);
    })""")
    mean_basis = t("basis_mean_per_district", lang)
    small_means = [(name, label) for name, value, label in bars if mean_basis in name and value < 10]
    assert small_means, "the sites row compares with means per district"
    decimal = r"\d+,\d+" if lang == "de" else r"\d+\.\d+"
    assert all(re.fullmatch(decimal, label) for _, label in small_means), small_means


@pytest.mark.parametrize("path", ["/regionen?district=14626", "/strukturwandel?zone=lausitz"])
def test_map_scales_measure_in_kilometres_only(page, app_url, path):
    visit(page, app_url, path, "en")
    map_document(page)
    lines = page.evaluate(
        "[...document.querySelectorAll('.sa-atlas .leaflet-control-scale-line')].map(e => e.innerText)"
    )
    assert lines and all(re.fullmatch(r"\d+ k?m", line) for line in lines), lines


@pytest.mark.parametrize("lang, expected", [("de", "14 Mrd. EUR"), ("en", "14 billion EUR")])
def test_billions_are_written_as_billions(page, app_url, lang, expected):
    visit(page, app_url, "/praesentation?slide=1", lang)
    text = page.locator("[data-testid=stMain]").inner_text().replace("\u00a0", " ")  # a figure keeps its unit
    assert expected in text
    assert "14.000 Mio." not in text and "14,000 million" not in text


def _download_expose(page, base_url: str, lang: str, tmp_path) -> str:
    visit(page, base_url, f"/karte?site={SITE}", lang)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name=t("expose_download", lang)).click()
    path = tmp_path / f"expose-{lang}.pdf"
    download.value.save_as(path)
    return pdf_text(path)


def _dates(text: str) -> list[str]:
    words = [word for word in text.split() if "/" not in word and "http" not in word]
    return re.findall(
        r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\.\d{1,2}\.\d{4}\b|\b\d{1,2} [A-Z][a-z]{2} \d{4}\b", " ".join(words)
    )


def test_the_german_expose_writes_german_numbers_and_dates(page, app_url, tmp_path):
    text = _download_expose(page, app_url, "de", tmp_path)
    assert re.search(r"51,\d+° N, 12,\d+° O", text), "coordinates with a decimal comma, O for Ost"
    assert not re.search(r"\d+\.\d+° [NE]", text)
    assert all(re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", date) for date in _dates(text)), _dates(text)
    assert not re.search(r"\((data|package)\)|of the package|as packaged", text)


def test_the_english_expose_writes_one_date_format(page, app_url, tmp_path):
    text = _download_expose(page, app_url, "en", tmp_path)
    assert re.search(r"51\.\d+° N, 12\.\d+° E", text)
    dates = _dates(text)
    assert dates and all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}", date) for date in dates), dates
    assert "Gebietsstand" not in text


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_print_view_describes_the_filter_in_words(page, app_url, lang, tmp_path):
    visit(page, app_url, "/standorte?area_min=10&rail=yes&theme=chemistry&zone=mitteldeutsch&q=Chemie", lang)
    page.get_by_role("button", name=t("print_heading", lang)).click()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name=t("print_a4", lang)).click()
    path = tmp_path / f"print-{lang}.pdf"
    download.value.save_as(path)
    text = pdf_text(path)
    lines = text.splitlines()
    start = next(number for number, line in enumerate(lines) if line.strip().startswith("Filter:"))
    end = next(number for number in range(start, len(lines)) if not lines[number].strip())
    filter_line = " ".join(line.strip() for line in lines[start:end])
    assert not re.search(r"\b(area_min|rail|theme|zone|q|chemistry|mitteldeutsch):?", filter_line), filter_line
    for key in ("filter_area_min", "filter_rail", "filter_themes", "filter_zones"):
        assert t(key, lang).split(" (")[0] in filter_line, (key, filter_line)
