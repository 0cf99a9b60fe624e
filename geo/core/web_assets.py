"""Leaflet and its plugins, served by the app itself instead of a CDN, and the map's own browser files.

`make` installs the npm packages pinned in package.json and calls ``python -m geo vendor``, which copies
the files the maps need into ``static/vendor/`` (and nothing else: test tools such as axe-core stay in
node_modules); Streamlit serves ``static/`` at ``/app/static/``. The map
(static/atlas_map/) loads exactly the files of MAP_STYLES and MAP_SCRIPTS, from there, so no page loads a
script or style sheet from a third-party host.
"""

from __future__ import annotations

import functools
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from geo.core.paths import PROJECT_ROOT, STATIC_DIR

NODE_MODULES = PROJECT_ROOT / "node_modules"
VENDOR_DIR = STATIC_DIR / "vendor"

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


# The atlas map's browser side (static/atlas_map/, see docs/map-engine.md) and the vendored libraries it
# loads, in load order, as paths below static/. The one list for the page's loader, the load hints of
# serve.py and the offline export.
MAP_STYLES: tuple[str, ...] = (
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet.markercluster/MarkerCluster.css",
    "vendor/leaflet.fullscreen/Control.FullScreen.css",
    "atlas_map/atlas_map.css",
)
MAP_SCRIPTS: tuple[str, ...] = (
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet.markercluster/leaflet.markercluster.js",
    "vendor/leaflet.fullscreen/Control.FullScreen.js",
    "atlas_map/polyline.js",
    "atlas_map/atlas_data.js",
    "atlas_map/atlas_layers.js",
    "atlas_map/atlas_sites.js",
    "atlas_map/atlas_controls.js",
    "atlas_map/atlas_map.js",
)
MAP_LOADER = "atlas_map/atlas_loader.js"
APP_STATIC_URL = "/app/static"


@functools.lru_cache(maxsize=1)
def map_assets_version() -> str:
    """A digest of the map's files: their URLs carry it, so a browser may keep them until they change."""
    digest = hashlib.sha256()
    for relative in (*MAP_STYLES, *MAP_SCRIPTS, MAP_LOADER):
        path = STATIC_DIR / relative
        digest.update(relative.encode("utf-8") + b"\0" + (path.read_bytes() if path.is_file() else b"missing"))
    return digest.hexdigest()[:12]


def _map_file_url(relative: str, base_path: str) -> str:
    """A map file below static/ as the page asks for it: under server.baseUrlPath, with the files' version."""
    prefix = f"/{base_path.strip('/')}" if base_path.strip("/") else ""
    return f"{prefix}{APP_STATIC_URL}/{relative}?v={map_assets_version()}"


def map_asset_urls(base_path: str = "") -> dict[str, list[str]]:
    """The map's style sheets and scripts as the page asks for them (base_path: server.baseUrlPath)."""
    return {
        kind: [_map_file_url(relative, base_path) for relative in files]
        for kind, files in (("styles", MAP_STYLES), ("scripts", MAP_SCRIPTS))
    }


# The map's data files as the pages last handed them to their maps (views.data.map_payload_urls notes them):
# serve.py names them in the next page it sends, so the browser fetches them while the server still runs
# the page's script. A process serves one data version at a time; a stale URL is only a wasted fetch.
_served_data_urls: dict[str, str] = {}


def note_map_data_urls(base_url: str, sites_url: str) -> None:
    """Remember the URLs of the map's data files that the pages give their maps now."""
    global _served_data_urls
    _served_data_urls = {"base": base_url, "sites": sites_url}  # one assignment: readers see old or new


def served_map_data_urls() -> dict[str, str]:
    """{"base": URL, "sites": URL} last given to a map in this process, empty before the first map."""
    return _served_data_urls


def map_loader_url(base_path: str = "") -> str:
    """The map's loader as a module the page may import before the map arrives (see atlas_loader.js)."""
    return _map_file_url(MAP_LOADER, base_path)


def json_in_script(value: object, **dumps_options: Any) -> str:
    """`value` as JSON (`json.dumps` with `dumps_options`) to put into a <script> element: no text in it can
    end the element."""
    return json.dumps(value, **dumps_options).replace("<", "\\u003c")


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
