"""Sociale Basis Dashboard: the frame (page config and navigation over the files in pages/)."""

from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent

st.set_page_config(
    page_title="Sociale Basis Dashboard",
    page_icon="🏘️",
    layout="wide",
)

pages = [
    st.Page(HERE / "pages" / "kaart.py", title="Kaart", icon=":material/map:", default=True),
    st.Page(HERE / "pages" / "profiel.py", title="Wijkprofiel", icon=":material/location_on:"),
    st.Page(HERE / "pages" / "vergelijken.py", title="Vergelijken", icon=":material/compare:"),
    st.Page(HERE / "pages" / "ontwikkeling.py", title="Ontwikkeling", icon=":material/timeline:"),
    st.Page(HERE / "pages" / "enquete.py", title="Eigen enquête", icon=":material/upload_file:"),
    st.Page(HERE / "pages" / "werkplaats.py", title="Werkplaats", icon=":material/groups:"),
    st.Page(HERE / "pages" / "bronnen.py", title="Bronnen en begrippen", icon=":material/info:"),
]
from ui import display  # noqa: E402  (after set_page_config, which must come first)

display.dutch_widgets()
st.navigation(pages).run()
