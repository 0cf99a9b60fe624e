"""Staff page, tab "Import": upload → validation report → changes (new sites with every field and a small
map of their points) → apply (editors) or submit as a proposal (partners). Each step calls the same geo/
code as the command line (`python -m geo validate | import`); writes go through geo.imports.workflow.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import math
import sqlite3
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import store
from geo.core.formatting import format_number
from geo.core.values import escape_text
from geo.expose.map_drawing import drawing_svg, shortlist_map
from geo.imports import audit, geopackage, importer, workflow
from geo.imports import worker as import_worker
from geo.imports.formats import names_text, suffixes_text, upload_types
from geo.store.accounts import Account
from geo.texts import t
from views.data import pdf_map_base, stored_sites
from views.pflege_common import plain, reference_path, set_notice, sites_path
from views.pflege_outcomes import write_refused
from views.tables import show_frame

LOG = logging.getLogger(__name__)
MEGABYTE = 1024 * 1024
# Offered for x/y columns; any other EPSG code can be typed. Names are the registry's, not translated.
COMMON_CRS = {
    "25833": "ETRS89 / UTM 33N",
    "25832": "ETRS89 / UTM 32N",
    "4326": "WGS 84 (lon/lat)",
    "31468": "DHDN / Gauß-Krüger 4",
    "31469": "DHDN / Gauß-Krüger 5",
    "3035": "ETRS89 / LAEA Europe",
}
SOURCE_DETAILS = ("format", "layer", "encoding", "delimiter", "crs", "rows")
COUNTED_CHANGES = ("new", "changed", "removed", "unchanged")
NEW_SITES_IN_DETAIL = 50  # every field of at most this many new sites; more are listed by name
NEW_POINTS_ON_MAP = 200
MAP_WIDTH, MAP_HEIGHT = 520, 360

REVIEW = "steward_review"
DIFF = "steward_diff"
UPLOAD_ROUND = "steward_upload_round"


# --- actions (button callbacks: they run before the page is drawn again) ------------------------------


def apply_changes(
    result: importer.ImportResult, replace: bool, reviewed_version: str, path: Path, actor: Account
) -> None:
    # reviewed_version: what the steward saw is what gets written; a write in between is refused
    with write_refused(path, "applying an import"):
        outcome = workflow.apply(result, path, actor, replace=replace, expected_version=reviewed_version)
        if not outcome.written or outcome.diff is None:
            set_notice("info", "steward_nothing_written")
            return
        counts = outcome.diff.counts()
        set_notice(
            "success",
            "steward_applied",
            undo_version=outcome.data_version,
            new=counts["new"],
            changed=counts["changed"],
            removed=counts["removed"],
            sites=len(outcome.diff.result),
        )
        _fresh_uploader()


def submit_proposal(result: importer.ImportResult, replace: bool, name: str, path: Path, actor: Account) -> None:
    with write_refused(path, "storing a proposal"):
        proposal = workflow.propose(result, path, actor, replace=replace, label=name)
        set_notice("success", "steward_proposal_stored", number=proposal.proposal_id)
        _fresh_uploader()


def _fresh_uploader() -> None:
    """A fresh, empty uploader: the file is done, and a second click cannot submit it again."""
    st.session_state[UPLOAD_ROUND] = st.session_state.get(UPLOAD_ROUND, 0) + 1
    st.session_state.pop(REVIEW, None)
    st.session_state.pop(DIFF, None)


# --- the steps ------------------------------------------------------------------------------------------


def show_import(lang: str, path: Path, actor: Account) -> None:
    st.header(t("steward_step_upload", lang))
    limit_mb = max(1, math.ceil(importer.max_upload_bytes() / MEGABYTE))
    uploaded = st.file_uploader(
        t("steward_upload", lang, formats=names_text(lang)),
        type=upload_types(),
        key=f"steward_upload_{st.session_state.get(UPLOAD_ROUND, 0)}",
        max_upload_size=limit_mb,
        help=t("steward_upload_help", lang, limit=format_number(limit_mb, lang), suffixes=suffixes_text(lang)),
    )
    if uploaded is None:
        st.caption(t("steward_upload_hint" if actor.may("apply") else "steward_upload_hint_partner", lang))
        return
    review = review_upload(uploaded.getvalue(), uploaded.name, lang)
    if review is None:
        return
    review_key, result = review
    st.header(t("steward_step_report", lang))
    show_report(result, lang)
    st.header(t("steward_step_diff", lang))
    show_changes(review_key, result, lang, path, actor)


def review_upload(data: bytes, name: str, lang: str) -> tuple[tuple, importer.ImportResult] | None:
    """Options for the file (layer, CRS) and its validation, read once per file and choice of options."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    layer = choose_layer(data, name, digest, lang)
    crs_key = f"steward_crs_{digest}"
    crs_choice = st.session_state.get(crs_key)
    crs_code = None
    if crs_choice:
        try:
            crs_code = str(importer.parse_crs(crs_choice).to_epsg())
        except ValueError:
            crs_code = None
    review_key = (digest, name, layer, crs_code)
    cached = st.session_state.get(REVIEW)
    if cached is not None and cached[0] == review_key:
        result = cached[1]
    else:
        result = _checked(data, name, layer, crs_code, lang)
        if result is None:
            return None
        st.session_state[REVIEW] = (review_key, result)
    # only a file whose coordinates need a reference system gets the choice (x/y columns without one, or
    # a choice made before); lat/lon columns and geometries declare theirs
    needs_crs = "crs" not in result.source and not result.ok
    if needs_crs or crs_choice:
        st.selectbox(
            t("steward_crs", lang),
            list(COMMON_CRS),
            index=None,
            key=crs_key,
            accept_new_options=True,
            format_func=crs_label,
            placeholder=t("steward_crs_placeholder", lang),
            help=t("steward_crs_help", lang),
        )
        if crs_choice and crs_code is None:
            st.error(t("steward_crs_unknown", lang, code=plain(str(crs_choice))))
    return review_key, result


def _checked(
    data: bytes, name: str, layer: str | None, crs_code: str | None, lang: str
) -> importer.ImportResult | None:
    bar = st.progress(0.0, text=t("steward_reading", lang))

    def show_progress(done: int, total: int) -> None:
        bar.progress(
            done / total if total else 1.0,
            text=t("steward_checking_rows", lang, done=format_number(done, lang), total=format_number(total, lang)),
        )

    try:
        # every file is checked in a process of its own within the time and memory limits (a small one
        # can compute without end), and the server stays quick for other visitors
        result = import_worker.check_upload(
            data,
            name,
            layer=layer,
            crs=crs_code,
            reference_path=reference_path(),
            sites_path=sites_path(),
            surface="page",
            progress=show_progress,
        )
    except Exception:  # read_user_file reports bad files as problems; this is for the unforeseen
        LOG.exception("checking the upload %r failed", name)
        bar.empty()
        st.error(t("steward_read_failed", lang))
        return None
    bar.empty()
    return result


def choose_layer(data: bytes, name: str, digest: str, lang: str) -> str | None:
    if not name.lower().endswith(".gpkg"):
        return None
    layers_key = f"steward_layers_{digest}"
    if layers_key not in st.session_state:
        st.session_state[layers_key] = geopackage_layers(data)
    layers = st.session_state[layers_key]
    if len(layers) < 2:
        return None  # one layer (or none: the importer explains) needs no choice
    default = layers.index("sites") if "sites" in layers else 0  # as the importer and the CLI choose
    return st.selectbox(
        t("steward_layer", lang),
        layers,
        index=default,
        key=f"steward_layer_{digest}",
        help=t("steward_layer_help", lang),
    )


def geopackage_layers(data: bytes) -> list[str]:
    """The feature tables of an uploaded GeoPackage, read with SQLite within a time limit (a view or a
    table that computes is never offered: GDAL could compute it without end); [] when there is none (the
    importer then says why)."""
    with tempfile.TemporaryDirectory(prefix="standortatlas-layers-") as folder:
        path = Path(folder) / "upload.gpkg"
        path.write_bytes(data)
        try:
            return list(geopackage.layers(path).tables)
        except sqlite3.Error:
            return []


def crs_label(code: str) -> str:
    name = COMMON_CRS.get(str(code))
    return f"EPSG:{code} – {name}" if name else str(code)


def show_report(result: importer.ImportResult, lang: str) -> None:
    details = " · ".join(
        f"{t(f'steward_source_{key}', lang)} {plain(str(value))}"
        for key, value in result.source.items()
        if key in SOURCE_DETAILS
    )
    if details:
        st.caption(t("steward_source", lang, details=details))
    errors, warnings = len(result.errors), len(result.warnings)
    if errors:
        st.error(
            t("steward_report_errors", lang, errors=format_number(errors, lang), warnings=format_number(warnings, lang))
        )
    else:
        st.success(
            t(
                "steward_report_valid",
                lang,
                sites=format_number(len(result.sites), lang),
                warnings=format_number(warnings, lang),
            )
        )
    if result.problems:
        show_frame(problem_table(result.problems, lang))
        st.caption(t("steward_row_help", lang))


def problem_table(problems: list[importer.Problem], lang: str) -> pd.DataFrame:
    # errors before warnings; within each, problems of the whole file first, then by row
    ordered = sorted(problems, key=lambda p: (p.severity != importer.ERROR, p.row is not None, p.row or 0))
    return pd.DataFrame(
        {
            t("steward_col_severity", lang): [
                t("steward_severity_error" if p.severity == importer.ERROR else "steward_severity_warning", lang)
                for p in ordered
            ],
            t("steward_col_row", lang): ["" if p.row is None else str(p.row) for p in ordered],
            t("steward_col_field", lang): [p.field or "" for p in ordered],
            t("steward_col_message", lang): [p.message(lang) for p in ordered],
        }
    )


def show_changes(review_key: tuple, result: importer.ImportResult, lang: str, path: Path, actor: Account) -> None:
    diff, version, replace = None, None, False
    if not result.ok:
        st.info(t("steward_fix_errors_first", lang))
    else:
        version = store.data_version(path)
        replace = st.checkbox(
            t("steward_replace", lang), key=f"steward_replace_{review_key[0]}", help=t("steward_replace_help", lang)
        )
        diff = diff_for(review_key, result, replace, version, path)
        show_diff(diff, lang, path)
    if actor.may("apply"):
        st.button(
            t("steward_apply", lang),
            key="steward_apply",
            type="primary",
            disabled=diff is None or not diff.has_changes,
            help=t("steward_apply_help", lang),
            on_click=apply_changes,
            args=(result, replace, version, path, actor),
        )
    else:
        st.button(
            t("steward_propose", lang),
            key="steward_propose",
            type="primary",
            disabled=diff is None or not diff.has_changes,
            help=t("steward_propose_help", lang),
            on_click=submit_proposal,
            args=(result, replace, review_key[1], path, actor),
        )


def show_diff(diff: importer.SiteDiff, lang: str, path: Path, current: gpd.GeoDataFrame | None = None) -> None:
    """Counts, warnings, the table of every change (a new site with every field it has) and a small map
    of the new sites' points; also what the review of a proposal shows."""
    for note in diff.notes:  # e.g. distances to airport, station and city that could not be computed
        st.warning(plain(note.message(lang)))
    counts = diff.counts()
    for column, change in zip(st.columns(len(COUNTED_CHANGES)), COUNTED_CHANGES, strict=True):
        column.metric(t(f"steward_count_{change}", lang), format_number(counts[change], lang))
    if diff.removed:
        st.warning(t("steward_replace_warning", lang, count=format_number(len(diff.removed), lang)))
    if counts["kept_absent"]:
        st.caption(t("steward_kept_absent", lang, count=format_number(counts["kept_absent"], lang)))
    if not diff.has_changes:
        st.info(t("steward_no_changes", lang))
        return
    live = stored_sites(str(path), store.data_version(path)) if current is None else current
    show_frame(change_table(diff, live, lang))
    if diff.new:
        new_points_map(diff, lang)


def diff_for(
    review_key: tuple, result: importer.ImportResult, replace: bool, version: str, path: Path
) -> importer.SiteDiff:
    """The comparison with the live data, renewed when the file, the replace choice or the data change."""
    key = (review_key, replace, version, str(path))
    cached = st.session_state.get(DIFF)
    if cached is not None and cached[0] == key:
        return cached[1]
    diff = importer.diff_sites(
        stored_sites(str(path), version), result, replace=replace, current_facts=store.live_facts(path)
    )
    st.session_state[DIFF] = (key, diff)
    return diff


def change_table(diff: importer.SiteDiff, live: gpd.GeoDataFrame, lang: str) -> pd.DataFrame:
    table = audit.review_table(diff, live, new_in_detail=NEW_SITES_IN_DETAIL)
    table["change"] = [t(f"steward_change_{change}", lang) for change in table["change"]]
    return table.rename(columns={column: t(f"steward_col_{column}", lang) for column in table.columns})


def new_points_map(diff: importer.SiteDiff, lang: str) -> None:
    """The new sites' points on a small map drawn on the server (borders, no tiles), numbered as listed."""
    new_sites = diff.result[diff.result["site_id"].isin(diff.new[:NEW_POINTS_ON_MAP])]
    if new_sites.empty or new_sites.geometry.is_empty.all():
        return
    st.caption(t("steward_new_map_caption", lang, count=format_number(len(new_sites), lang)))
    svg = drawing_svg(shortlist_map(pdf_map_base(), new_sites, MAP_WIDTH, MAP_HEIGHT, lang, min_span_m=20_000))
    numbered = ", ".join(f"{number} {name}" for number, name in enumerate(new_sites["name"].astype(str), start=1))
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    st.html(
        f'<img src="data:image/svg+xml;base64,{encoded}" width="{MAP_WIDTH}" height="{MAP_HEIGHT}" '
        f'style="max-width:100%;height:auto" alt="{escape_text(t("steward_new_map_alt", lang, sites=numbered))}">'
    )
