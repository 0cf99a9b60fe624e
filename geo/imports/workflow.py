"""The one write path for people: who may change the sites, how a partner's proposal becomes live, and
the change log of every write.

Every function here takes the acting account and checks it where the data is written, whatever called it
(the staff page, the command line, a script): a partner may only propose, and only for the sites of its
scope; a proposal goes live only when an editor other than its author approves it; only editors apply,
undo and restore. A disabled account, or the shared password once named accounts exist, may do nothing.
The checks run again at approval, against the author's scope and the data of that moment.

Each applied change is logged in the stewardship ledger together with the write (geo.store.ledger's
`sites_write`): who proposed, who approved, when, and every field before and after (geo.imports.audit).
Approved proposals and the staff page's form also mark the figures of the sites they carry as confirmed
on that day (`last_verified`), which is the date visitors see beside a site's figures.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo import store
from geo.core.district_figures import CHANGE_SAME
from geo.imports import audit, proposal_payload
from geo.imports import figures as figure_import
from geo.imports.diff import diff_sites
from geo.imports.reading_base import cell_text
from geo.imports.results import ERROR, ImportRefused, ImportResult, SiteDiff
from geo.sites import facts as site_facts
from geo.store import accounts, changes
from geo.store.accounts import Account
from geo.store.changes import FieldRecord, Proposal
from geo.store.ledger import Ledger, Session, now

LOG = logging.getLogger(__name__)
FORM, FILE = "form", "file"


class NotPermitted(Exception):
    """The account may not do this; nothing was written. ``key``/``values`` name the reason (geo.texts)."""

    def __init__(self, key: str, **values: object):
        self.key = key
        self.values = values
        super().__init__(f"{key}: {values}")


class OutOfScope(NotPermitted):
    """A proposal touches sites outside the partner's scope; it is refused whole and nothing is stored."""

    def __init__(self, sites: list[str]):
        self.sites = sites
        super().__init__("workflow_out_of_scope", sites=", ".join(sites))


class NothingToPropose(Exception):
    """The proposal would change nothing."""


class ProposalClosed(Exception):
    """The proposal is no longer pending (approved or rejected meanwhile) or does not exist."""


@dataclass(frozen=True)
class Outcome:
    """What a write did: the change log entry, the new data version and the fields it changed."""

    change_id: int | None
    data_version: str
    records: tuple[FieldRecord, ...]
    diff: SiteDiff | None = None
    version: store.Version | None = None  # the kept version an undo or restore made live

    @property
    def written(self) -> bool:
        return self.change_id is not None


# --- who acts -------------------------------------------------------------------------------------------


def acting(path: Path | str, actor: Account) -> Account:
    """The actor as the store knows it now: a disabled account, an unknown name, or the shared password
    once named accounts exist, may do nothing."""
    if actor.shared:
        if accounts.any_accounts(path):
            raise NotPermitted("workflow_shared_password_retired")
        return actor
    current = accounts.get(path, actor.name)
    if current is None or not current.active:
        raise NotPermitted("workflow_account_disabled", name=actor.name)
    return current


def require(path: Path | str, actor: Account, right: str) -> Account:
    current = acting(path, actor)
    if not current.may(right):
        raise NotPermitted(f"workflow_may_not_{right}", name=current.name, role=current.role)
    return current


def out_of_scope(account: Account, diff: SiteDiff, live: gpd.GeoDataFrame) -> list[str]:
    """The sites a change touches that ``account`` does not cover: a new site must lie in one of its
    districts; a changed or removed site must be one of its sites or lie in one of its districts, and a
    moved one must stay within its scope."""
    if account.role != "partner":
        return []
    live_district = _districts(live)
    new_district = _districts(diff.result)
    refused = [site for site in diff.new if new_district.get(site) not in account.districts]
    for site in [*diff.changed, *diff.removed]:
        if not account.covers(site, live_district.get(site)) or (
            site in new_district and not account.covers(site, new_district[site])
        ):
            refused.append(site)
    return sorted(set(refused))


def _districts(sites: gpd.GeoDataFrame) -> dict[str, str | None]:
    if sites is None or sites.empty or "district_ags" not in sites.columns:
        return {}
    return {
        str(site_id): cell_text(district)
        for site_id, district in zip(sites["site_id"], sites["district_ags"], strict=True)
        if cell_text(site_id) is not None
    }


# --- proposals ------------------------------------------------------------------------------------------


def propose(
    result: ImportResult,
    path: Path | str,
    actor: Account,
    *,
    kind: str = FILE,
    replace: bool = False,
    label: str = "",
    today: date | None = None,
) -> Proposal:
    """Store a proposal: checked against the live data and the author's scope first; out of scope, with
    errors or without any change, it is refused whole and nothing is stored."""
    author = require(path, actor, "propose")
    if author.shared:
        raise NotPermitted("workflow_shared_cannot_propose")
    if not result.ok:
        raise ImportRefused(result.errors)
    live, facts, version = _live(path)
    diff = _compare(result, live, facts, replace=replace, confirm=True, today=today)
    if refused := out_of_scope(author, diff, live):
        raise OutOfScope(refused)
    if not diff.has_changes:
        raise NothingToPropose()
    counts = diff.counts()
    summary: dict[str, object] = {
        "label": label,
        "replace": replace,
        **{key: counts[key] for key in ("new", "changed", "removed")},
        "names": {site: diff.names.get(site) for site in _touched(diff)},
    }
    with Ledger(path).session(write=True) as session:
        proposal_id = changes.add_proposal(
            session,
            author=author.name,
            when=now(),
            kind=kind,
            site_ids=_touched(diff),
            summary=summary,
            payload=proposal_payload.dumps(result),
            base_version=version,
        )
        found = changes.proposal(session, proposal_id)
    assert found is not None
    return found[0]


def review(proposal_id: int, path: Path | str, *, today: date | None = None) -> tuple[Proposal, SiteDiff, str]:
    """A proposal compared with the data live now (what approving it would write) and that data's version."""
    found = changes.read_proposal(path, proposal_id)
    if found is None:
        raise ProposalClosed(proposal_id)
    proposal, payload = found
    live, facts, version = _live(path)
    result = proposal_payload.loads(payload)
    return proposal, _compare(result, live, facts, replace=_replace(proposal), confirm=True, today=today), version


def approve(
    proposal_id: int,
    path: Path | str,
    actor: Account,
    *,
    expected_version: str | None = None,
    today: date | None = None,
) -> Outcome:
    """Make a pending proposal live: by an editor who is not its author, within the author's scope as it
    is now, against the data the editor reviewed (``expected_version``)."""
    approver = require(path, actor, "review")
    ledger = Ledger(path)
    with ledger.sites_write() as session:
        found = changes.proposal(session, proposal_id)
        if found is None or found[0].status != changes.PENDING:
            raise ProposalClosed(proposal_id)
        proposal, payload = found
        if proposal.author == approver.name:
            raise NotPermitted("workflow_four_eyes")
        author = accounts.get(path, proposal.author)
        if author is None or not author.active:
            raise NotPermitted("workflow_author_disabled", name=proposal.author)
        result = proposal_payload.loads(payload)
        outcome = _write(
            session,
            result,
            path,
            proposed_by=author,
            approved_by=approver,
            kind="proposal",
            replace=_replace(proposal),
            confirm=True,
            expected_version=expected_version,
            today=today,
            proposal_id=proposal_id,
        )
        if not changes.decide(
            session, proposal_id, status=changes.APPROVED, by=approver.name, when=now(), change_id=outcome.change_id
        ):
            raise ProposalClosed(proposal_id)
    return outcome


def reject(proposal_id: int, path: Path | str, actor: Account, reason: str) -> Proposal:
    """Close a pending proposal with a reason its author sees; nothing changes in the sites."""
    editor = require(path, actor, "review")
    reason = (reason or "").strip()
    if not reason:
        raise NotPermitted("workflow_reason_needed")
    with Ledger(path).session(write=True) as session:
        if not changes.decide(session, proposal_id, status=changes.REJECTED, by=editor.name, when=now(), reason=reason):
            raise ProposalClosed(proposal_id)
        found = changes.proposal(session, proposal_id)
    assert found is not None
    return found[0]


# --- direct writes by editors -----------------------------------------------------------------------------


def apply(
    result: ImportResult,
    path: Path | str,
    actor: Account,
    *,
    replace: bool = False,
    confirm: bool = False,
    expected_version: str | None = None,
    today: date | None = None,
) -> Outcome:
    """An editor's own change, applied at once (the editor proposes and approves it); partners may not."""
    editor = require(path, actor, "apply")
    with Ledger(path).sites_write() as session:
        return _write(
            session,
            result,
            path,
            proposed_by=editor,
            approved_by=editor,
            kind="import",
            replace=replace,
            confirm=confirm,
            expected_version=expected_version,
            today=today,
        )


def undo(path: Path | str, actor: Account, *, expected_version: str | None = None) -> Outcome:
    """Back to the state before the last write (geo.store.undo), logged like any change."""
    editor = require(path, actor, "undo")
    with Ledger(path).sites_write() as session:
        before_sites, before_facts, before_version = _live_even_damaged(path)
        version = store.undo(Path(path), expected_version=expected_version)
        return _log_state_change(session, "undo", editor, before_sites, before_facts, before_version, path, version)


def restore(version_id: str, path: Path | str, actor: Account, *, expected_version: str | None = None) -> Outcome:
    """Make a kept version live again (geo.store.restore), logged like any change."""
    editor = require(path, actor, "undo")
    with Ledger(path).sites_write() as session:
        before_sites, before_facts, before_version = _live_even_damaged(path)
        version = store.restore(version_id, Path(path), expected_version=expected_version)
        return _log_state_change(session, "restore", editor, before_sites, before_facts, before_version, path, version)


# --- the steps --------------------------------------------------------------------------------------------


def apply_figures(review: figure_import.FiguresReview, actor: Account) -> Outcome:
    """An editor's district figures (geo.imports.figures): a new store version with the sites unchanged,
    logged like any change; a record's ``site_id`` is then the district's AGS and its field the
    indicator, before and after as "value (date)". Partners may not."""
    editor = require(review.sites_path, actor, "apply")
    with Ledger(review.sites_path).sites_write() as session:
        before_version = store.data_version(Path(review.sites_path))
        version = figure_import.apply_figures(review)
        records = [
            FieldRecord(
                str(row.ags),
                str(row.indicator),
                None if pd.isna(row.old_value) else _figure_text(row.old_value, row.old_as_of),
                _figure_text(row.new_value, row.new_as_of),
            )
            for row in review.changes.itertuples(index=False)
            if row.change != CHANGE_SAME
        ]
        change_id = changes.record_change(
            session,
            kind="figures",
            when=now(),
            proposed_by=editor.name,
            approved_by=editor.name,
            version_before=before_version,
            version_after=version,
            fields=records,
        )
        return Outcome(change_id, version, tuple(records))


def _figure_text(value: float, as_of: str) -> str:
    """A figure as the log keeps it: every digit (the log is text for people and tools, not formatted)."""
    number = f"{value:.0f}" if float(value).is_integer() else repr(float(value))
    return f"{number} ({as_of})"


def _live(path: Path | str) -> tuple[gpd.GeoDataFrame, pd.DataFrame, str]:
    version = store.data_version(Path(path))
    return store.read_sites(Path(path), missing_ok=True), store.live_facts(path), version


def _live_even_damaged(path: Path | str) -> tuple[gpd.GeoDataFrame, pd.DataFrame, str]:
    """The live state before an undo or restore; a damaged live file (what they repair) counts as empty,
    so the log then lists the restored state's fields as new."""
    try:
        return _live(path)
    except Exception:  # a damaged file fails in the sites or in the facts reader; the undo must still work
        LOG.warning("the live sites at %s cannot be read before the undo; logged as empty", path, exc_info=True)
        return store.empty_sites(), site_facts.empty_table(), store.data_version(Path(path))


def _compare(
    result: ImportResult,
    live: gpd.GeoDataFrame,
    facts: pd.DataFrame,
    *,
    replace: bool,
    confirm: bool,
    today: date | None,
) -> SiteDiff:
    diff = diff_sites(live, result, replace=replace, today=today, current_facts=facts, confirm_facts=confirm)
    if refused := [note for note in diff.notes if note.severity == ERROR]:
        raise ImportRefused(refused)
    return diff


def _write(
    session: Session,
    result: ImportResult,
    path: Path | str,
    *,
    proposed_by: Account,
    approved_by: Account,
    kind: str,
    replace: bool,
    confirm: bool,
    expected_version: str | None,
    today: date | None,
    proposal_id: int | None = None,
) -> Outcome:
    """Compare, check the proposer's scope, write the sites and log the change — under the write lock."""
    if not result.ok:
        raise ImportRefused(result.errors)
    live, facts, version = _live(path)
    if expected_version is not None and version != expected_version:
        raise store.StaleData(f"{store.location_label(Path(path))} was changed in the meantime; review again")
    diff = _compare(result, live, facts, replace=replace, confirm=confirm, today=today)
    if refused := out_of_scope(proposed_by, diff, live):
        raise OutOfScope(refused)
    if not diff.has_changes:
        return Outcome(None, version, (), diff)
    new_version = store.write_sites(diff.result, Path(path), expected_version=version, facts=diff.facts)
    after_facts = diff.facts if diff.facts is not None else facts[facts["site_id"].isin(set(diff.result["site_id"]))]
    records = audit.field_records(live, facts, diff.result, after_facts)
    change_id = changes.record_change(
        session,
        kind=kind,
        when=now(),
        proposed_by=proposed_by.name,
        approved_by=approved_by.name,
        version_before=version,
        version_after=new_version,
        fields=records,
        proposal_id=proposal_id,
    )
    return Outcome(change_id, new_version, tuple(records), diff)


def _log_state_change(
    session: Session,
    kind: str,
    editor: Account,
    before_sites: gpd.GeoDataFrame,
    before_facts: pd.DataFrame,
    before_version: str,
    path: Path | str,
    version: store.Version,
) -> Outcome:
    after_sites, after_facts, after_version = _live(path)
    records = audit.field_records(before_sites, before_facts, after_sites, after_facts)
    change_id = changes.record_change(
        session,
        kind=kind,
        when=now(),
        proposed_by=editor.name,
        approved_by=editor.name,
        version_before=before_version,
        version_after=after_version,
        fields=records,
    )
    return Outcome(change_id, after_version, tuple(records), None, version)


def _touched(diff: SiteDiff) -> list[str]:
    return list(dict.fromkeys([*diff.new, *diff.changed, *diff.removed]))


def _replace(proposal: Proposal) -> bool:
    return bool(proposal.summary.get("replace"))
