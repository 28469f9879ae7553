"""Werkplaats: a story through the sociale basis of one wijk, shown on a projector (issue #7)."""

import streamlit as st

from ui import loaders, sidebar, workshop

with st.sidebar:
    st.header("Wijk kiezen")
    gemeente_code = sidebar.gemeente_picker()
    code = sidebar.area_picker(gemeente_code)
workshop.keep_url(gemeente_code, code)

if code is None:
    st.title("Werkplaats")
    gemeente = loaders.gemeente_names().get(gemeente_code, gemeente_code)
    st.warning(f"Voor {gemeente} zijn geen wijken in de gegevens.")
    st.stop()

story = workshop.story(gemeente_code, code)
if workshop.presenting():
    workshop.present(gemeente_code, code, story)
else:
    workshop.editor(gemeente_code, code, story)
