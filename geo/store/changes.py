"""Proposals and the change log in the stewardship ledger (geo.store.ledger): stored and read here, decided
by geo.imports.workflow, which checks who may do what before anything reaches these functions.

A proposal holds a partner's checked changes (the payload) until an editor approves or rejects it; the
change log holds one entry per applied change — who proposed it, who approved it, when, and every field
of every site before and after — and is only ever added to.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from geo.store.ledger import Ledger, Session, moment

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
_PROPOSAL_COLUMNS = (
    "proposal_id, author, created_at, kind, site_ids, summary, base_version, status, decided_by, decided_at,"
    " reason, change_id"
)
_CHANGE_COLUMNS = "change_id, applied_at, kind, proposal_id, proposed_by, approved_by, version_before, version_after"


@dataclass(frozen=True)
class Proposal:
    proposal_id: int
    author: str
    created_at: datetime
    kind: str  # "file" or "form"
    site_ids: tuple[str, ...]
    summary: dict[str, object]
    base_version: str
    status: str
    decided_by: str | None = None
    decided_at: datetime | None = None
    reason: str | None = None
    change_id: int | None = None


@dataclass(frozen=True)
class FieldRecord:
    """One field of one site before and after a change (None: absent)."""

    site_id: str
    field: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Change:
    change_id: int
    applied_at: datetime
    kind: str  # "proposal", "import", "undo", "restore"
    proposal_id: int | None
    proposed_by: str
    approved_by: str
    version_before: str | None
    version_after: str
    fields: tuple[FieldRecord, ...] = field(default=())


# --- proposals ------------------------------------------------------------------------------------------


def add_proposal(
    session: Session,
    *,
    author: str,
    when: datetime,
    kind: str,
    site_ids: list[str],
    summary: dict[str, object],
    payload: str,
    base_version: str,
) -> int:
    row = session.row(
        "INSERT INTO atlas.proposals (author, created_at, kind, site_ids, summary, payload, base_version)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING proposal_id",
        (author, when, kind, json.dumps(site_ids), json.dumps(summary, ensure_ascii=False), payload, base_version),
    )
    assert row is not None
    return int(row[0])


def proposals(sites_path: Path | str, *, status: str | None = None, author: str | None = None) -> list[Proposal]:
    """Proposals, newest first; optionally only those of one status or one author."""
    ledger = Ledger(sites_path)
    if not ledger.exists():
        return []
    conditions, params = [], []
    if status is not None:
        conditions.append("status = %s")
        params.append(status)
    if author is not None:
        conditions.append("author = %s")
        params.append(author)
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    with ledger.session() as session:
        rows = session.rows(f"SELECT {_PROPOSAL_COLUMNS} FROM atlas.proposals{where} ORDER BY proposal_id DESC", params)
    return [_proposal(row) for row in rows]


def proposal(session: Session, proposal_id: int) -> tuple[Proposal, str] | None:
    """A proposal and its payload, read inside the caller's transaction."""
    row = session.row(
        f"SELECT {_PROPOSAL_COLUMNS}, payload FROM atlas.proposals WHERE proposal_id = %s", (proposal_id,)
    )
    return None if row is None else (_proposal(row[:-1]), str(row[-1]))


def read_proposal(sites_path: Path | str, proposal_id: int) -> tuple[Proposal, str] | None:
    ledger = Ledger(sites_path)
    if not ledger.exists():
        return None
    with ledger.session() as session:
        return proposal(session, proposal_id)


def decide(
    session: Session,
    proposal_id: int,
    *,
    status: str,
    by: str,
    when: datetime,
    reason: str | None = None,
    change_id: int | None = None,
) -> bool:
    """Close a pending proposal; False when it was no longer pending (decided by someone else meanwhile)."""
    changed = session.run(
        "UPDATE atlas.proposals SET status = %s, decided_by = %s, decided_at = %s, reason = %s, change_id = %s"
        " WHERE proposal_id = %s AND status = %s",
        (status, by, when, reason, change_id, proposal_id, PENDING),
    )
    return changed == 1


# --- the change log ---------------------------------------------------------------------------------------


def record_change(
    session: Session,
    *,
    kind: str,
    when: datetime,
    proposed_by: str,
    approved_by: str,
    version_before: str | None,
    version_after: str,
    fields: list[FieldRecord],
    proposal_id: int | None = None,
) -> int:
    row = session.row(
        "INSERT INTO atlas.changes (applied_at, kind, proposal_id, proposed_by, approved_by, version_before,"
        " version_after) VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING change_id",
        (when, kind, proposal_id, proposed_by, approved_by, version_before, version_after),
    )
    assert row is not None
    change_id = int(row[0])
    for record in fields:
        session.run(
            "INSERT INTO atlas.change_fields (change_id, site_id, field, before, after) VALUES (%s, %s, %s, %s, %s)",
            (change_id, record.site_id, record.field, record.before, record.after),
        )
    return change_id


def site_history(sites_path: Path | str, site_id: str) -> list[Change]:
    """Every applied change of one site, newest first, each with the site's fields before and after."""
    ledger = Ledger(sites_path)
    if not ledger.exists():
        return []
    with ledger.session() as session:
        field_rows = session.rows(
            "SELECT change_id, site_id, field, before, after FROM atlas.change_fields WHERE site_id = %s"
            " ORDER BY change_id DESC, field",
            (site_id,),
        )
        ids = sorted({row[0] for row in field_rows}, reverse=True)
        entries = [
            session.row(f"SELECT {_CHANGE_COLUMNS} FROM atlas.changes WHERE change_id = %s", (change_id,))
            for change_id in ids
        ]
    by_change: dict[int, list[FieldRecord]] = {}
    for change_id, *values in field_rows:
        by_change.setdefault(int(change_id), []).append(FieldRecord(*values))
    return [_change(entry, tuple(by_change[int(entry[0])])) for entry in entries if entry is not None]


def recent_changes(sites_path: Path | str, limit: int = 50) -> list[Change]:
    """The last ``limit`` changes, newest first, without their fields."""
    ledger = Ledger(sites_path)
    if not ledger.exists():
        return []
    with ledger.session() as session:
        rows = session.rows(f"SELECT {_CHANGE_COLUMNS} FROM atlas.changes ORDER BY change_id DESC LIMIT %s", (limit,))
    return [_change(row, ()) for row in rows]


def last_applied(sites_path: Path | str) -> dict[str, datetime]:
    """Per site, when a change of it was last applied (the approval date visitors see)."""
    ledger = Ledger(sites_path)
    if not ledger.exists():
        return {}
    with ledger.session() as session:
        rows = session.rows(
            "SELECT f.site_id, max(c.applied_at) FROM atlas.change_fields f JOIN atlas.changes c USING (change_id)"
            " GROUP BY f.site_id"
        )
    return {str(site_id): when for site_id, applied in rows if (when := moment(applied)) is not None}


def _proposal(row: tuple) -> Proposal:
    proposal_id, author, created_at, kind, site_ids, summary, base, status, by, decided_at, reason, change = row
    created = moment(created_at)
    assert created is not None
    return Proposal(
        int(proposal_id),
        author,
        created,
        kind,
        tuple(json.loads(site_ids)),
        json.loads(summary),
        base,
        status,
        by,
        moment(decided_at),
        reason,
        None if change is None else int(change),
    )


def _change(row: tuple, fields: tuple[FieldRecord, ...]) -> Change:
    change_id, applied_at, kind, proposal_id, proposed_by, approved_by, before, after = row
    applied = moment(applied_at)
    assert applied is not None
    return Change(
        int(change_id),
        applied,
        kind,
        None if proposal_id is None else int(proposal_id),
        proposed_by,
        approved_by,
        before,
        after,
        fields,
    )
