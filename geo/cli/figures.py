"""``python -m geo aid-estimate`` and ``python -m geo import-figures``: the investor figures on the
command line (the same functions as the pages: geo/expose/aid_estimate.py, geo/imports/figures.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.core.errors import ExitCode
from geo.core.paths import REFERENCE_GPKG, SITES_GPKG
from geo.texts import pick

MAX_FILE_BYTES = 60_000_000


def register(subparsers: argparse._SubParsersAction) -> None:
    aid = subparsers.add_parser("aid-estimate", help="maximum regional aid for an investment in a district")
    aid.add_argument("--district", required=True, metavar="AGS", help="district key, e.g. 15087")
    aid.add_argument("--investment", required=True, metavar="EUR", help="eligible investment costs in euro")
    aid.add_argument("--size", required=True, choices=["small", "medium", "large"], help="firm size")
    aid.add_argument("--lang", choices=["de", "en"], default="en", help="language of the answer (default: en)")
    aid.add_argument(
        "--reference", type=Path, default=REFERENCE_GPKG, help=f"reference data (default: {REFERENCE_GPKG})"
    )
    aid.set_defaults(handler=_aid_estimate)

    figures = subparsers.add_parser(
        "import-figures",
        help="show what a GENESIS flat CSV (or its ZIP) changes in the district figures; "
        "--apply writes it (a new version, undo with 'python -m geo undo')",
    )
    figures.add_argument("file", type=Path, help="flat-file CSV or ZIP downloaded from GENESIS / Regionalstatistik")
    figures.add_argument(
        "--indicator",
        help="the indicator the file's one value variable feeds (default: by the "
        "value variables the indicators declare)",
    )
    figures.add_argument("--table-code", default="", help="GENESIS table code, e.g. 13111-02-02-4")
    figures.add_argument("--source-url", default="", help="address of the table (default: its Regionaldatenbank page)")
    figures.add_argument("--sites", type=Path, default=SITES_GPKG, help=f"sites store (default: {SITES_GPKG})")
    figures.add_argument(
        "--reference", type=Path, default=REFERENCE_GPKG, help=f"reference data (default: {REFERENCE_GPKG})"
    )
    figures.add_argument("--apply", action="store_true", help="write the changes (otherwise only show them)")
    figures.add_argument("--as", dest="as_name", metavar="NAME", help="act as this account (an editor)")
    figures.add_argument("--lang", choices=["de", "en"], default="en", help="language of the messages (default: en)")
    figures.set_defaults(handler=_import_figures)


def _aid_estimate(args: argparse.Namespace) -> int:
    import pyogrio

    from geo.expose.aid_estimate import AidInputError, estimate_aid
    from geo.expose.aid_text import BANKS_TABLE, aid_sentence, bank_for

    districts = pyogrio.read_dataframe(args.reference, layer="districts", read_geometry=False)
    rows = districts.loc[districts["ags"].astype(str) == args.district.strip()]
    if rows.empty:
        print(f"unknown district {args.district!r} (a 5-digit AGS of the four states, e.g. 15087)", file=sys.stderr)
        return ExitCode.USAGE
    try:
        result = estimate_aid(rows.iloc[0].to_dict(), args.investment.replace("_", ""), args.size)
    except AidInputError as error:
        print(f"error: {error}", file=sys.stderr)
        return ExitCode.USAGE
    banks = pyogrio.read_dataframe(args.reference, layer=BANKS_TABLE, read_geometry=False)
    bank = bank_for(banks, str(rows.iloc[0]["state_code"]), args.lang)
    for line in aid_sentence(result, args.lang, bank):
        print(line)
    return ExitCode.OK if result.amount is not None else ExitCode.REFUSED


def _import_figures(args: argparse.Namespace) -> int:
    from geo import store
    from geo.cli.acting import acting_account, say
    from geo.core.genesis_flat import FlatFileError
    from geo.imports import workflow
    from geo.imports.figures import review_figures, review_lines
    from geo.indicators import figure_indicators
    from geo.store import accounts

    if not args.file.is_file():
        print(f"error: {args.file} is missing", file=sys.stderr)
        return ExitCode.USAGE
    if args.file.stat().st_size > MAX_FILE_BYTES:
        print(f"error: {args.file} is larger than {MAX_FILE_BYTES // 1_000_000} MB", file=sys.stderr)
        return ExitCode.REFUSED
    try:
        review = review_figures(
            args.file.read_bytes(),
            targets=figure_indicators(),
            sites_path=args.sites,
            reference_path=args.reference,
            indicator_key=args.indicator,
            table_code=args.table_code,
            source_url=args.source_url,
        )
    except FlatFileError as error:
        print(f"error: {pick(args.lang, error.de, error.en)}", file=sys.stderr)
        return ExitCode.REFUSED
    for line in review_lines(review, args.lang):
        print(line)
    if review.incoming.empty or not args.apply:
        return ExitCode.OK if not review.incoming.empty else ExitCode.REFUSED
    # who writes: the account of --as (after its password), or the shared steward of a one-person
    # installation (refused by the workflow once named accounts exist)
    actor = acting_account(args) if args.as_name else accounts.SHARED_STEWARD
    if actor is None:
        return ExitCode.REFUSED
    try:
        version = workflow.apply_figures(review, actor).data_version
    except workflow.NotPermitted as refused:
        say(args, refused.key, error=True, **refused.values)
        return ExitCode.REFUSED
    except store.StoreError as error:
        print(f"error: {error}", file=sys.stderr)
        return ExitCode.REFUSED
    print(f"applied: {len(review.incoming)} values, version {version}")
    return ExitCode.OK
