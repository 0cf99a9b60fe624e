"""Staff page `pflege`: add or correct sites from a file, review, apply, undo.

app.py lists this page only when a steward password is configured; the page checks that again and asks
for the password itself, so its script stops before anything else for whoever is not logged in. Each
step calls the same geo/ code as the command line (`python -m geo validate | import | history | undo`).
"""

from __future__ import annotations

import hashlib
import math
import tempfile
from pathlib import Path

import pandas as pd
import pyogrio
import streamlit as st

from geo import store
from geo.core.formatting import format_number
from geo.imports import importer
from geo.imports import worker as import_worker
from geo.imports.formats import names_text, suffixes_text, upload_types
from geo.store import health as data_health
from geo.texts import t
from views.data import stored_sites
from views.frame import current_language, stewardship_enabled
from views.pflege_figures import show_figures_import
from views.steward_versions import show_versions
from views.stewardship import (
    DIFF,
    LOG,
    MEGABYTE,
    REVIEW,
    UPLOAD_ROUND,
    log_out,
    logged_in,
    login_form,
    plain,
    reference_path,
    set_notice,
    show_notice,
    show_table,
    sites_path,
)

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


# --- where the data is --------------------------------------------------------------------------------


# --- access -------------------------------------------------------------------------------------------


# --- notices: what an action did, shown on the run after its callback -------------------------------


# --- actions (button callbacks: they run before the page is drawn again) ------------------------------


def apply_changes(result: importer.ImportResult, replace: bool, reviewed_version: str, path: Path) -> None:
    try:
        # reviewed_version: what the steward saw is what gets written; a write in between is refused
        applied = importer.apply_import(result, path, replace=replace, expected_version=reviewed_version)
    except store.StaleData:
        set_notice("warning", "steward_stale")
    except store.StoreBusy:
        set_notice("error", "steward_busy")
    except store.StoreReadOnly:
        LOG.warning("the data folder of %s is read-only", path, exc_info=True)
        set_notice("error", "steward_read_only", folder=plain(str(path.parent)))
    except importer.ImportRefused as refused:
        set_notice("error", "steward_refused", count=len(refused.problems))
    except Exception:
        LOG.exception("applying an import to %s failed", path)
        set_notice("error", "steward_store_error")
    else:
        if not applied.written:
            set_notice("info", "steward_nothing_written")
            return
        counts = applied.diff.counts()
        set_notice(
            "success",
            "steward_applied",
            undo_version=applied.data_version,
            new=counts["new"],
            changed=counts["changed"],
            removed=counts["removed"],
            sites=len(applied.diff.result),
        )
        # a fresh, empty uploader: the file is done, and a second click cannot apply it again
        st.session_state[UPLOAD_ROUND] = st.session_state.get(UPLOAD_ROUND, 0) + 1
        st.session_state.pop(REVIEW, None)
        st.session_state.pop(DIFF, None)


# --- import: upload, options, report, changes, apply ---------------------------------------------------


def show_import(lang: str, path: Path) -> None:
    st.header(t("steward_step_upload", lang))  # h2: the page title is the only h1
    limit_mb = max(1, math.ceil(importer.max_upload_bytes() / MEGABYTE))
    uploaded = st.file_uploader(
        t("steward_upload", lang, formats=names_text(lang)),
        type=upload_types(),
        key=f"steward_upload_{st.session_state.get(UPLOAD_ROUND, 0)}",
        max_upload_size=limit_mb,
        help=t("steward_upload_help", lang, limit=format_number(limit_mb, lang), suffixes=suffixes_text(lang)),
    )
    if uploaded is None:
        st.caption(t("steward_upload_hint", lang))
        return
    review = review_upload(uploaded.getvalue(), uploaded.name, lang)
    if review is None:
        return
    review_key, result = review
    st.header(t("steward_step_report", lang))
    show_report(result, lang)
    st.header(t("steward_step_diff", lang))
    show_changes(review_key, result, lang, path)


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
        bar = st.progress(0.0, text=t("steward_reading", lang))

        def show_progress(done: int, total: int) -> None:
            bar.progress(
                done / total if total else 1.0,
                text=t("steward_checking_rows", lang, done=format_number(done, lang), total=format_number(total, lang)),
            )

        try:
            # a large file is checked in a process of its own: the server stays quick for other visitors
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
        st.session_state[REVIEW] = (review_key, result)
    needs_crs = "crs" not in result.source and not result.ok
    if name.lower().endswith(".csv") or needs_crs or crs_choice:
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
    """Layer names of an uploaded GeoPackage; [] when it is none (the importer then says why)."""
    with tempfile.TemporaryDirectory(prefix="standortatlas-layers-") as folder:
        path = Path(folder) / "upload.gpkg"
        path.write_bytes(data)
        try:
            return [str(layer) for layer, _ in pyogrio.list_layers(path)]
        except Exception:
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
        show_table(problem_table(result.problems, lang))
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


def show_changes(review_key: tuple, result: importer.ImportResult, lang: str, path: Path) -> None:
    diff, version, replace = None, None, False
    if not result.ok:
        st.info(t("steward_fix_errors_first", lang))
    else:
        version = store.data_version(path)
        replace = st.checkbox(
            t("steward_replace", lang), key=f"steward_replace_{review_key[0]}", help=t("steward_replace_help", lang)
        )
        diff = diff_for(review_key, result, replace, version, path)
        for note in diff.notes:  # e.g. distances to airport, station and city that could not be computed
            st.warning(plain(note.message(lang)))
        counts = diff.counts()
        for column, change in zip(st.columns(len(COUNTED_CHANGES)), COUNTED_CHANGES, strict=True):
            column.metric(t(f"steward_count_{change}", lang), format_number(counts[change], lang))
        if diff.removed:
            st.warning(t("steward_replace_warning", lang, count=format_number(len(diff.removed), lang)))
        if counts["kept_absent"]:
            st.caption(t("steward_kept_absent", lang, count=format_number(counts["kept_absent"], lang)))
        if diff.has_changes:
            show_table(change_table(diff, lang))
        else:
            st.info(t("steward_no_changes", lang))
    st.button(
        t("steward_apply", lang),
        key="steward_apply",
        type="primary",
        disabled=diff is None or not diff.has_changes,
        help=t("steward_apply_help", lang),
        on_click=apply_changes,
        args=(result, replace, version, path),
    )


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


def change_table(diff: importer.SiteDiff, lang: str) -> pd.DataFrame:
    table = diff.to_table()
    table["change"] = [t(f"steward_change_{change}", lang) for change in table["change"]]
    return table.rename(columns={column: t(f"steward_col_{column}", lang) for column in table.columns})


# --- versions, undo, restore --------------------------------------------------------------------------


# --- the page -----------------------------------------------------------------------------------------

lang = current_language()
title_column, logout_column = st.columns([3, 1], vertical_alignment="bottom")
title_column.title(t("nav_stewardship", lang))
if not stewardship_enabled():
    st.error(t("steward_disabled", lang))
    st.stop()
if not logged_in():
    login_form(lang)
    st.stop()
if logout_column.container(horizontal_alignment="right").button(
    t("steward_logout", lang), key="steward_logout", icon=":material/logout:"
):
    log_out()

path = sites_path()
show_notice(lang, path)
st.caption(t("steward_intro", lang))
# a key and state tracking keep the chosen tab when an action's notice appears above the tabs
import_tab, figures_tab, versions_tab = st.tabs(
    [t("steward_tab_import", lang), t("steward_tab_figures", lang), t("steward_tab_versions", lang)],
    key="steward_tab",
    on_change="rerun",
)
with import_tab:
    if data_health.data_problems(path, reference_path()):
        st.info(t("steward_fix_data_first", lang))
    else:
        show_import(lang, path)
with figures_tab:
    if data_health.data_problems(path, reference_path()):
        st.info(t("steward_fix_data_first", lang))
    else:
        show_figures_import(lang, path, reference_path(), set_notice)
with versions_tab:
    show_versions(lang, path)
