"""Streamlit pages (declared explicitly in app.py with st.navigation)."""
