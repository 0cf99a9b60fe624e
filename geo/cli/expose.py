"""`python -m geo expose SITE_ID [SITE_ID …] [--lang en] --output FILE.pdf`: the exposé, offline.

Exit codes as for every command: 0 written, 1 a site id is unknown (the input has problems),
2 called wrongly (no output file name, an output folder that does not exist).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from geo.core.errors import ExitCode
from geo.expose.shortlist import MAX_SHORTLIST

BASE_URL_VARIABLE = "STANDORTATLAS_PUBLIC_URL"


def _expose(args: argparse.Namespace) -> int:
    from geo.expose.document import DEFAULT_BASE_URL, ExposeData, ExposeError, expose_pdf

    output: Path = args.output
    if output.suffix.lower() != ".pdf":
        print(f"Fehler / error: the output file must end in .pdf: {output}", file=sys.stderr)
        return ExitCode.USAGE
    if not output.parent.resolve().is_dir():
        print(f"Fehler / error: the folder {output.parent} does not exist", file=sys.stderr)
        return ExitCode.USAGE
    site_ids = list(dict.fromkeys(args.site_ids))
    if len(site_ids) > MAX_SHORTLIST:
        print(f"Fehler / error: at most {MAX_SHORTLIST} sites per exposé ({len(site_ids)} given)", file=sys.stderr)
        return ExitCode.USAGE
    base_url = args.base_url or os.environ.get(BASE_URL_VARIABLE) or DEFAULT_BASE_URL
    data = ExposeData.from_files()
    try:
        pdf = expose_pdf(data, site_ids, lang=args.lang, base_url=base_url)
    except ExposeError as error:
        known = sorted(data.sites["site_id"])
        print(
            f"Fehler / error: {error}. Known ids, e.g.: {', '.join(known[:5])} … "
            f"({len(known)} in all; the site's link in the atlas ends in ?site=<id>)",
            file=sys.stderr,
        )
        return ExitCode.REFUSED
    temporary = output.with_name(f".{output.name}.part")
    temporary.write_bytes(pdf)
    temporary.replace(output)  # a reader never sees half a file
    print(f"wrote {output} ({len(pdf) // 1024} KB, {len(site_ids)} site(s), {args.lang})")
    return ExitCode.OK


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
