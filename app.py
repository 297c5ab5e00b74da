"""Streamlit entry point: ``streamlit run app.py`` (or ``make run``)."""

from __future__ import annotations

import streamlit as st

# A local icon file: a ":material/…:" page icon makes the browser fetch it from a font CDN.
st.set_page_config(page_title="Incident map", page_icon="static/favicon.png", layout="wide")

PAGES = [
    st.Page("pages/map.py", title="Map", icon=":material/map:", default=True, url_path="map"),
    st.Page("pages/incidents.py", title="Incidents", icon=":material/table:", url_path="incidents"),
    st.Page(
        "pages/ingest.py", title="Ingest & review", icon=":material/upload_file:", url_path="ingest"
    ),
    st.Page("pages/edit.py", title="Edit", icon=":material/edit:", url_path="edit"),
]

st.navigation(PAGES).run()
