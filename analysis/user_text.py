"""Text that comes from a user's file, made safe for where it is shown or saved (issue 13).

Streamlit renders messages, captions, labels and help as Markdown: a column named
``![x](https://example.org/p.png)`` would make the browser fetch that address, and
``<img src=x>`` vanishes from the message. `plain_markdown` escapes such text so Markdown shows
it letter for letter. Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or
``@`` as a formula: `formula_safe` makes such cells text. Plotly reads a little HTML in titles
and labels: `plotly_text` shows it as written.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable

import pandas as pd

__all__ = [
    "FORMULA_START",
    "formula_safe",
    "formula_safe_frame",
    "markdown_without_links",
    "plain_markdown",
    "plotly_text",
]

#: First characters that make a spreadsheet cell a formula (OWASP "CSV injection"), including
#: the full-width forms some spreadsheet programs also accept, and tab / carriage return.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
# GitHub-flavoured Markdown links a bare "http://…", "www.…" or e-mail address after the
# escapes are undone; it only does so after a space, punctuation or the start. An invisible
# word joiner in front (and after "@") keeps such text a text, as it shows the same.
_AUTOLINK_START = re.compile(r"(?i)(https?:|ftp:|www\.|mailto:|xmpp:)")
WORD_JOINER = "\u2060"


def plain_markdown(text: object) -> str:
    r"""Return text that Streamlit's Markdown shows exactly as written.

    Every ASCII punctuation character is escaped with a backslash (CommonMark lets any of
    them be escaped), so no link, image, HTML, emphasis, colour directive (``:red[…]``) or
    maths (``$…$``) can form; an invisible word joiner (U+2060) before ``http:``, ``www.``
    and after ``@`` stops GitHub's bare-URL and e-mail links. Line breaks stay line breaks;
    leading spaces stay (they would otherwise start a code block).

    Examples
    --------
    >>> plain_markdown("kolom '![x](e.png)'")
    "kolom \\'\\!\\[x\\]\\(e\\.png\\)\\'"
    >>> plain_markdown("zie www.x.nl") == "zie \u2060www\\.x\\.nl"
    True
    >>> plain_markdown("a\n  b")
    'a  \n\xa0\xa0b'
    """
    unlinked = _AUTOLINK_START.sub(WORD_JOINER + r"\1", str(text)).replace("@", "@" + WORD_JOINER)
    lines = _PUNCTUATION.sub(r"\\\1", unlinked).replace("\r\n", "\n").split("\n")
    kept = []
    for line in lines:
        stripped = line.lstrip(" \t")
        kept.append("\u00a0" * (len(line) - len(stripped)) + stripped)
    return "  \n".join(kept)


def markdown_without_links(text: object) -> str:
    r"""Return Markdown that keeps its emphasis, lists and quotes but can link or load nothing.

    For text people write as Markdown on purpose (a workshop group's notes and own slides):
    ``[`` ``]`` and ``<`` are escaped, so no link, image or HTML (nor an ``<http://…>``
    autolink) can form, and bare URLs and e-mail addresses get the word joiner of
    `plain_markdown`.

    Examples
    --------
    >>> safe = markdown_without_links("**Let op**: ![x](http://e.nl/p.png) <b>")
    >>> print(safe.replace("\u2060", "|"))
    **Let op**: !\[x\](|http://e.nl/p.png) \<b>
    """
    unlinked = _AUTOLINK_START.sub(WORD_JOINER + r"\1", str(text)).replace("@", "@" + WORD_JOINER)
    return re.sub(r"([\[\]<])", r"\\\1", unlinked)


def formula_safe(value: object) -> object:
    """Return a cell that a spreadsheet shows as text: a leading formula character gets ``'``.

    Non-text values pass unchanged.

    Examples
    --------
    >>> [formula_safe(v) for v in ["=1+2", "+cmd", "@SUM(A1)", "-2", "West", 3]]
    ["'=1+2", "'+cmd", "'@SUM(A1)", "'-2", 'West', 3]
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def formula_safe_frame(frame: pd.DataFrame, columns: Iterable[str] | None = None) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text cells (in ``columns``, default all) are formula-safe.

    For tables that Streamlit offers as "Download as CSV": what is shown is what is saved.

    Examples
    --------
    >>> formula_safe_frame(pd.DataFrame({"Gebied": ["@SUM(A1)", "Oost"], "n": [1, 2]}))
          Gebied  n
    0  '@SUM(A1)  1
    1       Oost  2
    """
    chosen = list(frame.columns if columns is None else columns)
    return frame.assign(
        **{
            str(c): frame[c].map(formula_safe)
            for c in chosen
            if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])
        }
    )


def plotly_text(text: object) -> str:
    """Return text Plotly shows as written (it reads ``<a href>``, ``<b>``, ``<br>``).

    Examples
    --------
    >>> plotly_text("<a href='http://x'>Oost</a> & West")
    "&lt;a href='http://x'&gt;Oost&lt;/a&gt; &amp; West"
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
