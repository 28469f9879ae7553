"""Sociale Basis Dashboard: the frame (page config and navigation over the files in ui/pages/).

The page scripts live in ``ui/pages/``, not in a ``pages/`` folder beside this file: Streamlit
takes such a folder for its legacy file-name navigation, which would run a deep link's page
without this frame on a freshly started server. Away from it, ``st.navigation`` is the only
navigation from the very first request (issue 15, item 3).
"""

import streamlit as st

from paths import PAGES

st.set_page_config(
    page_title="Sociale Basis Dashboard",
    page_icon="🏘️",
    layout="wide",
)

pages = [
    st.Page(PAGES / "kaart.py", title="Kaart", icon=":material/map:", default=True),
    st.Page(PAGES / "profiel.py", title="Wijkprofiel", icon=":material/location_on:"),
    st.Page(PAGES / "vergelijken.py", title="Vergelijken", icon=":material/compare:"),
    st.Page(PAGES / "ontwikkeling.py", title="Ontwikkeling", icon=":material/timeline:"),
    st.Page(PAGES / "enquete.py", title="Eigen enquête", icon=":material/upload_file:"),
    st.Page(PAGES / "werkplaats.py", title="Werkplaats", icon=":material/groups:"),
    st.Page(PAGES / "bronnen.py", title="Bronnen en begrippen", icon=":material/info:"),
]
from ui import activity, display  # noqa: E402  (after set_page_config, which must come first)

display.dutch_widgets()
# Marked, so the server's warm-up waits for a quiet moment (ui/activity.py).
with activity.SERVER.script_run():
    st.navigation(pages).run()
