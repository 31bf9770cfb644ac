"""Approving or rejecting a proposal: once per subject, and the buttons say why when they cannot be used."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from orchestration.core.decisions import AlreadyDecided, SubjectKind, read_decisions, record_decision


def in_force(subject_kind: SubjectKind) -> pd.DataFrame:
    """The decision on each subject of this kind, indexed by subject_id (decision, decided_by, decided_at, note)."""
    decided = read_decisions()
    return decided[decided.subject_kind == subject_kind].set_index("subject_id")


def described(decision: pd.Series) -> str:
    text = f"{decision.decision} by {decision.decided_by} at {decision.decided_at:%Y-%m-%d %H:%M} UTC"
    return text + (f": “{decision.note}”" if decision.note else "")


def why_not(decided_by: str, earlier: pd.Series | None) -> str | None:
    """Why the subject cannot be decided now, or None when it can."""
    if earlier is not None:
        return f"Already {described(earlier)}. A decision is made once."
    if not decided_by.strip():
        return "Enter who decides to approve or reject."
    return None


def buttons(subject_kind: SubjectKind, subject_id: str, decided_by: str, note: str,
            earlier: pd.Series | None) -> None:
    """Approve and Reject side by side, disabled with the reason shown when they cannot be used. A decision
    another session recorded meanwhile (a second browser tab) is refused by the log and shown here."""
    reason = why_not(decided_by, earlier)
    for column, (decision, label) in zip(st.columns(2), (("approved", "Approve"), ("rejected", "Reject"))):
        if column.button(label, key=f"{decision}-{subject_id}", disabled=reason is not None, help=reason,
                         width="stretch"):
            try:
                record_decision(subject_kind, subject_id, decision, decided_by, note)
            except AlreadyDecided as refused:
                st.error(f"Not recorded: {refused}")
                return
            st.rerun()
    if reason:
        st.caption(reason)
