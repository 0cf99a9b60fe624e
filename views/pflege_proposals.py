"""Staff page, tab "Proposals": editors review a partner's pending proposal against the data live now and
approve it (never their own: four eyes) or reject it with a reason; partners see their own proposals, their
state and the reasons. Decisions go through geo.imports.workflow, which checks them again where it writes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from geo.core.formatting import format_number
from geo.imports import importer, workflow
from geo.store import changes
from geo.store.accounts import Account
from geo.texts import t
from views.pflege_common import local_time, plain, set_notice
from views.pflege_import import show_diff
from views.pflege_outcomes import write_refused
from views.tables import show_frame

REVIEWED = "steward_reviewed_proposal"
REASON = "steward_reject_reason"
DECIDED_SHOWN = 20


def approve(proposal_id: int, version: str, path: Path, actor: Account) -> None:
    with write_refused(path, f"approving proposal {proposal_id}"):
        outcome = workflow.approve(proposal_id, path, actor, expected_version=version)
        set_notice("success", "steward_proposal_approved", number=proposal_id, fields=len(outcome.records))
        st.session_state.pop(REVIEWED, None)


def reject(proposal_id: int, reason_key: str, path: Path, actor: Account) -> None:
    reason = str(st.session_state.get(reason_key) or "")
    with write_refused(path, f"rejecting proposal {proposal_id}"):
        workflow.reject(proposal_id, path, actor, reason)
        set_notice("success", "steward_proposal_rejected", number=proposal_id)
        st.session_state.pop(REVIEWED, None)


def proposal_label(proposal: changes.Proposal, lang: str) -> str:
    summary = proposal.summary
    return t(
        "steward_proposal_label",
        lang,
        number=proposal.proposal_id,
        author=proposal.author,
        when=local_time(proposal.created_at, lang),
        sites=format_number(len(proposal.site_ids), lang),
        kind=t(f"steward_proposal_kind_{proposal.kind}", lang),
        label=str(summary.get("label") or ""),
    )


def show_review_queue(lang: str, path: Path, actor: Account) -> None:
    pending = changes.proposals(path, status=changes.PENDING)
    if not pending:
        st.info(t("steward_no_pending", lang))
    else:
        st.caption(t("steward_pending_intro", lang, count=format_number(len(pending), lang)))
        labels = {proposal.proposal_id: proposal_label(proposal, lang) for proposal in pending}
        chosen = st.selectbox(
            t("steward_choose_proposal", lang),
            list(labels),
            key="steward_proposal_choice",
            format_func=lambda number: labels.get(number, str(number)),
        )
        if chosen is not None:
            show_proposal(int(chosen), lang, path, actor)
    decided = [proposal for proposal in changes.proposals(path) if proposal.status != changes.PENDING]
    if decided:
        st.header(t("steward_decided_heading", lang))
        show_frame(proposal_table(decided[:DECIDED_SHOWN], lang))


def show_proposal(proposal_id: int, lang: str, path: Path, actor: Account) -> None:
    try:
        proposal, diff, version = workflow.review(proposal_id, path)
    except workflow.ProposalClosed:
        st.warning(t("steward_proposal_closed", lang))
        return
    except importer.ImportRefused as refused:  # the data changed so that the proposal no longer fits
        proposal, diff, version = None, None, ""
        st.error(t("steward_proposal_no_longer_fits", lang, count=format_number(len(refused.problems), lang)))
    if proposal is not None and diff is not None:
        st.caption(t("steward_proposal_author", lang, author=plain(proposal.author)))
        show_diff(diff, lang, path)
    own = proposal is not None and proposal.author == actor.name
    if own:
        st.info(t("steward_own_proposal", lang))
    left, right = st.columns(2)
    left.button(
        t("steward_approve", lang),
        key="steward_approve",
        type="primary",
        disabled=own or diff is None or not diff.has_changes,
        help=t("steward_approve_help", lang),
        on_click=approve,
        args=(proposal_id, version, path, actor),
    )
    reason_key = f"{REASON}_{proposal_id}"
    right.text_area(t("steward_reject_reason", lang), key=reason_key, max_chars=1000, height=80)
    right.button(
        t("steward_reject", lang),
        key="steward_reject",
        on_click=reject,
        args=(proposal_id, reason_key, path, actor),
    )


def show_own_proposals(lang: str, path: Path, actor: Account) -> None:
    mine = changes.proposals(path, author=actor.name)
    if not mine:
        st.info(t("steward_no_own_proposals", lang))
        return
    st.caption(t("steward_own_proposals_intro", lang))
    show_frame(proposal_table(mine, lang))


def proposal_table(proposals: list[changes.Proposal], lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("steward_col_proposal", lang): [f"#{proposal.proposal_id}" for proposal in proposals],
            t("steward_col_author", lang): [proposal.author for proposal in proposals],
            t("steward_col_submitted", lang): [local_time(proposal.created_at, lang) for proposal in proposals],
            t("steward_col_sites", lang): [", ".join(proposal.site_ids) for proposal in proposals],
            t("steward_col_status", lang): [t(f"steward_status_{proposal.status}", lang) for proposal in proposals],
            t("steward_col_decided", lang): [
                ""
                if proposal.decided_at is None
                else f"{local_time(proposal.decided_at, lang)} ({proposal.decided_by})"
                for proposal in proposals
            ],
            t("steward_col_reason", lang): [proposal.reason or "" for proposal in proposals],
        }
    )
