"""The exposé PDF and the print view, read back with Debian's poppler-utils (pdftotext, pdfinfo, pdffonts,
pdftoppm): text in both languages, page count, embedded fonts, a rendered page, the QR code (read with
zbar-tools' zbarimg), hostile names, and the command line's exit codes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyogrio
import pytest

from geo.core.paths import SITES_GPKG
from geo.expose.document import ExposeData, ExposeError, expose_pdf
from geo.expose.facts import read_fact_sources, site_facts_of
from geo.expose.print_map import print_map_pdf
from geo.expose.profile import site_permalink, site_profile

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
SITE = "agro-chemie-park-piesteritz"  # Sachsen-Anhalt, Wittenberg: C aid area, three distances
SHORTLIST = [SITE, "alte-hoelle", "alte-schule-jeber-bergfrieden-flaeminger-seifenmanufaktur"]
HOSTILE_NAME = "<script>alert(\"x\")</script> & Söhne 'Groß'"
BASE_URL = "https://atlas.example.de"

if not shutil.which("pdftotext"):
    if os.environ.get("CI"):
        raise RuntimeError("poppler-utils are missing; `make test` installs them (apt-get install poppler-utils)")
    pytest.skip("poppler-utils not installed (apt-get install poppler-utils)", allow_module_level=True)


def pdf_text(pdf: bytes, tmp_path: Path, name: str = "doc.pdf", mode: str = "-layout") -> str:
    """The PDF's text: `-layout` keeps rows together, `-raw` keeps each column's lines in order."""
    path = tmp_path / name
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", mode, str(path), "-"], check=True, capture_output=True, text=True).stdout


def squeezed(text: str) -> str:
    """Text without any white space: a long link wrapped over lines reads as one again."""
    return re.sub(r"\s+", "", text)


def pdf_info(pdf: bytes, tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    output = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return {
        key.strip(): value.strip() for key, value in (line.split(":", 1) for line in output.splitlines() if ":" in line)
    }


def pdf_fonts(pdf: bytes, tmp_path: Path) -> list[list[str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    output = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    return [line.split() for line in output.splitlines()[2:] if line.strip()]


def flat(text: str) -> str:
    """Text with layout spacing and line breaks folded, for phrases that may wrap."""
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def data() -> ExposeData:
    return ExposeData.from_files()


def expected_facts(data: ExposeData, site_id: str, lang: str) -> list[str]:
    """What the site's profile says (precision, district figures, aid, distances): the PDF must say it too."""
    site = data.sites[data.sites["site_id"] == site_id].iloc[0]
    profile = site_profile(site, data.tables, lang)
    facts = profile.key_figures + profile.aid + profile.surroundings
    assert len(profile.key_figures) == 3 and profile.surroundings and profile.aid
    return [profile.name, profile.program_label, profile.precision, profile.district] + [
        fact.value for fact in facts if not fact.url
    ]


@pytest.mark.parametrize(
    ("site_id", "lang", "checked"),
    [
        ("elblandwerker-coworking-wittenberge", "de", "Standort zuletzt geprüft am 07.12.2026"),
        ("elblandwerker-coworking-wittenberge", "en", "site last checked on 7 Dec 2026"),
        ("green-gate-gatersleben", "de", "Standort zuletzt geprüft am 25.11.2026"),
    ],
)
def test_the_expose_says_when_the_site_was_last_checked(data, tmp_path, site_id, lang, checked):
    """A row whose text changed from a source on 7 Dec 2026 says so; an unchanged row keeps the list's date."""
    assert checked in flat(pdf_text(expose_pdf(data, [site_id], lang, base_url=BASE_URL), tmp_path))


def test_site_expose_in_german(data, tmp_path):
    pdf = expose_pdf(data, [SITE], "de", base_url=BASE_URL)
    info = pdf_info(pdf, tmp_path)
    assert info["Page size"].endswith("(A4)")
    assert 1 <= int(info["Pages"]) <= 3  # with the labour market, pool and research sections
    assert info["Title"] == "Exposé: Agro-Chemie Park Piesteritz"
    text = flat(pdf_text(pdf, tmp_path))
    for expected in expected_facts(data, SITE, "de") + [
        "Kennzahlen des Kreises Wittenberg",
        "Regionalförderung",
        "Luftlinie",
        "Flächen und Fakten",
        "Kontakt",
        "Quellen und Lizenzen",
        "© GeoBasis-DE / BKG",
        "Datenstand",
        "Standort zuletzt geprüft am",
        "Seite 1",
        "Großstadt",
        "Arbeitsmarkt im Kreis: Wittenberg",
        "Arbeitslosenquote",
        "7,0 %",
        "13211-02-05-4",
        "Beschäftigte am Wohnort",
        "keine Quelle",
        "Umkreis 45 km",
        "Schätzung, Luftlinie",
    ]:
        assert flat(expected) in text, expected
    assert f"{BASE_URL}/karte?site={SITE}" in squeezed(pdf_text(pdf, tmp_path, "raw.pdf", "-raw"))


@pytest.mark.parametrize("lang", ["de", "en"])
def test_qr_code_and_link_lead_to_the_sites_link(data, tmp_path, lang):
    """What a phone reads from the QR code and where the printed link points are the site's link
    (`site_permalink` after the atlas's address): the address tests/browser/test_site_links.py opens."""
    expected = f"{BASE_URL}/{site_permalink(SITE, lang)}"
    pdf = expose_pdf(data, [SITE], lang, base_url=BASE_URL)
    assert f"/URI ({expected})".encode() in pdf  # the printed link's target
    if not shutil.which("zbarimg"):
        if os.environ.get("CI"):
            raise RuntimeError("zbar-tools are missing; `make test` installs them (apt-get install zbar-tools)")
        pytest.skip("zbar-tools not installed (apt-get install zbar-tools)")
    path = tmp_path / "expose.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(path), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(next(tmp_path.glob("page*.png")))],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.splitlines()
    assert decoded == [expected]


def test_expose_facts_keep_their_sources_when_a_store_write_left_only_the_sites_layer(data, tmp_path):
    stripped = tmp_path / "sites.gpkg"
    pyogrio.write_dataframe(pyogrio.read_dataframe(SITES_GPKG, layer="sites"), stripped, layer="sites", driver="GPKG")
    assert "site_facts" not in {str(name) for name, *_ in pyogrio.list_layers(stripped)}
    site = data.sites[data.sites["site_id"] == SITE].iloc[0]
    from_file = site_facts_of(site, read_fact_sources(SITES_GPKG, data.sites["site_id"]), "de")
    from_curated_rows = site_facts_of(site, read_fact_sources(stripped, data.sites["site_id"]), "de")
    assert from_file and all(fact.source_url.startswith("https://") for fact in from_file)
    assert from_curated_rows == from_file


def test_site_expose_in_english(data, tmp_path):
    pdf = expose_pdf(data, [SITE], "en", base_url=BASE_URL)
    text = flat(pdf_text(pdf, tmp_path))
    for expected in expected_facts(data, SITE, "en") + [
        "Key figures of Wittenberg",
        "Regional aid",
        "Sources and licences",
        "in a straight line",
        "Page 1",
    ]:
        assert flat(expected) in text, expected
    assert "Kennzahlen" not in text
    assert f"{BASE_URL}/karte?site={SITE}&lang=en" in squeezed(pdf_text(pdf, tmp_path, "raw.pdf", "-raw"))


def test_fonts_are_embedded(data, tmp_path):
    fonts = pdf_fonts(expose_pdf(data, [SITE], "de"), tmp_path)
    assert fonts, "the PDF names no font"
    for row in fonts:
        assert "DejaVuSans" in row[0] or "Vera" in row[0], row
        assert row[-5] == "yes", f"font not embedded: {row}"


def test_shortlist_expose_has_an_overview_and_each_site(data, tmp_path):
    pdf = expose_pdf(data, SHORTLIST, "en", base_url=BASE_URL)
    pages = int(pdf_info(pdf, tmp_path)["Pages"])
    assert 1 + len(SHORTLIST) <= pages <= 1 + 3 * len(SHORTLIST)  # up to 3 pages a site with the investor sections
    text = pdf_text(pdf, tmp_path)
    first_page = text.split("\f")[0]
    assert "Shortlist: 3 sites" in first_page
    raw_first_page = pdf_text(pdf, tmp_path, "raw.pdf", "-raw").split("\f")[0]
    assert f"{BASE_URL}/vergleich?sites={','.join(SHORTLIST)}&lang=en" in squeezed(raw_first_page)
    for name in ("Agro-Chemie Park Piesteritz", "Alte Hölle"):
        assert name in first_page and text.count(name) >= 2


def test_a_rendered_page_shows_the_map(data, tmp_path):
    from PIL import Image

    path = tmp_path / "expose.pdf"
    path.write_bytes(expose_pdf(data, [SITE], "de"))
    subprocess.run(
        ["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", str(path), str(tmp_path / "page")], check=True
    )
    rendered = next(tmp_path.glob("page*.png"))
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(rendered, ARTIFACTS / "expose-page-1.png")  # for a person to look at
    image = Image.open(rendered).convert("RGB")
    assert image.size == (497, 702)  # A4 (210 × 297 mm) at 60 dpi
    colours = image.getcolors(maxcolors=1 << 20)
    by_colour = {colour: count for count, colour in colours}
    district_fill = (0xE6, 0xEC, 0xF1)
    assert by_colour.get(district_fill, 0) > 5_000, "the map's district fill is missing"
    program_blue = (0x00, 0x72, 0xB2)
    assert any(max(abs(a - b) for a, b in zip(colour, program_blue, strict=False)) < 8 for colour in by_colour), (
        "the site's symbol is missing"
    )


def test_hostile_text_is_printed_as_typed(data, tmp_path):
    sites = data.sites.copy()
    sites.loc[sites["site_id"] == SITE, "name"] = HOSTILE_NAME
    sites.loc[sites["site_id"] == SITE, "description_de"] = "<b>fett?</b> & <a href='javascript:x'>Link</a>"
    hostile = dataclasses.replace(data, sites=sites)
    pdf = expose_pdf(hostile, [SITE, "alte-hoelle"], "de")
    text = flat(pdf_text(pdf, tmp_path))
    assert HOSTILE_NAME in text
    assert "<b>fett?</b> & <a href='javascript:x'>Link</a>" in text
    assert f"Exposé: {HOSTILE_NAME}, Alte Hölle" == pdf_info(pdf, tmp_path)["Title"]


def test_unknown_site_is_refused(data):
    with pytest.raises(ExposeError, match="no-such-site"):
        expose_pdf(data, [SITE, "no-such-site"], "de")


def test_print_view_a4_and_a3_landscape(data, tmp_path):
    chosen = data.sites[data.sites["state_code"] == "SN"]
    link = f"{BASE_URL}/karte?state=SN&lang=en"
    for paper, size in (("A4", "841.89 x 595.276 pts (A4)"), ("A3", "1190.55 x 841.89 pts (A3)")):
        pdf = print_map_pdf(data.map_base, chosen, len(data.sites), "States: Saxony", "en", paper, link)
        info = pdf_info(pdf, tmp_path)
        assert info["Pages"] == "1" and info["Page size"] == size
        text = flat(pdf_text(pdf, tmp_path))
        for expected in (
            f"Sites: {len(chosen)} of {len(data.sites)}",
            "Filter: States: Saxony",
            "Coal region",
            "JTF area (EU)",
            "© GeoBasis-DE / BKG",
            link,
            "km",
            "Site data as of",
        ):
            assert expected in text, (paper, expected)
    with pytest.raises(ValueError):
        print_map_pdf(data.map_base, chosen, len(data.sites), "", "de", "A5")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "de",
            [
                "≥ 30 ha (chemanager-online.com, Stand 22.09.2011) ⚠ älter als 12 Monate",
                "220 ha (chemanager-online.com, Stand 22.09.2011) ⚠ älter als 12 Monate",
                "Einwohner (Stand 31.12.2018) ⚠ älter als 12 Monate",
                "≈ etwa, ≥ mindestens, ≤ höchstens",
            ],
        ),
        (
            "en",
            [
                "≥ 30 ha (chemanager-online.com, as of 22 Sept 2011) ⚠ older than 12 months",
                "inhabitants (as of 31 Dec 2018) ⚠ older than 12 months",
                "≈ about, ≥ at least, ≤ at most",
            ],
        ),
    ],
)
def test_the_expose_dates_every_figure_and_marks_the_old_ones(data, tmp_path, lang, expected):
    pdf = expose_pdf(data, [SITE], lang, base_url=BASE_URL, today=dt.date(2026, 12, 7))
    text = flat(pdf_text(pdf, tmp_path)).replace("\u00a0", " ")
    for phrase in expected:
        assert phrase in text, phrase


def test_the_expose_says_when_a_source_has_no_date(data, tmp_path):
    pdf = expose_pdf(data, ["dow-valuepark-schkopau"], "de", base_url=BASE_URL, today=dt.date(2026, 12, 7))
    text = flat(pdf_text(pdf, tmp_path)).replace("\u00a0", " ")
    assert "≈ 150 ha (www.mz.de) ⚠ Quelle ohne Datum" in text


def test_the_print_view_dates_the_figures_of_the_printed_sites(data, tmp_path):
    chosen = data.site_rows(["agro-chemie-park-piesteritz", "chemiestandort-leuna", "alte-hoelle"])
    today = dt.date(2026, 12, 7)
    german = flat(
        pdf_text(print_map_pdf(data.map_base, chosen, 3, "", "de", today=today, facts=data.fact_sources), tmp_path)
    )
    assert "Flächenangaben der gezeigten Standorte: Stand 22.09.2011 bis 05.03.2026; 9 davon ⚠ älter als" in german
    english = flat(
        pdf_text(print_map_pdf(data.map_base, chosen, 3, "", "en", today=today, facts=data.fact_sources), tmp_path)
    )
    assert "Plot figures of the sites shown: as of 22 Sept 2011 to 5 Mar 2026; 9 of them ⚠ older than" in english
    without = flat(
        pdf_text(
            print_map_pdf(
                data.map_base, data.site_rows(["alte-hoelle"]), 1, "", "de", today=today, facts=data.fact_sources
            ),
            tmp_path,
        )
    )
    assert "Flächenangaben" not in without  # a site without figures: nothing to date


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", "expose", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=180,
    )


def test_command_line_writes_the_english_expose_of_a_hostile_site(tmp_path):
    # a data folder of its own: the bundled sites with one name made hostile
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copy(PROJECT_ROOT / "data" / "sites.gpkg", data_dir / "sites.gpkg")
    (data_dir / "reference.gpkg").symlink_to(PROJECT_ROOT / "data" / "reference.gpkg")
    sites = pyogrio.read_dataframe(data_dir / "sites.gpkg", layer="sites")
    sites.loc[sites["site_id"] == SITE, "name"] = HOSTILE_NAME
    pyogrio.write_dataframe(sites, data_dir / "sites.gpkg", layer="sites", driver="GPKG")
    output = tmp_path / "expose.pdf"
    result = run_cli(
        SITE,
        "alte-hoelle",
        "--lang",
        "en",
        "--output",
        str(output),
        env={"STANDORTATLAS_DATA_DIR": str(data_dir), "STANDORTATLAS_PUBLIC_URL": BASE_URL},
    )
    assert result.returncode == 0, result.stderr
    text = flat(pdf_text(output.read_bytes(), tmp_path, "cli.pdf"))
    assert HOSTILE_NAME in text and "Shortlist: 2 sites" in text
    raw = pdf_text(output.read_bytes(), tmp_path, "cli-raw.pdf", "-raw")
    assert f"{BASE_URL}/vergleich?sites={SITE},alte-hoelle&lang=en" in squeezed(raw)


@pytest.mark.slow  # five command-line processes, each loading the data and reportlab; make test runs it
def test_command_line_exit_codes(tmp_path):
    unknown = run_cli("no-such-site", "--output", str(tmp_path / "x.pdf"))
    assert unknown.returncode == 1 and "no-such-site" in unknown.stderr
    assert not (tmp_path / "x.pdf").exists()
    assert run_cli(SITE, "--output", str(tmp_path / "missing-folder" / "x.pdf")).returncode == 2
    assert run_cli(SITE).returncode == 2  # --output is required
    assert run_cli(SITE, "--output", str(tmp_path / "x.txt")).returncode == 2
