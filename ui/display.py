"""Shared display pieces: the plotly modebar and re-division warnings."""

from __future__ import annotations

import streamlit as st

#: Plotly modebar for every figure: no logo, PNG download at double size (works offline).
PLOTLY_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def show_redivision(warnings: list[str]) -> None:
    """Show re-division warnings: a changed area as a warning, an unknowable one as a note."""
    unknown = [w for w in warnings if "niet na te gaan" in w]
    for warning in warnings:
        if warning not in unknown:
            st.warning(warning, icon=":material/warning:")
    if unknown:
        st.caption(" ".join(unknown))
