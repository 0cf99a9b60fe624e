"""No network while a user's file is read.

GDAL follows references inside a file: a GeoJSON "crs" member of type "link" (at the top of the document,
or inside a feature or a geometry) makes it fetch the address, once per feature — a request from the
server to wherever the file points. The importer refuses every such member before GDAL sees the file;
this switch is the second line.

GDAL has no configuration option that turns its HTTP client off. Every one of its plain fetches (a CRS
link among them) goes through `CPLHTTPFetch`, which GDAL lets an application replace with a function of
its own (`CPLHTTPSetFetchCallback`, public C API since GDAL 3.2). While the switch is on, that function
answers every request with an error, so no connection is opened — whatever proxy settings or `no_proxy`
the environment has (curl skips a proxy for the hosts in `no_proxy`, which made a fake proxy no block).
While it is off, the function hands the request back to GDAL's own client. Beside it, configuration
options close the other doors: `/vsicurl/` accepts no file name and lists no folders, and neither GDAL's
PROJ nor pyproj's fetches grids.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pyogrio
import pyproj.network

log = logging.getLogger(__name__)

OFFLINE_GDAL_OPTIONS = {  # see the module's text
    "CPL_VSIL_CURL_ALLOWED_FILENAME": "/network-access-is-switched-off-for-imports",
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".network-access-is-switched-off-for-imports",
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
    "PROJ_NETWORK": "OFF",
}
REFUSED_STATUS = 1  # a CPLHTTPResult's nStatus: the request failed (no connection was made)
_RESULT_BYTES = 256  # more than sizeof(CPLHTTPResult) (nine members); GDAL frees it with CPLHTTPDestroyResult

_FETCH = ctypes.CFUNCTYPE(
    ctypes.c_void_p,  # CPLHTTPResult *, or NULL: "let GDAL's own client fetch it"
    ctypes.c_char_p,  # the address
    ctypes.c_void_p,  # options
    ctypes.c_void_p,  # progress function
    ctypes.c_void_p,  # its argument
    ctypes.c_void_p,  # write function
    ctypes.c_void_p,  # its argument
    ctypes.c_void_p,  # user data
)
_offline_lock = threading.Lock()
_offline_users = 0
_saved_options: dict[str, str | None] = {}
_refused_addresses: list[str] = []  # the addresses GDAL asked for while offline (newest last, a few kept)
_LOGGED_REFUSALS = 10  # a file that asks once per feature is logged by its first requests, not by 20,000 lines
_refusal_count = 0
_gdal: ctypes.CDLL | None = None
_callback = None  # the installed function; kept referenced, or ctypes would free it under GDAL


def _gdal_library() -> ctypes.CDLL:
    """GDAL as pyogrio loaded it (its wheel bundles the library; dlopen hands back the same copy)."""
    package = Path(pyogrio.__file__).resolve().parent
    candidates = sorted((package.parent / "pyogrio.libs").glob("libgdal*.so*")) or sorted(package.glob("libgdal*.so*"))
    library = ctypes.CDLL(str(candidates[0]) if candidates else "libgdal.so")
    library.CPLCalloc.restype = ctypes.c_void_p
    library.CPLCalloc.argtypes = [ctypes.c_size_t, ctypes.c_size_t]
    library.CPLHTTPSetFetchCallback.restype = None
    library.CPLHTTPSetFetchCallback.argtypes = [_FETCH, ctypes.c_void_p]
    return library


def _fetch(url: bytes | None, *_ignored: object) -> int | None:
    """GDAL's HTTP client, replaced: while offline, every request fails here without a connection."""
    if _offline_users == 0 or _gdal is None:
        return None  # not reading a user's file: GDAL's own client
    global _refusal_count
    address = (url or b"").decode("utf-8", "replace")[:200]
    _refused_addresses[:] = [*_refused_addresses[-9:], address]
    _refusal_count += 1
    if _refusal_count <= _LOGGED_REFUSALS:
        log.warning("GDAL asked for %s while reading a user's file; refused (network access is off)", address)
    result = _gdal.CPLCalloc(1, _RESULT_BYTES)
    ctypes.c_int.from_address(result).value = REFUSED_STATUS
    return result


def _install_fetch_switch() -> None:
    global _gdal, _callback
    if _callback is not None:
        return
    _gdal = _gdal_library()
    _callback = _FETCH(_fetch)
    _gdal.CPLHTTPSetFetchCallback(_callback, None)


def refused_addresses() -> list[str]:
    """The last addresses GDAL asked for while the switch was on (for logs and tests)."""
    return list(_refused_addresses)


@contextlib.contextmanager
def gdal_offline() -> Iterator[None]:
    """Switch GDAL's network access off for the duration (counted, so parallel imports share it)."""
    global _offline_users
    with _offline_lock:
        if _offline_users == 0:
            _install_fetch_switch()
            _saved_options.update({name: pyogrio.get_gdal_config_option(name) for name in OFFLINE_GDAL_OPTIONS})
            pyogrio.set_gdal_config_options(OFFLINE_GDAL_OPTIONS)
            _saved_options["pyproj"] = "ON" if pyproj.network.is_network_enabled() else "OFF"
            pyproj.network.set_network_enabled(False)
        _offline_users += 1
    try:
        yield
    finally:
        with _offline_lock:
            _offline_users -= 1
            if _offline_users == 0:
                pyproj.network.set_network_enabled(_saved_options.pop("pyproj") == "ON")
                pyogrio.set_gdal_config_options(dict(_saved_options))
                _saved_options.clear()
