"""Downloads for staff: a map as one HTML file that opens offline, a chart as PNG/SVG.

`offline_site_map` writes sites on the atlas map as one page (`offline_map_page` for any map arguments):
Leaflet, its plugins, the map's own code and styles (geo.core.web_assets: MAP_SCRIPTS, MAP_STYLES, the same
files the app's pages load), the images the style sheets use as data URIs, and the map's arguments and data
files as JSON in the page. The result needs neither the app nor a network: staff can open it on a laptop at
a fair or mail it. A style sheet that refers to anything but its own package's files is refused, so an
export can never quietly depend on (or report to) a third-party host.

`chart_image` renders a plotly figure with kaleido, which drives the local Chromium and needs no network
(plotly.js ships inside the plotly package). Where no Chromium is available, `chart_html` gives the same
chart as a standalone HTML file with plotly.js inlined.
"""

from __future__ import annotations

import base64
import html
import importlib.util
import mimetypes
import os
import re
import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.core.paths import ASSETS_DIR, STATIC_DIR
from geo.core.web_assets import MAP_SCRIPTS, MAP_STYLES, json_in_script
from geo.maps.payload import browser_filter_spec, language_args, sites_payload
from geo.sites.filters import SiteFilter

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHART_FORMATS = ("png", "svg")

_SCRIPT_TAG = re.compile(r"<script\b[^>]*\bsrc\s*=\s*([\"'])(?P<url>[^\"']+)\1[^>]*>\s*</script>", re.I)
_STYLESHEET_TAG = re.compile(
    r"<link\b(?=[^>]*\brel\s*=\s*[\"']?stylesheet)[^>]*\bhref\s*=\s*([\"'])(?P<url>[^\"']+)\1[^>]*/?>", re.I
)
_CSS_URL = re.compile(r"url\(\s*([\"']?)(?P<url>[^\"')]+)\1\s*\)")
# The page around the map: the map fills the window.
_PAGE_CSS = "html, body { margin: 0; height: 100%; } body > .sa-atlas { height: 100vh; }"
# The rule for text only screen readers get (a marker's name) is written once, in the style every page of
# the app has from its first paint; the offline page, which has no app around it, takes it from there.
_SCREEN_READER_STYLE = ASSETS_DIR / "first_paint.css"
_SCREEN_READER_RULE = re.compile(r"^\.sa-sr \{[^}]*\}", re.M)


class ExportError(RuntimeError):
    """A map or chart cannot be exported as a self-contained file."""


def offline_site_map(
    sites: gpd.GeoDataFrame, base: dict, zone_districts: pd.DataFrame, lang: str, title: str, bounds=None
) -> bytes:
    """`sites` on the atlas map (as on a slide: legend open, opened on `bounds`, else on the sites) over the
    base data file `base`, as one UTF-8 HTML file that opens offline."""
    args = {
        **language_args(lang, tuple(dict.fromkeys(sites["program"])) or None),
        "base_url": "base",
        "sites_url": "sites",
        "sites": {"filter": browser_filter_spec(SiteFilter())},  # the file holds just these sites
        "mode": "present",
        "bounds": [list(bounds[0]), list(bounds[1])] if bounds is not None else None,
        "legend_folded": True,
    }
    return offline_map_page(args, base, sites_payload(sites, zone_districts), title, lang)


def offline_map_page(args: dict, base: dict, sites: dict | None, title: str, lang: str) -> bytes:
    """The atlas map with `args` (its arguments, see views/atlas_map.py) over the data files `base` and
    `sites` (geo.maps.payload) as one UTF-8 HTML file that opens offline."""
    styles = "".join(_inline_stylesheet(STATIC_DIR / relative) for relative in MAP_STYLES)
    page_css = _PAGE_CSS + _screen_reader_css()
    scripts = "".join(_inline_script(STATIC_DIR / relative) for relative in MAP_SCRIPTS)
    data = json_in_script({"args": args, "base": base, "sites": sites}, ensure_ascii=False, separators=(",", ":"))
    page = (
        f'<!DOCTYPE html>\n<html lang="{_escape_text(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_escape_text(title)}</title>\n{styles}<style>{page_css}</style>\n{scripts}\n</head>\n<body>\n"
        f'<script type="application/json" id="sa-page-data">{data}</script>\n'
        "<script>atlasEngine.mountPage();</script>\n</body>\n</html>\n"
    )
    return page.encode("utf-8")


def _screen_reader_css() -> str:
    rule = _SCREEN_READER_RULE.search(_SCREEN_READER_STYLE.read_text(encoding="utf-8"))
    if rule is None:
        raise ExportError(f"{_SCREEN_READER_STYLE} has no .sa-sr rule (text for screen readers only)")
    return rule.group(0)


def external_resource_urls(page: str) -> list[str]:
    """URLs of scripts and style sheets that a page would still load from somewhere (for checks and tests)."""
    return [match.group("url") for pattern in (_SCRIPT_TAG, _STYLESHEET_TAG) for match in pattern.finditer(page)]


def _static_file(path: Path) -> Path:
    if not path.is_file():
        raise ExportError(f"{path} is missing; run `make setup` (it copies the npm packages to static/vendor)")
    return path


def _inline_script(path: Path) -> str:
    code = _static_file(path).read_text(encoding="utf-8")
    # a literal "</script" inside the code would end the element early
    return "<script>" + code.replace("</script", "<\\/script") + "</script>\n"


def _inline_stylesheet(css_path: Path) -> str:
    css = _CSS_URL.sub(
        lambda match: _css_url_as_data(css_path, match.group("url")), _static_file(css_path).read_text("utf-8")
    )
    return "<style>" + css.replace("</style", "<\\/style") + "</style>\n"


def _css_url_as_data(css_path: Path, url: str) -> str:
    if url.startswith(("data:", "#")):  # already inline, or an old-IE behaviour reference
        return f"url({url})"
    path = (css_path.parent / url).resolve()
    if not path.is_relative_to(css_path.parent.resolve()) or not path.is_file():
        raise ExportError(f"{css_path.name} refers to {url!r}, which is not a file of its package")
    return f'url("{_data_uri(path)}")'


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _escape_text(text: str) -> str:
    return html.escape(text, quote=True)


def chromium_path() -> str | None:
    """The Chromium that kaleido should drive: $BROWSER_PATH, else Debian's package."""
    configured = os.environ.get("BROWSER_PATH")
    if configured and Path(configured).exists():
        return configured
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def chart_image_available() -> bool:
    return importlib.util.find_spec("kaleido") is not None and chromium_path() is not None


def chart_image(
    figure, image_format: str = "png", width: int | None = None, height: int | None = None, scale: float = 1
) -> bytes:
    """A plotly figure as PNG or SVG, rendered by kaleido in the local Chromium (no network needed).
    Width and height default to the figure's layout (else kaleido's 700 × 500)."""
    if image_format not in CHART_FORMATS:
        raise ExportError(f"unknown chart format {image_format!r}; use one of {', '.join(CHART_FORMATS)}")
    browser = chromium_path()
    if browser is None or not chart_image_available():
        raise ExportError("chart images need kaleido and Chromium (apt-get install chromium)")
    # kaleido (through choreographer) reads BROWSER_PATH to find the browser it starts
    os.environ.setdefault("BROWSER_PATH", browser)
    return figure.to_image(format=image_format, width=width, height=height, scale=scale)


def chart_html(figure, lang: str | None = None) -> bytes:
    """A plotly figure as one HTML file with plotly.js inlined: the offline fallback to `chart_image`."""
    page = figure.to_html(include_plotlyjs=True, full_html=True, config={"displaylogo": False})
    if lang:
        page = page.replace("<html>", f'<html lang="{_escape_text(lang)}">', 1)
    return page.encode("utf-8")
