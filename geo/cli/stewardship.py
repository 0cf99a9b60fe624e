"""Data stewardship commands of ``python -m geo``: validate, import, history, undo.

    python -m geo validate FILE [--layer L] [--crs EPSG] [--lang de|en|both]
    python -m geo import FILE [--layer L] [--crs EPSG] [--replace] [--apply]
    python -m geo history
    python -m geo undo [--to VERSION]

Exit codes (geo.core.errors): 0 done (or the file is valid), 1 the file or the data refused the command, 2 the
command was called wrongly (argparse, a missing file), 3 an internal error. Every failure is one readable
line; ``--debug`` adds the traceback of an internal error.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from pathlib import Path

from geo import store
from geo.core.errors import ExitCode, report_internal_error, user_message
from geo.core.paths import REFERENCE_GPKG, SITES_GPKG
from geo.imports import importer

SHOWN_VALUE_CHARS = 80
SOURCE_LABELS = {
    "format": ("Format", "format"),
    "layer": ("Layer", "layer"),
    "encoding": ("Kodierung", "encoding"),
    "delimiter": ("Trennzeichen", "delimiter"),
    "crs": ("Koordinatensystem", "CRS"),
    "rows": ("Zeilen", "rows"),
}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add validate, import, history and undo to the ``python -m geo`` parser."""
    language = argparse.ArgumentParser(add_help=False)
    language.add_argument(
        "--lang", choices=["de", "en", "both"], default="both", help="language of the messages (default: both)"
    )
    sites = argparse.ArgumentParser(add_help=False)
    sites.add_argument("--sites", type=Path, default=SITES_GPKG, help=f"sites file (default: {SITES_GPKG})")
    user_file = argparse.ArgumentParser(add_help=False)
    user_file.add_argument("file", type=Path, help="GeoPackage (.gpkg), GeoJSON (.geojson/.json) or CSV (.csv)")
    user_file.add_argument("--layer", help="GeoPackage layer (default: 'sites' or the first layer)")
    user_file.add_argument(
        "--crs",
        type=_crs_argument,
        metavar="EPSG",
        help="CRS of coordinates the file does not declare, e.g. 25833 (needed for CSV x/y columns)",
    )
    user_file.add_argument(
        "--reference", type=Path, default=REFERENCE_GPKG, help=f"reference areas (default: {REFERENCE_GPKG})"
    )

    validate = subparsers.add_parser(
        "validate",
        parents=[user_file, language],
        help="check a site file and list every problem with its row and field",
    )
    validate.set_defaults(handler=_guarded(_validate))

    import_ = subparsers.add_parser(
        "import",
        parents=[user_file, sites, language],
        help="show what a site file would change in the sites data; --apply writes it",
    )
    import_.add_argument("--replace", action="store_true", help="remove sites that are not in the file")
    import_.add_argument("--apply", action="store_true", help="write the changes (otherwise only show them)")
    import_.set_defaults(handler=_guarded(_import))

    history = subparsers.add_parser(
        "history", parents=[sites, language], help="list the kept versions of the sites data"
    )
    history.set_defaults(handler=_guarded(_history))

    undo = subparsers.add_parser(
        "undo", parents=[sites, language], help="go back to the version before the last change"
    )
    undo.add_argument("--to", metavar="VERSION", help="make this kept version (see history) live instead")
    undo.set_defaults(handler=_guarded(_undo))


def _crs_argument(text: str):
    try:
        return importer.parse_crs(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _guarded(command: Callable[[argparse.Namespace, _Printer], int]) -> Callable[[argparse.Namespace], int]:
    """Run a command so that any failure is one line on stderr and an exit code."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        out = _Printer(args.lang)
        try:
            return command(args, out)
        except store.StoreError as error:
            out.error(f"Fehler: {user_message(error)}", f"error: {user_message(error)}")
            return ExitCode.REFUSED
        except BrokenPipeError:
            raise  # the reader went away (`| head`): handled once, in geo.cli.main
        except Exception as error:  # a bug, not the user's input: exit code 3, traceback with --debug
            return report_internal_error(error, getattr(args, "debug", False))

    return run


class _Printer:
    def __init__(self, lang: str):
        self.lang = lang

    def text(self, de: str, en: str) -> str:
        return {"de": de, "en": en}.get(self.lang, f"{de} / {en}")

    def line(self, de: str, en: str | None = None, indent: int = 0) -> None:
        print(" " * indent + (de if en is None else self.text(de, en)))

    def error(self, de: str, en: str) -> None:
        print(self.text(de, en), file=sys.stderr)

    def problem(self, problem: importer.Problem) -> None:
        for lang in ["de", "en"] if self.lang == "both" else [self.lang]:
            indent = 2 if lang == "de" or self.lang != "both" else 4
            print(" " * indent + f"{problem.location(lang)}: {problem.message(lang)}")


# --- commands --------------------------------------------------------------------------------------


def _validate(args: argparse.Namespace, out: _Printer) -> int:
    result = _read(args, out)
    if result is None:
        return ExitCode.USAGE
    return ExitCode.OK if result.ok else ExitCode.REFUSED


def _import(args: argparse.Namespace, out: _Printer) -> int:
    result = _read(args, out)
    if result is None:
        return ExitCode.USAGE
    if not result.ok:
        out.line("Nichts geändert.", "Nothing was changed.")
        return ExitCode.REFUSED
    version = store.data_version(args.sites)
    diff = importer.diff_sites(
        store.read_sites(args.sites, missing_ok=True),
        result,
        replace=args.replace,
        current_facts=store.live_facts(args.sites),
    )
    _print_diff(diff, args, out)
    if not diff.has_changes:
        out.line("Keine Änderungen.", "No changes.")
        return ExitCode.OK
    if not args.apply:
        out.line(
            "Vorschau – nichts geschrieben; mit --apply übernehmen.", "preview – nothing written; add --apply to write."
        )
        return ExitCode.OK
    # expected_version: what was shown is what gets written, even if someone else wrote meanwhile
    applied = importer.apply_import(result, args.sites, replace=args.replace, expected_version=version)
    out.line(
        f"Übernommen in {store.location_label(args.sites)}; rückgängig mit „python -m geo undo“.",
        f"written to {store.location_label(args.sites)}; undo with 'python -m geo undo'.",
    )
    return ExitCode.OK if applied.written else ExitCode.REFUSED


def _history(args: argparse.Namespace, out: _Printer) -> int:
    label = store.location_label(args.sites)
    try:
        current = store.read_sites(args.sites, missing_ok=True)
    except store.DataDamaged:  # the kept versions below are the way back: list them all the same
        out.line(
            f"Aktuell: {label} ist beschädigt und nicht lesbar; eine gesicherte Version wiederherstellen "
            "mit „python -m geo undo --to VERSION“.",
            f"current: {label} is damaged and cannot be read; restore a kept version with "
            "'python -m geo undo --to VERSION'.",
        )
    else:
        if store.database_url(args.sites) is not None or args.sites.exists():
            out.line(f"Aktuell: {label} ({len(current)} Standorte)", f"current: {label} ({len(current)} sites)")
        else:
            out.line(f"Aktuell: {label} fehlt", f"current: {label} is missing")
    versions = store.history(args.sites)
    if not versions:
        out.line("Keine gesicherten Versionen.", "No kept versions.")
        return ExitCode.OK
    out.line("Gesicherte Versionen, neueste zuerst:", "kept versions, newest first:")
    next_undo = next((version for version in versions if version.kind == store.KIND_PREVIOUS), None)
    for version in versions:
        count = "?" if version.site_count is None else version.site_count
        if version.kind == store.KIND_PREVIOUS:
            kind = out.text("Stand vor einer Änderung", "state before a change")
        else:
            kind = out.text("rückgängig gemachter Stand, zurück mit undo --to", "undone state, back with undo --to")
        marker = "  ← " + out.text("undo stellt diese her", "undo restores this") if version is next_undo else ""
        saved = version.saved_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        print(f"  {version.version_id}  {saved}  {count} {out.text('Standorte', 'sites')}  {kind}{marker}")
    return ExitCode.OK


def _undo(args: argparse.Namespace, out: _Printer) -> int:
    try:
        version = store.restore(args.to, args.sites) if args.to else store.undo(args.sites)
    except store.NothingToUndo:
        out.error("Es gibt keine frühere Version.", "There is no earlier version.")
        return ExitCode.REFUSED
    saved = version.saved_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    out.line(
        f"Wiederhergestellt: Stand vom {saved} ({version.version_id}).",
        f"restored: state of {saved} ({version.version_id}).",
    )
    return ExitCode.OK


# --- output ----------------------------------------------------------------------------------------


def _read(args: argparse.Namespace, out: _Printer) -> importer.ImportResult | None:
    if not args.file.is_file():
        out.error(f"Fehler: Datei nicht gefunden: {args.file}", f"error: file not found: {args.file}")
        return None
    # plot figures are compared with the live ones (validate has no --sites: the live data)
    result = importer.read_user_file(
        args.file,
        layer=args.layer,
        crs=args.crs,
        reference_path=args.reference,
        sites_path=getattr(args, "sites", SITES_GPKG),
    )
    out.line(
        f"{args.file}: "
        + " · ".join(
            f"{out.text(*SOURCE_LABELS[key])} {value}" for key, value in result.source.items() if key in SOURCE_LABELS
        )
    )
    for title_de, title_en, problems in (
        ("Fehler", "errors", result.errors),
        ("Warnungen", "warnings", result.warnings),
    ):
        if problems:
            out.line(out.text(title_de, title_en) + f" ({len(problems)}):")
            for problem in problems:
                out.problem(problem)
    if result.ok:
        out.line(f"Gültig: {len(result.sites)} Standorte.", f"valid: {len(result.sites)} sites.")
    else:
        out.line(f"Ungültig: {len(result.errors)} Fehler.", f"invalid: {len(result.errors)} error(s).")
    return result


def _print_diff(diff: importer.SiteDiff, args: argparse.Namespace, out: _Printer) -> None:
    counts = diff.counts()
    if diff.notes:
        out.line(out.text("Warnungen", "warnings") + f" ({len(diff.notes)}):")
        for note in diff.notes:
            out.problem(note)
    out.line(
        f"Vergleich mit {store.location_label(args.sites)}: {counts['new']} neu, {counts['changed']} geändert, "
        f"{counts['removed']} entfernt, {counts['unchanged']} unverändert.",
        f"compared with {store.location_label(args.sites)}: {counts['new']} new, {counts['changed']} changed, "
        f"{counts['removed']} removed, {counts['unchanged']} unchanged.",
    )
    for site_id in diff.new:
        print(f"  + {site_id}  {diff.names.get(site_id) or ''}")
    for site_id, changes in diff.changed.items():
        print(f"  ~ {site_id}  {diff.names.get(site_id) or ''}")
        for change in changes:
            print(f"      {change.field}: {_shown(change.old)} → {_shown(change.new)}")
    for site_id in diff.removed:
        print(f"  - {site_id}  {diff.names.get(site_id) or ''}")
    if counts["kept_absent"]:
        out.line(
            f"{counts['kept_absent']} Standorte fehlen in der Datei und bleiben erhalten (--replace entfernt sie).",
            f"{counts['kept_absent']} sites are not in the file and stay (--replace removes them).",
        )


def _shown(value: object) -> str:
    if value is None:
        return "∅"
    text = str(value).replace("\n", " ")
    return text if len(text) <= SHOWN_VALUE_CHARS else text[: SHOWN_VALUE_CHARS - 1] + "…"
