"""Data stewardship commands of ``python -m geo``: validate, import, history, undo.

    python -m geo validate FILE [--layer L] [--crs EPSG] [--lang de|en|both]
    python -m geo import FILE [--layer L] [--crs EPSG] [--replace] [--apply] [--as NAME]
    python -m geo history [--site ID]
    python -m geo undo [--to VERSION] [--as NAME]

Once named accounts exist (``python -m geo accounts``), a write names its account with ``--as NAME`` (its
password from standard input) and goes through geo.imports.workflow like the staff page: an editor's
import is applied, a partner's becomes a proposal that another editor approves, and every change is logged.

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
from geo.cli.acting import acting_account, say
from geo.cli.output import report_internal_error
from geo.core import schema
from geo.core.errors import ExitCode, user_message
from geo.core.paths import REFERENCE_GPKG, SITES_GPKG
from geo.imports import importer, workflow
from geo.imports import worker as import_worker
from geo.store import accounts
from geo.store import changes as change_log
from geo.texts import Num, both, pick

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
    import_.add_argument(
        "--as", dest="as_name", metavar="NAME", help="act as this account (a partner's import becomes a proposal)"
    )
    import_.set_defaults(handler=_guarded(_import))

    history = subparsers.add_parser(
        "history", parents=[sites, language], help="list the kept versions, or one site's changes (--site)"
    )
    history.add_argument("--site", metavar="ID", help="every change of this site: who, when, before and after")
    history.set_defaults(handler=_guarded(_history))

    undo = subparsers.add_parser(
        "undo", parents=[sites, language], help="go back to the version before the last change"
    )
    undo.add_argument("--to", metavar="VERSION", help="make this kept version (see history) live instead")
    undo.add_argument("--as", dest="as_name", metavar="NAME", help="act as this account (an editor)")
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
            out.error(*both("cli_error_value", message=user_message(error)))
            return ExitCode.REFUSED
        except workflow.NotPermitted as refused:
            say(args, refused.key, error=True, **refused.values)
            return ExitCode.REFUSED
        except workflow.NothingToPropose:
            say(args, "cli_nothing_to_propose", error=True)
            return ExitCode.REFUSED
        except importer.ImportRefused as refused:
            for problem in refused.problems:
                out.problem(problem)
            out.error(*both("cli_nothing_was_changed"))
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
            indent = pick(lang, 2, 4) if self.lang == "both" else 2
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
        out.line(*both("cli_nothing_was_changed"))
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
        out.line(*both("cli_no_changes"))
        return ExitCode.OK
    if not args.apply:
        out.line(*both("cli_preview_nothing_written_add_apply"))
        return ExitCode.OK
    actor = _actor(args)
    if actor is None:
        return ExitCode.REFUSED
    if not actor.may("apply"):  # a partner: the import waits as a proposal for an editor's approval
        proposal = workflow.propose(result, args.sites, actor, replace=args.replace, label=args.file.name)
        say(args, "cli_proposal_stored", number=proposal.proposal_id)
        return ExitCode.OK
    # expected_version: what was shown is what gets written, even if someone else wrote meanwhile
    applied = workflow.apply(result, args.sites, actor, replace=args.replace, expected_version=version)
    out.line(
        *both("cli_written_value_undo_python_m", location=store.location_label(args.sites)),
    )
    return ExitCode.OK if applied.written else ExitCode.REFUSED


def _actor(args: argparse.Namespace) -> accounts.Account | None:
    """Who writes: the account of --as (after its password), or the shared steward of a one-person
    installation (refused by the workflow once named accounts exist)."""
    if not getattr(args, "as_name", None):
        return accounts.SHARED_STEWARD
    return acting_account(args)


def _history(args: argparse.Namespace, out: _Printer) -> int:
    if args.site:
        return _site_history(args, out)
    label = store.location_label(args.sites)
    try:
        current = store.read_sites(args.sites, missing_ok=True)
    except store.DataDamaged:  # the kept versions below are the way back: list them all the same
        out.line(
            *both("cli_current_label_damaged_cannot_read", label=label),
        )
    else:
        if store.database_url(args.sites) is not None or args.sites.exists():
            out.line(f"Aktuell: {label} ({len(current)} Standorte)", f"current: {label} ({len(current)} sites)")
        else:
            out.line(f"Aktuell: {label} fehlt", f"current: {label} is missing")
    versions = store.history(args.sites)
    if not versions:
        out.line(*both("cli_no_kept_versions"))
        return ExitCode.OK
    out.line(*both("cli_kept_versions"))
    next_undo = next((version for version in versions if version.kind == store.KIND_PREVIOUS), None)
    for version in versions:
        count = "?" if version.site_count is None else version.site_count
        if version.kind == store.KIND_PREVIOUS:
            kind = out.text(*both("cli_state_before_change"))
        else:
            kind = out.text(*both("cli_undone_state_back_undo"))
        marker = "  ← " + out.text(*both("cli_undo_restores_this")) if version is next_undo else ""
        saved = version.saved_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        print(f"  {version.version_id}  {saved}  {out.text(*both('cli_sites_count', count=count))}  {kind}{marker}")
    return ExitCode.OK


def _site_history(args: argparse.Namespace, out: _Printer) -> int:
    entries = change_log.site_history(args.sites, args.site)
    if not entries:
        say(args, "cli_site_history_empty", site=args.site)
        return ExitCode.OK
    for entry in entries:
        applied = entry.applied_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        who = (
            entry.approved_by
            if entry.proposed_by == entry.approved_by
            else f"{entry.proposed_by} → {entry.approved_by}"
        )
        proposal = f"  #{entry.proposal_id}" if entry.proposal_id is not None else ""
        print(f"{applied}  {entry.kind}{proposal}  {who}")
        for record in entry.fields:
            print(f"      {record.field}: {_shown(record.before)} → {_shown(record.after)}")
    return ExitCode.OK


def _undo(args: argparse.Namespace, out: _Printer) -> int:
    actor = _actor(args)
    if actor is None:
        return ExitCode.REFUSED
    try:
        outcome = workflow.restore(args.to, args.sites, actor) if args.to else workflow.undo(args.sites, actor)
        version = outcome.version
        assert version is not None
    except store.NothingToUndo:
        out.error(*both("cli_there_no_earlier_version"))
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
        out.error(*both("cli_error_file_not_found_args", args_file=args.file))
        return None
    # in a process of its own within the time and memory limits, as on the staff page (a small file can
    # compute without end); what this process knows is handed over: vocabularies and size limits.
    # Plot figures are compared with the live ones (validate has no --sites: the live data).
    result = import_worker.check_upload(
        args.file,
        layer=args.layer,
        crs=args.crs,
        reference_path=args.reference,
        sites_path=getattr(args, "sites", SITES_GPKG),
        programs=schema.programs(),
        themes=schema.themes(),
        max_bytes=importer.max_upload_bytes(),
        max_rows=importer.max_import_rows(),
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
        out.line(*both("cli_valid_count_sites_sites", count_sites=len(result.sites)))
    else:
        out.line(*both("cli_invalid_count_errors_error_s", count_errors=len(result.errors)))
    return result


def _print_diff(diff: importer.SiteDiff, args: argparse.Namespace, out: _Printer) -> None:
    counts = diff.counts()
    if diff.notes:
        out.line(*both("cli_warnings", count=Num(len(diff.notes))))
        for note in diff.notes:
            out.problem(note)
    out.line(
        *both(
            "cli_compared_value_new_new_changed",
            location=store.location_label(args.sites),
            new=counts["new"],
            changed=counts["changed"],
            removed=counts["removed"],
            unchanged=counts["unchanged"],
        ),
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
            *both("cli_kept_absent_sites_not_file", kept_absent=counts["kept_absent"]),
        )


def _shown(value: object) -> str:
    if value is None:
        return "∅"
    text = str(value).replace("\n", " ")
    return text if len(text) <= SHOWN_VALUE_CHARS else text[: SHOWN_VALUE_CHARS - 1] + "…"
