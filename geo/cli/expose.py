"""`python -m geo expose SITE_ID [SITE_ID …] [--lang en] --output FILE.pdf`: the exposé, offline.

Exit codes as for every command: 0 written, 1 a site id is unknown (the input has problems),
2 called wrongly (no output file name, an output folder that does not exist). A renamed site's old id
(data/sources/site_id_renames.csv) gives the site under its id of today, with a note on stderr.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from geo.cli.output import complain, say
from geo.core.errors import ExitCode
from geo.expose.shortlist import MAX_SHORTLIST
from geo.texts import Num

BASE_URL_VARIABLE = "STANDORTATLAS_PUBLIC_URL"


def _expose(args: argparse.Namespace) -> int:
    from geo.expose.document import DEFAULT_BASE_URL, ExposeData, ExposeError, expose_pdf

    output: Path = args.output
    if output.suffix.lower() != ".pdf":
        complain("cli_expose_not_pdf", path=output)
        return ExitCode.USAGE
    if not output.parent.resolve().is_dir():
        complain("cli_expose_no_folder", folder=output.parent)
        return ExitCode.USAGE
    site_ids = list(dict.fromkeys(args.site_ids))
    if len(site_ids) > MAX_SHORTLIST:
        complain("cli_expose_too_many", most=MAX_SHORTLIST, given=len(site_ids))
        return ExitCode.USAGE
    base_url = args.base_url or os.environ.get(BASE_URL_VARIABLE) or DEFAULT_BASE_URL
    data = ExposeData.from_files()
    site_ids = _todays_ids(site_ids, set(data.sites["site_id"]))
    try:
        pdf = expose_pdf(data, site_ids, lang=args.lang, base_url=base_url)
    except ExposeError as error:
        known = sorted(data.sites["site_id"])
        complain("cli_expose_unknown_site", error=error, examples=", ".join(known[:5]), count=Num(len(known)))
        return ExitCode.REFUSED
    temporary = output.with_name(f".{output.name}.part")
    temporary.write_bytes(pdf)
    temporary.replace(output)  # a reader never sees half a file
    say("cli_expose_written", path=output, size=Num(len(pdf) / 1024), sites=len(site_ids), lang=args.lang)
    return ExitCode.OK


def _todays_ids(site_ids: list[str], known: set[str]) -> list[str]:
    """The ids as the sites have them today: a renamed site's old id becomes its new one (said on stderr)."""
    from geo.sites.renames import read_renames, rename_map, resolve_site_id

    renamed = rename_map(read_renames())
    today = []
    for site_id in site_ids:
        current = resolve_site_id(site_id, known, renamed)
        if current != site_id:
            complain("cli_expose_renamed", old=site_id, new=current)
        today.append(current)
    return list(dict.fromkeys(today))


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `expose` to the ``python -m geo`` parser."""
    expose = subparsers.add_parser(
        "expose",
        help="write the exposé PDF of one site or a shortlist (A4, German or English, offline)",
        description="Write the exposé of one site, or of up to six sites with an overview page first.",
    )
    expose.add_argument("site_ids", nargs="+", metavar="SITE_ID", help="site id(s), e.g. green-gate-gatersleben")
    expose.add_argument("--lang", choices=["de", "en"], default="de", help="language of the exposé (default: de)")
    expose.add_argument("--output", "-o", type=Path, required=True, metavar="FILE.pdf", help="the PDF to write")
    expose.add_argument(
        "--base-url",
        metavar="URL",
        help=f"the atlas's public address for the permalink and QR code (default: ${BASE_URL_VARIABLE} "
        "or http://localhost:8501)",
    )
    expose.set_defaults(handler=_expose)
