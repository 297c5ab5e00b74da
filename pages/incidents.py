"""Incidents page: the filtered table with downloads."""

from __future__ import annotations

import streamlit as st

from pages.common import TABLE_COLUMNS, count_label, filtered, incidents, sidebar_filters

st.title("Incidents")
data = incidents()
shown = filtered(data, sidebar_filters(data))
st.markdown(f"**{count_label(len(shown))}** shown of {len(data)}")
table = shown[[c for c in TABLE_COLUMNS if c in shown.columns] + ["notes"]]
st.dataframe(table, hide_index=True, width="stretch")
st.download_button(
    "Download CSV",
    table.to_csv(index=False).encode("utf-8"),
    "incidents.csv",
    "text/csv",
    key="dl_csv",
)
geojson = shown.assign(event_date=shown["event_date"].dt.strftime("%Y-%m-%d")).to_json(drop_id=True)
st.download_button(
    "Download GeoJSON",
    geojson.encode("utf-8"),
    "incidents.geojson",
    "application/geo+json",
    key="dl_geojson",
)
