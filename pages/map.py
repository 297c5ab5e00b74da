"""Map page: filtered incidents over province boundaries, playback, timeline, detail, table.

Only clicks come back from the map (``returned_objects``), never pan or zoom,
so moving the map does not rerun the page.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit_folium import st_folium

from geo import (
    EVENT_COLORS,
    PLAYBACK_STEPS,
    Filters,
    GeoError,
    ReportView,
    bin_of,
    brush_window,
    build_map,
    clicked_incident,
    clicked_province,
    detail_html,
    incident_detail,
    previous_filters,
    render_html,
    render_pdf,
    render_png,
    step_window,
    timeline_bin,
    timeline_counts,
    to_query_params,
)
from pages.common import (
    TABLE_COLUMNS,
    assertions,
    asset_base,
    boundaries,
    count_label,
    data_key,
    districts,
    ensure_app_navigation,
    evidence_texts,
    filtered,
    loaded,
    map_basemap,
    published_points,
    report_basemap_for_view,
    shape_files,
    sidebar_filters,
    step_period,
)

ensure_app_navigation()

MAP_TABLE_ROWS = 1000
DETAIL_OPTIONS = 500
PLAY_DELAY_S = 1.5


def _handle_click(out: dict[str, Any] | None, shown: pd.DataFrame) -> None:
    """Act on a new map click: a province toggles the province filter; an incident opens."""
    out = out or {}
    drawing, popup = out.get("last_active_drawing"), out.get("last_object_clicked_popup")
    signature = json.dumps([drawing, popup], sort_keys=True, default=str)
    if signature == st.session_state.get("_map_click"):
        return
    st.session_state["_map_click"] = signature
    incident = clicked_incident(drawing, popup)
    province = clicked_province(drawing)
    if incident and incident in set(shown["incident_id"]):
        if incident != st.session_state.get("detail"):
            st.session_state["_pending_detail"] = incident
            st.rerun()  # so the map rings it and the URL keeps it
    elif province:
        chosen = list(st.session_state.get("f_provinces", []))
        if province in st.session_state.get("_province_options", []):
            chosen = (
                [p for p in chosen if p != province] if province in chosen else [*chosen, province]
            )
            st.session_state["_pending_provinces"] = chosen
            st.rerun()
        st.toast(f"No incidents recorded in {province}")


@st.cache_resource(show_spinner=False, max_entries=16)
def _timeline_bars(key: str, _data: pd.DataFrame) -> alt.Chart | None:
    """The timeline's bars, built once per data version and filters (altair validation is slow).

    One bar per day, week, month or year, by the span of ``_data`` (``geo.timeline_bin``).
    """
    if _data.empty:
        return None
    dates = pd.to_datetime(_data["event_date"])
    unit = timeline_bin(dates.min().date(), dates.max().date())
    counts = timeline_counts(_data, unit)
    long = counts.reset_index().melt(unit, var_name="event type", value_name="incidents")
    long = long[long["incidents"] > 0]
    # Each bar spans its period, from its first day to the next period's first day.
    long = long.assign(start=long[unit].dt.start_time, end=(long[unit] + 1).dt.start_time)
    long = long.drop(columns=unit)
    types = sorted(long["event type"].unique())
    brush = alt.selection_interval(name="brush", encodings=["x"])
    return (
        alt.Chart(long)
        .mark_bar()
        .add_params(brush)
        .encode(
            x=alt.X("start:T", title=unit),
            x2="end:T",
            y=alt.Y("sum(incidents):Q", title=f"incidents per {unit}"),
            color=alt.Color(
                "event type:N",
                scale=alt.Scale(domain=types, range=[EVENT_COLORS.get(t, "#555") for t in types]),
                legend=alt.Legend(orient="right", title=None, labelLimit=180),
            ),
            tooltip=[
                alt.Tooltip("start:T", title=unit, format=bin_of(unit).label),
                alt.Tooltip("event type:N"),
                alt.Tooltip("incidents:Q", title=f"incidents per {unit}"),
            ],
        )
    )


def _timeline(data: pd.DataFrame, filters: Filters, window: tuple[Any, Any]) -> None:
    """Incidents per day, week, month or year of ``data`` (filtered but for the dates).

    The legend sits beside, so the bars get the height.  Dragging across the bars (a
    brush) sets the date range, as the slider does.
    """
    bars = _timeline_bars(f"{data_key()} {to_query_params(filters)}", data)
    if bars is None:
        return
    shade = pd.DataFrame({"start": [pd.Timestamp(window[0])], "end": [pd.Timestamp(window[1])]})
    band = alt.Chart(shade).mark_rect(opacity=0.15, color="#3186cc").encode(x="start:T", x2="end:T")
    event = st.altair_chart(
        band + bars, height=240, key="timeline", on_select="rerun", selection_mode="brush"
    )
    st.caption("Drag across the timeline to show that period; the shaded band is the range shown.")
    brushed = (event.selection or {}).get("brush") if event else None
    signature = json.dumps(brushed, sort_keys=True, default=str)
    if not brushed or signature == st.session_state.get("_brush"):
        return
    st.session_state["_brush"] = signature  # act once per new brush, not at every rerun
    chosen = brush_window(brushed, st.session_state["_data_bounds"])
    if chosen and chosen != tuple(st.session_state["f_dates"]):
        st.session_state["_pending_dates"] = chosen
        st.rerun()


def _player() -> bool:
    """Playback controls; returns whether the player is running."""
    c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
    c1.radio("Step", PLAYBACK_STEPS, key="play_step", horizontal=True)
    c2.button("◀ Back", key="play_back", on_click=step_period, args=(-1,), width="stretch")
    c3.button("Step ▶", key="play_fwd", on_click=step_period, args=(1,), width="stretch")
    return bool(c4.toggle("Play", key="playing", help="Step the date window forward every 1.5 s"))


def _detail_choice(shown: pd.DataFrame) -> str:
    """The incident chosen for the detail panel ("" for none)."""
    head = shown.head(DETAIL_OPTIONS)
    labels: dict[str, str] = {}
    seen: set[str] = set()
    for r in head[["incident_id", "event_date", "location_name", "event_type"]].itertuples():
        label = f"{pd.Timestamp(r.event_date).date()} · {r.location_name} · {r.event_type}"
        label = label if label not in seen else f"{label} ({r.incident_id})"
        seen.add(label)
        labels[str(r.incident_id)] = label
    if "_pending_detail" in st.session_state:
        st.session_state["detail"] = st.session_state.pop("_pending_detail")
    chosen = st.session_state.get("detail") or ""
    if chosen and chosen not in labels and chosen in set(shown["incident_id"]):
        row = shown[shown["incident_id"] == chosen].iloc[0]
        labels[chosen] = f"{pd.Timestamp(row['event_date']).date()} · {row['location_name']}"
    if chosen and chosen not in labels:
        st.session_state["detail"] = ""
    picked = st.selectbox(
        "Incident detail (or click an incident on the map)",
        ["", *labels],
        format_func=lambda i: labels.get(i, "— choose an incident —"),
        key="detail",
    )
    return str(picked or "")


def _edit_link(picked: str) -> None:
    """Link to the edit page; a plain link when the page runs outside st.navigation."""
    label = "Edit, delete or see the history of this incident"
    try:
        st.page_link(
            "pages/edit.py", label=label, icon=":material/edit:", query_params={"incident": picked}
        )
    except StreamlitAPIException:
        st.markdown(f"[{label}](edit?incident={quote(picked)})")


def _detail(shown: pd.DataFrame, picked: str) -> None:
    """Every source (linked), what each said, and the sentence behind each field."""
    row = shown[shown["incident_id"] == picked].iloc[0]
    detail = incident_detail(row, evidence_texts(row), assertions(picked))
    with st.container(border=True, key="incident_detail"):
        st.html(detail_html(detail))  # escaped HTML; st.html adds no Markdown processing
        _edit_link(picked)


def _reports(shown: pd.DataFrame, filters: Any, provinces: Any, countries: Any) -> None:
    # The data version and the filters decide what is shown; data_hash (slow on
    # 100k rows) runs only when a report is prepared, and goes into its manifest.
    full = st.checkbox("Full incident list in the PDF", key="report_full_list")
    key = (str(to_query_params(filters)), data_key(), full)
    if st.button("Prepare report downloads", key="report_prepare"):
        before = previous_filters(filters, shown)
        basemap = report_basemap_for_view()
        if basemap.problem:
            st.caption(f"Report basemap: {basemap.problem}")
        view = ReportView(
            shown, filters, provinces, countries, title="Incident map",
            made_at=datetime.now(UTC), basemap=basemap, full_list=full,
            previous=filtered(loaded()[1], before) if before is not None else None,
        )  # fmt: skip
        try:
            with st.spinner("Rendering the report…"):
                st.session_state["report"] = {
                    "key": key,
                    "png": render_png(view),
                    "pdf": render_pdf(view),
                    "html": render_html(view).encode("utf-8"),
                }
        except GeoError as exc:
            st.error(f"Could not render the report: {exc}")
    rep = st.session_state.get("report")
    if rep and rep["key"] == key:
        c1, c2, c3 = st.columns(3)
        c1.download_button(
            "Download PNG", rep["png"], "incident-map.png", "image/png", key="dl_png"
        )
        c2.download_button(
            "Download PDF report", rep["pdf"], "incident-map.pdf", "application/pdf", key="dl_pdf"
        )
        c3.download_button(
            "Download HTML map", rep["html"], "incident-map.html", "text/html", key="dl_html"
        )


st.title("Incident map")
_, data = loaded()
url_incident = st.query_params.get("incident")
if url_incident and "detail" not in st.session_state:
    st.session_state["detail"] = url_incident
filters = sidebar_filters(data)
# Everything but the dates once (the timeline shows the whole span), then the date window.
undated_filters = filters.with_(date_from=None, date_to=None)
undated = filtered(data, undated_filters)
shown = filtered(undated, Filters(date_from=filters.date_from, date_to=filters.date_to))
countries, provinces, _ = boundaries()
st.markdown(f"**{count_label(len(shown))}** shown of {len(data)}")
# Fixed slots: what appears or goes away between reruns (a notice, the detail panel)
# stays inside its slot, so nothing below shifts and no stale copy is left on screen.
notice = st.container(key="map_notice")
if shown.empty:
    notice.info("No incidents match these filters.")
left, right = st.columns([3, 1])
measure = right.radio("Shade provinces by", ["incidents", "fatalities"], key="choropleth")
with right:
    picked = _detail_choice(shown)
if picked:
    st.query_params["incident"] = picked
fmap = build_map(
    shown,
    provinces,
    countries,
    selected_provinces=filters.provinces,
    asset_base=asset_base(),
    choropleth=str(measure),
    extra_tiles=True,
    basemap=map_basemap(),
    districts=districts(),
    points=(published_points(data_key(), data), data),
    selected=picked or None,
    shapes=shape_files(),
)
with left:
    out = st_folium(
        fmap,
        key="incident_map",
        height=600,
        width=None,
        returned_objects=["last_active_drawing", "last_object_clicked_popup"],
        render=False,  # st_folium renders the map itself; a third render costs 0.1 s
    )
_handle_click(out, shown)
with st.container(key="map_detail"):
    if picked:
        _detail(shown, picked)
playing = _player()
_timeline(undated, undated_filters, st.session_state["f_dates"])
with st.container(key="map_reports"):
    _reports(shown, filters, provinces, countries)
st.caption(
    f"Table: the {min(len(shown), MAP_TABLE_ROWS)} most recent shown incidents; "
    "the Incidents page has every row and the downloads."
)
st.dataframe(
    shown[[c for c in TABLE_COLUMNS if c in shown.columns]].head(MAP_TABLE_ROWS),
    hide_index=True,
    width="stretch",
    key="map_table",
    column_config={"event_date": st.column_config.DateColumn("Date", format="YYYY-MM-DD")},
)
if playing:
    time.sleep(PLAY_DELAY_S)
    bounds = st.session_state["_data_bounds"]
    nxt = step_window(st.session_state["f_dates"], bounds, st.session_state["play_step"])
    if nxt is None:
        st.session_state["_pending_stop"] = True
    else:
        st.session_state["_pending_dates"] = nxt
    st.rerun()
