"""Shared display pieces: the plotly modebar, re-division warnings, the page frame."""

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


def ensure_frame() -> None:
    """Run the page inside app.py's frame, also when a fresh server is first opened on a deep link.

    Streamlit treats an app with a ``pages/`` folder as an old-style multipage app until
    ``st.navigation`` (in app.py) has run once in the process. A first visit to a bookmark
    such as ``/werkplaats?…`` would then run the page on its own: file names as navigation,
    no wide layout. Switching the flag and rerunning makes app.py run, and it opens the
    page that was asked for.
    """
    from streamlit.runtime.pages_manager import PagesManager

    # Once per process is enough: after the first rerun app.py has set the flag for good. The
    # guard also keeps AppTest (which resets the flag before every run) from rerunning on each
    # widget interaction and losing button clicks.
    if PagesManager.uses_pages_directory and not _FRAME_FIXED:
        _FRAME_FIXED.append(True)
        PagesManager.uses_pages_directory = False
        st.rerun()


_FRAME_FIXED: list[bool] = []  # process-wide "done once" marker for ensure_frame
