"""Incidents page: the filtered table (sortable) with CSV and GeoJSON downloads."""

from __future__ import annotations

import streamlit as st

from pages.common import (
    TABLE_COLUMNS,
    count_label,
    ensure_app_navigation,
    filtered,
    loaded,
    sidebar_filters,
)

ensure_app_navigation()

TABLE_ROWS = 5000

st.title("Incidents")
_, data = loaded()
shown = filtered(data, sidebar_filters(data))
st.markdown(f"**{count_label(len(shown))}** shown of {len(data)}")
table = shown[[c for c in TABLE_COLUMNS if c in shown.columns] + ["notes"]]
if len(table) > TABLE_ROWS:
    st.caption(
        f"The table shows the {TABLE_ROWS} most recent; the downloads have all {len(table)}."
    )
st.dataframe(
    table.head(TABLE_ROWS),
    hide_index=True,
    width="stretch",
    column_config={"event_date": st.column_config.DateColumn("Date", format="YYYY-MM-DD")},
)
c1, c2 = st.columns(2)
c1.download_button(
    "Download CSV",
    table.to_csv(index=False).encode("utf-8"),
    "incidents.csv",
    "text/csv",
    key="dl_csv",
)
geojson = shown.assign(event_date=shown["event_date"].dt.strftime("%Y-%m-%d")).to_json(drop_id=True)
c2.download_button(
    "Download GeoJSON",
    geojson.encode("utf-8"),
    "incidents.geojson",
    "application/geo+json",
    key="dl_geojson",
)
