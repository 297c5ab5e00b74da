"""Ingest & review: paste, upload or fetch articles; check and correct; save.

Nothing is written until "Save to the store": the analyst sees each extracted
incident with the sentences behind it highlighted in the article, edits fields,
picks another place among the geocoder's candidates or drops a pin, and decides
whether an incident merges with the stored one it matches.
"""

from __future__ import annotations

import html
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import (
    EDITABLE_FIELDS,
    EVENT_TYPES,
    GeoError,
    ReviewBatch,
    apply_candidate,
    apply_edits,
    apply_pin,
    article_from_bytes,
    article_from_text,
    fetch_article,
    get_geocoder,
    get_settings,
    pin_map,
    review_articles,
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
            item.incident = apply_edits(item.incident, {f: row[f] for f in EDITABLE_FIELDS})
        except GeoError as exc:
            problems.append(str(exc))
        item.merge = bool(row.get("merge"))
        kept.append(item)
    return ReviewBatch(
        batch.article_text, batch.metadata, kept, batch.problems, batch.evidence_spans
    ), problems


def _review(batch: ReviewBatch, index: int) -> None:
    name = batch.metadata.get("file") or batch.metadata.get("title") or f"article {index + 1}"
    st.subheader(f"{name}: {len(batch.items)} incident(s)")
    st.html(_highlighted(batch.article_text, batch.evidence_spans))
    for problem in batch.problems:
        st.warning(f"{problem.kind.replace('_', ' ')}: {problem.message}")
    if not batch.items:
        st.info("No incident to save from this article.")
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


st.title("Ingest & review")
if require_editor("ingest articles"):
    tabs = st.tabs(["Paste text", "Upload files", "From a URL"])
    _read_inputs(*tabs)
    if st.session_state.get("review_saved"):
        st.success(f"Saved. {st.session_state.pop('review_saved')}")
    for err in st.session_state.get(ERRORS, []):
        st.error(err)
    for i, b in enumerate(st.session_state.get(REVIEW, [])):
        _review(b, i)
