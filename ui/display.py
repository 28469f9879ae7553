"""Shared display pieces: the plotly modebar and re-division warnings."""

from __future__ import annotations

import streamlit as st

from analysis.user_text import plain_markdown

#: Plotly modebar for every figure: no logo, PNG download at double size (works offline).
PLOTLY_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


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


def show_redivision(warnings: list[str]) -> None:
    """Show re-division warnings: a changed area as a warning, an unknowable one as a note."""
    unknown = [w for w in warnings if "niet na te gaan" in w]
    for warning in warnings:
        if warning not in unknown:
            st.warning(warning, icon=":material/warning:")
    if unknown:
        st.caption(" ".join(unknown))
