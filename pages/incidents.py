"""Incidents page: the filtered table (sortable), import flags shown, and downloads as
CSV (readable headers), GeoJSON, GeoPackage and an ACLED-compatible CSV."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import streamlit as st

from geo import EXPORT_FORMATS, export_frame, flags_of
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
#: (button label, export format, file name, MIME type)
DOWNLOADS = (
    ("Download CSV", "csv", "incidents.csv", "text/csv"),
    ("Download GeoJSON", "geojson", "incidents.geojson", "application/geo+json"),
    ("Download GeoPackage", "gpkg", "incidents.gpkg", "application/geopackage+sqlite3"),
    ("Download ACLED-style CSV", "acled", "incidents-acled.csv", "text/csv"),
)


def _exporter(frame: gpd.GeoDataFrame, fmt: str) -> Callable[[], bytes]:
    """The file's bytes, made only when the button is clicked (large views are slow)."""

    def make() -> bytes:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"incidents{EXPORT_FORMATS[fmt][0]}"
            return export_frame(frame, path, fmt).read_bytes()

    return make


st.title("Incidents")
_, data = loaded()
shown = filtered(data, sidebar_filters(data))
st.markdown(f"**{count_label(len(shown))}** shown of {len(data)}")
table = shown[[c for c in TABLE_COLUMNS if c in shown.columns]].assign(
    flags=shown["notes"].fillna("").map(lambda n: "; ".join(flags_of(n))),
    notes=shown["notes"],
)
flagged = int((table["flags"] != "").sum())
if flagged:
    st.caption(
        f"{flagged} incident(s) carry import flags (figures kept as given, see the flags column)."
    )
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
for column, (label, fmt, name, mime) in zip(st.columns(len(DOWNLOADS)), DOWNLOADS, strict=True):
    column.download_button(
        label, _exporter(shown, fmt), name, mime, key=f"dl_{fmt}", on_click="ignore"
    )
