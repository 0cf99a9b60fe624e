"""Staff page `pflege`: add or correct sites from a file, review, apply, undo.

app.py lists this page only when a steward password is configured; the page checks that again and asks
for the password itself, so its script stops before anything else for whoever is not logged in. Each
step calls the same geo/ code as the command line (`python -m geo validate | import | history | undo`).
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pyogrio
import streamlit as st

from geo import store
from geo.core.formatting import format_date, format_number
from geo.core.paths import REFERENCE_GPKG, SITES_GPKG
from geo.imports import auth, importer
from geo.imports import worker as import_worker
from geo.store import health as data_health
from geo.texts import t
from views.data import kept_versions, stored_sites
from views.frame import current_language, stewardship_enabled

LOG = logging.getLogger(__name__)
DATA_DIR_ENV = "STANDORTATLAS_DATA_DIR"  # the variable geo.core.paths reads at import, read here per call
LOCAL_TIME = ZoneInfo("Europe/Berlin")
UPLOAD_TYPES = ["gpkg", "geojson", "json", "csv"]
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
TABLE_ROWS_IN_FULL = 20
TABLE_HEIGHT = 560
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$:&])")

# Session keys. A login leaves only the boolean LOGGED_IN behind: the password is never stored.
LOGGED_IN = "steward_logged_in"
NOTICE = "steward_notice"
REVIEW = "steward_review"
DIFF = "steward_diff"
UPLOAD_ROUND = "steward_upload_round"


# --- where the data is --------------------------------------------------------------------------------


def data_dir() -> Path:
    """Read at call time, not at import, so tests and a staging set-up can point the page at a copy."""
    configured = os.environ.get(DATA_DIR_ENV)
    return Path(configured) if configured else SITES_GPKG.parent


def sites_path() -> Path:
    return data_dir() / SITES_GPKG.name


def reference_path() -> Path:
    return data_dir() / REFERENCE_GPKG.name


# --- access -------------------------------------------------------------------------------------------


def secret(name: str) -> object:
    try:
        return st.secrets.get(name)
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return None


def identity_login_configured() -> bool:
    """Streamlit's OIDC login (st.login) is offered when [auth] and a steward e-mail list are configured."""
    return bool(secret("auth")) and bool(secret(auth.STEWARD_EMAILS_SECRET))


def signed_in_with_identity_provider() -> bool:
    if not identity_login_configured():
        return False
    return st.user.get("is_logged_in") is True and auth.email_allowed(
        st.user.get("email"), secret(auth.STEWARD_EMAILS_SECRET)
    )


def logged_in() -> bool:
    return st.session_state.get(LOGGED_IN) is True or signed_in_with_identity_provider()


def login_form(lang: str) -> None:
    st.write(t("steward_login_intro", lang))
    column, _ = st.columns([2, 3])
    # clear_on_submit: the typed password does not linger in the widget state after the check
    with column.form("steward_login", clear_on_submit=True):
        password = st.text_input(t("steward_password", lang), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(t("steward_login", lang), type="primary")
    if submitted:
        expected = auth.configured_password(secret(auth.PASSWORD_SECRET))
        # the throttle holds every attempt for its turn first, the right one too, then compares
        attempt = auth.LOGIN_THROTTLE.attempt(client_address(), lambda: auth.password_matches(password, expected))
        if attempt.matched:
            st.session_state[LOGGED_IN] = True
            st.rerun()
        if attempt.locked_until is not None:
            until = datetime.fromtimestamp(attempt.locked_until, tz=UTC)
            column.error(t("steward_locked_out", lang, until=local_time(until, lang)))
        else:
            column.error(t("steward_wrong_password", lang))
    if identity_login_configured():
        if st.user.get("is_logged_in"):
            column.warning(t("steward_oidc_not_allowed", lang, email=plain(str(st.user.get("email") or "?"))))
        elif column.button(t("steward_login_oidc", lang)):
            try:
                st.login()
            except Exception:  # e.g. Authlib missing or [auth] incomplete: a message, not a traceback
                LOG.exception("OIDC login could not start")
                column.error(t("steward_login_failed", lang))


def client_address() -> str:
    """The visitor's address as the server sees it (the proxy's, behind one; the overall delay of the
    throttle covers guesses from changing addresses)."""
    try:
        address = st.context.ip_address
    except Exception:  # no request context (scripts)
        address = None
    return address if isinstance(address, str) and address else "unknown"


def log_out() -> None:
    identity = signed_in_with_identity_provider()
    for key in [key for key in st.session_state if str(key).startswith("steward_")]:
        del st.session_state[key]
    if identity:
        st.logout()
    st.rerun()


# --- notices: what an action did, shown on the run after its callback -------------------------------


def set_notice(kind: str, key: str, undo_version: str | None = None, **values: object) -> None:
    st.session_state[NOTICE] = {"kind": kind, "key": key, "values": values, "undo_version": undo_version}


def show_notice(lang: str, path: Path) -> None:
    notice = st.session_state.pop(NOTICE, None)
    if notice is None:
        return
    values = {name: shown(value, lang) for name, value in notice["values"].items()}
    getattr(st, notice["kind"])(t(notice["key"], lang, **values))
    if notice["undo_version"]:
        st.button(
            t("steward_undo_this", lang),
            key="steward_undo_import",
            on_click=undo_last,
            args=(path, notice["undo_version"]),
        )


def shown(value: object, lang: str) -> str:
    if isinstance(value, datetime):
        return local_time(value, lang)
    if isinstance(value, int):
        return format_number(value, lang)
    if value is None:
        return t("steward_unknown_count", lang)
    return str(value)


def local_time(moment: datetime, lang: str) -> str:
    local = moment.astimezone(LOCAL_TIME)
    return f"{format_date(local.date(), lang)} {local:%H:%M:%S}"


def plain(text: str) -> str:
    """Data shown inside Markdown (captions, alerts): every Markdown character escaped, so it stays text."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


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


def undo_last(path: Path, expected_version: str) -> None:
    try:
        version = store.undo(path, expected_version=expected_version)
    except store.NothingToUndo:
        set_notice("warning", "steward_nothing_to_undo")
    except store.StaleData:
        set_notice("warning", "steward_stale_versions")
    except store.StoreBusy:
        set_notice("error", "steward_busy")
    except store.StoreReadOnly:
        LOG.warning("the data folder of %s is read-only", path, exc_info=True)
        set_notice("error", "steward_read_only", folder=plain(str(path.parent)))
    except Exception:
        LOG.exception("undo of %s failed", path)
        set_notice("error", "steward_store_error")
    else:
        set_notice("success", "steward_undone", saved=version.saved_at, sites=version.site_count)


def restore_version(path: Path, expected_version: str, choice_key: str) -> None:
    version_id = str(st.session_state.get(choice_key))
    try:
        version = store.restore(version_id, path, expected_version=expected_version)
    except store.StaleData:
        set_notice("warning", "steward_stale_versions")
    except store.StoreBusy:
        set_notice("error", "steward_busy")
    except store.StoreReadOnly:
        LOG.warning("the data folder of %s is read-only", path, exc_info=True)
        set_notice("error", "steward_read_only", folder=plain(str(path.parent)))
    except store.StoreError:  # the chosen copy was pruned or removed meanwhile
        set_notice("warning", "steward_version_gone")
    except Exception:
        LOG.exception("restoring %s of %s failed", version_id, path)
        set_notice("error", "steward_store_error")
    else:
        set_notice("success", "steward_restored", saved=version.saved_at, sites=version.site_count)


# --- import: upload, options, report, changes, apply ---------------------------------------------------


def show_import(lang: str, path: Path) -> None:
    st.subheader(t("steward_step_upload", lang))
    limit_mb = max(1, math.ceil(importer.max_upload_bytes() / MEGABYTE))
    uploaded = st.file_uploader(
        t("steward_upload", lang),
        type=UPLOAD_TYPES,
        key=f"steward_upload_{st.session_state.get(UPLOAD_ROUND, 0)}",
        max_upload_size=limit_mb,
        help=t("steward_upload_help", lang, limit=format_number(limit_mb, lang)),
    )
    if uploaded is None:
        st.caption(t("steward_upload_hint", lang))
        return
    review = review_upload(uploaded.getvalue(), uploaded.name, lang)
    if review is None:
        return
    review_key, result = review
    st.subheader(t("steward_step_report", lang))
    show_report(result, lang)
    st.subheader(t("steward_step_diff", lang))
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


def show_table(frame: pd.DataFrame) -> None:
    """A static table: messages and old/new values wrap and stay readable in full (a data grid would cut
    them off); a long one scrolls within a fixed height."""
    # st.table renders Markdown in cells and headers: data is escaped so it shows as the literal text
    shown_frame = frame.map(lambda value: plain(cell(value))).rename(columns=plain)
    st.table(shown_frame, hide_index=True, height="content" if len(frame) <= TABLE_ROWS_IN_FULL else TABLE_HEIGHT)


def cell(value: object) -> str:
    return "" if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)) else str(value)


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


def show_versions(lang: str, path: Path) -> None:
    version = store.data_version(path)
    if version == "missing":
        st.info(t("steward_current_missing", lang))
    else:
        saved = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
        try:
            count = len(stored_sites(str(path), version))
        except store.DataDamaged:  # the versions below are the way back: list them all the same
            st.warning(t("steward_current_damaged", lang))
        else:
            st.write(t("steward_current", lang, sites=format_number(count, lang), saved=local_time(saved, lang)))
    st.caption(t("steward_versions_intro", lang))
    versions = kept_versions(str(path), version)
    next_undo = next((kept for kept in versions if kept.kind == store.KIND_PREVIOUS), None)
    st.button(
        t("steward_undo", lang),
        key="steward_undo",
        type="primary",
        disabled=next_undo is None,
        on_click=undo_last,
        args=(path, version),
    )
    if not versions:
        st.info(t("steward_no_versions", lang))
        return
    show_table(version_table(versions, next_undo, lang))
    choice_key = f"steward_restore_{version}"  # a new list after every write: no stale choice survives
    newest_undone = next((index for index, kept in enumerate(versions) if kept.kind == store.KIND_UNDONE), 0)
    labels = {kept.version_id: version_label(kept, next_undo, lang) for kept in versions}
    column, _ = st.columns([3, 2])
    column.selectbox(
        t("steward_restore_choice", lang),
        list(labels),
        index=newest_undone,
        key=choice_key,
        format_func=lambda version_id: labels.get(version_id, version_id),
        help=t("steward_restore_help", lang),
    )
    column.button(
        t("steward_restore", lang), key="steward_restore", on_click=restore_version, args=(path, version, choice_key)
    )


def kind_text(kept: store.Version, next_undo: store.Version | None, lang: str) -> str:
    if kept is next_undo:
        return t("steward_kind_next_undo", lang)
    return t(f"steward_kind_{kept.kind}", lang)


def version_label(kept: store.Version, next_undo: store.Version | None, lang: str) -> str:
    return t(
        "steward_version_label",
        lang,
        saved=local_time(kept.saved_at, lang),
        sites=shown(kept.site_count, lang),
        kind=kind_text(kept, next_undo, lang),
    )


def version_table(versions: list[store.Version], next_undo: store.Version | None, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("steward_col_saved", lang): [local_time(kept.saved_at, lang) for kept in versions],
            t("steward_col_sites", lang): [shown(kept.site_count, lang) for kept in versions],
            t("steward_col_kind", lang): [kind_text(kept, next_undo, lang) for kept in versions],
            t("steward_col_version", lang): [kept.version_id for kept in versions],
        }
    )


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
import_tab, versions_tab = st.tabs(
    [t("steward_tab_import", lang), t("steward_tab_versions", lang)], key="steward_tab", on_change="rerun"
)
with import_tab:
    if data_health.data_problems(path, reference_path()):
        st.info(t("steward_fix_data_first", lang))
    else:
        show_import(lang, path)
with versions_tab:
    show_versions(lang, path)
