"""The optional background map (tiles) — off by default, because loading tiles sends the visitor's
address to the tile server.

The visitor switches tiles on in the app; the default provider is OpenStreetMap's standard layer with
its required attribution. An operator can name another provider (e.g. a self-hosted tile server, which
keeps the requests in-house) through two environment variables:

    STANDORTATLAS_TILE_URL          e.g. https://tiles.example.org/{z}/{x}/{y}.png
    STANDORTATLAS_TILE_ATTRIBUTION  plain text, e.g. "© Example Tiles, data © OpenStreetMap contributors"
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

TILE_URL_ENV = "STANDORTATLAS_TILE_URL"
TILE_ATTRIBUTION_ENV = "STANDORTATLAS_TILE_ATTRIBUTION"

OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION_TEXT = "© OpenStreetMap contributors"
# Leaflet shows attribution as HTML; OSM asks for a link to its copyright page.
OSM_ATTRIBUTION_HTML = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
OSM_MAX_ZOOM = 19


@dataclass(frozen=True)
class TileSource:
    """A raster tile layer: URL template, attribution (plain text and the HTML Leaflet shows)."""

    url: str
    attribution_text: str
    attribution_html: str
    max_zoom: int = OSM_MAX_ZOOM
    operator_configured: bool = False

    @property
    def host(self) -> str:
        """The host the visitor's browser contacts once tiles are on (shown next to the switch)."""
        return urlsplit(self.url.replace("{s}", "a")).netloc

    @property
    def csp_source(self) -> str:
        """The tile server as a Content-Security-Policy source for img-src (the proxy's policy names it):
        `https://tile.openstreetmap.org`, or `https://*.tiles.example.org` for a `{s}` subdomain."""
        parts = urlsplit(self.url)
        source = f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"
        if not CSP_SOURCE.fullmatch(source):
            raise TileConfigError(f"the tile server {parts.netloc!r} cannot be named in a Content-Security-Policy")
        return source


# an https origin, a `*.` wildcard only in front: nothing that could end or extend the policy's directive
CSP_SOURCE = re.compile(r"https://(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?")

OSM_TILES = TileSource(OSM_TILE_URL, OSM_ATTRIBUTION_TEXT, OSM_ATTRIBUTION_HTML)


class TileConfigError(ValueError):
    """The operator's tile settings are incomplete or unsafe."""


def tile_source(environ: Mapping[str, str] | None = None) -> TileSource:
    """The operator's tile provider if configured, else OpenStreetMap's standard tiles.

    A configured URL needs an attribution (tile providers require one) and must be https with the
    {z}/{x}/{y} placeholders; the attribution is plain text and is escaped before Leaflet shows it.
    """
    environ = os.environ if environ is None else environ
    url = environ.get(TILE_URL_ENV, "").strip()
    if not url:
        return OSM_TILES
    attribution = environ.get(TILE_ATTRIBUTION_ENV, "").strip()
    if not attribution:
        raise TileConfigError(f"{TILE_URL_ENV} is set but {TILE_ATTRIBUTION_ENV} is empty")
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc:
        raise TileConfigError(f"{TILE_URL_ENV} must be an https URL, got {url!r}")
    if not all(placeholder in url for placeholder in ("{z}", "{x}", "{y}")):
        raise TileConfigError(f"{TILE_URL_ENV} needs the placeholders {{z}}, {{x}} and {{y}}")
    return TileSource(url, attribution, html.escape(attribution), operator_configured=True)
