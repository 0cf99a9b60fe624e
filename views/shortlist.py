"""The shortlist in the URL and session, its buttons, and the PDF downloads (exposé, print view).

The shortlist lives in the URL (`?sites=a,b,c`) and, as a canonical copy, in session state, like the
filter (views/filters.py): a URL value that differs from what this module last read or wrote wins (a
shared link); a page without it gets the session's shortlist written back, so the list survives page
changes and the language switch. The map and sites pages call `shortlist_controls` once.

PDFs are made when the visitor clicks (a callable download) and cached per data version in views/data.py.
"""

from __future__ import annotations

import functools
from urllib.parse import urlencode, urlsplit

import streamlit as st

from geo import store
from geo.core.paths import SITES_GPKG
from geo.expose.shortlist import (
    MAX_SHORTLIST,
    SHORTLIST_PARAM,
    added,
    is_full,
    parse_shortlist,
    removed,
    shortlist_param,
)
from geo.sites.filters import SiteFilter
from geo.texts import language_param, t
from views import data
from views.frame import ignored_values_text

SHORTLIST_KEY = "atlas_shortlist"
SHORTLIST_SYNCED_KEY = "atlas_shortlist_synced"
PDF_MEDIA_TYPE = "application/pdf"


# --- state ---------------------------------------------------------------------------------------------


def set_shortlist(site_ids) -> None:
    """Make `site_ids` the shortlist and put it into the URL. Safe inside widget callbacks."""
    site_ids = tuple(site_ids)[:MAX_SHORTLIST]
    st.session_state[SHORTLIST_KEY] = site_ids
    value = shortlist_param(site_ids)
    st.session_state[SHORTLIST_SYNCED_KEY] = [value] if value else []
    if value:
        if st.query_params.get(SHORTLIST_PARAM) != value:
            st.query_params[SHORTLIST_PARAM] = value
    elif SHORTLIST_PARAM in st.query_params:
        del st.query_params[SHORTLIST_PARAM]


def current_shortlist(lang: str) -> tuple[str, ...]:
    """The shortlist: from the URL when it names a new one (unknown ids reported), else the session's."""
    known = data.site_ids()  # cached per data version: no work per site on a rerun
    url_values = st.query_params.get_all(SHORTLIST_PARAM)
    if url_values and url_values != st.session_state.get(SHORTLIST_SYNCED_KEY):
        parsed = parse_shortlist(url_values, known, data.site_id_renames())
        if parsed.unknown:  # the ids are the link's text: escaped, duplicates merged, a few named
            ids = ignored_values_text(parsed.unknown, lang)
            st.warning(t("shortlist_unknown", lang, ids=ids), icon=":material/help:")
        if parsed.over_limit:
            st.warning(
                t("shortlist_over_limit", lang, max=MAX_SHORTLIST, ids=ignored_values_text(parsed.over_limit, lang))
            )
        set_shortlist(parsed.site_ids)
        return parsed.site_ids
    kept = tuple(site_id for site_id in st.session_state.get(SHORTLIST_KEY, ()) if site_id in known)
    set_shortlist(kept)
    return kept


def _toggle(site_id: str) -> None:
    current = st.session_state.get(SHORTLIST_KEY, ())
    set_shortlist(removed(current, site_id) if site_id in current else added(current, site_id))


def app_base_url() -> str:
    """The address this app is served at, as the visitor's browser sees it (for permalinks and QR codes)."""
    url = urlsplit(st.context.url or "")
    base_path = (st.get_option("server.baseUrlPath") or "").strip("/")
    if not url.scheme or not url.netloc:
        return ""
    return f"{url.scheme}://{url.netloc}" + (f"/{base_path}" if base_path else "")


# --- widgets -----------------------------------------------------------------------------------------------


def expose_button(
    site_ids,
    lang: str,
    file_stem: str,
    label_key: str = "expose_download",
    help_key: str = "expose_download_help",
    key: str | None = None,
) -> None:
    """A download button that makes the exposé PDF when clicked."""
    base_url = app_base_url()
    version = store.data_version(SITES_GPKG)
    ids = tuple(site_ids)
    st.download_button(
        t(label_key, lang),
        lambda: data.expose_pdf.at_version(version, ids, lang, base_url),
        file_name=f"{file_stem}-{lang}.pdf",
        mime=PDF_MEDIA_TYPE,
        help=t(help_key, lang),
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        key=key,
    )


def print_buttons(site_filter: SiteFilter, lang: str) -> None:
    """The print view of the map with the current filter, as A4 and A3 landscape PDFs."""
    version = store.data_version(SITES_GPKG)
    params = {param: values for param, values in site_filter.to_query_params().items()}
    params |= {name: [value] for name, value in language_param(lang).items()}
    link = f"{app_base_url()}/karte" + (f"?{urlencode(params, doseq=True)}" if params else "")
    with st.popover(t("print_heading", lang), icon=":material/print:"):
        st.caption(t("print_help", lang))
        for paper in ("A4", "A3"):
            st.download_button(
                t(f"print_{paper.lower()}", lang),
                functools.partial(data.print_pdf.at_version, version, site_filter, lang, paper, link),
                file_name=f"standortatlas-karte-{paper.lower()}-{lang}.pdf",
                mime=PDF_MEDIA_TYPE,
                icon=":material/print:",
                on_click="ignore",
                key=f"print_{paper}",
            )


def shortlist_controls(site_id: str | None, lang: str, site_filter: SiteFilter | None = None) -> None:
    """What the map and sites pages show about the shortlist: add or remove the chosen site, its exposé,
    the link to the comparison, and (with `site_filter`) the print view of the map."""
    shortlist = current_shortlist(lang)
    if site_id is not None:  # one below the other: the pages draw this in a narrow column
        on_list = site_id in shortlist
        full = is_full(shortlist) and not on_list
        st.button(
            t("shortlist_remove" if on_list else "shortlist_add", lang),
            on_click=_toggle,
            args=(site_id,),
            disabled=full,
            key="shortlist_toggle",
            icon=":material/bookmark_remove:" if on_list else ":material/bookmark_add:",
            help=t("shortlist_full", lang, max=MAX_SHORTLIST) if full else None,
        )
        expose_button([site_id], lang, f"expose-{site_id}", key="expose_site")
    if shortlist:
        query = {SHORTLIST_PARAM: shortlist_param(shortlist)} | language_param(lang)
        st.page_link(
            "views/vergleich.py",
            label=t("shortlist_compare_link", lang, count=len(shortlist)),
            icon=":material/compare:",
            query_params=query,
        )
    if site_filter is not None:
        print_buttons(site_filter, lang)
