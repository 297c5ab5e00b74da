"""Ingest & review: paste, upload or fetch articles; check and correct; save.

Nothing is written until "Save to the store": the analyst sees each extracted
incident with the sentences behind it highlighted in the article, edits fields,
picks another place among the geocoder's candidates or drops a pin, decides
whether an incident merges with the stored one it matches, and adds by hand an
incident that extraction missed.  A fourth tab imports a table (ACLED, UCDP GED, or
any CSV after choosing which column is the date, the place, the coordinates …).
"""

from __future__ import annotations

import csv
import html
import io
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import (
    ACTOR_ROLES,
    CLAIM_STATUSES,
    DATE_PRECISIONS,
    EDITABLE_FIELDS,
    EVENT_TYPES,
    PLAIN_FIELDS,
    GeoError,
    ReviewBatch,
    ReviewItem,
    apply_candidate,
    apply_edits,
    apply_pin,
    article_from_bytes,
    article_from_text,
    fallback_notes,
    fetch_article,
    get_geocoder,
    get_settings,
    import_incidents,
    manual_incident,
    pin_map,
    place_candidates,
    read_table,
    review_articles,
    role_values,
    save_review,
)
from pages.access import current_user, require_editor
from pages.common import asset_base, ensure_app_navigation, store

ensure_app_navigation()

REVIEW = "review_batches"
ERRORS = "review_errors"


@st.cache_resource(show_spinner="Loading the gazetteer…")
def geocoder() -> Any:
    """The offline geocoder, built or loaded once per server."""
    return get_geocoder()


def _highlighted(text: str, spans: list[tuple[int, int, str]]) -> str:
    """The article as HTML with evidence sentences marked; every piece escaped."""
    out, pos = [], 0
    for start, end, field in spans:
        if start < pos:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(
            f'<mark title="{html.escape(field)}">{html.escape(text[start:end])}</mark>'
            f"<sup>{html.escape(field)}</sup>"
        )
        pos = end
    out.append(html.escape(text[pos:]))
    body = "".join(out).replace("\n", "<br>")
    return f'<div style="max-height:320px;overflow:auto;font-size:0.9em">{body}</div>'


def _extract(articles: list[Any]) -> None:
    db = store(get_settings().database_url)
    st.session_state[REVIEW] = review_articles(articles, geocoder=geocoder(), store=db)


def _read_inputs(tab_paste: Any, tab_upload: Any, tab_url: Any) -> None:
    settings = get_settings()
    articles, errors = [], []
    with tab_paste:
        with st.form("paste_form"):
            text = st.text_area("Article text", height=200, key="paste_text")
            c1, c2, c3 = st.columns(3)
            title = c1.text_input("Title", key="paste_title")
            publisher = c2.text_input("Publisher", key="paste_publisher")
            published = c3.date_input("Published", value=None, key="paste_published")
            pasted = st.form_submit_button("Extract incidents")
        if pasted:
            try:
                articles.append(
                    article_from_text(
                        text,
                        title=title,
                        publisher=publisher,
                        published=published if isinstance(published, date) else None,
                        file="pasted text",
                        settings=settings,
                    )
                )
            except GeoError as exc:
                errors.append(str(exc))
    with tab_upload:
        files = st.file_uploader(
            f"Article files (.txt, .md, .html; at most {settings.max_upload_mb:g} MB each)",
            type=["txt", "md", "html", "htm"],
            accept_multiple_files=True,
            key="upload_files",
        )
        if st.button("Extract from files", key="upload_go", disabled=not files):
            for f in files or []:
                try:
                    articles.append(article_from_bytes(f.getvalue(), f.name, settings=settings))
                except GeoError as exc:
                    errors.append(str(exc))
    with tab_url:
        url = st.text_input("Article URL (needs internet)", key="url_input")
        if st.button("Fetch and extract", key="url_go", disabled=not url):
            try:
                articles.append(fetch_article(url, settings=settings))
            except GeoError as exc:
                errors.append(str(exc))
    if articles or errors:
        st.session_state[ERRORS] = errors
        if articles:
            with st.spinner("Extracting…"):
                _extract(articles)


def _table(batch: ReviewBatch, index: int) -> pd.DataFrame:
    rows = []
    for item in batch.items:
        inc = item.incident
        target = item.merge_target
        rows.append(
            {
                "include": True,
                **{f: getattr(inc, f) for f in EDITABLE_FIELDS},
                "actors": "; ".join(inc.actors),
                **role_values(inc),
                "province": f"{inc.admin1} ({inc.admin1_iso})",
                "merge_with": f"{target.location_name}, {target.event_date}" if target else "",
                "merge": bool(target is not None and item.merge),
            }
        )
    return pd.DataFrame(rows)


def _editor(batch: ReviewBatch, index: int) -> pd.DataFrame:
    return st.data_editor(
        _table(batch, index),
        key=f"review_table_{index}",
        hide_index=True,
        disabled=["province", "merge_with"],
        column_config={
            "event_date": st.column_config.DateColumn("date", format="YYYY-MM-DD"),
            "event_type": st.column_config.SelectboxColumn("event type", options=list(EVENT_TYPES)),
            "merge": st.column_config.CheckboxColumn(
                "merge", help="Merge into the stored incident it matches; untick to keep it apart"
            ),
        },
    )


def _label(candidate: Any) -> str:
    where = ", ".join(x for x in (candidate.admin2, candidate.admin1, candidate.country_iso2) if x)
    return f"{candidate.name} — {where} ({candidate.feature}, score {candidate.score:.2f})"


def _place_chooser(batch: ReviewBatch, index: int) -> None:
    if not batch.items:
        return
    labels = [
        f"{i + 1}. {it.incident.location_name}, {it.incident.event_date}"
        for i, it in enumerate(batch.items)
    ]
    pick = st.selectbox(
        "Fix the place of",
        range(len(labels)),
        format_func=labels.__getitem__,
        key=f"place_item_{index}",
    )
    item = batch.items[pick]
    options = ["(keep the current place)", *[_label(c) for c in item.candidates]]
    choice = st.selectbox(
        "Candidates from the gazetteer",
        range(len(options)),
        format_func=options.__getitem__,
        key=f"place_cand_{index}_{pick}",
    )
    if choice and st.button("Use this place", key=f"place_use_{index}_{pick}"):
        item.incident = apply_candidate(item.incident, item.candidates[choice - 1])
        st.rerun()
    with st.expander("…or drop a pin on the map"):
        inc = item.incident
        m = pin_map(inc.lat, inc.lon, asset_base=asset_base())
        out = st_folium(
            m, key=f"pin_map_{index}_{pick}", height=300, returned_objects=["last_clicked"]
        )
        clicked = (out or {}).get("last_clicked")
        if clicked and st.button(
            f"Place it at {clicked['lat']:.4f}, {clicked['lng']:.4f}", key=f"pin_use_{index}_{pick}"
        ):
            try:
                item.incident = apply_pin(inc, clicked["lat"], clicked["lng"])
                st.rerun()
            except GeoError as exc:
                st.error(str(exc))


def _apply_table(batch: ReviewBatch, table: pd.DataFrame) -> tuple[ReviewBatch, list[str]]:
    problems, kept = [], []
    for item, row in zip(batch.items, table.to_dict("records"), strict=True):
        if not row.get("include", True):
            continue
        try:
            edits = {f: row[f] for f in (*EDITABLE_FIELDS, *ACTOR_ROLES)}
            item.incident = apply_edits(item.incident, edits)
        except GeoError as exc:
            problems.append(str(exc))
        item.merge = bool(row.get("merge"))
        kept.append(item)
    return ReviewBatch(
        batch.article_text, batch.metadata, kept, batch.problems, batch.evidence_spans
    ), problems


def _manual_values(index: int) -> dict[str, Any]:
    """The hand-entry fields: date, type, actor 1/2 with associates, killed and wounded."""
    key = f"man_{index}_"
    c1, c2, c3 = st.columns(3)
    event_type = c3.selectbox("Event type", list(EVENT_TYPES), key=key + "type")
    values: dict[str, Any] = {
        "event_date": c1.date_input("Date of the event", value=None, key=key + "date"),
        "date_precision": c2.selectbox("Date precision", DATE_PRECISIONS, key=key + "prec"),
        "event_type": event_type,
        "sub_event_type": c3.selectbox(
            "Sub-event type", ["", *EVENT_TYPES[event_type]], key=key + "sub"
        ),
        "actor1": c1.text_input("Actor 1 (perpetrator)", key=key + "actor1"),
        "assoc_actor_1": c2.text_input("Associated with actor 1 (; between)", key=key + "assoc1"),
        "claim_status": c3.selectbox("Claim status", CLAIM_STATUSES, key=key + "claim"),
        "actor2": c1.text_input("Actor 2 (target)", key=key + "actor2"),
        "assoc_actor_2": c2.text_input("Associated with actor 2 (; between)", key=key + "assoc2"),
        "fatalities_best": c1.text_input("Killed", key=key + "killed"),
        "wounded": c2.text_input("Wounded", key=key + "wounded"),
        "notes": st.text_input("Notes", key=key + "notes"),
    }
    return values


def _manual_place(batch: ReviewBatch, index: int) -> tuple[Any, tuple[float, float] | None]:
    """(a candidate picked from the place search, or a dropped pin)."""
    key = f"man_{index}_"
    query = st.text_input("Place (search the gazetteer)", key=key + "place")
    found = place_candidates(geocoder(), query, batch.article_text) if query else []
    if query and not found:
        st.warning(f"No place called {query!r} in the gazetteer: drop a pin instead.")
    options = ["(drop a pin instead)", *[_label(c) for c in found]]
    choice = st.selectbox(
        "Place candidates", range(len(options)), format_func=options.__getitem__,
        index=1 if found else 0, key=key + f"cand_{query}",
    )  # fmt: skip
    if choice:
        return found[choice - 1], None
    out = st_folium(
        pin_map(None, None, asset_base=asset_base()), key=key + "pin", height=300,
        returned_objects=["last_clicked"],
    )  # fmt: skip
    clicked = (out or {}).get("last_clicked")
    if clicked:
        st.caption(f"Pin at {clicked['lat']:.4f}, {clicked['lng']:.4f}")
        return None, (float(clicked["lat"]), float(clicked["lng"]))
    return None, None


def _manual_entry(batch: ReviewBatch, index: int) -> None:
    with st.expander("Add an incident by hand", expanded=not batch.items):
        values = _manual_values(index)
        candidate, pin = _manual_place(batch, index)
        if st.button("Add this incident", key=f"man_{index}_add"):
            try:
                values["location_name"] = "" if candidate else "dropped pin"
                inc = manual_incident(batch.metadata, values, candidate=candidate, pin=pin)
                batch.items.append(ReviewItem(inc))
                st.rerun()
            except GeoError as exc:
                st.error(str(exc))


def _review(batch: ReviewBatch, index: int) -> None:
    name = batch.metadata.get("file") or batch.metadata.get("title") or f"article {index + 1}"
    st.subheader(f"{name}: {len(batch.items)} incident(s)")
    st.html(_highlighted(batch.article_text, batch.evidence_spans))
    for problem in batch.problems:
        st.warning(f"{problem.kind.replace('_', ' ')}: {problem.message}")
    _manual_entry(batch, index)
    if not batch.items:
        st.info("No incident found in this article: add one by hand above.")
        return
    table = _editor(batch, index)
    _place_chooser(batch, index)
    if st.button("Save to the store", key=f"save_{index}", type="primary"):
        reviewed, problems = _apply_table(batch, table)
        if problems:
            for p in problems:
                st.error(p)
            return
        summary = save_review(store(get_settings().database_url), reviewed, user=current_user())
        st.session_state[REVIEW] = [b for b in st.session_state[REVIEW] if b is not batch]
        st.session_state["review_saved"] = summary.as_text()
        st.rerun()


_KINDS = {"ACLED export": "acled", "UCDP GED (CSV, HDX CSV or API JSON)": "ucdp",
          "Other CSV (choose the columns)": "csv"}  # fmt: skip


def _header_of(data: bytes) -> list[str]:
    """The CSV's column names, read as the importer reads them (quoted commas included)."""
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    return [c.strip() for c in next(csv.reader(io.StringIO(text)), [])]


def _column_mapping(data: bytes) -> dict[str, str]:
    header = _header_of(data)
    st.caption("Which column holds what? Date is needed, and coordinates or a country/province.")
    cols = st.columns(4)
    mapping = {}
    for n, field in enumerate(PLAIN_FIELDS):
        guess = next((h for h in header if h.strip().lower() == field), "")
        options = ["", *header]
        chosen = cols[n % 4].selectbox(
            field.replace("_", " "), options, index=options.index(guess),
            key=f"map_{field}",
        )  # fmt: skip
        if chosen:
            mapping[field] = chosen
    return mapping


def _import_table(tab: Any) -> None:
    with tab:
        upload = st.file_uploader("Table (.csv, .json)", type=["csv", "json"], key="table_file")
        kind = _KINDS[st.radio("Format", list(_KINDS), key="table_kind", horizontal=True)]
        mapping = _column_mapping(upload.getvalue()) if upload and kind == "csv" else None
        if st.button("Import the table", key="table_go", disabled=upload is None):
            assert upload is not None
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / Path(upload.name).name
                path.write_bytes(upload.getvalue())
                try:
                    names_only = bool(mapping) and "latitude" not in (mapping or {})
                    report = read_table(
                        kind, path, mapping=mapping, geocoder=geocoder() if names_only else None
                    )
                except (GeoError, ValueError) as exc:
                    st.error(str(exc))
                    return
            db = store(get_settings().database_url)
            summary = import_incidents(db, report.incidents, user=current_user())
            st.success(f"Imported: {summary.as_text()}")
            st.text(report.as_text().replace(str(path), path.name))


st.title("Ingest & review")
if require_editor("ingest articles"):
    tabs = st.tabs(["Paste text", "Upload files", "From a URL", "Import a table"])
    _read_inputs(*tabs[:3])
    _import_table(tabs[3])
    if st.session_state.get("review_saved"):
        st.success(f"Saved. {st.session_state.pop('review_saved')}")
    for err in st.session_state.get(ERRORS, []):
        st.error(err)
    if st.session_state.get(REVIEW):
        for note in fallback_notes(geocoder().gazetteer.sources):
            st.info(note)
    for i, b in enumerate(st.session_state.get(REVIEW, [])):
        _review(b, i)
