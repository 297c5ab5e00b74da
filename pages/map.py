"""Map page: the filtered incidents over province boundaries, then the table."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo import build_map
from pages.common import (
    TABLE_COLUMNS,
    asset_base,
    boundaries,
    count_label,
    filtered,
    incidents,
    sidebar_filters,
)

st.title("Incident map")
data = incidents()
filters = sidebar_filters(data)
shown = filtered(data, filters)
countries, provinces, _ = boundaries()
st.markdown(f"**{count_label(len(shown))}** shown of {len(data)}")
if shown.empty:
    st.info("No incidents match these filters.")
fmap = build_map(
    shown, provinces, countries, selected_provinces=filters.provinces, asset_base=asset_base()
)
st_folium(fmap, key="incident_map", height=560, width=None, returned_objects=[])
st.dataframe(
    shown[[c for c in TABLE_COLUMNS if c in shown.columns]],
    hide_index=True,
    width="stretch",
    column_config={"event_date": st.column_config.DateColumn("Date", format="YYYY-MM-DD")},
)
