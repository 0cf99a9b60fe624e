"""No network while a user's file is read.

GDAL follows references inside a file: a GeoJSON "crs" member of type "link" makes it fetch the address
(a request from the server to wherever the file points, and the answer becomes the coordinate system),
and /vsicurl/ paths read remote files. The importer refuses such members itself before GDAL sees the
file; these options are the second line: while they are set, every HTTP request GDAL makes goes to a
proxy address that cannot be connected to, /vsicurl/ accepts no file name, and PROJ fetches no grids.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import pyogrio

OFFLINE_GDAL_OPTIONS = {  # see the module's text
    "GDAL_HTTP_PROXY": "http://0.0.0.0:0",
    "GDAL_HTTPS_PROXY": "http://0.0.0.0:0",
    "GDAL_HTTP_TIMEOUT": "1",
    "GDAL_HTTP_CONNECTTIMEOUT": "1",
    "GDAL_HTTP_MAX_RETRY": "0",
    "CPL_VSIL_CURL_ALLOWED_FILENAME": "/network-access-is-switched-off-for-imports",
    "PROJ_NETWORK": "OFF",
}
_offline_lock = threading.Lock()
_offline_users = 0
_saved_options: dict[str, str | None] = {}


@contextlib.contextmanager
def gdal_offline() -> Iterator[None]:
    """Switch GDAL's network access off for the duration (counted, so parallel imports share it)."""
    global _offline_users
    with _offline_lock:
        if _offline_users == 0:
            _saved_options.update({name: pyogrio.get_gdal_config_option(name) for name in OFFLINE_GDAL_OPTIONS})
            pyogrio.set_gdal_config_options(OFFLINE_GDAL_OPTIONS)
        _offline_users += 1
    try:
        yield
    finally:
        with _offline_lock:
            _offline_users -= 1
            if _offline_users == 0:
                pyogrio.set_gdal_config_options(dict(_saved_options))
