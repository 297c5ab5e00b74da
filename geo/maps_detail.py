"""The detail panel and map clicks: pure functions from rows (and texts) to HTML.

:func:`incident_detail` receives the article texts it quotes from its caller
(``texts``: source id → full text); it never reads files.  Every string from an
article or a user is escaped once, in :func:`detail_html`.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

__all__ = [
    "clicked_incident",
    "clicked_province",
    "detail_html",
    "evidence_files",
    "incident_detail",
    "popup_html",
    "safe_url",
]

_ID_LINE = re.compile(r"\bid: (\S+)\s*$")


def _esc(value: Any) -> str:
    """HTML-escape, and turn braces into entities too: branca re-parses rendered element
    HTML as a Jinja template, so a ``{{ … }}`` from an article would otherwise be
    evaluated on the server."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True).replace("{", "&#123;").replace("}", "&#125;")


def safe_url(url: Any) -> str:
    """The URL when it is http(s), else "" (no ``javascript:`` or ``data:`` links)."""
    text = str(url or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else ""


def _fatalities_text(row: pd.Series) -> str:
    lo, best, hi = (row.get(k) for k in ("fatalities_low", "fatalities_best", "fatalities_high"))
    nums = [v for v in (lo, best, hi) if v is not None and not pd.isna(v)]
    if not nums:
        return "not reported"
    if pd.isna(hi) and not pd.isna(lo):
        return f"at least {int(lo)}"
    if not pd.isna(lo) and not pd.isna(hi) and lo != hi:
        return (
            f"{int(lo)}–{int(hi)} (best {int(best)})"
            if not pd.isna(best)
            else f"{int(lo)}–{int(hi)}"
        )
    return str(int(nums[0]))


def _sources_html(row: pd.Series) -> str:
    try:
        sources = json.loads(row.get("sources") or "[]")
    except (TypeError, ValueError):
        sources = []
    items = []
    for src in sources:
        label = _esc(src.get("publisher") or src.get("file") or src.get("source_id"))
        url = safe_url(src.get("url"))
        link = (
            f'<a href="{_esc(url)}" target="_blank" rel="noopener noreferrer">{label}</a>'
            if url
            else label
        )
        file = f" <small>({_esc(src.get('file'))})</small>" if src.get("file") else ""
        items.append(f"<li>{link}{file}</li>")
    return (
        "<ul style='margin:0;padding-left:1.2em'>" + "".join(items) + "</ul>" if items else "none"
    )


def popup_html(row: pd.Series) -> str:
    """HTML of one incident's popup; every value escaped."""
    date = pd.Timestamp(row["event_date"]).date().isoformat()
    origin = (
        f"{_esc(row.get('origin'))} → {_esc(row.get('target'))}" if row.get("cross_border") else ""
    )
    parts = [
        f"<b>{_esc(row.get('location_name'))}</b> — {_esc(date)}",
        f" ({_esc(row.get('date_precision'))})",
        f"<br><i>{_esc(row.get('event_type'))}</i> {_esc(row.get('sub_event_type'))}",
        f"<br>Province: {_esc(row.get('admin1'))} ({_esc(row.get('admin1_iso'))}), "
        f"{_esc(row.get('country_iso2'))}; location precision: {_esc(row.get('geo_precision'))}",
        f"<br>Actors: {_esc(row.get('actors'))}",
        f"<br>Fatalities: {_esc(_fatalities_text(row))}",
        f"<br>Claim: <b>{_esc(row.get('claim_status'))}</b>",
        f" by {_esc(row.get('claimed_by'))}" if row.get("claimed_by") else "",
        f"; denied by {_esc(row.get('denied_by'))}" if row.get("denied_by") else "",
        f"<br>Cross-border: {origin}" if origin else "",
        f"<br><small>{_esc(row.get('notes'))}</small>",
        f"<br>Sources: {_sources_html(row)}",
        f"<br><small style='color:#777'>id: {_esc(row.get('incident_id'))}</small>",
    ]
    return "<div style='max-width:360px'>" + "".join(parts) + "</div>"


# ------------------------------------------------------------------------ clicks and detail


def clicked_province(drawing: Mapping[str, Any] | None) -> str | None:
    """The province name of a clicked province feature (st_folium ``last_active_drawing``).

    Returns ``None`` for anything else (an incident, a country, nothing).
    """
    props = (drawing or {}).get("properties") or {}
    if not props.get("iso_3166_2") or not props.get("name"):
        return None
    return html.unescape(str(props["name"]))


def clicked_incident(
    drawing: Mapping[str, Any] | None = None, popup_text: str | None = None
) -> str | None:
    """The incident id behind a map click: a province-level shape's properties
    (``last_active_drawing``) or the "id: …" line of a popup's text."""
    props = (drawing or {}).get("properties") or {}
    if props.get("incident_id"):
        return html.unescape(str(props["incident_id"]))
    match = _ID_LINE.search(popup_text or "")
    return match.group(1) if match else None


def _json_list(value: Any) -> list[dict[str, Any]]:
    try:
        items = json.loads(value or "[]")
    except (TypeError, ValueError):
        return []
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def evidence_files(row: Mapping[str, Any]) -> dict[str, str]:
    """Source id → the file name its evidence spans point into (for the caller to read)."""
    return {
        str(s.get("source_id")): str(s.get("file"))
        for s in _json_list(row.get("sources"))
        if s.get("file")
    }


def _sentence(ev: Mapping[str, Any], texts: Mapping[str, str]) -> str:
    """The evidence text, else its span of the source's text, else a reference."""
    if ev.get("text"):
        return str(ev["text"])
    sid = str(ev.get("source_id") or "")
    start, end = ev.get("start"), ev.get("end")
    text = texts.get(sid)
    if text is not None and isinstance(start, int) and isinstance(end, int):  # noqa: SIM102
        if 0 <= start < end <= len(text):  # (nested: mypy narrows start/end to int here)
            return " ".join(text[start:end].split())
    return f"characters {start}–{end} of {sid or 'an unknown source'}"


def incident_detail(
    row: Mapping[str, Any],
    texts: Mapping[str, str] | None = None,
    assertions: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Everything the detail panel shows for one incident, unescaped.

    Parameters
    ----------
    row : mapping
        One row of an incidents frame (``sources`` and ``evidence`` as JSON strings).
    texts : mapping, optional
        Source id → the full text of that source (the caller reads it, e.g. the
        files named by :func:`evidence_files`); evidence with an empty ``text``
        is quoted from it by its character span.
    assertions : mapping, optional
        What each source said (``Store.assertions``): ``{source_id: {field: value}}``.

    Returns
    -------
    dict
        ``incident_id``, ``title``, ``sources`` (``source_id``, ``label``, ``url``
        (http(s) only, else ""), ``file``, ``published``, ``claims``) and
        ``evidence`` (``field``, ``source``, ``sentence``).
    """
    sources = _json_list(row.get("sources"))
    labels = {
        str(s.get("source_id")): str(s.get("publisher") or s.get("file") or s.get("source_id"))
        for s in sources
    }
    said = assertions or {}
    date = pd.Timestamp(str(row.get("event_date"))).date().isoformat()
    return {
        "incident_id": str(row.get("incident_id") or ""),
        "title": f"{row.get('location_name') or 'Unknown place'}, {date}",
        "sources": [
            {
                "source_id": str(s.get("source_id") or ""),
                "label": labels[str(s.get("source_id"))],
                "url": safe_url(s.get("url")),
                "file": str(s.get("file") or ""),
                "published": str(s.get("published") or ""),
                "claims": dict(said.get(str(s.get("source_id")), {})),
            }
            for s in sources
        ],
        "evidence": [
            {
                "field": str(ev.get("field") or ""),
                "source": labels.get(str(ev.get("source_id")), str(ev.get("source_id") or "?")),
                "sentence": _sentence(ev, texts or {}),
            }
            for ev in _json_list(row.get("evidence"))
        ],
    }


#: What the detail panel shows of each source's own account, in this order.
_CLAIM_FIELDS = (
    "claim_status",
    "claimed_by",
    "denied_by",
    "fatalities_best",
    "fatalities_low",
    "fatalities_high",
    "wounded",
    "captured",
    "event_type",
    "actors",
)


def _claims_text(claims: Mapping[str, Any]) -> str:
    parts = []
    for key in _CLAIM_FIELDS:
        if key not in claims:
            continue
        value = claims[key]
        shown = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
        if shown and shown != "None":
            parts.append(f"{key}: {shown}")
    return ", ".join(parts)


def detail_html(detail: Mapping[str, Any]) -> str:
    """The detail panel as HTML; every value from an article or user escaped."""
    items = []
    for src in detail["sources"]:
        label = _esc(src["label"])
        link = (
            f'<a href="{_esc(src["url"])}" target="_blank" rel="noopener noreferrer">{label}</a>'
            if src["url"]
            else label
        )
        extra = " ".join(
            x
            for x in (
                f"<small>({_esc(src['file'])})</small>" if src["file"] else "",
                f"<small>published {_esc(src['published'])}</small>" if src["published"] else "",
            )
            if x
        )
        claims = _claims_text(src["claims"])
        said = f"<br><small>said: {_esc(claims)}</small>" if claims else ""
        items.append(f"<li>{link} {extra}{said}</li>")
    evidence = "".join(
        f"<tr><td><b>{_esc(e['field'])}</b></td><td>{_esc(e['source'])}</td>"
        f"<td>{_esc(e['sentence'])}</td></tr>"
        for e in detail["evidence"]
    )
    return (
        f"<div class='incident-detail'><h4>{_esc(detail['title'])}</h4>"
        f"<p><b>Sources</b></p><ul>{''.join(items) or '<li>none</li>'}</ul>"
        "<p><b>Evidence</b> (the sentence behind each field)</p>"
        "<table><tr><th>field</th><th>source</th><th>sentence</th></tr>"
        f"{evidence or '<tr><td colspan=3>none recorded</td></tr>'}</table></div>"
    )
