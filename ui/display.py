"""Shared display pieces: the plotly modebar and re-division warnings."""

from __future__ import annotations

import streamlit as st

from analysis.user_text import plain_markdown

#: Plotly modebar for every figure: no logo, PNG download at double size (works offline).
PLOTLY_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


#: Streamlit's own English widget strings that no parameter or setting can change
#: (streamlit/streamlit#1353), shown in Dutch with CSS. (A select's value is a one-line text
#: field: its labels are kept short instead, e.g. `analysis.views.maps.figures_label`.) The two
#: class names are emotion ``target`` labels
#: of streamlit==1.67.0 (pinned in requirements.txt): the empty list of a selectbox and of a
#: multiselect. The browser test checks "Geen resultaten" on screen, so an upgrade that renames
#: them fails there, not silently.
DUTCH_CSS = """
<style>
.equpb2c9, .eo2qvtu11 { font-size: 0 !important; }
.equpb2c9::after, .eo2qvtu11::after { content: "Geen resultaten"; font-size: 0.875rem; }
/* "Press Ctrl+Enter to apply": our text areas say in Dutch how they save (placeholder). */
[data-testid="InputInstructions"] { display: none !important; }
</style>
"""


#: Under a map while MapLibre draws it (the figure's paper is transparent, the map is not).
MAP_LOADING_CSS = """
<style>
.st-key-kaart { position: relative; }
.st-key-kaart::before { content: "De kaart wordt getekend…"; position: absolute; top: 45%;
  left: 0; right: 0; text-align: center; color: #555; font-size: 1.1rem; }
</style>
"""

#: The profile chart on a phone: too narrow to read, so a short table takes its place.
PHONE_CSS = """
<style>
.st-key-profiel_telefoon { display: none; }
@media (max-width: 640px) {
  .st-key-profiel_grafiek_blok { display: none; }
  .st-key-profiel_telefoon { display: block; }
}
</style>
"""


def map_loading() -> None:
    """Say "De kaart wordt getekend…" where the map appears, until it is drawn."""
    st.html(MAP_LOADING_CSS)


def phone_layout() -> None:
    """Show the phone version of a block (key ``…_telefoon``) on narrow screens only."""
    st.html(PHONE_CSS)


def dutch_widgets() -> None:
    """Put Streamlit's own widget strings in Dutch and let select labels wrap (`DUTCH_CSS`)."""
    st.html(DUTCH_CSS)


def error(text: object) -> None:
    """Show a message that may hold text from a user's file (a name, a cell) as plain text.

    Every Dutch upload message goes through here (or `warning`, `success`, `info`,
    `caption`): Markdown in a file never becomes a link, an image or markup (issue 13).
    """
    st.error(plain_markdown(text))


def warning(text: object) -> None:
    """Show a warning as plain text (see `error`)."""
    st.warning(plain_markdown(text))


def success(text: object) -> None:
    """Show a success message as plain text (see `error`)."""
    st.success(plain_markdown(text))


def info(text: object) -> None:
    """Show a note as plain text (see `error`)."""
    st.info(plain_markdown(text))


def caption(text: object) -> None:
    """Show a caption as plain text (see `error`)."""
    st.caption(plain_markdown(text))


def bullets(lines: list[str]) -> None:
    """Show lines as a bulleted list of plain text, wrapping on any screen (see `error`)."""
    st.markdown("\n".join(f"- {plain_markdown(line)}" for line in lines))


def show_redivision(warnings: list[str]) -> None:
    """Show re-division warnings: a changed area as a warning, an unknowable one as a note."""
    unknown = [w for w in warnings if "niet na te gaan" in w]
    for warning in warnings:
        if warning not in unknown:
            st.warning(warning, icon=":material/warning:")
    if unknown:
        st.caption(" ".join(unknown))
