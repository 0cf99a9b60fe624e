"""What the commands that act as an account share: messages in the chosen language(s), passwords from
standard input (never from an argument), ``--as NAME`` checked against the account's password, and the
options every such command has."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from geo.core.paths import SITES_GPKG
from geo.store import accounts, changes
from geo.store.accounts import Account
from geo.texts import t

LANGUAGES = {"de": ("de",), "en": ("en",), "both": ("de", "en")}


def say(args: argparse.Namespace, key: str, *, error: bool = False, **values: object) -> None:
    """A message in the chosen language(s), German first."""
    text = " / ".join(t(key, lang, **values) for lang in LANGUAGES[args.lang])
    print(text, file=sys.stderr if error else sys.stdout)


def read_password(args: argparse.Namespace, key: str, **values: object) -> str:
    """A password from standard input: without echo at a terminal, else the first line."""
    prompt = " / ".join(t(key, lang, **values) for lang in LANGUAGES[args.lang]) + ": "
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def acting_account(args: argparse.Namespace) -> Account | None:
    """The account of ``--as NAME`` after its password was given; None (and a message) otherwise."""
    password = read_password(args, "cli_password_for", name=args.as_name)
    account = accounts.verify(args.sites, args.as_name, password)
    if account is None:
        say(args, "cli_login_refused", error=True, name=args.as_name)
    return account


def common_options(location: str = "--sites") -> argparse.ArgumentParser:
    """The options every command here has: where the sites (and their ledger) are, and the language."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        location, dest="sites", type=Path, default=SITES_GPKG, help=f"sites location (default: {SITES_GPKG})"
    )
    options.add_argument(
        "--lang", choices=list(LANGUAGES), default="both", help="language of the messages (default: both)"
    )
    return options


def proposal_line(proposal: changes.Proposal) -> str:
    counts = ", ".join(f"{proposal.summary.get(key, 0)} {key}" for key in ("new", "changed", "removed"))
    created = proposal.created_at.strftime("%Y-%m-%d %H:%M UTC")
    return f"  #{proposal.proposal_id:<5} {proposal.status:<9} {created}  {proposal.author:<20} {counts}"
