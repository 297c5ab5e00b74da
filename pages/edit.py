"""Edit or delete one incident; its history (old → new per field), undo and redo.

Opened from the map's detail panel (``?incident=<id>``) or by picking an incident.
Everyone sees the history; only editors change anything (see pages/access.py).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from geo import (
    CLAIM_STATUSES,
    DATE_PRECISIONS,
    EVENT_TYPES,
    GeoError,
    apply_edits,
    get_settings,
    redo_edit,
    role_values,
    undo_edit,
    undo_redo_state,
)
from pages.access import current_user, require_editor
from pages.common import ensure_app_navigation, store

ensure_app_navigation()


def _pick(db: Any) -> str | None:
    frame = db.query()
    if frame.empty:
        st.info("The store holds no incident yet.")
        return None
    ids = list(frame["incident_id"])
    labels = {
        r.incident_id: f"{pd.Timestamp(r.event_date).date()} · {r.location_name} · {r.event_type}"
        for r in frame.itertuples()
    }
    wanted = st.query_params.get("incident") or st.session_state.get("detail")
    index = ids.index(wanted) if wanted in ids else 0
    chosen = st.selectbox("Incident", ids, index=index, format_func=labels.get, key="edit_pick")
    st.query_params["incident"] = chosen
    return str(chosen)


def _form(db: Any, ident: str) -> None:
    inc = db.get(ident)
    with st.form(f"edit_{ident}"):
        c1, c2, c3 = st.columns(3)
        values = {
            "event_date": c1.date_input("Date", value=inc.event_date),
            "date_precision": c2.selectbox(
                "Date precision", DATE_PRECISIONS, index=DATE_PRECISIONS.index(inc.date_precision)
            ),
            "event_type": c3.selectbox(
                "Event type", list(EVENT_TYPES), index=list(EVENT_TYPES).index(inc.event_type)
            ),
            "location_name": c1.text_input("Place", value=inc.location_name),
            "claim_status": c2.selectbox(
                "Claim status", CLAIM_STATUSES, index=CLAIM_STATUSES.index(inc.claim_status)
            ),
            "actors": c3.text_input("Actors (; between)", value="; ".join(inc.actors)),
            "sub_event_type": c1.text_input("Sub-event type", value=inc.sub_event_type),
            "wounded": c2.text_input("Wounded", value=_num(inc.wounded)),
            "fatalities_low": c1.text_input("Fatalities, low", value=_num(inc.fatalities_low)),
            "fatalities_best": c2.text_input("Fatalities, best", value=_num(inc.fatalities_best)),
            "fatalities_high": c3.text_input("Fatalities, high", value=_num(inc.fatalities_high)),
            **_role_inputs(inc),
            "notes": st.text_area("Notes", value=inc.notes),
        }
        if st.form_submit_button("Save changes", type="primary"):
            try:
                edited = apply_edits(inc, values)
                changes = {
                    k: getattr(edited, k)
                    for k in (*values, "evidence")
                    if hasattr(inc, k) and getattr(edited, k) != getattr(inc, k)
                }
                if changes:
                    db.update(ident, changes, user=current_user())
                    st.session_state["edit_msg"] = f"Saved: {', '.join(sorted(changes))}."
                    st.rerun()
                st.info("Nothing changed.")
            except GeoError as exc:
                st.error(str(exc))


_ROLE_LABELS = {
    "actor1": "Actor 1 (perpetrator)",
    "assoc_actor_1": "Associated with actor 1 (; between)",
    "actor2": "Actor 2 (target)",
    "assoc_actor_2": "Associated with actor 2 (; between)",
}


def _role_inputs(inc: Any) -> dict[str, str]:
    """Actor 1 / actor 2 and their associated actors, side by side."""
    current = role_values(inc)
    columns = st.columns(4)
    return {
        role: column.text_input(label, value=current[role])
        for column, (role, label) in zip(columns, _ROLE_LABELS.items(), strict=True)
    }


def _num(value: int | None) -> str:
    return "" if value is None else str(value)


def _delete(db: Any, ident: str) -> None:
    with st.expander("Delete this incident"):
        sure = st.checkbox(
            "Yes, delete it (the record stays in the history)", key=f"del_ok_{ident}"
        )
        if st.button("Delete", key=f"del_{ident}", disabled=not sure):
            db.delete(ident, user=current_user())
            st.query_params.pop("incident", None)
            st.session_state.pop("detail", None)
            st.session_state["edit_msg"] = f"Deleted {ident}."
            st.rerun()


def _shown(value: Any) -> str:
    """A history value as the analyst reads it: lists joined, empty as "(empty)"."""
    if isinstance(value, list):
        value = "; ".join(_shown(v) for v in value)
    if isinstance(value, dict):  # a place (name) or an evidence record (field: text)
        value = value.get("name") or f"{value.get('field', '')}: {value.get('text', '')}"
    return "(empty)" if value in (None, "") else str(value)


def _changes(detail: Any) -> str:
    """``field: old → new`` for each field an edit changed."""
    if not isinstance(detail, dict):
        return ""
    pairs = [
        (k, v) for k, v in sorted(detail.items()) if isinstance(v, list | tuple) and len(v) == 2
    ]
    return "; ".join(f"{k}: {_shown(old)} → {_shown(new)}" for k, (old, new) in pairs)


def _history(db: Any, ident: str, may_edit: bool) -> None:
    st.subheader("History")
    entries = db.history(ident)
    rows = [
        {
            "#": h.history_id,
            "when": h.at,
            "what": h.action,
            "who": h.user,
            "source": h.source_id,
            "changes (old → new)": _changes(h.changes),
            "of": f"{h.action} of #{h.reverts}" if h.reverts is not None else "",
        }
        for h in entries
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if may_edit:
        _undo_redo(db, ident, entries)


def _undo_redo(db: Any, ident: str, entries: list[Any]) -> None:
    """Undo the latest edit (recorded as "undo of #N"); redo the latest undo."""
    undo, redo = undo_redo_state(entries)
    c1, c2 = st.columns(2)
    for column, entry, verb, fn in ((c1, undo, "Undo", undo_edit), (c2, redo, "Redo", redo_edit)):
        if entry is None:
            continue
        label = f"{verb} #{entry.history_id} ({', '.join(sorted(entry.changes))} by {entry.user})"
        if column.button(label, key=f"{verb.lower()}_{ident}"):
            try:
                fn(db, entry.history_id, user=current_user())
                st.session_state["edit_msg"] = f"{verb}ne: #{entry.history_id}."
                st.rerun()
            except GeoError as exc:
                st.error(str(exc))


st.title("Edit an incident")
db = store(get_settings().database_url)
if st.session_state.get("edit_msg"):
    st.success(st.session_state.pop("edit_msg"))
ident = _pick(db)
if ident:
    may_edit = require_editor("edit or delete incidents")
    if may_edit:
        _form(db, ident)
        _delete(db, ident)
    _history(db, ident, may_edit)
