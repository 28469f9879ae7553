"""Werkplaats: a story through the sociale basis of one wijk, shown on a projector (issue #7)."""

import streamlit as st

import ui
from ui import workshop

ui.ensure_frame()

with st.sidebar:
    st.header("Wijk kiezen")
    gemeente_code = ui.gemeente_picker()
    code = ui.area_picker(gemeente_code)
workshop.keep_url(gemeente_code, code)

if code is None:
    st.title("Werkplaats")
    gemeente = ui.gemeente_names().get(gemeente_code, gemeente_code)
    st.warning(f"Voor {gemeente} zijn geen wijken in de gegevens.")
    st.stop()

story = workshop.story(gemeente_code, code)
if workshop.presenting():
    workshop.present(gemeente_code, code, story)
else:
    workshop.editor(gemeente_code, code, story)
