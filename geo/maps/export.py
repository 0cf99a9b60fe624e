"""Downloads for staff: a map as one HTML file that opens offline, a chart as PNG/SVG.

`standalone_map_html` renders a folium map and replaces every reference to the app's vendored Leaflet files
(``/app/static/vendor/…``) by the file's content, with the images that the style sheets use turned into
data URIs. The result needs neither the app nor a network: staff can open it on a laptop at a fair or mail
it. Any script or style sheet that would still come from elsewhere is refused, so an export can never
quietly depend on (or report to) a third-party host.

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
from pathlib import Path, PurePosixPath

import folium

from geo.core.web_assets import STATIC_URL_PREFIX, VENDOR_DIR, localize

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHART_FORMATS = ("png", "svg")

_SCRIPT_TAG = re.compile(r"<script\b[^>]*\bsrc\s*=\s*([\"'])(?P<url>[^\"']+)\1[^>]*>\s*</script>", re.I)
_STYLESHEET_TAG = re.compile(
    r"<link\b(?=[^>]*\brel\s*=\s*[\"']?stylesheet)[^>]*\bhref\s*=\s*([\"'])(?P<url>[^\"']+)\1[^>]*/?>", re.I
)
_CSS_URL = re.compile(r"url\(\s*([\"']?)(?P<url>[^\"')]+)\1\s*\)")
# Leaflet finds its default marker images next to leaflet.css; inlined, there is no such place, so the
# images are handed over as data URIs (imagePath + iconUrl must form the URL, hence the split prefix).
_DEFAULT_ICON_SCRIPT = """<script>
if (window.L && L.Icon && L.Icon.Default) {{
  L.Icon.Default.imagePath = "data:image/png;base64,";
  L.Icon.Default.mergeOptions({{iconUrl: "{icon}", iconRetinaUrl: "{icon_2x}", shadowUrl: "{shadow}"}});
}}
</script>"""


class ExportError(RuntimeError):
    """A map or chart cannot be exported as a self-contained file."""


def standalone_map_html(folium_map: folium.Map, title: str | None = None, lang: str | None = None) -> bytes:
    """The map as one UTF-8 HTML file with Leaflet, its plugins, their images and the data inlined."""
    localize(folium_map)
    page = folium_map.get_root().render()
    page = _STYLESHEET_TAG.sub(lambda match: _inline_stylesheet(match.group("url")), page)
    page = _SCRIPT_TAG.sub(lambda match: _inline_script(match.group("url")), page)
    page = _add_default_icon_images(page)
    if title:
        page = page.replace("<head>", f"<head>\n<title>{_escape_text(title)}</title>", 1)
    if lang:
        page = page.replace("<html>", f'<html lang="{_escape_text(lang)}">', 1)
    return page.encode("utf-8")


def external_resource_urls(page: str) -> list[str]:
    """URLs of scripts and style sheets that a page would still load from somewhere (for checks and tests)."""
    return [match.group("url") for pattern in (_SCRIPT_TAG, _STYLESHEET_TAG) for match in pattern.finditer(page)]


def _vendor_file(url: str) -> Path:
    """The vendored file behind an app URL such as /base/app/static/vendor/leaflet/leaflet.js."""
    marker = STATIC_URL_PREFIX + "/"
    if marker not in url or re.match(r"^[a-z][a-z0-9+.-]*://", url, re.I):
        raise ExportError(f"cannot inline {url!r}: not one of the app's vendored files")
    relative = PurePosixPath(url.split(marker, 1)[1].split("?", 1)[0])
    if ".." in relative.parts:
        raise ExportError(f"cannot inline {url!r}: path leaves the vendor folder")
    path = VENDOR_DIR / relative
    if not path.is_file():
        raise ExportError(f"{path} is missing; run `make setup` (it copies the npm packages to static/vendor)")
    return path


def _inline_script(url: str) -> str:
    code = _vendor_file(url).read_text(encoding="utf-8")
    # a literal "</script" inside the code would end the element early
    return "<script>" + code.replace("</script", "<\\/script") + "</script>"


def _inline_stylesheet(url: str) -> str:
    css_path = _vendor_file(url)
    css = _CSS_URL.sub(lambda match: _css_url_as_data(css_path, match.group("url")), css_path.read_text("utf-8"))
    return "<style>" + css.replace("</style", "<\\/style") + "</style>"


def _css_url_as_data(css_path: Path, url: str) -> str:
    if url.startswith(("data:", "#")):  # already inline, or an old-IE behaviour reference
        return f"url({url})"
    path = (css_path.parent / url).resolve()
    if not path.is_relative_to(VENDOR_DIR.resolve()) or not path.is_file():
        raise ExportError(f"{css_path.name} refers to {url!r}, which is not a vendored file")
    return f'url("{_data_uri(path)}")'


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _add_default_icon_images(page: str) -> str:
    images = VENDOR_DIR / "leaflet" / "images"
    names = {"icon": "marker-icon.png", "icon_2x": "marker-icon-2x.png", "shadow": "marker-shadow.png"}
    if not all((images / name).is_file() for name in names.values()):
        return page
    payloads = {key: base64.b64encode((images / name).read_bytes()).decode("ascii") for key, name in names.items()}
    # right after the head's scripts, before the map's own script creates any marker
    return page.replace("</head>", _DEFAULT_ICON_SCRIPT.format(**payloads) + "\n</head>", 1)


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
