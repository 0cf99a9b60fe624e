"""The PDF fonts: DejaVu Sans (Debian's `fonts-dejavu-core`), embedded as a subset in every PDF.

PDF's built-in Helvetica is not embedded and depends on the reader for umlauts; an embedded TrueType
font shows "Görlitz", "Straße" and "–" the same everywhere. DejaVu Sans is looked up in the usual
Debian folder (or `STANDORTATLAS_FONT_DIR`); where it is missing, ReportLab's own Bitstream Vera (the
font DejaVu grew out of, shipped inside the reportlab package) is used, which covers Latin-1 as well.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.graphics import shapes
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/TTF", "/usr/local/share/fonts")
DEJAVU = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf")
VERA = ("Vera.ttf", "VeraBd.ttf", "VeraIt.ttf")


@dataclass(frozen=True)
class PdfFonts:
    regular: str
    bold: str
    italic: str
    family: str


def _font_folders() -> list[Path]:
    folders = [Path(os.environ["STANDORTATLAS_FONT_DIR"])] if os.environ.get("STANDORTATLAS_FONT_DIR") else []
    return folders + [Path(folder) for folder in FONT_DIRS]


def _find(files: tuple[str, ...]) -> list[Path] | None:
    for folder in _font_folders():
        paths = [folder / name for name in files]
        if all(path.is_file() for path in paths):
            return paths
    return None


@lru_cache(maxsize=1)
def pdf_fonts() -> PdfFonts:
    """Register the fonts with ReportLab once per process and return their names."""
    paths = _find(DEJAVU)
    family = "DejaVuSans"
    if paths is None:
        import reportlab

        folder = Path(reportlab.__file__).parent / "fonts"
        paths = [folder / name for name in VERA]
        family = "Vera"
    names = (family, f"{family}-Bold", f"{family}-Oblique")
    for name, path in zip(names, paths, strict=True):
        pdfmetrics.registerFont(TTFont(name, str(path)))
    addMapping(family, 0, 0, names[0])
    addMapping(family, 1, 0, names[1])
    addMapping(family, 0, 1, names[2])
    addMapping(family, 1, 1, names[1])
    # drawings start every render with the default font set; pointing it here keeps Helvetica (which
    # PDF readers substitute, unembedded) out of the PDFs altogether
    shapes.STATE_DEFAULTS["fontName"] = names[0]
    return PdfFonts(regular=names[0], bold=names[1], italic=names[2], family=family)
