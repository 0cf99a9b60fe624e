"""Leaflet and its plugins, served by the app itself instead of a CDN.

`make` installs the npm packages pinned in package.json and calls ``python -m geo vendor``, which copies
the files the maps need into ``static/vendor/`` (and nothing else: test tools such as axe-core stay in
node_modules); Streamlit serves that folder at ``/app/static/``.
`localize` then points every folium element at those local URLs and refuses to leave any other URL in
place, so a map can never quietly load a script or style sheet from a third-party host.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import branca.element
import folium

from geo.core.paths import PROJECT_ROOT, STATIC_DIR

NODE_MODULES = PROJECT_ROOT / "node_modules"
VENDOR_DIR = STATIC_DIR / "vendor"
STATIC_URL_PREFIX = "/app/static/vendor"

# folium's resource names -> file below static/vendor/. None drops a resource the atlas's maps do not use
# (jQuery, Bootstrap and the awesome-markers fonts: markers are drawn as inline SVG instead).
FOLIUM_RESOURCES: dict[str, str | None] = {
    "leaflet": "leaflet/leaflet.js",
    "leaflet_css": "leaflet/leaflet.css",
    "jquery": None,
    "bootstrap": None,
    "bootstrap_css": None,
    "glyphicons_css": None,
    "awesome_markers": None,
    "awesome_markers_font_css": None,
    "awesome_markers_css": None,
    "awesome_rotate_css": None,
    "markerclusterjs": "leaflet.markercluster/leaflet.markercluster.js",
    "markerclustercss": "leaflet.markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "leaflet.markercluster/MarkerCluster.Default.css",
    "Control.Fullscreen.js": "leaflet.fullscreen/Control.FullScreen.js",
    "Control.FullScreen.css": "leaflet.fullscreen/Control.FullScreen.css",
}

# npm package file -> file below static/vendor/ (images are referenced relatively by the CSS).
VENDOR_FILES: dict[str, str] = {
    "leaflet/dist/leaflet.js": "leaflet/leaflet.js",
    "leaflet/dist/leaflet.css": "leaflet/leaflet.css",
    "leaflet/dist/images/layers.png": "leaflet/images/layers.png",
    "leaflet/dist/images/layers-2x.png": "leaflet/images/layers-2x.png",
    "leaflet/dist/images/marker-icon.png": "leaflet/images/marker-icon.png",
    "leaflet/dist/images/marker-icon-2x.png": "leaflet/images/marker-icon-2x.png",
    "leaflet/dist/images/marker-shadow.png": "leaflet/images/marker-shadow.png",
    "leaflet.markercluster/dist/leaflet.markercluster.js": "leaflet.markercluster/leaflet.markercluster.js",
    "leaflet.markercluster/dist/MarkerCluster.css": "leaflet.markercluster/MarkerCluster.css",
    "leaflet.markercluster/dist/MarkerCluster.Default.css": "leaflet.markercluster/MarkerCluster.Default.css",
    "leaflet.fullscreen/Control.FullScreen.js": "leaflet.fullscreen/Control.FullScreen.js",
    "leaflet.fullscreen/Control.FullScreen.css": "leaflet.fullscreen/Control.FullScreen.css",
    "leaflet.fullscreen/icon-fullscreen.svg": "leaflet.fullscreen/icon-fullscreen.svg",
}


class UnknownWebResource(ValueError):
    """A folium element wants a resource that the app does not serve itself."""


def copy_vendor_files(node_modules: Path = NODE_MODULES, vendor_dir: Path = VENDOR_DIR) -> list[Path]:
    """Copy the pinned npm files into static/vendor/ (run by the set-up)."""
    missing = [name for name in VENDOR_FILES if not (node_modules / name).exists()]
    if missing:
        raise FileNotFoundError(
            "npm packages are not installed (run `npm ci` in the project folder); missing: " + ", ".join(missing)
        )
    written = []
    for source_name, target_name in VENDOR_FILES.items():
        target = vendor_dir / target_name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(node_modules / source_name, target)
        written.append(target)
    _remove_unlisted(vendor_dir, set(written))
    return written


def _remove_unlisted(vendor_dir: Path, listed: set[Path]) -> None:
    """Everything in static/vendor/ is served to every visitor: what is not listed (a library dropped from
    VENDOR_FILES, such as the accessibility test's axe-core, which the tests now inject themselves) goes.
    Hidden files (the set-up's `.installed` stamp) stay."""
    for path in sorted(vendor_dir.rglob("*"), reverse=True):  # files before the folders that hold them
        if path.name.startswith("."):
            continue
        if path.is_file() and path not in listed:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def local_url(relative: str, base_path: str = "") -> str:
    """URL of a vendored file as the browser asks for it (base_path = Streamlit's server.baseUrlPath)."""
    prefix = f"/{base_path.strip('/')}" if base_path.strip("/") else ""
    return f"{prefix}{STATIC_URL_PREFIX}/{relative}"


def _localized(resources: list[tuple[str, str]], base_path: str) -> list[tuple[str, str]]:
    localized = []
    for name, _cdn_url in resources:
        if name not in FOLIUM_RESOURCES:
            raise UnknownWebResource(
                f"folium resource {name!r} has no local copy; add it to package.json and FOLIUM_RESOURCES"
            )
        relative = FOLIUM_RESOURCES[name]
        if relative is not None:
            localized.append((name, local_url(relative, base_path)))
    return localized


def iter_elements(element: branca.element.Element):
    yield element
    for child in element._children.values():
        yield from iter_elements(child)


def localize(folium_map: folium.Map, base_path: str = "") -> folium.Map:
    """Point every element of `folium_map` at the app's own copies of Leaflet and its plugins."""
    for element in iter_elements(folium_map):
        if hasattr(element, "default_js"):
            element.default_js = _localized(element.default_js, base_path)
        if hasattr(element, "default_css"):
            element.default_css = _localized(element.default_css, base_path)
    return folium_map
