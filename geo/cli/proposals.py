"""``python -m geo proposals list|show|approve|reject``: partners' proposals on the command line.

`show` compares a proposal with the data live now (what approving it would write); `approve` and `reject`
act as the account of ``--as NAME`` (its password from standard input) through geo.imports.workflow, so
the four-eyes rule and the author's scope are checked exactly as on the staff page.
"""

from __future__ import annotations

import argparse

from geo import store
from geo.cli.acting import acting_account, proposal_line, say
from geo.core.errors import ExitCode, user_message
from geo.imports import workflow
from geo.imports.results import ImportRefused
from geo.store import changes


def register(
    subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser, acting: argparse.ArgumentParser
) -> None:
    group = subparsers.add_parser("proposals", help="partners' proposals: list, show, approve, reject")
    commands = group.add_subparsers(dest="proposals_command", required=True, metavar="<proposals command>")
    listing = commands.add_parser("list", parents=[common], help="list proposals, newest first")
    listing.add_argument("--status", choices=[changes.PENDING, changes.APPROVED, changes.REJECTED])
    listing.set_defaults(handler=_list)
    show = commands.add_parser("show", parents=[common], help="what a proposal would change now")
    show.add_argument("proposal_id", type=int, metavar="ID")
    show.set_defaults(handler=_show)
    approve = commands.add_parser("approve", parents=[common, acting], help="approve a proposal (another editor)")
    approve.add_argument("proposal_id", type=int, metavar="ID")
    approve.set_defaults(handler=_approve)
    reject = commands.add_parser("reject", parents=[common, acting], help="reject a proposal with a reason")
    reject.add_argument("proposal_id", type=int, metavar="ID")
    reject.add_argument("--reason", required=True, help="why (the partner sees it)")
    reject.set_defaults(handler=_reject)


def _list(args: argparse.Namespace) -> int:
    found = changes.proposals(args.sites, status=args.status)
    if not found:
        say(args, "cli_no_proposals")
        return ExitCode.OK
    for proposal in found:
        print(proposal_line(proposal))
        if proposal.reason:
            print(f"         {proposal.reason}")
    return ExitCode.OK


def _show(args: argparse.Namespace) -> int:
    from geo.cli.stewardship import _print_diff, _Printer

    try:
        proposal, diff, _ = workflow.review(args.proposal_id, args.sites)
    except workflow.ProposalClosed:
        say(args, "cli_proposal_unknown", error=True, number=args.proposal_id)
        return ExitCode.REFUSED
    print(proposal_line(proposal))
    if proposal.reason:
        print(f"         {proposal.reason}")
    _print_diff(diff, args, _Printer(args.lang))
    return ExitCode.OK


def _decide(args: argparse.Namespace, decide) -> int:
    account = acting_account(args)
    if account is None:
        return ExitCode.REFUSED
    try:
        decide(account)
    except workflow.ProposalClosed:
        say(args, "cli_proposal_closed", error=True, number=args.proposal_id)
    except workflow.NotPermitted as refused:
        say(args, refused.key, error=True, **refused.values)
    except ImportRefused as refused:
        for problem in refused.problems:
            print(f"  {problem.location('en')}: {problem.message_de} / {problem.message_en}")
        say(args, "cli_proposal_refused", error=True, number=args.proposal_id)
    except store.StoreError as error:
        print(f"Fehler / error: {user_message(error)}")
    else:
        return ExitCode.OK
    return ExitCode.REFUSED


def _approve(args: argparse.Namespace) -> int:
    def approve(account) -> None:
        outcome = workflow.approve(args.proposal_id, args.sites, account)
        say(args, "cli_proposal_approved", number=args.proposal_id, fields=len(outcome.records))

    return _decide(args, approve)


def _reject(args: argparse.Namespace) -> int:
    def reject(account) -> None:
        workflow.reject(args.proposal_id, args.sites, account, args.reason)
        say(args, "cli_proposal_rejected", number=args.proposal_id)

    return _decide(args, reject)
