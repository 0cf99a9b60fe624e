"""Accounts and proposals on the command line: ``python -m geo accounts …`` and ``python -m geo proposals …``.

    python -m geo accounts add NAME --role editor|partner|admin [--sites ID,...] [--districts AGS,...] [--email E]
    python -m geo accounts list
    python -m geo accounts disable NAME
    python -m geo accounts password NAME
    python -m geo proposals list [--status pending|approved|rejected]
    python -m geo proposals show ID
    python -m geo proposals approve ID --as NAME
    python -m geo proposals reject ID --as NAME --reason TEXT

Passwords come from standard input (typed without echo at a terminal, else the first line of the input),
never from an argument, which other users of the machine could read in the process list. ``--as NAME``
acts as that account and asks for its password, so the four-eyes rule holds on the command line too. The
accounts commands themselves are the operator's: whoever may run them can already write the data folder
or the database. Exit codes as every command's (geo.core.errors.ExitCode).
"""

from __future__ import annotations

import argparse
import sys

from geo.cli.acting import common_options, read_password, say
from geo.core.errors import ExitCode
from geo.store import accounts


def register(subparsers: argparse._SubParsersAction) -> None:
    # `accounts add --sites` names a partner's sites, so the accounts commands name the location --store
    common = common_options("--store")
    acting = argparse.ArgumentParser(add_help=False)
    acting.add_argument("--as", dest="as_name", required=True, metavar="NAME", help="act as this account")

    group = subparsers.add_parser("accounts", help="named accounts of the staff page: add, list, disable, password")
    commands = group.add_subparsers(dest="accounts_command", required=True, metavar="<accounts command>")
    add = commands.add_parser("add", parents=[common], help="add an account (password from standard input)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=list(accounts.ROLES))
    add.add_argument("--sites", dest="scope_sites", default="", metavar="ID,...", help="a partner's site ids")
    add.add_argument("--districts", default="", metavar="AGS,...", help="a partner's districts (5-digit AGS)")
    add.add_argument("--email", help="the e-mail of the account's organisation login (OpenID Connect)")
    add.add_argument("--no-password", action="store_true", help="log in only with the organisation login")
    add.set_defaults(handler=_add)
    listing = commands.add_parser("list", parents=[common], help="list the accounts")
    listing.set_defaults(handler=_list)
    disable = commands.add_parser("disable", parents=[common], help="disable an account and end its sessions")
    disable.add_argument("name")
    disable.set_defaults(handler=_disable)
    password = commands.add_parser("password", parents=[common], help="set a new password (from standard input)")
    password.add_argument("name")
    password.set_defaults(handler=_password)

    from geo.cli import proposals as cli_proposals

    cli_proposals.register(subparsers, common_options(), acting)


def _split(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _add(args: argparse.Namespace) -> int:
    from geo.store import reference

    scope_sites, districts = _split(args.scope_sites), _split(args.districts)
    unknown = _unknown_scope(args.sites, scope_sites, districts, reference)
    if unknown:
        say(args, "cli_scope_unknown", error=True, names=", ".join(unknown))
        return ExitCode.REFUSED
    password = None
    if not args.no_password:
        password = read_password(args, "cli_new_password", name=args.name)
        if sys.stdin.isatty() and read_password(args, "cli_repeat_password") != password:
            say(args, "cli_passwords_differ", error=True)
            return ExitCode.REFUSED
    try:
        account = accounts.add(
            args.sites, args.name, args.role, password, sites=scope_sites, districts=districts, email=args.email
        )
    except accounts.AccountError as error:
        say(args, error.key, error=True, **error.values)
        return ExitCode.REFUSED
    say(args, "cli_account_added", name=account.name, role=account.role)
    return ExitCode.OK


def _unknown_scope(sites_path, scope_sites: list[str], districts: list[str], reference) -> list[str]:
    """Site ids and district codes of a partner's scope that the data does not know."""
    from geo import store

    unknown = []
    if scope_sites:
        known = set(store.read_sites(sites_path, missing_ok=True)["site_id"].astype(str))
        unknown += [site for site in scope_sites if site not in known]
    if districts:
        known_districts = set(reference.read_layer("districts")["ags"].astype(str))
        unknown += [code for code in districts if code not in known_districts]
    return unknown


def _list(args: argparse.Namespace) -> int:
    found = accounts.list_accounts(args.sites)
    if not found:
        say(args, "cli_no_accounts")
        return ExitCode.OK
    for account in found:
        scope = ", ".join([*account.sites, *account.districts]) or "–"
        state = "disabled" if not account.active else "active"
        email = account.email or "–"
        print(f"  {account.name:<24} {account.role:<8} {state:<9} {email:<28} {scope}")
    return ExitCode.OK


def _disable(args: argparse.Namespace) -> int:
    try:
        account = accounts.disable(args.sites, args.name)
    except accounts.AccountError as error:
        say(args, error.key, error=True, **error.values)
        return ExitCode.REFUSED
    say(args, "cli_account_disabled", name=account.name)
    return ExitCode.OK


def _password(args: argparse.Namespace) -> int:
    if accounts.get(args.sites, args.name) is None:
        say(args, "account_unknown", error=True, name=accounts.normal_name(args.name))
        return ExitCode.REFUSED
    password = read_password(args, "cli_new_password", name=args.name)
    if sys.stdin.isatty() and read_password(args, "cli_repeat_password") != password:
        say(args, "cli_passwords_differ", error=True)
        return ExitCode.REFUSED
    try:
        accounts.set_password(args.sites, args.name, password)
    except accounts.AccountError as error:
        say(args, error.key, error=True, **error.values)
        return ExitCode.REFUSED
    say(args, "cli_password_set", name=accounts.normal_name(args.name))
    return ExitCode.OK
